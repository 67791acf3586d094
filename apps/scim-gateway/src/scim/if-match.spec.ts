import { describe, expect, it } from 'vitest';
import { ifMatchVersion } from './if-match.js';

describe('ifMatchVersion', () => {
  it('reads weak and strong tags of a version', () => {
    expect(ifMatchVersion('W/"3"')).toBe(3);
    expect(ifMatchVersion('"12"')).toBe(12);
  });

  it('asks for no particular version without a header or with *', () => {
    expect(ifMatchVersion(undefined)).toBeUndefined();
    expect(ifMatchVersion('*')).toBeUndefined();
  });

  it('never matches a tag that is not one of ours', () => {
    expect(ifMatchVersion('W/"abc"')).toBe(-1);
    expect(ifMatchVersion('3')).toBe(-1);
  });
});
