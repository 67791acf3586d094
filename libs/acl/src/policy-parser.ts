import type { Node } from 'jsonc-parser';
import { parseDestination } from './destination.js';
import { parseHujson } from './hujson-document.js';
import { parseIpPrefix } from './ip-address.js';
import { DEFAULT_PROTOCOLS, parseProtocol, protocolCarriesPorts, TCP } from './ip-protocol.js';
import type {
  AclRule,
  HostAlias,
  PlacedDestination,
  PlacedSelector,
  Policy,
  PolicyGroup,
  PolicyTest,
  TagOwnership,
} from './policy.js';
import { policyError, policyWarning, quotedProblem, type PolicyIssue } from './policy-issue.js';
import { ACL_RULE_FIELDS, closestField, POLICY_SECTIONS, TEST_FIELDS, type FieldCatalogue } from './policy-sections.js';
import { coversAllPorts } from './port-range.js';
import { parseSelector, type SelectorRole } from './selector.js';
import type { LineIndex, SourcePosition } from './source-position.js';

export type PolicyParse =
  | { readonly ok: true; readonly policy: Policy; readonly warnings: readonly PolicyIssue[] }
  | { readonly ok: false; readonly errors: readonly PolicyIssue[]; readonly warnings: readonly PolicyIssue[] };

/**
 * Parses a tailnet policy file (HuJSON) and checks its structure: every error is reported with its
 * place, line and column. References (does `group:eng` exist?) are checked by validatePolicy.
 */
export function parsePolicy(text: string): PolicyParse {
  const document = parseHujson(text);
  if (document.syntaxErrors.length > 0) return { ok: false, errors: document.syntaxErrors, warnings: [] };
  if (document.root === undefined) {
    return { ok: false, errors: [policyError('', { line: 1, column: 1 }, 'the policy file is empty')], warnings: [] };
  }
  const reader = new PolicyReader(document.lines);
  const policy = reader.readPolicy(document.root);
  if (reader.errors.length > 0) return { ok: false, errors: reader.errors, warnings: reader.warnings };
  return { ok: true, policy, warnings: reader.warnings };
}

interface Field {
  readonly node: Node;
  readonly place: string;
}

interface StringEntry {
  readonly text: string;
  readonly node: Node;
  readonly place: string;
}

interface Fields {
  readonly known: ReadonlyMap<string, Field>;
  readonly unevaluated: readonly Field[];
}

/** Walks the syntax tree once, collecting the policy and every problem found on the way. */
class PolicyReader {
  readonly errors: PolicyIssue[] = [];
  readonly warnings: PolicyIssue[] = [];

  constructor(private readonly lines: LineIndex) {}

  readPolicy(root: Node): Policy {
    if (root.type !== 'object') this.error('', root, 'the policy file must be a JSON object');
    const sections = this.readFields(root, '', POLICY_SECTIONS);
    for (const section of sections.unevaluated) {
      this.warnings.push(policyWarning(section.place, this.positionOf(section.node), 'kept, but not evaluated by Roster'));
    }
    const unevaluatedSections = sections.unevaluated.map((section) => section.place);
    const acls = sections.known.get('acls');
    if (acls === undefined && unevaluatedSections.includes('grants')) {
      this.warnings.push(
        policyWarning('', { line: 1, column: 1 }, 'the policy has grants but no acls: Roster denies everything (fails closed)'),
      );
    }
    return {
      groups: this.readMap(sections.known.get('groups'), (entry) => this.readGroup(entry)),
      tagOwners: this.readMap(sections.known.get('tagOwners'), (entry) => this.readTagOwnership(entry)),
      hosts: this.readMap(sections.known.get('hosts'), (entry) => this.readHost(entry)),
      acls: acls === undefined ? undefined : this.readList(acls, (node, place, index) => this.readRule(node, place, index)),
      tests: this.readList(sections.known.get('tests'), (node, place, index) => this.readTest(node, place, index)),
      unevaluatedSections,
    };
  }

  private readGroup({ key, keyNode, value, place }: MapEntry): PolicyGroup | undefined {
    const name = parseSelector(key, 'src');
    if (!name.ok || name.selector.kind !== 'policy-group') {
      const problem =
        name.ok && name.selector.kind === 'synced-group'
          ? 'groups defined in the policy file cannot contain @ (group:<name>@<domain> names a group synced from the identity provider)'
          : 'group names are written group:<name>, without spaces';
      this.error(place, keyNode, quotedProblem(key, problem));
      return undefined;
    }
    const members = this.readSelectors(this.readStrings({ node: value, place }), 'group-member');
    return { name: key, members, place, ...this.positionOf(keyNode) };
  }

  private readTagOwnership({ key, keyNode, value, place }: MapEntry): TagOwnership | undefined {
    const tag = parseSelector(key, 'src');
    if (!tag.ok || tag.selector.kind !== 'tag') {
      this.error(place, keyNode, quotedProblem(key, tag.ok ? 'tagOwners keys are tags (tag:<name>)' : tag.problem));
      return undefined;
    }
    const owners = this.readSelectors(this.readStrings({ node: value, place }), 'tag-owner');
    return { tag: key, owners, place, ...this.positionOf(keyNode) };
  }

