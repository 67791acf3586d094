import { describe, expect, it } from 'vitest';
import { MAX_PAGE_SIZE, pagingOf } from './paging.js';

describe('pagingOf (RFC 7644 §3.4.2.4)', () => {
  it('starts at 1 with a full page when neither is given', () => {
    expect(pagingOf({})).toEqual({ startIndex: 1, count: MAX_PAGE_SIZE });
    expect(pagingOf({ startIndex: '', count: '' })).toEqual({ startIndex: 1, count: MAX_PAGE_SIZE });
  });

  it('reads startIndex below 1 as 1, a negative count as 0, and caps count at the advertised maximum', () => {
    expect(pagingOf({ startIndex: '0', count: '-5' })).toEqual({ startIndex: 1, count: 0 });
    expect(pagingOf({ startIndex: '-3', count: '1000' })).toEqual({ startIndex: 1, count: MAX_PAGE_SIZE });
    expect(pagingOf({ startIndex: '21', count: '10' })).toEqual({ startIndex: 21, count: 10 });
  });

  it('reads an index too large to hold as past the end, not as an error', () => {
    expect(pagingOf({ startIndex: '99999999999999999999', count: '99999999999999999999' })).toEqual({
      startIndex: Number.MAX_SAFE_INTEGER,
      count: MAX_PAGE_SIZE,
    });
    expect(pagingOf({ startIndex: '-99999999999999999999', count: '-99999999999999999999' })).toEqual({ startIndex: 1, count: 0 });
  });

  it('refuses what is not an integer with 400 invalidValue', () => {
    for (const raw of ['abc', '1.5', '1e3', ' 1']) {
      expect(() => pagingOf({ startIndex: raw })).toThrow(expect.objectContaining({ status: 400, scimType: 'invalidValue' }));
    }
  });
});
