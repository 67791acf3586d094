/** Whether a node may talk, and if not, why. */
export type NodeAccessState = 'active' | 'key-expired' | 'owner-suspended' | 'owner-deleted';

export const NODE_ACCESS_STATES: readonly NodeAccessState[] = ['active', 'key-expired', 'owner-suspended', 'owner-deleted'];

export type OwnerState = 'active' | 'suspended' | 'deleted';

/** The SQL columns (or expressions) the access rule reads. */
export type AccessInputs = { owner: string; ownerState: string; keyExpired: string; keyExpiry: string; keyExpiryDisabled: string; at: string };

/**
 * The access rule, as a SQL expression so that the projection applies it inside the statements that change its
 * inputs. The owner's state comes before the key's; a tagged node (no owner) ignores every user; an owner unknown
 * to the projection counts as active, so only facts on the log take access away. A key counts as expired from its
 * expiry time on, even before the sweeper has recorded NodeKeyExpired, so that reactivating a user never hands
 * access back to a key that ran out meanwhile.
 */
export function accessStateSql(i: AccessInputs): string {
  const keyState = `CASE WHEN ${i.keyExpired} OR (NOT ${i.keyExpiryDisabled} AND ${i.keyExpiry} <= ${i.at}) THEN 'key-expired' ELSE 'active' END`;
  return `CASE WHEN ${i.owner} IS NULL THEN ${keyState}
               WHEN ${i.ownerState} = 'deleted' THEN 'owner-deleted'
               WHEN ${i.ownerState} = 'suspended' THEN 'owner-suspended'
               ELSE ${keyState} END`;
}