  private readHost({ key, keyNode, value, place }: MapEntry): HostAlias | undefined {
    const name = parseSelector(key, 'src');
    if (!name.ok || name.selector.kind !== 'host') {
      this.error(place, keyNode, quotedProblem(key, 'host names are letters, digits, dots, dashes and underscores'));
      return undefined;
    }
    const address = this.readString({ node: value, place });
    if (address === undefined) return undefined;
    const prefix = parseIpPrefix(address.text);
    if (prefix === undefined) {
      this.error(place, value, quotedProblem(address.text, 'not an IP address or CIDR'));
      return undefined;
    }
    return { name: key, prefix, place, ...this.positionOf(keyNode) };
  }

  private readRule(node: Node, place: string, index: number): AclRule | undefined {
    if (!this.isObject(node, place)) return undefined;
    const fields = this.readFields(node, place, ACL_RULE_FIELDS);
    for (const posture of fields.unevaluated) {
      this.warnings.push(
        policyWarning(posture.place, this.positionOf(posture.node), 'not evaluated by Roster, so this rule matches nobody (fails closed)'),
      );
    }
    const action = this.readRequired(fields, 'action', node, place);
    if (action !== undefined) {
      const text = this.readString(action);
      if (text !== undefined && text.text !== 'accept') {
        this.error(action.place, action.node, quotedProblem(text.text, 'the only action is "accept": whatever no rule accepts is denied'));
      }
    }
    const sources = this.readSelectors(this.readNonEmptyStrings(this.readRequired(fields, 'src', node, place)), 'src');
    const destinations = this.readDestinations(this.readNonEmptyStrings(this.readRequired(fields, 'dst', node, place)), 'dst');
    const protocol = this.readProtocol(fields.known.get('proto'));
    if (protocol !== undefined && !protocolCarriesPorts(protocol.number)) {
      for (const destination of destinations) {
        if (destination.ports.length !== 1 || !coversAllPorts(destination.ports[0]!)) {
          this.errors.push(
            policyError(destination.place, destination, quotedProblem(destination.text, `proto ${protocol.text} has no ports: write the destination with :*`)),
          );
        }
      }
    }
    return {
      index,
      sources,
      destinations,
      protocols: protocol === undefined ? DEFAULT_PROTOCOLS : [protocol.number],
      protocolText: protocol?.text,
      failsClosed: fields.unevaluated.length > 0,
      place,
      ...this.positionOf(node),
    };
  }

  private readTest(node: Node, place: string, index: number): PolicyTest | undefined {
    if (!this.isObject(node, place)) return undefined;
    const fields = this.readFields(node, place, TEST_FIELDS);
    for (const ignored of fields.unevaluated) {
      this.warnings.push(policyWarning(ignored.place, this.positionOf(ignored.node), 'not evaluated by Roster: the test runs without it'));
    }
    const sourceField = this.readRequired(fields, 'src', node, place);
    const sourceText = sourceField === undefined ? undefined : this.readString(sourceField);
    const [source] = sourceText === undefined ? [] : this.readSelectors([sourceText], 'test-src');
    const protocol = this.readProtocol(fields.known.get('proto'));
    const accept = this.readDestinations(this.readOptionalStrings(fields.known.get('accept')), 'test-dst');
    const deny = this.readDestinations(this.readOptionalStrings(fields.known.get('deny')), 'test-dst');
    if (source === undefined) return undefined;
    return { index, source, protocol: protocol?.number ?? TCP, accept, deny, place, ...this.positionOf(node) };
  }

  private readProtocol(field: Field | undefined): { number: number; text: string } | undefined {
    if (field === undefined) return undefined;
    const text = this.readString(field);
    if (text === undefined) return undefined;
    const number = parseProtocol(text.text);
    if (number === undefined) {
      this.error(field.place, field.node, quotedProblem(text.text, 'unknown protocol (a name such as tcp, udp, icmp, or a number 0–255)'));
      return undefined;
    }
    return { number, text: text.text.toLowerCase() };
  }

  private readSelectors(entries: readonly StringEntry[], role: SelectorRole): PlacedSelector[] {
    const selectors: PlacedSelector[] = [];
    for (const entry of entries) {
      const parsed = parseSelector(entry.text, role);
      if (parsed.ok) selectors.push({ text: entry.text, selector: parsed.selector, place: entry.place, ...this.positionOf(entry.node) });
      else this.error(entry.place, entry.node, quotedProblem(entry.text, parsed.problem));
    }
    return selectors;
  }

