import * as fc from 'fast-check';
import * as ipaddr from 'ipaddr.js';
import { METADATA_ENDPOINTS, cidrContains, hostCidr, metadataExceptsFor, parseCidr, validateIpBlock } from '../../src/network';
import { ipBlockMatches } from '../../src/semantics/network-policy-evaluator';

describe('parseCidr', () => {
  test('parses both families', () => {
    expect(parseCidr('10.0.0.0/8', 'cidr')).toMatchObject({ cidr: '10.0.0.0/8', family: 'ipv4', prefixLength: 8 });
    expect(parseCidr('fd00::/8', 'cidr')).toMatchObject({ cidr: 'fd00::/8', family: 'ipv6', prefixLength: 8 });
    expect(parseCidr('FD00:EC2:0::254/128', 'cidr').cidr).toBe('fd00:ec2::254/128');
  });

  test('throws on a missing mask, naming the fix', () => {
    expect(() => parseCidr('10.0.0.1', 'cidrs[0]')).toThrow('cidrs[0] is "10.0.0.1", which has no mask: use "10.0.0.1/32"');
    expect(() => parseCidr('fd00::1', 'cidr')).toThrow(/use "fd00::1\/128"/);
  });

  test('throws on host bits, naming the network address', () => {
    expect(() => parseCidr('10.0.0.1/8', 'cidr')).toThrow('cidr is "10.0.0.1/8", which has host bits set: use the network address "10.0.0.0/8" (or a longer mask if you meant a single host)');
    expect(() => parseCidr('fd00::1/64', 'cidr')).toThrow(/use the network address "fd00::\/64"/);
  });

  test('throws on a mask too long for the family', () => {
    expect(() => parseCidr('10.0.0.0/33', 'cidr')).toThrow(/not a valid IPv4 or IPv6 CIDR/);
    expect(() => parseCidr('fd00::/129', 'cidr')).toThrow(/not a valid IPv4 or IPv6 CIDR/);
  });

  test('throws on shorthand and garbage', () => {
    for (const bad of ['10.1/16', '256.0.0.0/8', 'abc/8', '10.0.0.0/x', '', ' 10.0.0.0/8']) {
      expect(() => parseCidr(bad, 'cidr')).toThrow(/^cidr is /);
    }
  });

  test('throws on IPv4-mapped IPv6, naming the IPv4 form', () => {
    expect(() => parseCidr('::ffff:169.254.169.254/128', 'cidr')).toThrow(/IPv4-mapped IPv6 range: write the IPv4 form instead, e.g. "169.254.169.254\/32"/);
  });

  test('hostCidr adds a host mask to a bare address', () => {
    expect(hostCidr('10.0.0.1')).toBe('10.0.0.1/32');
    expect(hostCidr('fd00::1')).toBe('fd00::1/128');
    expect(hostCidr('10.0.0.0/8')).toBe('10.0.0.0/8');
  });
});

describe('validateIpBlock', () => {
  test('accepts excepts strictly inside the cidr', () => {
    expect(validateIpBlock('10.0.0.0/8', ['10.1.0.0/16'], 'block').except.map(e => e.cidr)).toEqual(['10.1.0.0/16']);
  });

  test('throws on an except outside the cidr', () => {
    expect(() => validateIpBlock('10.0.0.0/8', ['192.168.0.0/16'], 'block')).toThrow(/block.except\[0\] is "192.168.0.0\/16", which is not strictly inside cidr "10.0.0.0\/8"/);
  });

  test('throws on an except equal to the cidr', () => {
    expect(() => validateIpBlock('10.0.0.0/8', ['10.0.0.0/8'], 'block')).toThrow(/not strictly inside/);
  });

  test('throws on an except of the other family', () => {
    expect(() => validateIpBlock('0.0.0.0/0', ['fd00:ec2::254/128'], 'block')).toThrow(/block.except\[0\] is "fd00:ec2::254\/128" \(ipv6\) but cidr "0.0.0.0\/0" is ipv4/);
  });
});

describe('metadataExceptsFor', () => {
  const excepts = (cidr: string) => metadataExceptsFor(parseCidr(cidr, 'cidr'));

  test('excepts every catalogue address inside the range, in its family', () => {
    expect(excepts('0.0.0.0/0')).toEqual(['100.100.100.200/32', '169.254.169.254/32', '169.254.170.2/32', '169.254.170.23/32']);
    expect(excepts('::/0')).toEqual(['fd00:ec2::23/128', 'fd00:ec2::254/128']);
    expect(excepts('169.254.0.0/16')).toEqual(['169.254.169.254/32', '169.254.170.2/32', '169.254.170.23/32']);
    expect(excepts('100.64.0.0/10')).toEqual(['100.100.100.200/32']);
    expect(excepts('fd00::/8')).toEqual(['fd00:ec2::23/128', 'fd00:ec2::254/128']);
  });

  test('adds nothing for ranges without catalogue addresses or for a host', () => {
    expect(excepts('10.0.0.0/8')).toEqual([]);
    expect(excepts('169.254.169.254/32')).toEqual([]);
  });

  test('cidrContains never mixes families', () => {
    expect(cidrContains(parseCidr('::/0', 'a'), parseCidr('169.254.169.254/32', 'b'))).toBe(false);
  });
});

describe('properties', () => {
  // random networks of both families, built from random addresses and masks
  const ipv4Network = fc.tuple(fc.array(fc.integer({ min: 0, max: 255 }), { minLength: 4, maxLength: 4 }), fc.integer({ min: 0, max: 32 }))
    .map(([octets, prefix]) => `${ipaddr.IPv4.networkAddressFromCIDR(`${octets.join('.')}/${prefix}`).toString()}/${prefix}`);
  const ipv6Network = fc.tuple(fc.array(fc.integer({ min: 0, max: 0xffff }), { minLength: 8, maxLength: 8 }), fc.integer({ min: 0, max: 128 }))
    .map(([parts, prefix]) => `${ipaddr.IPv6.networkAddressFromCIDR(`${parts.map(p => p.toString(16)).join(':')}/${prefix}`).toString()}/${prefix}`)
    .filter(cidr => !(ipaddr.parseCIDR(cidr)[0] as ipaddr.IPv6).isIPv4MappedAddress());

  test('a broad allow with the catalogue excepts never matches a catalogue address of its family', () => {
    fc.assert(fc.property(fc.oneof(ipv4Network, ipv6Network), cidr => {
      const parsed = parseCidr(cidr, 'cidr');
      const block = { cidr: parsed.cidr, except: metadataExceptsFor(parsed) };
      validateIpBlock(block.cidr, block.except, 'block');
      for (const endpoint of METADATA_ENDPOINTS) {
        const hostItself = parsed.cidr === endpoint.cidr;
        if (!hostItself) expect(ipBlockMatches(block, endpoint.address)).toBe(false);
      }
    }), { numRuns: 300 });
  });

  test('a CIDR with host bits set is rejected, naming its network address', () => {
    const octets4 = fc.array(fc.integer({ min: 0, max: 255 }), { minLength: 4, maxLength: 4 });
    fc.assert(fc.property(octets4, fc.integer({ min: 0, max: 31 }), (octets, prefix) => {
      const value = `${octets.join('.')}/${prefix}`;
      const network = `${ipaddr.IPv4.networkAddressFromCIDR(value).toString()}/${prefix}`;
      if (network === value) expect(parseCidr(value, 'cidr').cidr).toBe(value);
      else expect(() => parseCidr(value, 'cidr')).toThrow(`use the network address "${network}"`);
    }), { numRuns: 300 });
  });
});
