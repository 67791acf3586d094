/**
 * A source or destination of a check. A user as source is the user's identity: it matches what
 * names the user (their login, their groups, autogroup:member, `*`) whether or not they have a
 * device, which is also how the `tests` section reads `"src": "alice@example.com"`. A user as
 * destination means any of that user's active nodes. An IP that is a node's tailnet address is
 * that node; any other IP is just an address, matched by `*`, IPs, CIDRs and hosts.
 */
export type Endpoint = { readonly user: string } | { readonly node: string } | { readonly ip: string };

export interface AccessQuestion {
  readonly src: Endpoint;
  readonly dst: Endpoint;
  readonly port: number;
  /** A protocol name or IANA number; TCP when absent. Protocols without ports ignore `port`. */
  readonly proto?: string | number;
}

export interface CheckResult {
  readonly allowed: boolean;
  /** The lowest-numbered rule of `acls` that accepts, when one does. */
  readonly ruleIndex?: number;
  /** Which rule accepted, or why nothing did. */
  readonly reason: string;
}

export function denial(reason: string): CheckResult {
  return { allowed: false, reason };
}
