import { isPlainObject } from '../resource/attribute-value-coercion.js';

/** A string equal for two values exactly when they are equal as JSON, whatever their key order. */
export function valueFingerprint(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(valueFingerprint).join(',')}]`;
  if (isPlainObject(value)) {
    const members = Object.keys(value)
      .sort()
      .map((key) => `${JSON.stringify(key)}:${valueFingerprint(value[key])}`);
    return `{${members.join(',')}}`;
  }
  return JSON.stringify(value) ?? 'undefined';
}
