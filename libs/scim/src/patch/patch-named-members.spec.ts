import { describe, expect, it } from 'vitest';
import { seededRandom } from '#roster/testkit';
import { largeGroup, memberId, PATCH_OP } from '../../testing/large-groups.js';
import type { ScimGroup } from '../resource/scim-resource.js';
import { patchNamedMembers } from './patch-named-members.js';
import { applyPatch } from './apply-patch.js';

type Outcome = { resource: ScimGroup; changed: boolean } | { error: string };

function outcome(run: () => { resource: ScimGroup; changed: boolean }): Outcome {
  try {
    const { resource, changed } = run();
    return { resource, changed };
  } catch (error) {
    return { error: `${(error as { status?: number }).status} ${(error as { scimType?: string }).scimType} ${(error as Error).message}` };
  }
}

const patch = (...Operations: unknown[]) => ({ schemas: [PATCH_OP], Operations });

/** The whole group after a patch, from patchNamedMembers where it applies, else from applyPatch. */
function applyGroupPatch(group: ScimGroup, request: unknown): { resource: ScimGroup; changed: boolean } {
  const named = patchNamedMembers(group, request);
  if (!named) return applyPatch('Group', group, request);
  const left = new Set(named.removed);
  const members = [...(group.members ?? []).filter((member) => !left.has(member.value)), ...named.joined];
  const { members: _subset, ...rest } = named.resource;
  return { resource: members.length > 0 ? { ...rest, members } : rest, changed: named.changed };
}

/** patchNamedMembers of a patch that applies, when it can work on the named members alone. */
function membersChangeOf(group: ScimGroup, request: unknown) {
  try {
    return patchNamedMembers(group, request);
  } catch {
    return undefined;
  }
}
const group = (ids: number[]) => largeGroup(ids.map((index) => ({ value: memberId(index) })));

/** A random membership operation of the shapes Entra ID and Okta send, plus some that can touch unnamed members. */
function randomOperation(random: () => number): unknown {
  const id = () => memberId(Math.floor(random() * 40));
  const ids = () => Array.from({ length: 1 + Math.floor(random() * 6) }, () => ({ value: id() }));
  const shapes = [
    () => ({ op: 'Add', path: 'members', value: ids() }),
    () => ({ op: 'add', path: 'members', value: ids().map(({ value }) => ({ value, display: `${value}@example.com` })) }),
    () => ({ op: 'Remove', path: `members[value eq "${id()}"]` }),
    () => ({ op: 'remove', path: `members[value eq "${id().toUpperCase()}"]` }),
    () => ({ op: 'Remove', path: 'members', value: ids() }),
    () => ({ op: 'replace', path: 'displayName', value: `Group ${Math.floor(random() * 3)}` }),
    () => ({ op: 'replace', value: { id: 'g-1', displayName: 'Renamed' } }),
    () => ({ op: 'replace', path: 'members', value: ids() }),
    () => ({ op: 'remove', path: 'members' }),
    () => ({ op: 'remove', path: `members[display co "x"]` }),
    () => ({ op: 'add', value: { members: ids() } }),
    () => ({ op: 'add', path: 'members', value: [{ value: 42 }] }),
    () => ({ op: 'add', path: 'members', value: { value: id() } }),
    () => ({ op: 'remove', path: 'members[value eq "nobody"' }),
    () => ({ op: 'add', path: 'members.value', value: id() }),
  ];
  return shapes[Math.floor(random() * shapes.length)]();
}

describe('patchNamedMembers: applyPatch at the cost of the members a request names', () => {
  it('gives what applyPatch gives on the whole group, for random membership patches of random groups', () => {
    const random = seededRandom(20261123);
    for (let run = 0; run < 2_000; run++) {
      const current = group(Array.from({ length: Math.floor(random() * 30) }, () => Math.floor(random() * 40)).filter((v, i, all) => all.indexOf(v) === i));
      const request = patch(...Array.from({ length: 1 + Math.floor(random() * 3) }, () => randomOperation(random)));
      expect(outcome(() => applyGroupPatch(current, request)), JSON.stringify(request)).toEqual(outcome(() => applyPatch('Group', current, request)));
      const change = membersChangeOf(current, request);
      if (change) {
        const before = (current.members ?? []).map((member) => member.value);
        const left = new Set(change.removed);
        expect([...before.filter((id) => !left.has(id)), ...change.added]).toEqual(applyPatch('Group', current, request).resource.members?.map((m) => m.value) ?? []);
        expect(change.added.every((id) => !before.includes(id)) && change.removed.every((id) => before.includes(id))).toBe(true);
      }
    }
  });

  it('adds a batch to a 5,000-member group without handing the 5,000 to applyPatch, keeping their order', () => {
    const everyone = group(Array.from({ length: 5_000 }, (_, index) => index));
    const request = patch({ op: 'Add', path: 'members', value: [{ value: memberId(4_999) }, { value: memberId(5_000) }] });
    const result = applyGroupPatch(everyone, request);
    expect(result.changed).toBe(true);
    expect(result.resource.members!.map((member) => member.value)).toEqual([...everyone.members!.map((member) => member.value), memberId(5_000)]);
    expect(result).toEqual(applyPatch('Group', everyone, request));
    expect(patchNamedMembers(everyone, request)).toMatchObject({ added: [memberId(5_000)], removed: [] });
    expect(patchNamedMembers(everyone, request)!.resource.members).toEqual([{ value: memberId(4_999) }, { value: memberId(5_000) }]);
  });

  it('refuses what applyPatch refuses, with the same error', () => {
    const current = group([1, 2]);
    for (const request of [{ Operations: [] }, patch({ op: 'add', path: 'members' }), patch({ op: 'remove', path: 'nonsense[' })]) {
      expect(outcome(() => applyGroupPatch(current, request))).toEqual(outcome(() => applyPatch('Group', current, request)));
      expect(outcome(() => applyGroupPatch(current, request))).toHaveProperty('error');
    }
  });
});
