/**
 * A 64-bit fingerprint of a text (two independent 32-bit multiplicative hashes), used as a
 * version that changes when content changes and stays the same across restarts. Not for security.
 */
export function contentHash(text: string): string {
  let first = 0x811c9dc5;
  let second = 0x9747b28c;
  for (let index = 0; index < text.length; index++) {
    const code = text.charCodeAt(index);
    first = Math.imul(first ^ code, 0x01000193);
    second = Math.imul(second ^ code, 0x5bd1e995);
    second ^= second >>> 15;
  }
  return hex32(first) + hex32(second);
}

function hex32(value: number): string {
  return (value >>> 0).toString(16).padStart(8, '0');
}
