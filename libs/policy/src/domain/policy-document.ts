import { createHash, randomUUID } from 'node:crypto';
import { EventTypes, type Actor, type EventEnvelope, type PolicyUpdatedData } from '#roster/events';

/** The write-side state of a tailnet's Policy aggregate (aggregate id = the tailnet id): the text as written. */
export type PolicyState = { policy: string; sha256: string; updated: string };

export type PolicyCausation = { actor: Actor; correlationId: string; time: string };

export function policySha256(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

/** A strong ETag of the policy text: equal texts give equal tags, so an unchanged policy keeps its tag across writes. */
export function policyEtag(sha256: string): string {
  return `"${sha256}"`;
}

/** The next state and its event; `version` is the aggregate's version before the change (0 for the first policy). */
export function replacePolicy(tailnetId: string, version: number, text: string, causation: PolicyCausation) {
  const sha256 = policySha256(text);
  const state: PolicyState = { policy: text, sha256, updated: causation.time };
  const event: EventEnvelope<PolicyUpdatedData> = {
    id: randomUUID(),
    type: 'PolicyUpdated',
    schemaVersion: EventTypes.PolicyUpdated,
    tailnetId,
    aggregateType: 'Policy',
    aggregateId: tailnetId,
    aggregateVersion: version + 1,
    time: causation.time,
    actor: causation.actor,
    correlationId: causation.correlationId,
    data: { policy: text, sha256 },
  };
  return { state, event };
}
