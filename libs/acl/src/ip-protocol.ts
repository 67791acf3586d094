/** IANA protocol numbers for the names Tailscale's `proto` field accepts. */
const PROTOCOL_NUMBERS: ReadonlyMap<string, number> = new Map([
  ['icmp', 1],
  ['igmp', 2],
  ['ipv4', 4],
  ['ip-in-ip', 4],
  ['tcp', 6],
  ['egp', 8],
  ['igp', 9],
  ['udp', 17],
  ['gre', 47],
  ['esp', 50],
  ['ah', 51],
  ['ipv6-icmp', 58],
  ['sctp', 132],
]);

const ICMP = 1;
export const TCP = 6;
const UDP = 17;
const IPV6_ICMP = 58;
const SCTP = 132;

/**
 * What a rule without `proto` allows. Tailscale documents "TCP, UDP and ICMP"; ICMPv6 is included
 * so that ping works the same over a node's IPv6 address.
 */
export const DEFAULT_PROTOCOLS: readonly number[] = [TCP, UDP, ICMP, IPV6_ICMP];

/** `tcp`, `UDP`, `17`: a name (any case) or an IANA number 0–255; undefined when it is neither. */
export function parseProtocol(text: string): number | undefined {
  const named = PROTOCOL_NUMBERS.get(text.toLowerCase());
  if (named !== undefined) return named;
  if (!/^\d{1,3}$/.test(text)) return undefined;
  const number = Number(text);
  return number <= 255 ? number : undefined;
}

/** Only these protocols have ports; for the others Tailscale's filter matches on addresses alone. */
export function protocolCarriesPorts(protocol: number): boolean {
  return protocol === TCP || protocol === UDP || protocol === SCTP;
}
