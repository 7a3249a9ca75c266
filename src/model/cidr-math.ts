import * as ipaddr from 'ipaddr.js';

/**
 * Tolerant CIDR math for the checker: parses what a manifest says without throwing, so rules can
 * reason about containment in both families. Construct input validation lives in `cidr.ts`.
 */

/** a parsed CIDR, with IPv4-mapped IPv6 ranges (`::ffff:0:0/96` and narrower) turned into IPv4. */
export interface CidrRange {
  readonly family: 'ipv4' | 'ipv6';
  readonly address: ipaddr.IPv4 | ipaddr.IPv6;
  readonly prefixLength: number;
  /** true when the text was written in IPv4-mapped IPv6 form and was turned into IPv4. */
  readonly mapped: boolean;
}

/**
 * Parses a CIDR (or a bare address, read as a host CIDR); undefined when it is not one.
 *
 * A range inside `::ffff:0:0/96` is read as the IPv4 range it maps, because dataplanes that
 * normalize addresses treat `::ffff:169.254.169.254` as `169.254.169.254`.
 */
export function parseCidrRange(text: unknown): CidrRange | undefined {
  if (typeof text !== 'string') return undefined;
  // the same few ranges (0.0.0.0/0, ::/0, the catalogue addresses) repeat in every namespace.
  if (PARSED.has(text)) return PARSED.get(text);
  const range = parseUncached(text);
  if (PARSED.size >= MAX_CACHED_RANGES) PARSED.clear();
  PARSED.set(text, range);
  return range;
}

/** parsed ranges by their text; ranges are immutable, so sharing them is safe. */
const PARSED = new Map<string, CidrRange | undefined>();
const MAX_CACHED_RANGES = 4096;

function parseUncached(text: string): CidrRange | undefined {
  const trimmed = text.trim();
  let address: ipaddr.IPv4 | ipaddr.IPv6;
  let prefixLength: number;
  try {
    if (trimmed.includes('/')) {
      [address, prefixLength] = ipaddr.parseCIDR(trimmed);
    } else {
      address = ipaddr.parse(trimmed);
      prefixLength = address.kind() === 'ipv4' ? 32 : 128;
    }
  } catch {
    return undefined;
  }
  if (address.kind() === 'ipv6') {
    const v6 = address as ipaddr.IPv6;
    if (v6.isIPv4MappedAddress() && prefixLength >= 96) {
      return { family: 'ipv4', address: v6.toIPv4Address(), prefixLength: prefixLength - 96, mapped: true };
    }
    return { family: 'ipv6', address: v6, prefixLength, mapped: false };
  }
  return { family: 'ipv4', address, prefixLength, mapped: false };
}

/** true when `range` contains the address `candidate` (same family after unmapping). */
export function rangeContainsAddress(range: CidrRange, candidate: string): boolean {
  const host = parseCidrRange(candidate);
  if (!host || host.family !== range.family) return false;
  return host.address.match([range.address, range.prefixLength] as [ipaddr.IPv4 | ipaddr.IPv6, number]);
}

/** how many addresses a range holds, as a power of two: `32 - prefix` or `128 - prefix`. */
export function rangeHostBits(range: CidrRange): number {
  return (range.family === 'ipv4' ? 32 : 128) - range.prefixLength;
}

/** true when `outer` contains every address of `inner` (same family after unmapping). */
export function rangeContainsRange(outer: CidrRange, inner: CidrRange): boolean {
  if (outer.family !== inner.family || inner.prefixLength < outer.prefixLength) return false;
  return inner.address.match([outer.address, outer.prefixLength] as [ipaddr.IPv4 | ipaddr.IPv6, number]);
}
