/** No admin API key, a revoked one, or a SCIM token where an admin key is needed: 401. */
export class AdminKeyRejectedError extends Error {
  constructor() {
    super('missing or invalid admin API key');
  }
}

/** The path names a tailnet the key does not belong to: answered as 404, so other tailnets stay invisible. */
export class ForeignTailnetError extends Error {
  constructor(readonly tailnetRef: string) {
    super(`tailnet "${tailnetRef}" not found`);
  }
}
