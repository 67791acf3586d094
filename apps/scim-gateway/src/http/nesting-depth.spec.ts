import { describe, expect, it } from 'vitest';
import { nestsDeeperThan } from './nesting-depth.js';

function nested(levels: number, innermost: unknown = 1, wrap = (inner: unknown): unknown => ({ a: inner })): unknown {
  let value = innermost;
  for (let level = 0; level < levels; level++) value = wrap(value);
  return value;
}

describe('nestsDeeperThan', () => {
  it('counts each object and array as a level, and scalars as none', () => {
    expect(nestsDeeperThan('text', 0)).toBe(false);
    expect(nestsDeeperThan(null, 0)).toBe(false);
    expect(nestsDeeperThan({}, 0)).toBe(true);
    expect(nestsDeeperThan({}, 1)).toBe(false);
    expect(nestsDeeperThan(nested(32), 32)).toBe(false);
    expect(nestsDeeperThan(nested(33), 32)).toBe(true);
  });

  it('finds the deep branch among shallow siblings, in arrays and objects alike', () => {
    const deepInArray = nested(40, 1, (inner) => [inner]);
    expect(nestsDeeperThan({ schemas: ['x'], Operations: [{ op: 'add', value: [{}, deepInArray] }] }, 32)).toBe(true);
    expect(nestsDeeperThan({ a: 1, b: { c: [1, 2, { d: nested(10) }] } }, 32)).toBe(false);
  });

  it('walks a value far deeper than the stack allows without recursing past the limit', () => {
    const abyss = JSON.parse(`${'['.repeat(200_000)}${']'.repeat(200_000)}`);
    expect(nestsDeeperThan(abyss, 32)).toBe(true);
  });

  it('passes the shapes the IdPs send', () => {
    const entraPatch = {
      schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'],
      Operations: [{ op: 'Add', path: 'members', value: [{ $ref: null, value: 'id' }] }, { op: 'replace', value: { 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User': { manager: { value: 'id' } } } }],
    };
    expect(nestsDeeperThan(entraPatch, 32)).toBe(false);
  });
});
