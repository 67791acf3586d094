import type { PolicyReview } from './policy-review.js';

/** The policy was not accepted: it does not parse, names something unknown, or fails its own `tests`. */
export class PolicyRejectedError extends Error {
  constructor(readonly review: PolicyReview) {
    super(review.summary);
  }
}

/** `If-Match` names a policy that is no longer the current one. */
export class PolicyPreconditionFailedError extends Error {
  constructor(readonly currentEtag: string) {
    super(`the policy has changed since it was read (its ETag is now ${currentEtag}); read it again before changing it`);
  }
}

/** The request body is not a policy text at all (empty, or not text). */
export class PolicyBodyError extends Error {}