  private readDestinations(entries: readonly StringEntry[], role: 'dst' | 'test-dst'): PlacedDestination[] {
    const destinations: PlacedDestination[] = [];
    for (const entry of entries) {
      const parsed = parseDestination(entry.text, role);
      if (parsed.ok) {
        const { selector, ports } = parsed.destination;
        destinations.push({ text: entry.text, selector, ports, place: entry.place, ...this.positionOf(entry.node) });
      } else {
        this.error(entry.place, entry.node, quotedProblem(entry.text, parsed.problem));
      }
    }
    return destinations;
  }

  private readFields(node: Node, place: string, catalogue: FieldCatalogue): Fields {
    const known = new Map<string, Field>();
    const unevaluated: Field[] = [];
    for (const { key, keyNode, value } of this.readObjectProperties(node, place)) {
      const lowered = key.toLowerCase();
      const canonical = catalogue.evaluated.get(lowered) ?? catalogue.unevaluated.get(lowered);
      if (canonical === undefined) {
        const suggestion = closestField(key, catalogue);
        const hint = suggestion === undefined ? '' : ` (did you mean "${suggestion}"?)`;
        this.error(place, keyNode, `unknown key ${JSON.stringify(key)}${hint}`);
        continue;
      }
      const field = { node: value, place: joinPlace(place, canonical) };
      const earlier = known.get(canonical) ?? unevaluated.find((other) => other.place === field.place);
      if (earlier !== undefined) {
        this.error(field.place, keyNode, `duplicate key ${JSON.stringify(key)} (first given on line ${this.positionOf(earlier.node).line})`);
      } else if (catalogue.evaluated.has(lowered)) {
        known.set(canonical, field);
      } else {
        unevaluated.push(field);
      }
    }
    return { known, unevaluated };
  }

  private readMap<T>(field: Field | undefined, readEntry: (entry: MapEntry) => T | undefined): T[] {
    if (field === undefined) return [];
    const seen = new Set<string>();
    const values: T[] = [];
    for (const property of this.readObjectProperties(field.node, field.place)) {
      const entry = { ...property, place: `${field.place}[${JSON.stringify(property.key)}]` };
      if (seen.has(property.key)) {
        this.error(entry.place, property.keyNode, `${JSON.stringify(property.key)} is defined twice`);
        continue;
      }
      seen.add(property.key);
      const value = readEntry(entry);
      if (value !== undefined) values.push(value);
    }
    return values;
  }

  private readList<T>(field: Field | undefined, readItem: (node: Node, place: string, index: number) => T | undefined): T[] {
    if (field === undefined) return [];
    if (field.node.type !== 'array') {
      this.error(field.place, field.node, 'must be a list');
      return [];
    }
    const items: T[] = [];
    (field.node.children ?? []).forEach((child, index) => {
      const item = readItem(child, `${field.place}[${index}]`, index);
      if (item !== undefined) items.push(item);
    });
    return items;
  }

  private readObjectProperties(node: Node, place: string): { key: string; keyNode: Node; value: Node }[] {
    if (!this.isObject(node, place)) return [];
    return (node.children ?? []).map((property) => {
      const [keyNode, value] = property.children as [Node, Node];
      return { key: keyNode.value as string, keyNode, value };
    });
  }

  private isObject(node: Node, place: string): boolean {
    if (node.type === 'object') return true;
    if (place !== '') this.error(place, node, 'must be an object');
    return false;
  }

  private readRequired(fields: Fields, name: string, node: Node, place: string): Field | undefined {
    const field = fields.known.get(name);
    if (field === undefined) this.error(place, node, `missing "${name}"`);
    return field;
  }

  private readNonEmptyStrings(field: Field | undefined): StringEntry[] {
    if (field === undefined) return [];
    if (field.node.type === 'array' && (field.node.children ?? []).length === 0) this.error(field.place, field.node, 'must list at least one entry');
    return this.readStrings(field);
  }

  private readOptionalStrings(field: Field | undefined): StringEntry[] {
    return field === undefined ? [] : this.readStrings(field);
  }

  private readStrings(field: Field): StringEntry[] {
    if (field.node.type !== 'array') {
      this.error(field.place, field.node, 'must be a list of strings');
      return [];
    }
    const entries: StringEntry[] = [];
    (field.node.children ?? []).forEach((child, index) => {
      const entry = this.readString({ node: child, place: `${field.place}[${index}]` });
      if (entry !== undefined) entries.push(entry);
    });
    return entries;
  }

  private readString(field: Field): StringEntry | undefined {
    if (field.node.type !== 'string') {
      this.error(field.place, field.node, 'must be a string');
      return undefined;
    }
    return { text: field.node.value as string, node: field.node, place: field.place };
  }

  private error(place: string, node: Node, detail: string): void {
    this.errors.push(policyError(place, this.positionOf(node), detail));
  }

  private positionOf(node: Node): SourcePosition {
    return this.lines.positionAt(node.offset);
  }
}

interface MapEntry {
  readonly key: string;
  readonly keyNode: Node;
  readonly value: Node;
  readonly place: string;
}

function joinPlace(parent: string, key: string): string {
  return parent === '' ? key : `${parent}.${key}`;
}
