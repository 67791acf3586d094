import { randomInt } from 'node:crypto';

/** 100.64.0.0/10, the shared address space Tailscale allocates tailnet addresses from: 2^22 addresses. */
const BASE = (100 << 24) >>> 0 | (64 << 16);
const SIZE = 1 << 22;

/** The address at `offset` into 100.64.0.0/10. */
export function tailnetAddressAt(offset: number): string {
  const value = (BASE + offset) >>> 0;
  return [value >>> 24, (value >>> 16) & 255, (value >>> 8) & 255, value & 255].join('.');
}

/**
 * Whether a node may hold the address: not a .0 or .255 (some stacks still treat them as network and broadcast
 * addresses), and not in 100.100.100.0/24, where Tailscale's own services (100.100.100.100) live.
 */
export function isAssignableAddress(address: string): boolean {
  const [, second, third, fourth] = address.split('.').map(Number);
  if (fourth === 0 || fourth === 255) return false;
  return !(second === 100 && third === 100);
}

/** A random assignable address; uniqueness is enforced by the caller's claim on it, retried on collision. */
export function randomTailnetAddress(draw: (size: number) => number = randomInt): string {
  for (;;) {
    const address = tailnetAddressAt(draw(SIZE));
    if (isAssignableAddress(address)) return address;
  }
}
