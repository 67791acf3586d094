import ipaddr from 'ipaddr.js';

export type IpFamily = 4 | 6;

/**
 * An address as 32-bit words (one for IPv4, four for IPv6), so that prefix tests are a few
 * integer operations on the hot path.
 */
export interface IpAddress {
  readonly family: IpFamily;
  readonly words: readonly number[];
  readonly text: string;
}

/** A CIDR, stored with its host bits cleared; a bare address is its full-length prefix. */
export interface IpPrefix {
  readonly family: IpFamily;
  readonly words: readonly number[];
  readonly bits: number;
  readonly text: string;
}

export const NO_IPV4 = -1;

const IPV4_OCTET = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)$/;

/** Strict dotted-quad parsing (no octal, no short forms); NO_IPV4 when the text is not one. */
export function parseIpv4(text: string): number {
  const octets = text.split('.');
  if (octets.length !== 4) return NO_IPV4;
  let value = 0;
  for (const octet of octets) {
    if (!IPV4_OCTET.test(octet)) return NO_IPV4;
    value = value * 256 + Number(octet);
  }
  return value;
}

export function formatIpv4(value: number): string {
  return `${value >>> 24}.${(value >>> 16) & 255}.${(value >>> 8) & 255}.${value & 255}`;
}

export function parseIpAddress(text: string): IpAddress | undefined {
  const ipv4 = parseIpv4(text);
  if (ipv4 !== NO_IPV4) return { family: 4, words: [ipv4], text };
  if (!text.includes(':') || !ipaddr.IPv6.isValid(text)) return undefined;
  const parsed = ipaddr.IPv6.parse(text);
  if (parsed.zoneId !== undefined) return undefined;
  return { family: 6, words: ipv6Words(parsed.parts), text: parsed.toString() };
}

/** `10.0.0.0/8`, `fd7a:115c:a1e0::/48`, or a bare address. */
export function parseIpPrefix(text: string): IpPrefix | undefined {
  const slash = text.indexOf('/');
  const address = parseIpAddress(slash === -1 ? text : text.slice(0, slash));
  if (address === undefined) return undefined;
  const fullLength = address.family === 4 ? 32 : 128;
  const bitsText = slash === -1 ? String(fullLength) : text.slice(slash + 1);
  if (!/^\d{1,3}$/.test(bitsText) || Number(bitsText) > fullLength) return undefined;
  const bits = Number(bitsText);
  const words = address.words.map((word, index) => maskWord(word, bits - index * 32));
  const network = address.family === 4 ? formatIpv4(words[0]!) : formatIpv6(words);
  return { family: address.family, words, bits, text: bits === fullLength ? network : `${network}/${bits}` };
}

export function isSingleAddress(prefix: IpPrefix): boolean {
  return prefix.bits === (prefix.family === 4 ? 32 : 128);
}

export function prefixContainsIpv4(prefix: IpPrefix, address: number): boolean {
  return prefix.family === 4 && maskWord(address, prefix.bits) === prefix.words[0];
}

export function prefixContainsIpv6(prefix: IpPrefix, words: readonly number[]): boolean {
  if (prefix.family !== 6) return false;
  for (let index = 0; index < 4; index++) {
    if (maskWord(words[index]!, prefix.bits - index * 32) !== prefix.words[index]) return false;
  }
  return true;
}

/** Keeps the leading `bits` bits of a 32-bit word (all of them when bits ≥ 32, none when ≤ 0). */
function maskWord(word: number, bits: number): number {
  if (bits >= 32) return word;
  if (bits <= 0) return 0;
  return (word & (0xffffffff << (32 - bits))) >>> 0;
}

function ipv6Words(parts: readonly number[]): number[] {
  const words: number[] = [];
  for (let index = 0; index < 8; index += 2) words.push(((parts[index]! << 16) | parts[index + 1]!) >>> 0);
  return words;
}

function formatIpv6(words: readonly number[]): string {
  const parts = words.flatMap((word) => [word >>> 16, word & 0xffff]);
  return new ipaddr.IPv6(parts).toString();
}
