import { NO_IPV4, parseIpAddress, parseIpPrefix, parseIpv4, prefixContainsIpv4 } from './ip-address.js';
import { SlotAllocator } from './slot-allocator.js';
import type { GroupInput, NodeAccess, NodeInput, UserInput, UserState, WorldGroup, WorldNode, WorldUser } from './world-records.js';

const TAILNET_IPV4 = parseIpPrefix('100.64.0.0/10')!;
const TAG = /^tag:[A-Za-z][A-Za-z0-9-]*$/;

class UserEntry implements WorldUser {
  readonly groups = new Set<GroupEntry>();
  readonly nodes = new Set<NodeEntry>();

  constructor(
    readonly id: string,
    readonly slot: number,
    public email: string,
    public state: UserState,
    public identityRevision: number,
  ) {}
}

class GroupEntry implements WorldGroup {
  readonly members = new Set<UserEntry>();

  constructor(
    readonly id: string,
    public displayName: string,
    public policyName: string,
  ) {}
}

class NodeEntry implements WorldNode {
  constructor(
    readonly id: string,
    readonly slot: number,
    public owner: UserEntry | undefined,
    public tags: readonly string[],
    public ipv4: number,
    public ipv4Text: string,
    public ipv6: readonly number[] | undefined,
    public ipv6Text: string | undefined,
    public access: NodeAccess,
    public revision: number,
  ) {}
}

/**
 * The users, synced groups, memberships and nodes of one tailnet, kept by the ACL projector and
 * changed one event at a time. Compiled policies read it directly and notice changes through the
 * revision numbers, so a mutation costs only the bookkeeping of the records it touches.
 *
 * Mutations that contradict the tailnet (a member for an unknown group, two nodes with one
 * address) throw: the command side rejects them, so seeing one here is a bug, not a user error.
 */
export class World {
  readonly domain: string;
  private revisionValue = 0;
  private groupNamesRevisionValue = 0;
  private readonly usersById = new Map<string, UserEntry>();
  private readonly usersByEmail = new Map<string, UserEntry>();
  private readonly groupsById = new Map<string, GroupEntry>();
  private readonly groupsByName = new Map<string, Set<GroupEntry>>();
  private readonly nodesById = new Map<string, NodeEntry>();
  private readonly nodesByIpv4 = new Map<number, NodeEntry>();
  private readonly nodesByIpv6 = new Map<string, NodeEntry>();
  private readonly nodesByTag = new Map<string, Set<NodeEntry>>();
  private readonly userSlots = new SlotAllocator();
  private readonly nodeSlots = new SlotAllocator();

  /** `domain` is the tailnet's identity domain, the `<domain>` of `group:<name>@<domain>`. */
  constructor(domain: string) {
    this.domain = domain.toLowerCase();
  }

  /** Changes with every mutation: what caches of whole-world answers are keyed on. */
  get revision(): number {
    return this.revisionValue;
  }

  /** Changes whenever a synced group appears, is renamed or disappears. */
  get groupNamesRevision(): number {
    return this.groupNamesRevisionValue;
  }

  user(id: string): WorldUser | undefined {
    return this.usersById.get(id);
  }

  userByEmail(email: string): WorldUser | undefined {
    return this.usersByEmail.get(email.toLowerCase());
  }

  users(): Iterable<WorldUser> {
    return this.usersById.values();
  }

  group(id: string): WorldGroup | undefined {
    return this.groupsById.get(id);
  }

  /** Every synced group whose lowercased display name is `policyName` (usually one). */
  groupsNamed(policyName: string): ReadonlySet<WorldGroup> {
    return this.groupsByName.get(policyName) ?? NO_GROUPS;
  }

  node(id: string): WorldNode | undefined {
    return this.nodesById.get(id);
  }

  nodes(): Iterable<WorldNode> {
    return this.nodesById.values();
  }

  nodeByIpv4(address: number): WorldNode | undefined {
    return this.nodesByIpv4.get(address);
  }

  /** `text` is an IPv6 address in canonical form (as IpAddress.text gives it). */
  nodeByIpv6(text: string): WorldNode | undefined {
    return this.nodesByIpv6.get(text);
  }

  nodesTagged(tag: string): ReadonlySet<WorldNode> {
    return this.nodesByTag.get(tag) ?? NO_NODES;
  }

