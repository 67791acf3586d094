import { describe, expect, it } from 'vitest';

import { sameResourceContent } from './resource-equality.js';

describe('sameResourceContent', () => {
  it('ignores key order and the order of multi-valued attributes', () => {
    expect(sameResourceContent({ a: 1, list: [{ value: 'x', type: 'work' }, { value: 'y' }] }, { list: [{ value: 'y' }, { type: 'work', value: 'x' }], a: 1 })).toBe(true);
  });

  it('sees added, removed and changed values', () => {
    expect(sameResourceContent({ a: 1 }, { a: 1, b: 2 })).toBe(false);
    expect(sameResourceContent({ a: 1, b: 2 }, { a: 1 })).toBe(false);
    expect(sameResourceContent({ a: true }, { a: 'true' })).toBe(false);
    expect(sameResourceContent({ list: [{ value: 'x' }, { value: 'x' }] }, { list: [{ value: 'x' }, { value: 'y' }] })).toBe(false);
    expect(sameResourceContent({ list: [1, 1, 2] }, { list: [1, 2, 2] })).toBe(false);
  });
});
