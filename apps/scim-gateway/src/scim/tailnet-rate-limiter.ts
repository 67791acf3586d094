export type RateLimit = { perSecond: number; burst: number };

export type RateLimitDecision = { allowed: true } | { allowed: false; retryAfterSeconds: number };

/** A tailnet sent more requests than its bucket allows; answered 429 with `Retry-After`. */
export class RateLimitedError extends Error {
  constructor(readonly retryAfterSeconds: number) {
    super(`too many requests for this tailnet; retry after ${retryAfterSeconds} s`);
  }
}

type Bucket = { tokens: number; refilledAt: number };

/**
 * One token bucket per tailnet, so a noisy tenant exhausts only its own budget. The limit holds per gateway
 * replica: buckets live in memory, which keeps the check off PostgreSQL on every request.
 */
export class TailnetRateLimiter {
  private readonly buckets = new Map<string, Bucket>();
  /** The time an empty bucket takes to fill: also how often full buckets are forgotten. */
  private readonly fillMs: number;
  private sweptAt: number;

  /** `now` is in milliseconds; the default is monotonic, so a wall-clock step cannot refill or drain buckets. */
  constructor(
    private readonly limit: RateLimit,
    private readonly now: () => number = () => performance.now(),
  ) {
    this.fillMs = (limit.burst * 1000) / limit.perSecond;
    this.sweptAt = now();
  }

  take(tailnetId: string): RateLimitDecision {
    const now = this.now();
    this.forgetFullBuckets(now);
    const bucket = this.buckets.get(tailnetId);
    const tokens = bucket ? this.tokensAt(bucket, now) : this.limit.burst;
    if (tokens >= 1) {
      this.buckets.set(tailnetId, { tokens: tokens - 1, refilledAt: now });
      return { allowed: true };
    }
    this.buckets.set(tailnetId, { tokens, refilledAt: now });
    // Refused means fewer than one token, so this is at least 1, as Retry-After needs.
    return { allowed: false, retryAfterSeconds: Math.ceil((1 - tokens) / this.limit.perSecond) };
  }

  /** How many tailnets currently hold a bucket. */
  get size(): number {
    return this.buckets.size;
  }

  private tokensAt(bucket: Bucket, now: number): number {
    // Multiplying before dividing keeps whole refills exact (200 ms at 5/s is 1 token, not 0.9999…).
    return Math.min(this.limit.burst, bucket.tokens + ((now - bucket.refilledAt) * this.limit.perSecond) / 1000);
  }

  /**
   * A full bucket behaves exactly like a missing one, so dropping it changes no decision; sweeping at most once
   * per fill time keeps the cost constant per request and the map no larger than the recently active tailnets.
   */
  private forgetFullBuckets(now: number): void {
    if (now - this.sweptAt < this.fillMs) return;
    this.sweptAt = now;
    for (const [tailnetId, bucket] of this.buckets) {
      if (this.tokensAt(bucket, now) >= this.limit.burst) this.buckets.delete(tailnetId);
    }
  }
}
