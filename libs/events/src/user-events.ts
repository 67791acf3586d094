/** The stored SCIM attributes of a user, canonical keys, without `id` and `meta` (RFC 7643 §4.1). */
export type UserAttributes = Record<string, unknown> & { userName: string };

export type UserCreatedData = {
  userId: string;
  userName: string;
  active: boolean;
  attributes: UserAttributes;
};

/** The user's attributes other than `active` changed; carries the full new attributes. */
export type UserUpdatedData = {
  userId: string;
  userName: string;
  /** Top-level attribute names (extension URNs for extension attributes) whose value changed. */
  changed: string[];
  attributes: UserAttributes;
};

/**
 * Whether a `UserUpdated` changed any of `attributes` (top-level names, as in `changed`). A projection keeping
 * only some of a user's attributes skips the updates that leave them as they were.
 */
export function userUpdateChanged(data: UserUpdatedData, attributes: readonly string[]): boolean {
  return attributes.some((attribute) => data.changed.includes(attribute));
}

/** The IdP deactivated the user (`active: false`): the user loses access. */
export type UserSuspendedData = { userId: string; userName: string };

/** The IdP reactivated the user (`active: true`). */
export type UserReactivatedData = { userId: string; userName: string };

/** The user was hard-deleted; every membership of theirs ends with them. */
export type UserDeletedData = { userId: string; userName: string };

export type TailnetCreatedData = {
  tailnetId: string;
  name: string;
  domain: string | null;
};
