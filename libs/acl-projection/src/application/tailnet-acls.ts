import { tailnetIdentityDomain as tailnetDomain } from '#roster/acl';
import type { LoggedEvent } from '#roster/events';
import type { Logger } from 'pino';
import { aclChangesOf, subjectOf, type AclChange } from '../domain/acl-changes.js';
import { TailnetAcl } from './tailnet-acl.js';

/**
 * Every tailnet's ACL state, in memory. Changed one event at a time after PostgreSQL has committed it (see
 * AclProjection.committed), and read by the check API without any I/O.
 */
export class TailnetAcls {
  private readonly tailnets = new Map<string, TailnetAcl>();

  constructor(private readonly logger?: Logger) {}

  get(tailnetId: string): TailnetAcl | undefined {
    return this.tailnets.get(tailnetId);
  }

  /** The tailnet's state, created on first sight; `domain` null means the tailnet has no identity domain. */
  ensure(tailnetId: string, domain: string | null = null): TailnetAcl {
    let tailnet = this.tailnets.get(tailnetId);
    if (tailnet === undefined) this.tailnets.set(tailnetId, (tailnet = new TailnetAcl(tailnetId, tailnetDomain(tailnetId, domain))));
    return tailnet;
  }

  /** Compiles every tailnet's policy now, so the first checks after start-up are as fast as the rest. */
  warm(): void {
    for (const tailnet of this.tailnets.values()) tailnet.warm();
  }

  size(): number {
    return this.tailnets.size;
  }

  /** Applies a batch; a tailnet whose policy changed is compiled once, at the end, so no check pays for it. */
  applyEvents(events: readonly LoggedEvent[]): void {
    const newPolicies = new Set<string>();
    for (const event of events) {
      const tailnet = this.ensure(event.tailnetId);
      const subject = subjectOf(event);
      const current = subject === undefined ? undefined : subject.kind === 'user' ? tailnet.user(subject.id) : tailnet.node(subject.id);
      for (const change of aclChangesOf(event, current)) {
        this.applyChange(event.tailnetId, change, event);
        if (change.kind === 'policy') newPolicies.add(event.tailnetId);
      }
    }
    for (const tailnetId of newPolicies) this.tailnets.get(tailnetId)?.warm();
  }

  applyChange(tailnetId: string, change: AclChange, event?: LoggedEvent): void {
    if (change.kind === 'tailnet') {
      // TailnetCreated is the tailnet's first event (its partition key orders it first), so nothing is lost here.
      const domain = tailnetDomain(tailnetId, change.domain);
      if (this.tailnets.get(tailnetId)?.domain !== domain) this.tailnets.set(tailnetId, new TailnetAcl(tailnetId, domain));
      return;
    }
    const tailnet = this.ensure(tailnetId);
    try {
      applyToTailnet(tailnet, change);
    } catch (error) {
      // The World refuses what contradicts the tailnet (it is a bug upstream); one bad event must not stop the rest.
      this.logger?.error({ err: error, tailnetId, eventId: event?.id, change: change.kind }, 'ACL state could not take a change');
    }
  }
}

function applyToTailnet(tailnet: TailnetAcl, change: Exclude<AclChange, { kind: 'tailnet' }>): void {
  switch (change.kind) {
    case 'user':
      return tailnet.upsertUser(change.fact);
    case 'group':
      return tailnet.upsertGroup(change.fact);
    case 'group-change':
      return tailnet.recordGroupChange(change.change);
    case 'member-added':
      return tailnet.addMember(change.membership);
    case 'member-removed':
      return tailnet.removeMember(change.membership);
    case 'node':
      return tailnet.upsertNode(change.fact);
    case 'node-removed':
      return tailnet.removeNode(change.nodeId);
    case 'policy':
      return tailnet.setPolicy(change.fact);
  }
}
