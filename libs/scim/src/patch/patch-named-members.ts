import { isPlainObject } from '../resource/attribute-value-coercion.js';
import type { GroupMember, ScimGroup } from '../resource/scim-resource.js';
import { resolveAttributePath } from '../schema/attribute-path-resolver.js';
import { applyPatch } from './apply-patch.js';
import { parsePatchPath } from './patch-path.js';
import { parsePatchRequest, type PatchOperation } from './patch-request.js';

/** A group PATCH applied to the members it names only. */
export type NamedMembersPatch = {
  /** The group with its other attributes patched, and as members only the named ones that are members after. */
  readonly resource: ScimGroup;
  readonly changed: boolean;
  /** The ids that joined, in the order applyPatch appends them, and the member objects it appends. */
  readonly added: string[];
  readonly joined: GroupMember[];
  /** The ids that left. */
  readonly removed: string[];
};

/**
 * applyPatch for a Group, at a cost that follows the request rather than the group. IdPs push a big group's
 * members in batches of 100 or so; applying each batch to all 5,000 current members (copy, checks, comparison)
 * made every batch cost as much as the group is large. When every operation affects only the members it names by
 * id, the patch is applied to those of them that are members now, and the outcome is who joins and who leaves:
 * the untouched members with the joined appended and the removed taken out is what applyPatch on the whole group
 * gives, with the same `changed` and the same errors. Undefined when the request can reach members it does not
 * name (see memberIdsNamedBy), for which only applyPatch on the whole group will do.
 */
export function patchNamedMembers(group: ScimGroup, request: unknown): NamedMembersPatch | undefined {
  const ids = memberIdsNamedBy(request);
  if (!ids) return undefined;
  const named = new Set(ids.map((id) => id.toLowerCase()));
  // Ignoring case only widens the part handed to applyPatch, which is always safe; narrowing it never is.
  const touched = (group.members ?? []).filter((member) => named.has(member.value.toLowerCase()));
  const patched = applyPatch('Group', withMembers(group, touched), request);
  const after = patched.resource.members ?? [];
  const remaining = new Set(after.map((member) => member.value));
  const handedOver = new Set(touched.map((member) => member.value));
  // A current member equal to an id the request names was handed over, so what applyPatch added is what it
  // returned beyond those.
  const joined = after.filter((member) => !handedOver.has(member.value));
  return {
    resource: patched.resource,
    changed: patched.changed,
    added: joined.map((member) => member.value),
    joined,
    removed: touched.filter((member) => !remaining.has(member.value)).map((member) => member.value),
  };
}

/**
 * The member ids a group PATCH names (as sent), when members it does not name cannot be affected; undefined when
 * they can (a replace or removal of all members, a filter other than `value eq "<id>"`, members inside a
 * path-less value), when one id is both removed and added (applyPatch moves it to the end of the list), or when
 * the request is one applyPatch will refuse, which it then does with its own error. Only these members can join
 * or leave, so a caller can look them up before it reads the group.
 */
export function memberIdsNamedBy(request: unknown): string[] | undefined {
  let operations: PatchOperation[];
  try {
    operations = parsePatchRequest(request);
  } catch {
    return undefined;
  }
  const removed = new Set<string>();
  const added = new Set<string>();
  const named: string[] = [];
  for (const operation of operations) {
    const ids = idsNamedBy(operation);
    if (!ids) return undefined;
    for (const id of ids) (operation.op === 'remove' ? removed : added).add(id.toLowerCase());
    named.push(...ids);
  }
  for (const id of removed) if (added.has(id)) return undefined;
  return named;
}

function idsNamedBy(operation: PatchOperation): string[] | undefined {
  if (operation.path === undefined) {
    if (!isPlainObject(operation.value)) return undefined;
    return Object.keys(operation.value).some(namesMembers) ? undefined : [];
  }
  let path;
  try {
    path = parsePatchPath(operation.path);
  } catch {
    return undefined;
  }
  const resolved = resolveAttributePath('Group', path.attributePath);
  if (!resolved) return undefined;
  if (resolved.attribute.name !== 'members') return [];
  if (resolved.subAttribute || path.subAttribute !== undefined) return undefined;
  if (path.valueFilter) {
    const filter = path.valueFilter;
    const byId = filter.kind === 'comparison' && filter.operator === 'eq' && typeof filter.value === 'string' && filter.attributePath.toLowerCase() === 'value';
    return operation.op === 'remove' && byId ? [filter.value as string] : undefined;
  }
  if (operation.op === 'replace' || !operation.hasValue) return undefined;
  return memberIdsOf(operation.value);
}

/** `[{ value: "<id>" }, …]`, as both IdPs send members; anything else is left to applyPatch. */
function memberIdsOf(value: unknown): string[] | undefined {
  if (!Array.isArray(value)) return undefined;
  const ids: string[] = [];
  for (const item of value) {
    if (!isPlainObject(item)) return undefined;
    const key = Object.keys(item).find((name) => name.toLowerCase() === 'value');
    const id = key === undefined ? undefined : item[key];
    if (typeof id !== 'string') return undefined;
    ids.push(id);
  }
  return ids;
}

function namesMembers(attributeName: string): boolean {
  return resolveAttributePath('Group', attributeName)?.attribute.name === 'members';
}

function withMembers(group: ScimGroup, members: GroupMember[]): ScimGroup {
  const { members: _replaced, ...rest } = group;
  return members.length > 0 ? { ...rest, members } : rest;
}
