import { randomBytes, randomUUID } from 'node:crypto';
import {
  eventRecorder,
  type Causation,
  type EventEnvelope,
  type NodeDeletedData,
  type NodeKeyExpiryDisabledData,
  type NodeKeyExpiryEnabledData,
  type NodeKeyRenewedData,
  type NodeRegisteredData,
  type NodeTagsChangedData,
} from '#roster/events';
import { InvalidNodeInputError, NodeNotFoundError, OwnerLacksAccessError } from './node.errors.js';

/** The write-side state of a node, as kept between commands. */
export type NodeState = {
  ownerUserId: string | null;
  tags: string[];
  hostname: string;
  ipv4: string;
  nodeKey: string;
  keyExpiry: string;
  keyExpiryDisabled: boolean;
  /** Set when the expiry projector records NodeKeyExpired; cleared by a renewal. */
  keyExpired: boolean;
  created: string;
  deleted?: true;
};

/** What the write side knows of a would-be owner when a command needs it. */
export type OwnerFacts = { userId: string; active: boolean; deleted: boolean };

export type NodeChange = { state: NodeState; events: EventEnvelope[] };

/** Tailscale's key expiry limits: 180 days by default, 1 to 180 allowed. */
export const DEFAULT_KEY_EXPIRY_DAYS = 180;
export const MIN_KEY_EXPIRY_DAYS = 1;
export const MAX_KEY_EXPIRY_DAYS = 180;

const DAY_MS = 86_400_000;
const TAG = /^tag:[A-Za-z][A-Za-z0-9-]{0,62}$/;
const NODE_KEY = /^nodekey:[0-9a-f]{64}$/;
const MAX_TAGS = 50;

export function keyExpiryAfter(time: string, days: number): string {
  return new Date(Date.parse(time) + days * DAY_MS).toISOString();
}

export function newNodeKey(): string {
  return `nodekey:${randomBytes(32).toString('hex')}`;
}

function recorder(tailnetId: string, nodeId: string, fromVersion: number, causation: Causation) {
  return eventRecorder({ tailnetId, type: 'Node', id: nodeId }, fromVersion, causation);
}

export function validateTags(tags: string[]): string[] {
  const unique = [...new Set(tags)];
  const malformed = unique.filter((tag) => !TAG.test(tag));
  if (malformed.length > 0) {
    throw new InvalidNodeInputError(`malformed tag(s) ${malformed.map((t) => `"${t}"`).join(', ')}: a tag is "tag:" followed by a letter, then letters, digits or dashes`);
  }
  if (unique.length > MAX_TAGS) throw new InvalidNodeInputError(`a device carries at most ${MAX_TAGS} tags`);
  return unique.sort();
}

function validateHostname(hostname: string): string {
  const trimmed = hostname.trim();
  // eslint-disable-next-line no-control-regex
  if (trimmed.length === 0 || trimmed.length > 255 || /[\u0000-\u001f\u007f]/.test(trimmed)) {
    throw new InvalidNodeInputError('hostname must be 1 to 255 printable characters');
  }
  return trimmed;
}

function validateNodeKey(nodeKey: string | undefined): string {
  if (nodeKey === undefined) return newNodeKey();
  if (!NODE_KEY.test(nodeKey)) throw new InvalidNodeInputError('nodeKey must be "nodekey:" followed by 64 lowercase hex digits');
  return nodeKey;
}

function assertOwnerMayAuthenticate(owner: OwnerFacts, action: string) {
  if (owner.deleted) throw new OwnerLacksAccessError(owner.userId, 'owner-deleted', action);
  if (!owner.active) throw new OwnerLacksAccessError(owner.userId, 'owner-suspended', action);
}

function assertExists(nodeId: string, state: NodeState | undefined): asserts state is NodeState {
  if (!state || state.deleted) throw new NodeNotFoundError(nodeId);
}

export type RegisterNodeInput = {
  /**
   * The user who authenticates the device. With tags it is only the requester (their ownership of the tags is
   * checked through the policy first) and the node belongs to its tags, as in Tailscale.
   */
  owner: OwnerFacts | null;
  tags: string[];
  hostname: string;
  nodeKey?: string;
  ipv4: string;
  keyExpiryDays: number;
};

/**
 * A device joins, owned by its user or, when it has tags, by its tags. Tagged nodes have key expiry disabled, as in
 * Tailscale; a suspended or deleted user cannot add devices, tagged or not.
 */
