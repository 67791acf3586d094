import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeMembershipEvent } from '#roster/contracts';
import { oktaUser, type ScimClient, type Stack } from '#roster/testkit';
import { eventually, readTopic } from './support/read-topic.js';
import { startStack } from './support/stack.js';

const PATCH_OP = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';
const patch = (...Operations: unknown[]) => ({ schemas: [PATCH_OP], Operations });
const pause = () => new Promise((resolve) => setTimeout(resolve, 50));

describe('history from the log, and membership snapshots a subscriber can continue from', () => {
  let stack: Stack;
  let scim: ScimClient;
  let tailnetId: string;
  const users: Record<string, string> = {};
  let groupId: string;
  let beforeChanges = '';
  let afterFirstAdds = '';

  beforeAll(async () => {
    stack = await startStack('history', {}, ['scim-gateway', 'directory-projector', 'membership-projector']);
    const tailnet = await stack.createTailnet('history');
    scim = tailnet.scim;
    tailnetId = tailnet.tailnetId;
    for (const name of ['alice', 'bob', 'carol']) users[name] = (await scim.post('/Users', oktaUser(`${name}@example.com`))).body.id;
    beforeChanges = new Date().toISOString();
    await pause();
    groupId = (await scim.post('/Groups', { schemas: ['urn:ietf:params:scim:schemas:core:2.0:Group'], displayName: 'Engineering' })).body.id;
    await scim.request('PATCH', `/Groups/${groupId}`, patch({ op: 'add', path: 'members', value: [{ value: users.alice }, { value: users.bob }] }));
    await pause();
    afterFirstAdds = new Date().toISOString();
    await pause();
    await scim.request('PATCH', `/Groups/${groupId}`, patch({ op: 'remove', path: `members[value eq "${users.bob}"]` }));
    await scim.request('PATCH', `/Groups/${groupId}`, patch({ op: 'add', path: 'members', value: [{ value: users.carol }] }));
    await scim.request('PATCH', `/Users/${users.carol}`, patch({ op: 'replace', path: 'active', value: false }));
    await scim.request('PATCH', `/Groups/${groupId}`, patch({ op: 'replace', path: 'displayName', value: 'Eng' }));
  });
  afterAll(async () => {
    await stack?.stop();
  });

  it('answers who was in a group at a past time, with the events that put each member there', async () => {
    const log = await stack.waitForLog((events) => events.some((e) => e.type === 'GroupRenamed'));
    const added = log.filter((e) => e.type === 'GroupMemberAdded');
    const then = await stack.cli(['history', 'group', 'engineering', '--tailnet', 'history', '--at', afterFirstAdds, '--json']);
    expect(then.code, then.stderr).toBe(0);
    const past = JSON.parse(then.stdout);
    expect(past).toMatchObject({ tailnetId, groupId, displayName: 'Engineering' });
    expect(past.members.map((m: { userName: string }) => m.userName)).toEqual(['alice@example.com', 'bob@example.com']);
    for (const member of past.members) {
      const event = added.find((e) => (e.data.userIds as string[]).includes(member.userId))!;
      expect(member.addedBy).toMatchObject({ id: event.id, type: 'GroupMemberAdded', position: event.position.toString(), actor: { kind: 'scim-token' } });
    }

    const now = await stack.cli(['history', 'group', 'Eng', '--tailnet', tailnetId, '--json']);
    expect(now.code, now.stderr).toBe(0);
    expect(JSON.parse(now.stdout).members.map((m: { userName: string; active: boolean }) => [m.userName, m.active])).toEqual([
      ['alice@example.com', true],
      ['carol@example.com', false],
    ]);
    const text = await stack.cli(['history', 'group', 'Eng', '--tailnet', 'history']);
    expect(text.stdout).toContain('carol@example.com (suspended)');

    for (const [args, message] of [
      [['history', 'group', 'Engineering', '--tailnet', 'history'], 'no group named "Engineering"'],
      [['history', 'group', 'Eng', '--tailnet', 'history', '--at', beforeChanges], 'no group named "Eng"'],
      [['history', 'group', 'Eng', '--tailnet', 'history', '--at', 'yesterday'], '--at expects an ISO 8601 time'],
      [['history', 'group', 'Eng', '--tailnet', 'nope'], 'no tailnet "nope"'],
    ] as const) {
      const refused = await stack.cli([...args]);
      expect(refused.code).toBe(2);
      expect(refused.stderr).toContain(message);
    }
  });

  it('exports a snapshot whose offsets split the feed exactly: before is in it, after continues it', async () => {
    await stack.waitUntilApplied('membership');
    const exported = await stack.cli(['membership', 'export', '--tailnet', 'history', '--json']);
    expect(exported.code, exported.stderr).toBe(0);
    const snapshot = JSON.parse(exported.stdout);
    expect(snapshot.position.topic).toBe(stack.topics.membership);
    const group = snapshot.groups.find((g: { groupId: string }) => g.groupId === groupId);
    expect(group).toMatchObject({ name: 'Eng', memberCount: 2 });
    expect(group.members.map((m: { userName: string }) => m.userName)).toEqual(['alice@example.com', 'carol@example.com']);

    await scim.request('PATCH', `/Groups/${groupId}`, patch({ op: 'add', path: 'members', value: [{ value: users.bob }] }));
    const feed = await eventually(
      () => readTopic(stack.kafka, stack.topics.membership),
      (messages) => messages.some((m) => decodeMembershipEvent(m).data.sequence > group.sequence),
    );
    const offsetOf = (partition: number) => BigInt(snapshot.position.offsets[String(partition)]);
    const ofGroup = feed.filter((m) => m.key?.toString() === groupId);
    const before = ofGroup.filter((m) => BigInt(m.offset) < offsetOf(m.partition)).map((m) => decodeMembershipEvent(m));
    const after = ofGroup.filter((m) => BigInt(m.offset) >= offsetOf(m.partition)).map((m) => decodeMembershipEvent(m));
    expect(before.at(-1)?.data.sequence).toBe(group.sequence);
    expect(after.map((e) => [e.type, e.data.sequence, e.data.memberCount])).toEqual([['MemberAdded', group.sequence + 1, 3]]);
  });
});
