import { resolveAttributePath, type ResolvedAttributePath } from '../schema/attribute-path-resolver.js';
import type { ScimResourceType } from '../schema/resource-types.js';

export type AttributeSelection = { attributes?: string; excludedAttributes?: string };

type Json = Record<string, unknown>;

/** `id` and `schemas` come back whatever is asked for (RFC 7643 §3: `returned: always`); so does `meta`. */
const ALWAYS = ['schemas', 'id', 'meta'];

/**
 * Applies the `attributes` / `excludedAttributes` query parameters (RFC 7644 §3.4.2.5, §3.9) to a rendered
 * resource. Names resolve case-insensitively, with sub-attributes (`name.givenName`) and extension URNs;
 * names the resource type does not define are ignored rather than refused, as clients send supersets.
 */
export function selectAttributes<T extends Json>(resourceType: ScimResourceType, resource: T, selection: AttributeSelection): Json {
  const wanted = paths(resourceType, selection.attributes);
  if (wanted.length > 0) {
    const selected: Json = {};
    for (const name of ALWAYS) if (name in resource) selected[name] = resource[name];
    for (const path of wanted.filter(isSelectable)) copyPath(resource, selected, path);
    return selected;
  }
  const excluded = paths(resourceType, selection.excludedAttributes).filter(isSelectable);
  if (excluded.length === 0) return resource;
  const remaining: Json = structuredClone(resource);
  for (const path of excluded) removePath(remaining, path);
  return remaining;
}

/** Whether `selection` leaves a resource whole, so it can be answered as stored, without building it. */
export function selectsEverything(resourceType: ScimResourceType, selection: AttributeSelection): boolean {
  return paths(resourceType, selection.attributes).length === 0 && paths(resourceType, selection.excludedAttributes).filter(isSelectable).length === 0;
}

function paths(resourceType: ScimResourceType, list: string | undefined): ResolvedAttributePath[] {
  if (!list) return [];
  return list
    .split(',')
    .map((name) => resolveAttributePath(resourceType, name.trim()))
    .filter((path): path is ResolvedAttributePath => path !== undefined);
}

function isSelectable(path: ResolvedAttributePath): boolean {
  return !ALWAYS.includes(path.attribute.name);
}

/** The keys leading to an attribute in a resource: extension attributes live under their schema URN. */
function keysOf(path: ResolvedAttributePath): string[] {
  const keys = path.isExtension ? [path.schema.id, path.attribute.name] : [path.attribute.name];
  return path.subAttribute ? [...keys, path.subAttribute.name] : keys;
}

function copyPath(from: Json, to: Json, path: ResolvedAttributePath): void {
  const keys = keysOf(path);
  const multiValuedSub = path.subAttribute && path.attribute.multiValued;
  if (multiValuedSub) {
    // `emails.value` keeps, of every email, just its value.
    const [outer, sub] = [keys.slice(0, -1), keys[keys.length - 1]];
    const items = read(from, outer);
    if (Array.isArray(items)) write(to, outer, items.map((item: Json) => (sub in item ? { [sub]: item[sub] } : {})));
    return;
  }
  const value = read(from, keys);
  if (value !== undefined) write(to, keys, value);
}

function removePath(resource: Json, path: ResolvedAttributePath): void {
  const keys = keysOf(path);
  if (path.subAttribute && path.attribute.multiValued) {
    const items = read(resource, keys.slice(0, -1));
    if (Array.isArray(items)) for (const item of items as Json[]) delete item[keys[keys.length - 1]];
    return;
  }
  const parent = read(resource, keys.slice(0, -1));
  if (parent && typeof parent === 'object') delete (parent as Json)[keys[keys.length - 1]];
}

function read(resource: Json, keys: string[]): unknown {
  let value: unknown = resource;
  for (const key of keys) {
    if (value === null || typeof value !== 'object') return undefined;
    value = (value as Json)[key];
  }
  return value;
}

function write(resource: Json, keys: string[], value: unknown): void {
  let target = resource;
  for (const key of keys.slice(0, -1)) target = (target[key] ??= {}) as Json;
  target[keys[keys.length - 1]] = value;
}
