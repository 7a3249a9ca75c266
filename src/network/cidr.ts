import * as ipaddr from 'ipaddr.js';
import { METADATA_ENDPOINTS, MetadataEndpoint } from '../model/metadata-catalogue';

/** an IP family. */
export type IpFamily = 'ipv4' | 'ipv6';

/**
 * A validated CIDR: a network address with its mask and no host bits set.
 */
export interface ParsedCidr {
  /** the CIDR in canonical text, e.g. `10.0.0.0/8`. */
  readonly cidr: string;
  readonly family: IpFamily;
  /** the network address. */
  readonly address: ipaddr.IPv4 | ipaddr.IPv6;
  readonly prefixLength: number;
}

/** the longest prefix of a family: `/32` or `/128`. */
export function hostPrefixLength(family: IpFamily): number {
  return family === 'ipv4' ? 32 : 128;
}

/**
 * Parses and validates a CIDR. Host bits must be zero: a CIDR such as `10.0.0.1/8` is rejected
 * rather than silently widened, because the author most likely meant a different range.
 *
 * @param prop the prop that carried the value, named in error messages
 */
export function parseCidr(value: string, prop: string): ParsedCidr {
  if (typeof value !== 'string' || value.trim() !== value || value === '') {
    throw new Error(`${prop} is ${JSON.stringify(value)}: give a CIDR such as "10.0.0.0/8" or "fd00::/8"`);
  }
  if (!value.includes('/')) {
    const suggestion = ipaddr.isValid(value) ? `"${value}/${ipaddr.parse(value).kind() === 'ipv4' ? 32 : 128}"` : 'a CIDR such as "10.0.0.0/8"';
    throw new Error(`${prop} is "${value}", which has no mask: use ${suggestion}`);
  }
  const invalid = new Error(`${prop} is "${value}", which is not a valid IPv4 or IPv6 CIDR: use a form such as "10.0.0.0/8" or "fd00::/8"`);
  const [addressText, maskText] = value.split('/', 2);
  // ipaddr.js also accepts shorthand such as "10.1" (inet_aton style); kubernetes does not
  const addressOk = addressText.includes(':') ? ipaddr.IPv6.isValid(addressText) : ipaddr.IPv4.isValidFourPartDecimal(addressText);
  if (!addressOk || !/^[0-9]{1,3}$/.test(maskText ?? '')) throw invalid;
  let parsed: [ipaddr.IPv4 | ipaddr.IPv6, number];
  try {
    parsed = ipaddr.parseCIDR(value);
  } catch {
    throw invalid;
  }
  const [address, prefixLength] = parsed;
  const family = address.kind();
  if (family === 'ipv6' && (address as ipaddr.IPv6).isIPv4MappedAddress()) {
    throw new Error(`${prop} is "${value}", an IPv4-mapped IPv6 range: write the IPv4 form instead, e.g. "${(address as ipaddr.IPv6).toIPv4Address().toString()}/${Math.max(prefixLength - 96, 0)}"`);
  }
  const network = family === 'ipv4'
    ? ipaddr.IPv4.networkAddressFromCIDR(value)
    : ipaddr.IPv6.networkAddressFromCIDR(value);
  const canonical = `${network.toString()}/${prefixLength}`;
  if (network.toString() !== address.toString()) {
    throw new Error(`${prop} is "${value}", which has host bits set: use the network address "${canonical}" (or a longer mask if you meant a single host)`);
  }
  return { cidr: canonical, family, address: network, prefixLength };
}

/** true when `inner` lies inside `outer` (same family, equal or longer prefix). */
export function cidrContains(outer: ParsedCidr, inner: ParsedCidr): boolean {
  if (outer.family !== inner.family || inner.prefixLength < outer.prefixLength) return false;
  return inner.address.match(outer.address, outer.prefixLength);
}

/**
 * Validates an ipBlock: the CIDR, and every `except` is a strict subset of it in the same
 * family (the Kubernetes API rejects anything else).
 */
export function validateIpBlock(cidr: string, except: readonly string[], prop: string): { cidr: ParsedCidr; except: ParsedCidr[] } {
  const parsedCidr = parseCidr(cidr, `${prop}.cidr`);
  const parsedExcept = except.map((value, index) => {
    const exceptProp = `${prop}.except[${index}]`;
    const parsed = parseCidr(value, exceptProp);
    if (parsed.family !== parsedCidr.family) {
      throw new Error(`${exceptProp} is "${value}" (${parsed.family}) but cidr "${cidr}" is ${parsedCidr.family}: an except must be in the same family as its cidr; put it in a separate ipBlock`);
    }
    if (!cidrContains(parsedCidr, parsed) || parsed.prefixLength === parsedCidr.prefixLength) {
      throw new Error(`${exceptProp} is "${value}", which is not strictly inside cidr "${cidr}": an except only subtracts inside its own ipBlock, so remove it or widen the cidr`);
    }
    return parsed;
  });
  return { cidr: parsedCidr, except: parsedExcept };
}

/** the catalogue metadata endpoints that lie inside a CIDR (including a host CIDR equal to one). */
export function metadataEndpointsInside(cidr: ParsedCidr): MetadataEndpoint[] {
  return METADATA_ENDPOINTS.filter(endpoint => cidrContains(cidr, parseCidr(endpoint.cidr, 'metadata catalogue')));
}

/**
 * The `except` entries a broad allow to `cidr` needs so that it never reaches a catalogue
 * metadata address: one host CIDR per catalogue address strictly inside it, sorted.
 */
export function metadataExceptsFor(cidr: ParsedCidr): string[] {
  // a host cidr cannot except itself; callers reject a host cidr on a catalogue address
  if (cidr.prefixLength === hostPrefixLength(cidr.family)) return [];
  return metadataEndpointsInside(cidr).map(endpoint => endpoint.cidr).sort();
}

/** a bare address as a host CIDR (`/32` or `/128`); a value with a mask is returned as is. */
export function hostCidr(address: string): string {
  if (typeof address !== 'string' || address.includes('/')) return address;
  return `${address}/${address.includes(':') ? 128 : 32}`;
}
