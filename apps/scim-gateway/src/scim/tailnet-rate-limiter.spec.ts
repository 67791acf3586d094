import { describe, expect, it } from 'vitest';
import { TailnetRateLimiter, type RateLimit } from './tailnet-rate-limiter.js';

function limiterAt(limit: RateLimit) {
  const clock = { ms: 0 };
  const limiter = new TailnetRateLimiter(limit, () => clock.ms);
  const takeMany = (tailnetId: string, count: number) => Array.from({ length: count }, () => limiter.take(tailnetId));
  return { clock, limiter, takeMany };
}

const allowedCount = (decisions: { allowed: boolean }[]) => decisions.filter((decision) => decision.allowed).length;

describe('TailnetRateLimiter', () => {
  it('allows a full burst at once, then refuses with the seconds until the next token', () => {
    const { limiter, takeMany } = limiterAt({ perSecond: 5, burst: 5 });
    expect(allowedCount(takeMany('acme', 5))).toBe(5);
    expect(limiter.take('acme')).toEqual({ allowed: false, retryAfterSeconds: 1 });
  });

  it('refills at the sustained rate, never beyond the burst', () => {
    const { clock, takeMany } = limiterAt({ perSecond: 5, burst: 5 });
    takeMany('acme', 5);
    clock.ms += 200;
    expect(allowedCount(takeMany('acme', 3))).toBe(1);
    clock.ms += 3_600_000;
    expect(allowedCount(takeMany('acme', 20))).toBe(5);
  });

  it('caps a bucket at the burst even when no sweep has forgotten it', () => {
    const { clock, limiter, takeMany } = limiterAt({ perSecond: 10, burst: 10 });
    clock.ms = 100;
    takeMany('acme', 10);
    clock.ms = 1_000;
    limiter.take('other');
    clock.ms = 1_900;
    expect(allowedCount(takeMany('acme', 30))).toBe(10);
  });

  it('does not charge refused requests', () => {
    const { clock, limiter, takeMany } = limiterAt({ perSecond: 5, burst: 5 });
    takeMany('acme', 5);
    clock.ms += 100;
    expect(allowedCount(takeMany('acme', 50))).toBe(0);
    clock.ms += 100;
    expect(limiter.take('acme')).toEqual({ allowed: true });
  });

  it('rounds Retry-After up to whole seconds', () => {
    const { clock, limiter } = limiterAt({ perSecond: 0.25, burst: 1 });
    expect(limiter.take('acme')).toEqual({ allowed: true });
    expect(limiter.take('acme')).toEqual({ allowed: false, retryAfterSeconds: 4 });
    clock.ms += 1_000;
    expect(limiter.take('acme')).toEqual({ allowed: false, retryAfterSeconds: 3 });
    clock.ms += 2_500;
    expect(limiter.take('acme')).toEqual({ allowed: false, retryAfterSeconds: 1 });
    clock.ms += 500;
    expect(limiter.take('acme')).toEqual({ allowed: true });
  });

  it('keeps one tailnet’s exhaustion from affecting another', () => {
    const { limiter, takeMany } = limiterAt({ perSecond: 200, burst: 400 });
    expect(allowedCount(takeMany('noisy', 1_000))).toBe(400);
    expect(limiter.take('quiet')).toEqual({ allowed: true });
    expect(limiter.take('noisy').allowed).toBe(false);
  });

  it('forgets tailnets whose bucket has refilled, and only those', () => {
    const { clock, limiter, takeMany } = limiterAt({ perSecond: 10, burst: 10 });
    for (let i = 0; i < 1_000; i++) limiter.take(`idle-${i}`);
    takeMany('busy', 10);
    clock.ms = 500;
    takeMany('busy', 5);
    expect(limiter.size).toBe(1_001);

    clock.ms = 1_000;
    limiter.take('newcomer');
    expect(limiter.size).toBe(2);
    expect(allowedCount(takeMany('busy', 10))).toBe(5);
  });
});
