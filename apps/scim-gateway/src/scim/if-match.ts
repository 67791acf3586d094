/**
 * The version an If-Match header asks for (RFC 7644 §3.14, RFC 7232): our ETags are `W/"<version>"`. `*` and an
 * absent header ask for none. A tag that cannot be one of ours can never match, so it yields -1 (→ 412).
 */
export function ifMatchVersion(header: string | undefined): number | undefined {
  if (header === undefined || header.trim() === '*') return undefined;
  const match = /^\s*(?:W\/)?"(\d+)"\s*$/.exec(header);
  return match ? Number(match[1]) : -1;
}
