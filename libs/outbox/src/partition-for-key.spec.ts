import { describe, expect, it } from 'vitest';
import { partitionForKey } from './partition-for-key.js';

describe('partitionForKey', () => {
  it('spreads tailnets over every partition', () => {
    const spread = new Set(Array.from({ length: 200 }, (_, i) => partitionForKey('t', `tailnet-${i}`, 6)));
    expect(spread.size).toBe(6);
  });

  it('always maps one key to one partition', () => {
    const key = '6a3c1a0e-7e0b-4a53-8a53-0f3e9b0e5c11';
    expect(new Set(Array.from({ length: 10 }, () => partitionForKey('t', key, 12))).size).toBe(1);
  });
});
