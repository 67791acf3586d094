import type pg from 'pg';
import { DEFAULT_POLICY } from '#roster/acl';
import type { Actor } from '#roster/events';
import { AggregateStore, VersionConflictError } from '#roster/write-model';
import { policyEtag, policySha256, replacePolicy, type PolicyState } from '../domain/policy-document.js';
import { PolicyBodyError, PolicyPreconditionFailedError, PolicyRejectedError } from '../domain/policy.errors.js';
import { reviewPolicy, type PolicyReview } from '../domain/policy-review.js';
import { loadDirectoryWorld } from '../infrastructure/directory-world.js';

export type CurrentPolicy = { policy: string; etag: string; version: number };

export type PolicyWrite = {
  tailnetId: string;
  text: unknown;
  /** The `If-Match` header as sent, if any. */
  ifMatch: string | undefined;
  actor: Actor;
  correlationId: string;
};

/** Policy writes do not race often; a writer without If-Match that loses one simply tries again on the new version. */
const MAX_ATTEMPTS = 3;

/**
 * The policy write path of the admin API: read the tailnet's policy (the default one until an admin writes one),
 * replace it (validated against the directory as it is now, optimistic on the ETag), or only validate it.
 */
export class TailnetPolicies {
  /** `directoryCaughtUp` waits until the directory read model has the tailnet's earlier writes (read-your-writes). */
  constructor(
    private readonly pool: pg.Pool,
    private readonly store: AggregateStore,
    private readonly directoryCaughtUp: (tailnetId: string) => Promise<void>,
  ) {}

  async current(tailnetId: string): Promise<CurrentPolicy> {
    const record = await this.store.load<PolicyState>(this.pool, tailnetId, tailnetId);
    if (record === null) return { policy: DEFAULT_POLICY, etag: policyEtag(policySha256(DEFAULT_POLICY)), version: 0 };
    return { policy: record.state.policy, etag: policyEtag(record.state.sha256), version: record.version };
  }

  async validate(tailnetId: string, text: unknown): Promise<PolicyReview> {
    // A policy naming a user the IdP provisioned a moment ago must not be rejected as naming a stranger.
    await this.directoryCaughtUp(tailnetId);
    return reviewPolicy(policyText(text), await loadDirectoryWorld(this.pool, tailnetId));
  }

  /** Saves the policy as a PolicyUpdated event, or throws PolicyRejectedError / PolicyPreconditionFailedError. */
  async replace({ tailnetId, text, ifMatch, actor, correlationId }: PolicyWrite): Promise<CurrentPolicy & { review: PolicyReview }> {
    const policy = policyText(text);
    const review = await this.validate(tailnetId, policy);
    if (!review.valid) throw new PolicyRejectedError(review);
    for (let attempt = 1; ; attempt++) {
      const current = await this.current(tailnetId);
      if (ifMatch !== undefined && !etagMatches(ifMatch, current.etag)) throw new PolicyPreconditionFailedError(current.etag);
      const { state, event } = replacePolicy(tailnetId, current.version, policy, { actor, correlationId, time: new Date().toISOString() });
      const record = { aggregateId: tailnetId, tailnetId, aggregateType: 'Policy' as const, version: current.version + 1, state };
      try {
        // Only the ACL projector reads policies, and it has no read-your-writes promise to keep.
        await this.store.commit(this.pool, record, current.version, [event], {}, { fences: [] });
        return { policy, etag: policyEtag(state.sha256), version: record.version, review };
      } catch (error) {
        if (!(error instanceof VersionConflictError)) throw error;
        if (ifMatch !== undefined) throw new PolicyPreconditionFailedError((await this.current(tailnetId)).etag);
        if (attempt >= MAX_ATTEMPTS) throw error;
      }
    }
  }
}

function policyText(text: unknown): string {
  if (typeof text !== 'string') throw new PolicyBodyError('send the policy file as the request body (HuJSON, as application/hujson, application/json or text/plain)');
  if (text.trim() === '') throw new PolicyBodyError('the policy file is empty');
  return text;
}

/** RFC 9110 §13.1.1: `*` or a list of entity tags; weak tags compare equal to strong ones here (the text is the tag). */
function etagMatches(header: string, etag: string): boolean {
  return header
    .split(',')
    .map((tag) => tag.trim().replace(/^W\//, ''))
    .some((tag) => tag === '*' || tag === etag);
}