  upsertUser(input: UserInput): WorldUser {
    const email = normalizeEmail(input.email);
    const holder = this.usersByEmail.get(email);
    if (holder !== undefined && holder.id !== input.id) throw new Error(`user ${input.id}: ${email} already belongs to user ${holder.id}`);
    const existing = this.usersById.get(input.id);
    if (existing === undefined) {
      const user = new UserEntry(input.id, this.userSlots.take(), email, input.state ?? 'active', this.nextRevision());
      this.usersById.set(user.id, user);
      this.usersByEmail.set(email, user);
      return user;
    }
    if (existing.email !== email) {
      this.usersByEmail.delete(existing.email);
      this.usersByEmail.set(email, existing);
      existing.email = email;
      existing.identityRevision = this.nextRevision();
    }
    if (input.state !== undefined) existing.state = input.state;
    this.nextRevision();
    return existing;
  }

  setUserState(id: string, state: UserState): void {
    this.requireUser(id).state = state;
    this.nextRevision();
  }

  /** Removes the user from every group, and their nodes with them. */
  removeUser(id: string): void {
    const user = this.requireUser(id);
    for (const group of user.groups) group.members.delete(user);
    for (const node of user.nodes) this.forgetNode(node);
    this.usersById.delete(id);
    this.usersByEmail.delete(user.email);
    this.userSlots.release(user.slot);
    this.nextRevision();
  }

  /** Creates the group, or renames it: rules naming the old name stop matching its members. */
  upsertGroup(input: GroupInput): WorldGroup {
    const policyName = syncedGroupPolicyName(input.displayName);
    const existing = this.groupsById.get(input.id);
    if (existing === undefined) {
      const group = new GroupEntry(input.id, input.displayName, policyName);
      this.groupsById.set(group.id, group);
      this.indexGroupName(group);
      this.nextRevision();
      return group;
    }
    existing.displayName = input.displayName;
    if (existing.policyName !== policyName) {
      this.unindexGroupName(existing);
      existing.policyName = policyName;
      this.indexGroupName(existing);
      this.touchMembers(existing);
    }
    this.nextRevision();
    return existing;
  }

  deleteGroup(id: string): void {
    const group = this.requireGroup(id);
    for (const member of group.members) member.groups.delete(group);
    this.touchMembers(group);
    this.unindexGroupName(group);
    this.groupsById.delete(id);
    this.nextRevision();
  }

  addMember(groupId: string, userId: string): void {
    const group = this.requireGroup(groupId);
    const user = this.requireUser(userId);
    if (group.members.has(user)) return;
    group.members.add(user);
    user.groups.add(group);
    user.identityRevision = this.nextRevision();
  }

  removeMember(groupId: string, userId: string): void {
    const group = this.requireGroup(groupId);
    const user = this.requireUser(userId);
    if (!group.members.delete(user)) return;
    user.groups.delete(group);
    user.identityRevision = this.nextRevision();
  }

  upsertNode(input: NodeInput): WorldNode {
    const tags = validTags(input.id, input.tags ?? []);
    const owner = this.nodeOwner(input.id, input.owner, tags);
    const ipv4 = tailnetIpv4(input.id, input.ipv4);
    const ipv6 = input.ipv6 === undefined ? undefined : ipv6Address(input.id, input.ipv6);
    const existing = this.nodesById.get(input.id);
    this.ensureAddressesFree(input.id, ipv4, ipv6?.text);
    if (existing !== undefined) this.unindexNode(existing);
    const node = existing ?? new NodeEntry(input.id, this.nodeSlots.take(), undefined, [], NO_IPV4, '', undefined, undefined, 'active', 0);
    node.owner = owner;
    node.tags = tags;
    node.ipv4 = ipv4;
    node.ipv4Text = input.ipv4;
    node.ipv6 = ipv6?.words;
    node.ipv6Text = ipv6?.text;
    node.access = input.access ?? node.access;
    node.revision = this.nextRevision();
    this.nodesById.set(node.id, node);
    this.indexNode(node);
    return node;
  }

  setNodeAccess(id: string, access: NodeAccess): void {
    this.requireNode(id).access = access;
    this.nextRevision();
  }

  /** Tagging a node takes it away from its owner, as in Tailscale; untagging needs upsertNode with an owner. */
  setNodeTags(id: string, tags: readonly string[]): void {
    const node = this.requireNode(id);
    const valid = validTags(id, tags);
    if (valid.length === 0) throw new Error(`node ${id}: an untagged node needs an owner (use upsertNode)`);
    this.unindexNode(node);
    node.owner = undefined;
    node.tags = valid;
    node.revision = this.nextRevision();
    this.indexNode(node);
  }

  removeNode(id: string): void {
    this.forgetNode(this.requireNode(id));
  }

  private forgetNode(node: NodeEntry): void {
    this.unindexNode(node);
    this.nodesById.delete(node.id);
    this.nodeSlots.release(node.slot);
    this.nextRevision();
  }

