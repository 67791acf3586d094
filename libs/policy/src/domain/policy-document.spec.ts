import { describe, expect, it } from 'vitest';
import { policyEtag, policySha256, replacePolicy } from './policy-document.js';

describe('the Policy aggregate', () => {
  it('records the text verbatim in a PolicyUpdated at the next version, with its sha256', () => {
    const text = '// mine\n{ "acls": [] }\n';
    const causation = { actor: { kind: 'admin-api-key' as const, id: 'k1' }, correlationId: 'c1', time: '2026-01-01T00:00:00.000Z' };
    const { state, event } = replacePolicy('3f0c1a9e-0000-4000-8000-000000000001', 2, text, causation);
    expect(state).toEqual({ policy: text, sha256: policySha256(text), updated: causation.time });
    expect(event).toMatchObject({
      type: 'PolicyUpdated',
      aggregateType: 'Policy',
      aggregateId: '3f0c1a9e-0000-4000-8000-000000000001',
      aggregateVersion: 3,
      data: { policy: text, sha256: policySha256(text) },
    });
  });

  it('tags equal texts alike and different texts differently', () => {
    expect(policyEtag(policySha256('{}'))).toBe(policyEtag(policySha256('{}')));
    expect(policyEtag(policySha256('{}'))).not.toBe(policyEtag(policySha256('{ }')));
    expect(policyEtag('abc')).toBe('"abc"');
  });
});
