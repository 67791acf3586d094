import type { HostAlias, Policy, PolicyGroup, TagOwnership } from './policy.js';

/** What the policy file itself defines, by name: groups, tags (through tagOwners) and hosts. */
export class PolicyDefinitions {
  private readonly groups: ReadonlyMap<string, PolicyGroup>;
  private readonly tags: ReadonlyMap<string, TagOwnership>;
  private readonly tagIds: ReadonlyMap<string, number>;
  private readonly tagNames: readonly string[];
  private readonly hosts: ReadonlyMap<string, HostAlias>;

  constructor(policy: Policy) {
    this.groups = new Map(policy.groups.map((group) => [group.name, group]));
    this.tags = new Map(policy.tagOwners.map((ownership) => [ownership.tag, ownership]));
    this.tagNames = policy.tagOwners.map((ownership) => ownership.tag);
    this.tagIds = new Map(this.tagNames.map((tag, index) => [tag, index]));
    this.hosts = new Map(policy.hosts.map((host) => [host.name, host]));
  }

  group(name: string): PolicyGroup | undefined {
    return this.groups.get(name);
  }

  tagOwnership(tag: string): TagOwnership | undefined {
    return this.tags.get(tag);
  }

  /** Tags are numbered in tagOwners order; a tag the policy does not define has no id and matches nothing. */
  tagId(tag: string): number | undefined {
    return this.tagIds.get(tag);
  }

  tagName(tagId: number): string {
    return this.tagNames[tagId]!;
  }

  host(name: string): HostAlias | undefined {
    return this.hosts.get(name);
  }
}
