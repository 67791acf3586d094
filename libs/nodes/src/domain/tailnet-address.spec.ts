import { describe, expect, it } from 'vitest';
import { isAssignableAddress, randomTailnetAddress, tailnetAddressAt } from './tailnet-address.js';

describe('tailnet addresses', () => {
  it('spans exactly 100.64.0.0/10', () => {
    expect(tailnetAddressAt(0)).toBe('100.64.0.0');
    expect(tailnetAddressAt(1)).toBe('100.64.0.1');
    expect(tailnetAddressAt(2 ** 22 - 1)).toBe('100.127.255.255');
  });

  it("keeps clear of .0, .255 and Tailscale's 100.100.100.0/24", () => {
    expect(isAssignableAddress('100.64.1.0')).toBe(false);
    expect(isAssignableAddress('100.64.1.255')).toBe(false);
    expect(isAssignableAddress('100.100.100.100')).toBe(false);
    expect(isAssignableAddress('100.100.101.1')).toBe(true);
  });

  it('draws again until the address is assignable', () => {
    const draws = [0, 255, 2 ** 22 - 1, 300];
    expect(randomTailnetAddress(() => draws.shift()!)).toBe('100.64.1.44');
  });
});
