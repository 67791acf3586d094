import type { Filter } from '../filter/filter-ast.js';
import { isPlainObject } from '../resource/attribute-value-coercion.js';
import { findSubAttribute, type AttributeDefinition } from '../schema/attribute-definition.js';
import type { ValueSelection } from './patch-target.js';
import { valueFingerprint } from './value-fingerprint.js';

export type ItemKey = number;

/**
 * The values of one multi-valued attribute while a PATCH is applied, indexed by identity so that adding or
 * removing thousands of group members costs a hash lookup each, not a scan: a value's identity is its `value`
 * sub-attribute (compared as that sub-attribute's caseExact says), or the whole value for attributes without one.
 * Items are never mutated in place; replacing one leaves the resource the PATCH started from intact.
 */
export class MultiValuedItems {
  private readonly items = new Map<ItemKey, unknown>();
  private readonly keysByIdentity = new Map<string, ItemKey[]>();
  private readonly valueSubAttribute: AttributeDefinition | undefined;
  private nextKey = 0;

  constructor(attribute: AttributeDefinition, initialItems: readonly unknown[]) {
    this.valueSubAttribute = findSubAttribute(attribute, 'value');
    for (const item of initialItems) this.insert(item);
  }

  get size(): number {
    return this.items.size;
  }

  get(key: ItemKey): unknown {
    return this.items.get(key);
  }

  keys(): ItemKey[] {
    return [...this.items.keys()];
  }

  /** Keys of the values `selection` matches; `value eq "x"` is answered from the index. */
  select(selection: ValueSelection): ItemKey[] {
    const indexedValue = this.indexedValueSought(selection.filter);
    if (indexedValue !== undefined) return [...(this.keysByIdentity.get(indexedValue) ?? [])];
    return this.keys().filter((key) => selection.matches(this.items.get(key)));
  }

  /**
   * Adds a value unless one with the same identity is present (RFC 7644 §3.5.2.1: re-adding a value changes
   * nothing). Returns the new value's key, or undefined when nothing was added.
   */
  add(item: unknown): ItemKey | undefined {
    const identity = this.identityOf(item);
    return this.keysByIdentity.has(identity) ? undefined : this.insert(item, identity);
  }

  /** Removes every present value with the same identity as one of `items` (Entra's legacy member removal). */
  removeEach(items: readonly unknown[]): void {
    for (const item of items) {
      for (const key of this.keysByIdentity.get(this.identityOf(item)) ?? []) this.delete(key);
    }
  }

  /** Replaces a value in place, keeping its position. */
  replace(key: ItemKey, item: unknown): void {
    this.unindex(key);
    this.items.set(key, item);
    this.index(key, this.identityOf(item));
  }

  delete(key: ItemKey): void {
    this.unindex(key);
    this.items.delete(key);
  }

  clear(): void {
    this.items.clear();
    this.keysByIdentity.clear();
  }

  /** RFC 7644 §3.5.2: setting one value primary makes every other value non-primary. */
  demoteOtherPrimaries(primaryKey: ItemKey): void {
    for (const [key, item] of this.items) {
      if (key !== primaryKey && isPlainObject(item) && item['primary'] === true) this.replace(key, { ...item, primary: false });
    }
  }

  toArray(): unknown[] {
    return [...this.items.values()];
  }

  private insert(item: unknown, identity = this.identityOf(item)): ItemKey {
    const key = this.nextKey++;
    this.items.set(key, item);
    this.index(key, identity);
    return key;
  }

  private unindex(key: ItemKey): void {
    if (!this.items.has(key)) return;
    const identity = this.identityOf(this.items.get(key));
    const remaining = (this.keysByIdentity.get(identity) ?? []).filter((candidate) => candidate !== key);
    if (remaining.length > 0) this.keysByIdentity.set(identity, remaining);
    else this.keysByIdentity.delete(identity);
  }

  private index(key: ItemKey, identity: string): void {
    const keys = this.keysByIdentity.get(identity);
    if (keys) keys.push(key);
    else this.keysByIdentity.set(identity, [key]);
  }

  /** Values of an attribute with a `value` sub-attribute always carry one (see isMeaningfulValue). */
  private identityOf(item: unknown): string {
    const value = isPlainObject(item) ? item['value'] : undefined;
    if (this.valueSubAttribute && typeof value === 'string') return this.valueIdentity(value);
    return valueFingerprint(item);
  }

  private valueIdentity(value: string): string {
    return this.valueSubAttribute?.caseExact ? value : value.toLowerCase();
  }

  private indexedValueSought(filter: Filter): string | undefined {
    if (this.valueSubAttribute === undefined || filter.kind !== 'comparison' || filter.operator !== 'eq') return undefined;
    if (typeof filter.value !== 'string' || filter.attributePath.toLowerCase() !== 'value') return undefined;
    return this.valueIdentity(filter.value);
  }
}
