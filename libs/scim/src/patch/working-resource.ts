import { readAttribute, writeAttribute } from '../resource/attribute-location.js';
import type { ComplexValue } from '../resource/attribute-value-coercion.js';
import type { SchemaDefinition } from '../schema/attribute-definition.js';
import type { ResolvedAttributePath } from '../schema/attribute-path-resolver.js';
import { MultiValuedItems } from './multi-valued-items.js';

/**
 * The resource a PATCH is being applied to. Every write replaces objects rather than mutating them, so the
 * resource the PATCH started from stays intact and a failing operation can simply abandon this copy.
 * Multi-valued attributes are held as indexed item collections until `snapshot()`.
 */
export class WorkingResource {
  private readonly attributes: ComplexValue;
  private readonly collections = new Map<string, { resolved: ResolvedAttributePath; items: MultiValuedItems }>();

  constructor(attributes: ComplexValue) {
    this.attributes = { ...attributes };
  }

  read(resolved: ResolvedAttributePath): unknown {
    return readAttribute(this.attributes, resolved);
  }

  write(resolved: ResolvedAttributePath, value: unknown): void {
    writeAttribute(this.attributes, resolved, value);
  }

  items(resolved: ResolvedAttributePath): MultiValuedItems {
    const existing = this.collections.get(resolved.attributePath);
    if (existing) return existing.items;
    const current = this.read(resolved);
    const items = new MultiValuedItems(resolved.attribute, Array.isArray(current) ? current : []);
    this.collections.set(resolved.attributePath, { resolved, items });
    return items;
  }

  clearExtension(schema: SchemaDefinition): void {
    delete this.attributes[schema.id];
    for (const [path, collection] of this.collections) {
      if (collection.resolved.schema === schema) this.collections.delete(path);
    }
  }

  snapshot(): ComplexValue {
    const snapshot = { ...this.attributes };
    for (const { resolved, items } of this.collections.values()) {
      writeAttribute(snapshot, resolved, items.size > 0 ? items.toArray() : undefined);
    }
    return snapshot;
  }
}
