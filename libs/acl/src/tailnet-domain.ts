/**
 * The `<domain>` of a tailnet's `group:<name>@<domain>` references: its identity domain. A tailnet without one still
 * needs a domain for its World; this one no policy can name, so synced groups of such a tailnet cannot be named.
 */
export function tailnetIdentityDomain(tailnetId: string, domain: string | null): string {
  return (domain ?? `${tailnetId}.invalid`).toLowerCase();
}
