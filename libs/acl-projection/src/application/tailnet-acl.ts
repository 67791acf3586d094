import {
  compilePolicy,
  DEFAULT_POLICY,
  parsePolicy,
  World,
  type AccessQuestion,
  type AclRule,
  type CheckResult,
  type CompiledPolicy,
  type PacketFilter,
} from '#roster/acl';
import { nodeAccessOf, type GroupFact, type GroupNameChange, type MembershipFact, type NodeFact, type PolicyFact, type UserFact } from '../domain/acl-facts.js';
import { unresolvedReport, type StatusReport } from '../domain/unresolved-report.js';

/** Everything the check API needs about one tailnet, in memory: its World and its compiled policy. */
export class TailnetAcl {
  readonly world: World;
  private readonly users = new Map<string, UserFact>();
  private readonly nodes = new Map<string, NodeFact>();
  private readonly nodesByOwner = new Map<string, Set<string>>();
  private readonly changes: GroupNameChange[] = [];
  private policyFact: PolicyFact | null = null;
  private compiled: CompiledPolicy | undefined;
  private rules: readonly AclRule[] = [];
  private brokenPolicy: string | undefined;
  private dirty = true;
  private compilations = 0;

  constructor(
    readonly tailnetId: string,
    readonly domain: string,
  ) {
    this.world = new World(domain);
  }

  get policy(): PolicyFact | null {
    return this.policyFact;
  }

  /** The users the tailnet has, as facts (the World holds only those it can place). */
  user(userId: string): UserFact | undefined {
    return this.users.get(userId);
  }

  node(nodeId: string): NodeFact | undefined {
    return this.nodes.get(nodeId);
  }

  check(question: AccessQuestion): CheckResult {
    const compiled = this.current();
    return compiled === undefined ? { allowed: false, reason: this.brokenPolicy! } : compiled.check(question);
  }

  packetFilter(nodeId: string): PacketFilter {
    const compiled = this.current();
    return compiled === undefined ? this.closedFilter() : compiled.packetFilter(nodeId);
  }

  status(): StatusReport & { policySha256: string | null; problem?: string } {
    const compiled = this.current();
    const policySha256 = this.policyFact?.sha256 ?? null;
    if (compiled === undefined) return { mode: 'deny-all', unresolved: [], narrative: [this.brokenPolicy!], policySha256, problem: this.brokenPolicy };
    return { ...unresolvedReport(compiled.status(), this.rules, this.changes, this.world.domain), policySha256 };
  }

  setPolicy(policy: PolicyFact): void {
    this.policyFact = policy;
    this.dirty = true;
  }

  upsertUser(user: UserFact): void {
    const previous = this.users.get(user.userId);
    this.users.set(user.userId, user);
    if (user.state === 'deleted') {
      if (this.world.user(user.userId)) this.world.removeUser(user.userId);
      return;
    }
    if (previous?.login !== user.login && this.loginTaken(user)) return;
    this.world.upsertUser({ id: user.userId, email: user.login, state: user.state });
    // A node registered before its owner was known (or after a re-creation) can be placed now.
    for (const nodeId of this.nodesByOwner.get(user.userId) ?? []) if (!this.world.node(nodeId)) this.placeNode(this.nodes.get(nodeId)!);
  }

  upsertGroup(group: GroupFact): void {
    this.world.upsertGroup({ id: group.groupId, displayName: group.displayName });
  }

  recordGroupChange(change: GroupNameChange): void {
    this.changes.push(change);
    if (change.kind === 'deleted' && this.world.group(change.groupId)) this.world.deleteGroup(change.groupId);
  }

  /** Incremental: only the member's identity revision moves, the compiled policy stays. */
  addMember({ groupId, userId }: MembershipFact): void {
    if (this.world.group(groupId) && this.world.user(userId)) this.world.addMember(groupId, userId);
  }

  removeMember({ groupId, userId }: MembershipFact): void {
    if (this.world.group(groupId) && this.world.user(userId)) this.world.removeMember(groupId, userId);
  }

  upsertNode(node: NodeFact): void {
    this.forgetOwner(this.nodes.get(node.nodeId));
    this.nodes.set(node.nodeId, node);
    if (node.ownerUserId !== null) {
      let owned = this.nodesByOwner.get(node.ownerUserId);
      if (owned === undefined) this.nodesByOwner.set(node.ownerUserId, (owned = new Set()));
      owned.add(node.nodeId);
    }
    this.placeNode(node);
  }

  removeNode(nodeId: string): void {
    this.forgetOwner(this.nodes.get(nodeId));
    this.nodes.delete(nodeId);
    if (this.world.node(nodeId)) this.world.removeNode(nodeId);
  }

  /** The compiled policy, compiled again only when the policy itself changed. */
  private current(): CompiledPolicy | undefined {
    if (!this.dirty) return this.compiled;
    this.dirty = false;
    const parsed = parsePolicy(this.policyFact?.policy ?? DEFAULT_POLICY);
    if (!parsed.ok) {
      // Writes are validated, so this means the evaluator changed under a stored policy: deny rather than guess.
      this.compiled = undefined;
      this.rules = [];
      this.brokenPolicy = `the stored policy no longer parses, so everything is denied: ${parsed.errors[0]?.message}`;
      return undefined;
    }
    this.brokenPolicy = undefined;
    this.rules = parsed.policy.acls ?? [];
    this.compiled = compilePolicy(parsed.policy, this.world);
    this.compilations++;
    return this.compiled;
  }

  /** How much work the state has done: compilations (one per policy) and principals derived (one per change). */
  indexStats(): { compilations: number; usersIndexed: number; nodesIndexed: number } {
    // Reads what was done so far; never compiles itself.
    const stats = this.compiled?.indexStats() ?? { usersIndexed: 0, nodesIndexed: 0 };
    return { compilations: this.compilations, ...stats };
  }

  /** Compiles now rather than on the first check, so the first answer is as fast as the rest. */
  warm(): void {
    this.current();
  }

  private closedFilter(): PacketFilter {
    return { version: 'closed', rules: [] };
  }

  /** Puts the node in the World when it can stand there: its owner known (or it is tagged) and its address free. */
  private placeNode(node: NodeFact): void {
    const owner = node.tags.length > 0 ? undefined : (node.ownerUserId ?? undefined);
    const placeable = owner === undefined ? node.tags.length > 0 : this.world.user(owner) !== undefined;
    const holder = this.world.node(node.nodeId);
    if (!placeable) {
      if (holder) this.world.removeNode(node.nodeId);
      return;
    }
    try {
      this.world.upsertNode({ id: node.nodeId, owner, tags: node.tags, ipv4: node.ipv4, access: nodeAccessOf(node) });
    } catch {
      // An address held by another node or a malformed tag: the node registry rejects these, so the node stays out
      // of the World (matching nothing) rather than stopping the projector.
      if (holder) this.world.removeNode(node.nodeId);
    }
  }

  private forgetOwner(node: NodeFact | undefined): void {
    if (node?.ownerUserId == null) return;
    const owned = this.nodesByOwner.get(node.ownerUserId);
    owned?.delete(node.nodeId);
    if (owned?.size === 0) this.nodesByOwner.delete(node.ownerUserId);
  }

  private loginTaken(user: UserFact): boolean {
    const holder = this.world.userByEmail(user.login);
    return holder !== undefined && holder.id !== user.userId;
  }
}
