import { isPlainObject } from '../resource/attribute-value-coercion.js';
import { valueFingerprint } from './value-fingerprint.js';

/**
 * Whether two canonical resources hold the same data. Multi-valued attributes are unordered (RFC 7643 §2.4), so
 * arrays compare as multisets: re-sending the full member list in another order is not a change.
 */
export function sameResourceContent(left: unknown, right: unknown): boolean {
  if (Array.isArray(left) && Array.isArray(right)) {
    // Usually nothing moved, and comparing in order is far cheaper than fingerprinting every value.
    return sameInOrder(left, right) || sameMultiset(left, right);
  }
  if (isPlainObject(left) && isPlainObject(right)) {
    const keys = Object.keys(left);
    return keys.length === Object.keys(right).length && keys.every((key) => key in right && sameResourceContent(left[key], right[key]));
  }
  return left === right;
}

function sameInOrder(left: unknown[], right: unknown[]): boolean {
  return left.length === right.length && left.every((item, index) => sameResourceContent(item, right[index]));
}

function sameMultiset(left: unknown[], right: unknown[]): boolean {
  if (left.length !== right.length) return false;
  const counts = new Map<string, number>();
  for (const item of left) {
    const fingerprint = valueFingerprint(item);
    counts.set(fingerprint, (counts.get(fingerprint) ?? 0) + 1);
  }
  return right.every((item) => {
    const fingerprint = valueFingerprint(item);
    const count = counts.get(fingerprint) ?? 0;
    counts.set(fingerprint, count - 1);
    return count > 0;
  });
}
