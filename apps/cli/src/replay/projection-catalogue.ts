import { AclProjection } from '#roster/acl-projection';
import { DirectoryProjection } from '#roster/directory';
import { MembershipProjection } from '#roster/membership';
import { NODES_PROJECTION, NodesProjection } from '#roster/nodes';
import type { Projection } from '#roster/projector';

/**
 * Every projection in the system, for tools that rebuild any of them (`roster replay`): how to make one, the
 * schema its live copy lives in and the consumer group of its live projector. Add a projection here when you add
 * its projector.
 */
export type CatalogueEntry = {
  name: string;
  schema: string;
  liveGroupId: (namespace: string) => string;
  create: () => Projection;
};

export const PROJECTIONS: CatalogueEntry[] = [
  { name: 'directory', schema: 'directory', liveGroupId: (ns) => `${ns}roster-projector-directory`, create: () => new DirectoryProjection() },
  { name: 'membership', schema: 'membership', liveGroupId: (ns) => `${ns}roster-projector-membership`, create: () => new MembershipProjection() },
  // A rebuilt node projection records no expiries or revocations (replays are never live); its sweeper stays with the live projector.
  { name: NODES_PROJECTION, schema: NODES_PROJECTION, liveGroupId: (ns) => `${ns}roster-projector-${NODES_PROJECTION}`, create: () => new NodesProjection() },
  // The ACL projector's memory is rebuilt from these tables when it restarts after a swap.
  { name: 'acl', schema: 'acl', liveGroupId: (ns) => `${ns}roster-projector-acl`, create: () => new AclProjection(undefined) },
];

export function findProjection(name: string): CatalogueEntry | undefined {
  return PROJECTIONS.find((entry) => entry.name === name);
}
