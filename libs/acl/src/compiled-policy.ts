import { denial, type AccessQuestion, type CheckResult, type Endpoint } from './access-question.js';
import { DenialExplainer } from './denial-explainer.js';
import { DestinationIndex } from './destination-index.js';
import { nodeAccessProblem, userAccessProblem } from './endpoint-access.js';
import { IdentityAtoms } from './identity-atoms.js';
import { NO_IPV4, parseIpAddress, parseIpv4 } from './ip-address.js';
import { parseProtocol, TCP } from './ip-protocol.js';
import { buildPacketFilter, type PacketFilter } from './packet-filter.js';
import type { Policy } from './policy.js';
import { PolicyDefinitions } from './policy-definitions.js';
import { modeExplanation, policyMode, type PolicyMode } from './policy-mode.js';
import { isPort } from './port-range.js';
import { addressPrincipal, type Principal } from './principal.js';
import { PrincipalCache } from './principal-cache.js';
import { compileRules, type DestinationClause } from './rule-compiler.js';
import { NO_RULE, RuleEvaluator } from './rule-evaluator.js';
import type { Selector } from './selector.js';
import { SelectorCompiler } from './selector-compiler.js';
import type { SelectorSet } from './selector-set.js';
import { SourceAddresses } from './source-addresses.js';
import { TestPrincipals } from './test-principals.js';
import { UnresolvedReferences, type UnresolvedReference } from './unresolved-references.js';
import type { World } from './world.js';
import type { WorldNode } from './world-records.js';

export type TagRequester = { readonly user: string } | { readonly node: string };

export interface TagApproval {
  readonly allowed: boolean;
  readonly refused: readonly { readonly tag: string; readonly reason: string }[];
}

export interface PolicyStatus {
  readonly mode: PolicyMode;
  /** Every reference in `acls` and `tagOwners` that names nothing now, with its place. */
  readonly unresolved: readonly UnresolvedReference[];
}

export interface IndexStats {
  /** How many times a user's identity was derived (once per user at compile, then once per change). */
  readonly usersIndexed: number;
  readonly nodesIndexed: number;
}

/** A tailnet policy compiled against its world; every answer comes from memory. */
export interface CompiledPolicy {
  /** May `src` reach `dst` on `port`? With the rule that allowed it, or why nothing did. */
  check(question: AccessQuestion): CheckResult;
  /** The filter a control plane pushes to the node: which sources may reach it on which ports. */
  packetFilter(nodeId: string): PacketFilter;
  status(): PolicyStatus;
  /** Tag owners are checked when tags are set: may this user (or tagged node) apply these tags? */
  mayApplyTags(requester: TagRequester, tags: readonly string[]): TagApproval;
  indexStats(): IndexStats;
}

export function compilePolicy(policy: Policy, world: World): CompiledPolicy {
  return new CompiledAccessPolicy(policy, world);
}

type EndpointRole = 'source' | 'destination' | 'requesting';

/**
 * The compiled form: rules as SelectorSets in a destination index, principals cached per user and
 * node. A check resolves both endpoints (a map lookup and a revision check each), then lets the
 * rule evaluator read the few clauses that could apply. Results of accepting rules are
 * preallocated, so an allowed check allocates nothing.
 */
export class CompiledAccessPolicy implements CompiledPolicy {
  private readonly mode: PolicyMode;
  private readonly modeResult: CheckResult;
  private readonly clauses: readonly DestinationClause[];
  private readonly evaluator: RuleEvaluator;
  private readonly acceptances: readonly CheckResult[];
  private readonly explainer: DenialExplainer;
  private readonly tagOwners: ReadonlyMap<string, SelectorSet>;
  private readonly principals: PrincipalCache;
  private readonly unresolved: UnresolvedReferences;
  private readonly sourceAddresses: SourceAddresses;
  private readonly testPrincipals: TestPrincipals;

  constructor(
    policy: Policy,
    private readonly world: World,
  ) {
    const definitions = new PolicyDefinitions(policy);
    const atoms = new IdentityAtoms();
    const compiler = new SelectorCompiler(definitions, atoms, world.domain);
    const { rules, clauses } = compileRules(policy.acls ?? [], compiler);
    this.tagOwners = new Map(policy.tagOwners.map((ownership) => [ownership.tag, compiler.compile(ownership.owners.map((owner) => owner.selector))]));
    this.mode = policyMode(policy);
    this.modeResult = { allowed: this.mode === 'allow-all', reason: modeExplanation(policy) };
    this.clauses = clauses;
    this.evaluator = new RuleEvaluator(new DestinationIndex(clauses));
    this.acceptances = rules.map((rule) => ({ allowed: true, ruleIndex: rule.index, reason: `${rule.place} accepts` }));
    this.unresolved = new UnresolvedReferences(policy, definitions, world);
    this.explainer = new DenialExplainer(clauses, this.unresolved);
    this.principals = new PrincipalCache(atoms, definitions);
    this.sourceAddresses = new SourceAddresses(world, atoms, definitions);
    this.testPrincipals = new TestPrincipals(world, atoms, definitions, this.principals);
    // Derive every principal now (atoms are all interned by this point), so first checks are as fast as later ones.
    for (const node of world.nodes()) this.principals.forNode(node);
    for (const user of world.users()) this.principals.forUser(user);
  }

