/**
 * A tailnet's policy file was replaced. The HuJSON text is kept verbatim (comments and formatting included) so that
 * `GET /acl` returns exactly what the admin wrote and replay rebuilds the same policy.
 */
export type PolicyUpdatedData = { policy: string; sha256: string };
