import type pg from 'pg';
import { parseToken, secretMatches, type ApiTokenKind } from '../domain/api-token.js';

export type Principal = { tailnetId: string; tokenId: string; kind: ApiTokenKind };

type CachedToken = { tailnetId: string; secretHash: Buffer; revoked: boolean } | null;

const CACHE_TTL_MS = 5_000;

/**
 * Resolves a bearer token to the one tailnet it belongs to. Rows are cached for a few seconds so authentication
 * costs no query on the hot path; a rotated token therefore stops working within CACHE_TTL_MS.
 */
export class TokenAuthenticator {
  private readonly cache = new Map<string, { value: CachedToken; fetchedAt: number }>();

  constructor(private readonly pool: pg.Pool) {}

  async authenticate(token: string, kind: ApiTokenKind): Promise<Principal | null> {
    const parsed = parseToken(token);
    if (!parsed || parsed.kind !== kind) return null;
    const stored = await this.lookup(parsed.id);
    if (!stored || stored.revoked || !secretMatches(parsed.secret, stored.secretHash)) return null;
    return { tailnetId: stored.tailnetId, tokenId: parsed.id, kind };
  }

  private async lookup(id: string): Promise<CachedToken> {
    const now = Date.now();
    const cached = this.cache.get(id);
    if (cached && now - cached.fetchedAt < CACHE_TTL_MS) return cached.value;
    const { rows } = await this.pool.query<{ tailnet_id: string; secret_hash: Buffer; revoked: boolean }>(
      'SELECT tailnet_id, secret_hash, revoked_at IS NOT NULL AS revoked FROM control.api_tokens WHERE id = $1',
      [id],
    );
    const value: CachedToken = rows[0]
      ? { tailnetId: rows[0].tailnet_id, secretHash: rows[0].secret_hash, revoked: rows[0].revoked }
      : null;
    if (this.cache.size > 10_000) this.cache.clear();
    this.cache.set(id, { value, fetchedAt: now });
    return value;
  }
}
