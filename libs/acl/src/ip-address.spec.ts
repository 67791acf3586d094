import { describe, expect, it } from 'vitest';
import { NO_IPV4, parseIpAddress, parseIpPrefix, parseIpv4, prefixContainsIpv4, prefixContainsIpv6 } from './ip-address.js';

describe('IP addresses', () => {
  it.each(['1.2.3', '1.2.3.4.5', '01.2.3.4', '256.0.0.1', '1.2.3.-4', '', 'a.b.c.d'])('rejects the IPv4 %j', (text) => {
    expect(parseIpv4(text)).toBe(NO_IPV4);
  });

  it('reads IPv4 as an unsigned 32-bit number', () => {
    expect(parseIpv4('255.255.255.255')).toBe(0xffffffff);
    expect(parseIpv4('100.64.0.1')).toBe(0x64400001);
  });

  it('canonicalises IPv6 and refuses zones', () => {
    expect(parseIpAddress('FD7A:115C:A1E0:0000::0001')?.text).toBe('fd7a:115c:a1e0::1');
    expect(parseIpAddress('fe80::1%eth0')).toBeUndefined();
  });

  it('tests containment for both families', () => {
    const tailnet = parseIpPrefix('100.64.0.0/10')!;
    expect(prefixContainsIpv4(tailnet, parseIpv4('100.127.255.255'))).toBe(true);
    expect(prefixContainsIpv4(tailnet, parseIpv4('100.128.0.0'))).toBe(false);
    const everything = parseIpPrefix('0.0.0.0/0')!;
    expect(prefixContainsIpv4(everything, parseIpv4('203.0.113.1'))).toBe(true);
    const ula = parseIpPrefix('fd7a:115c:a1e0::/48')!;
    expect(prefixContainsIpv6(ula, parseIpAddress('fd7a:115c:a1e0:ab12::1')!.words)).toBe(true);
    expect(prefixContainsIpv6(ula, parseIpAddress('fd7a:115c:a1e1::1')!.words)).toBe(false);
    expect(prefixContainsIpv4(ula, parseIpv4('100.64.0.1'))).toBe(false);
  });

  it('clears host bits and reads odd prefix lengths', () => {
    expect(parseIpPrefix('fd7a:115c:a1e0:ffff::1/50')?.text).toBe('fd7a:115c:a1e0:c000::/50');
    expect(parseIpPrefix('10.255.255.255/9')?.text).toBe('10.128.0.0/9');
  });
});