  check(question: AccessQuestion): CheckResult {
    const port = question.port;
    if (!isPort(port)) return denial(`port ${port} is not between 0 and 65535`);
    const protocol = question.proto === undefined ? TCP : protocolNumber(question.proto);
    if (protocol === undefined) return denial(`unknown protocol ${String(question.proto)}`);
    const source = this.resolve(question.src, 'source');
    if (typeof source === 'string') return denial(source);
    const destination = question.dst;
    if ('user' in destination) return this.checkUserDestination(source, destination.user, port, protocol);
    const resolved = this.resolve(destination, 'destination');
    if (typeof resolved === 'string') return denial(resolved);
    return this.decide(source, resolved, port, protocol);
  }

  packetFilter(nodeId: string): PacketFilter {
    const { mode, clauses, principals, sourceAddresses } = this;
    return buildPacketFilter(this.world.node(nodeId), { mode, clauses, principals, sourceAddresses });
  }

  status(): PolicyStatus {
    return { mode: this.mode, unresolved: this.unresolved.list() };
  }

  mayApplyTags(requester: TagRequester, tags: readonly string[]): TagApproval {
    const principal = this.resolve(requester, 'requesting');
    const refused = tags.flatMap((tag) => {
      const reason = typeof principal === 'string' ? principal : this.tagRefusal(principal, tag);
      return reason === undefined ? [] : [{ tag, reason }];
    });
    return { allowed: refused.length === 0, refused };
  }

  indexStats(): IndexStats {
    const { users, nodes } = this.principals.indexed;
    return { usersIndexed: users, nodesIndexed: nodes };
  }

  /** The decision for resolved endpoints; also what the `tests` section runs. */
  decide(source: Principal, destination: Principal, port: number, protocol: number): CheckResult {
    if (this.mode !== 'rules') return this.modeResult;
    const ruleIndex = this.evaluator.firstAcceptingRule(source, destination, port, protocol, NO_RULE);
    return ruleIndex === NO_RULE ? this.explainer.explain(source, destination, port, protocol) : this.acceptances[ruleIndex]!;
  }

  /** The hypothetical endpoint a `tests` entry names. */
  testPrincipal(selector: Selector): Principal | string {
    return this.testPrincipals.principalFor(selector);
  }

  /** A user as destination: allowed when any of their active nodes is, by the lowest rule over all of them. */
  private checkUserDestination(source: Principal, userId: string, port: number, protocol: number): CheckResult {
    const user = this.world.user(userId);
    if (user === undefined) return denial(`destination user ${userId} is unknown`);
    const problem = userAccessProblem(user);
    if (problem !== undefined) return denial(`destination user ${problem}`);
    const nodes = [...user.nodes].filter((node) => nodeAccessProblem(node) === undefined).map((node) => this.principals.forNode(node));
    if (nodes.length === 0) return denial(`destination user ${user.email} has no active nodes`);
    if (this.mode !== 'rules') return this.modeResult;
    const best = nodes.reduce((bound, node) => this.evaluator.firstAcceptingRule(source, node, port, protocol, bound), NO_RULE);
    return best === NO_RULE ? this.explainer.explain(source, nodes[0]!, port, protocol) : this.acceptances[best]!;
  }

  private tagRefusal(principal: Principal, tag: string): string | undefined {
    const owners = this.tagOwners.get(tag);
    if (owners === undefined) return `${tag} is not defined in tagOwners`;
    return owners.matches(principal) ? undefined : `not an owner of ${tag}`;
  }

  private resolve(endpoint: Endpoint, role: EndpointRole): Principal | string {
    if ('node' in endpoint) return this.resolveNode(this.world.node(endpoint.node), endpoint.node, role);
    if ('user' in endpoint) {
      const user = this.world.user(endpoint.user);
      if (user === undefined) return `${role} user ${endpoint.user} is unknown`;
      const problem = userAccessProblem(user);
      return problem === undefined ? this.principals.forUser(user) : `${role} user ${problem}`;
    }
    return this.resolveAddress(endpoint.ip, role);
  }

  private resolveNode(node: WorldNode | undefined, id: string, role: EndpointRole): Principal | string {
    if (node === undefined) return `${role} node ${id} is unknown`;
    const problem = nodeAccessProblem(node);
    return problem === undefined ? this.principals.forNode(node) : `${role} node ${id}: ${problem}`;
  }

  /** A node's tailnet address stands for the node; any other address only for itself. */
  private resolveAddress(text: string, role: EndpointRole): Principal | string {
    const ipv4 = parseIpv4(text);
    if (ipv4 !== NO_IPV4) {
      const node = this.world.nodeByIpv4(ipv4);
      return node === undefined ? addressPrincipal({ family: 4, words: [ipv4] }) : this.resolveNode(node, node.id, role);
    }
    const address = parseIpAddress(text);
    if (address === undefined) return `${role} ${JSON.stringify(text)} is not an IP address`;
    const node = this.world.nodeByIpv6(address.text);
    return node === undefined ? addressPrincipal(address) : this.resolveNode(node, node.id, role);
  }
}

function protocolNumber(proto: string | number): number | undefined {
  if (typeof proto === 'string') return parseProtocol(proto);
  return Number.isInteger(proto) && proto >= 0 && proto <= 255 ? proto : undefined;
}