  private indexNode(node: NodeEntry): void {
    node.owner?.nodes.add(node);
    this.nodesByIpv4.set(node.ipv4, node);
    if (node.ipv6Text !== undefined) this.nodesByIpv6.set(node.ipv6Text, node);
    for (const tag of node.tags) {
      let tagged = this.nodesByTag.get(tag);
      if (tagged === undefined) this.nodesByTag.set(tag, (tagged = new Set()));
      tagged.add(node);
    }
  }

  private unindexNode(node: NodeEntry): void {
    node.owner?.nodes.delete(node);
    this.nodesByIpv4.delete(node.ipv4);
    if (node.ipv6Text !== undefined) this.nodesByIpv6.delete(node.ipv6Text);
    for (const tag of node.tags) this.nodesByTag.get(tag)?.delete(node);
  }

  private indexGroupName(group: GroupEntry): void {
    let named = this.groupsByName.get(group.policyName);
    if (named === undefined) this.groupsByName.set(group.policyName, (named = new Set()));
    named.add(group);
    this.groupNamesRevisionValue++;
  }

  private unindexGroupName(group: GroupEntry): void {
    const named = this.groupsByName.get(group.policyName);
    named?.delete(group);
    if (named?.size === 0) this.groupsByName.delete(group.policyName);
    this.groupNamesRevisionValue++;
  }

  private touchMembers(group: GroupEntry): void {
    for (const member of group.members) member.identityRevision = this.nextRevision();
  }

  private nodeOwner(nodeId: string, ownerId: string | undefined, tags: readonly string[]): UserEntry | undefined {
    if (tags.length > 0) {
      if (ownerId !== undefined) throw new Error(`node ${nodeId}: a tagged node belongs to its tags, not to user ${ownerId}`);
      return undefined;
    }
    if (ownerId === undefined) throw new Error(`node ${nodeId}: a node needs an owner or at least one tag`);
    return this.requireUser(ownerId);
  }

  private ensureAddressesFree(nodeId: string, ipv4: number, ipv6: string | undefined): void {
    const ipv4Holder = this.nodesByIpv4.get(ipv4);
    const ipv6Holder = ipv6 === undefined ? undefined : this.nodesByIpv6.get(ipv6);
    for (const holder of [ipv4Holder, ipv6Holder]) {
      if (holder !== undefined && holder.id !== nodeId) throw new Error(`node ${nodeId}: address already used by node ${holder.id}`);
    }
  }

  private requireUser(id: string): UserEntry {
    const user = this.usersById.get(id);
    if (user === undefined) throw new Error(`unknown user ${id}`);
    return user;
  }

  private requireGroup(id: string): GroupEntry {
    const group = this.groupsById.get(id);
    if (group === undefined) throw new Error(`unknown group ${id}`);
    return group;
  }

  private requireNode(id: string): NodeEntry {
    const node = this.nodesById.get(id);
    if (node === undefined) throw new Error(`unknown node ${id}`);
    return node;
  }

  private nextRevision(): number {
    return ++this.revisionValue;
  }
}

const NO_GROUPS: ReadonlySet<WorldGroup> = new Set();
const NO_NODES: ReadonlySet<WorldNode> = new Set();

/** How a synced group is named in the policy: its display name lowercased; `@` would make it ambiguous. */
function syncedGroupPolicyName(displayName: string): string {
  if (displayName.trim() === '') throw new Error('a synced group needs a display name');
  if (displayName.includes('@')) throw new Error(`synced group "${displayName}": names cannot contain @`);
  return displayName.toLowerCase();
}

function normalizeEmail(email: string): string {
  if (!/^[^\s@]+@[^\s@]+$/.test(email)) throw new Error(`"${email}" is not a login email`);
  return email.toLowerCase();
}

function validTags(nodeId: string, tags: readonly string[]): readonly string[] {
  for (const tag of tags) if (!TAG.test(tag)) throw new Error(`node ${nodeId}: "${tag}" is not a tag`);
  return [...new Set(tags)];
}

function tailnetIpv4(nodeId: string, text: string): number {
  const address = parseIpv4(text);
  if (address === NO_IPV4 || !prefixContainsIpv4(TAILNET_IPV4, address)) {
    throw new Error(`node ${nodeId}: "${text}" is not a tailnet address in 100.64.0.0/10`);
  }
  return address;
}

function ipv6Address(nodeId: string, text: string): { words: readonly number[]; text: string } {
  const address = parseIpAddress(text);
  if (address?.family !== 6) throw new Error(`node ${nodeId}: "${text}" is not an IPv6 address`);
  return address;
}
