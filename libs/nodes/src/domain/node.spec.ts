import { describe, expect, it } from 'vitest';
import { InvalidNodeInputError, NodeNotFoundError, OwnerLacksAccessError } from './node.errors.js';
import { deleteNode, registerNode, renewNodeKey, setKeyExpiryDisabled, setNodeTags, type NodeState } from './node.js';

const TAILNET = '6a1c1c52-7d4e-4d0b-9a51-1b1f1d2e3f40';
const ADA = { userId: '0b8f0a52-1111-4d0b-9a51-1b1f1d2e3f40', active: true, deleted: false };
const causation = (time = '2026-01-01T00:00:00.000Z') => ({ actor: { kind: 'admin-api-key' as const, id: 'key' }, correlationId: 'c-1', time });
const register = (input: Partial<Parameters<typeof registerNode>[1]> = {}) =>
  registerNode(TAILNET, { owner: ADA, tags: [], hostname: 'ada-laptop', ipv4: '100.64.0.7', keyExpiryDays: 180, ...input }, causation());

describe('registering a node', () => {
  it('gives a user node a key that expires after the tailnet key duration', () => {
    const { state, events } = register();
    expect(state).toMatchObject({ ownerUserId: ADA.userId, keyExpiry: '2026-06-30T00:00:00.000Z', keyExpiryDisabled: false, keyExpired: false });
    expect(state.nodeKey).toMatch(/^nodekey:[0-9a-f]{64}$/);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ type: 'NodeRegistered', aggregateType: 'Node', aggregateVersion: 1, schemaVersion: 1 });
    expect(events[0].data).toMatchObject({ ownerUserId: ADA.userId, ipv4: '100.64.0.7', keyExpiry: state.keyExpiry, tags: [] });
  });

  it('disables key expiry for tagged nodes, which belong to their tags', () => {
    const { state } = register({ owner: null, tags: ['tag:server', 'tag:db', 'tag:server'] });
    expect(state).toMatchObject({ ownerUserId: null, tags: ['tag:db', 'tag:server'], keyExpiryDisabled: true });
  });

  it.each([
    [{ owner: null, tags: [] }, /needs a user/],
    [{ owner: null, tags: ['server'] }, /malformed tag/],
    [{ owner: null, tags: ['tag:9lives'] }, /malformed tag/],
    [{ hostname: '   ' }, /hostname/],
    [{ hostname: 'bad\nname' }, /hostname/],
    [{ nodeKey: 'nodekey:ABC' }, /nodeKey/],
  ])('refuses %j', (input, message) => {
    expect(() => register(input)).toThrow(InvalidNodeInputError);
    expect(() => register(input)).toThrow(message);
  });

  it('gives a node a user advertises tags for to its tags (ownership is checked against the policy first)', () => {
    expect(register({ tags: ['tag:ci'] }).state).toMatchObject({ ownerUserId: null, tags: ['tag:ci'], keyExpiryDisabled: true });
    expect(() => register({ tags: ['tag:ci'], owner: { ...ADA, active: false } })).toThrow(OwnerLacksAccessError);
  });

  it('keeps the key a device brings', () => {
    const nodeKey = `nodekey:${'ab'.repeat(32)}`;
    expect(register({ nodeKey }).state.nodeKey).toBe(nodeKey);
  });

  it('refuses users the IdP suspended or deleted', () => {
    expect(() => register({ owner: { ...ADA, active: false } })).toThrow(OwnerLacksAccessError);
    expect(() => register({ owner: { ...ADA, active: false } })).toThrow(/suspended by the identity provider/);
    expect(() => register({ owner: { ...ADA, deleted: true } })).toThrow(/deleted/);
  });
});

describe('changing a node', () => {
  const current = () => {
    const { state, events } = register();
    return { id: events[0].aggregateId, current: { version: 1, state } };
  };

  it('renews the key from the time of re-authentication and clears a recorded expiry', () => {
    const { id, current: node } = current();
    const expired = { ...node, state: { ...node.state, keyExpired: true } };
    const { state, events } = renewNodeKey(TAILNET, id, expired, { owner: ADA, keyExpiryDays: 30 }, causation('2026-07-01T00:00:00.000Z'));
    expect(state).toMatchObject({ keyExpired: false, keyExpiry: '2026-07-31T00:00:00.000Z' });
    expect(state.nodeKey).not.toBe(node.state.nodeKey);
    expect(events[0]).toMatchObject({ type: 'NodeKeyRenewed', aggregateVersion: 2 });
  });

  it('refuses re-authentication while the owner is suspended or deleted (403 at the edge)', () => {
    const { id, current: node } = current();
    const renew = (owner: typeof ADA) => renewNodeKey(TAILNET, id, node, { owner, keyExpiryDays: 30 }, causation());
    expect(() => renew({ ...ADA, active: false })).toThrow(expect.objectContaining({ reason: 'owner-suspended' }));
    expect(() => renew({ ...ADA, deleted: true })).toThrow(expect.objectContaining({ reason: 'owner-deleted' }));
  });

  it('records a change of key expiry only when it changes', () => {
    const { id, current: node } = current();
    expect(setKeyExpiryDisabled(TAILNET, id, node, false, causation()).events).toHaveLength(0);
    const disabled = setKeyExpiryDisabled(TAILNET, id, node, true, causation());
    expect(disabled.events.map((event) => event.type)).toEqual(['NodeKeyExpiryDisabled']);
    const enabled = setKeyExpiryDisabled(TAILNET, id, { version: 2, state: disabled.state }, false, causation());
    expect(enabled.events[0]).toMatchObject({ type: 'NodeKeyExpiryEnabled', aggregateVersion: 3, data: { keyExpiry: node.state.keyExpiry } });
  });

  it('hands a tagged user node to its tags and disables its key expiry, in two events', () => {
    const { id, current: node } = current();
    const { state, events } = setNodeTags(TAILNET, id, node, ['tag:ci'], causation());
    expect(state).toMatchObject({ ownerUserId: null, tags: ['tag:ci'], keyExpiryDisabled: true });
    expect(events.map((event) => [event.type, event.aggregateVersion])).toEqual([
      ['NodeTagsChanged', 2],
      ['NodeKeyExpiryDisabled', 3],
    ]);
    expect(events[0].data).toEqual({ nodeId: id, from: [], to: ['tag:ci'], ownerUserId: null });
    expect(() => setNodeTags(TAILNET, id, { version: 3, state }, [], causation())).toThrow(/at least one tag/);
    expect(setNodeTags(TAILNET, id, { version: 3, state }, ['tag:ci'], causation()).events).toHaveLength(0);
  });

  it('deletes once; a deleted node is not found', () => {
    const { id, current: node } = current();
    const { state, events } = deleteNode(TAILNET, id, node, causation());
    expect(events[0]).toMatchObject({ type: 'NodeDeleted', data: { hostname: 'ada-laptop' } });
    const gone: { version: number; state: NodeState } = { version: 2, state };
    expect(() => deleteNode(TAILNET, id, gone, causation())).toThrow(NodeNotFoundError);
    expect(() => setNodeTags(TAILNET, id, gone, ['tag:x'], causation())).toThrow(NodeNotFoundError);
  });
});