export function registerNode(tailnetId: string, input: RegisterNodeInput, causation: Causation, nodeId: string = randomUUID()): NodeChange {
  const tags = validateTags(input.tags);
  if (input.owner === null && tags.length === 0) {
    throw new InvalidNodeInputError('a device needs a user ("user") who owns it, or tags ("tags")');
  }
  if (input.owner) assertOwnerMayAuthenticate(input.owner, 'register a device');
  const state: NodeState = {
    ownerUserId: tags.length > 0 ? null : input.owner!.userId,
    tags,
    hostname: validateHostname(input.hostname),
    ipv4: input.ipv4,
    nodeKey: validateNodeKey(input.nodeKey),
    keyExpiry: keyExpiryAfter(causation.time, input.keyExpiryDays),
    keyExpiryDisabled: tags.length > 0,
    keyExpired: false,
    created: causation.time,
  };
  const record = recorder(tailnetId, nodeId, 0, causation);
  return {
    state,
    events: [
      record<NodeRegisteredData>('NodeRegistered', {
        nodeId,
        ownerUserId: state.ownerUserId,
        tags: state.tags,
        hostname: state.hostname,
        ipv4: state.ipv4,
        nodeKey: state.nodeKey,
        keyExpiry: state.keyExpiry,
        keyExpiryDisabled: state.keyExpiryDisabled,
      }),
    ],
  };
}

type Current = { version: number; state: NodeState | undefined };

/** The node re-authenticates: a new key (or the same one) valid for the tailnet's key duration from now. */
export function renewNodeKey(
  tailnetId: string,
  nodeId: string,
  current: Current,
  input: { owner: OwnerFacts | null; nodeKey?: string; keyExpiryDays: number },
  causation: Causation,
): NodeChange {
  assertExists(nodeId, current.state);
  if (input.owner) assertOwnerMayAuthenticate(input.owner, 're-authenticate this device');
  const state: NodeState = {
    ...current.state,
    nodeKey: validateNodeKey(input.nodeKey),
    keyExpiry: keyExpiryAfter(causation.time, input.keyExpiryDays),
    keyExpired: false,
  };
  const record = recorder(tailnetId, nodeId, current.version, causation);
  return {
    state,
    events: [record<NodeKeyRenewedData>('NodeKeyRenewed', { nodeId, nodeKey: state.nodeKey, keyExpiry: state.keyExpiry })],
  };
}

/** Turns key expiry off or on; asking for the state the node is already in records nothing. */
export function setKeyExpiryDisabled(tailnetId: string, nodeId: string, current: Current, disabled: boolean, causation: Causation): NodeChange {
  assertExists(nodeId, current.state);
  if (current.state.keyExpiryDisabled === disabled) return { state: current.state, events: [] };
  const record = recorder(tailnetId, nodeId, current.version, causation);
  const state = { ...current.state, keyExpiryDisabled: disabled };
  const event = disabled
    ? record<NodeKeyExpiryDisabledData>('NodeKeyExpiryDisabled', { nodeId })
    : record<NodeKeyExpiryEnabledData>('NodeKeyExpiryEnabled', { nodeId, keyExpiry: state.keyExpiry });
  return { state, events: [event] };
}

/**
 * Sets the node's tags. Tagging a user's node hands it to the tags and disables its key expiry, as Tailscale does;
 * a tagged node keeps at least one tag (it would otherwise belong to nobody: re-authenticate it as a user instead).
 */
export function setNodeTags(tailnetId: string, nodeId: string, current: Current, requested: string[], causation: Causation): NodeChange {
  assertExists(nodeId, current.state);
  const tags = validateTags(requested);
  if (tags.length === 0 && current.state.ownerUserId === null) {
    throw new InvalidNodeInputError('a tagged device must keep at least one tag; re-authenticate it as a user to untag it');
  }
  if (tags.join(',') === current.state.tags.join(',')) return { state: current.state, events: [] };
  const record = recorder(tailnetId, nodeId, current.version, causation);
  const becomesTagged = tags.length > 0 && current.state.ownerUserId !== null;
  const state: NodeState = {
    ...current.state,
    tags,
    ownerUserId: tags.length > 0 ? null : current.state.ownerUserId,
    keyExpiryDisabled: becomesTagged ? true : current.state.keyExpiryDisabled,
  };
  const events: EventEnvelope[] = [
    record<NodeTagsChangedData>('NodeTagsChanged', { nodeId, from: current.state.tags, to: tags, ownerUserId: state.ownerUserId }),
  ];
  if (becomesTagged && !current.state.keyExpiryDisabled) events.push(record<NodeKeyExpiryDisabledData>('NodeKeyExpiryDisabled', { nodeId }));
  return { state, events };
}

export function deleteNode(tailnetId: string, nodeId: string, current: Current, causation: Causation): NodeChange {
  assertExists(nodeId, current.state);
  const record = recorder(tailnetId, nodeId, current.version, causation);
  return {
    state: { ...current.state, deleted: true },
    events: [record<NodeDeletedData>('NodeDeleted', { nodeId, hostname: current.state.hostname })],
  };
}
