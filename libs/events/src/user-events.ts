/** The stored SCIM attributes of a user, canonical keys, without `id` and `meta` (RFC 7643 §4.1). */
export type UserAttributes = Record<string, unknown> & { userName: string };

export type UserCreatedData = {
  userId: string;
  userName: string;
  active: boolean;
  attributes: UserAttributes;
};

export type TailnetCreatedData = {
  tailnetId: string;
  name: string;
  domain: string | null;
};
