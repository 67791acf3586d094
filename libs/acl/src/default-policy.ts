/**
 * The policy of a tailnet nobody has written one for yet. Like Tailscale's default policy file it lets every
 * member reach everything, so a new tailnet works before its admin has thought about access; it is written as a
 * rule rather than left empty so that the admin sees what to narrow.
 */
export const DEFAULT_POLICY = `// The tailnet's access policy (HuJSON: comments and trailing commas are allowed).
// This default lets everyone reach everything; replace it with your own rules.
{
  "acls": [
    { "action": "accept", "src": ["*"], "dst": ["*:*"] },
  ],
}
`;
