import type { ENTERPRISE_USER_SCHEMA_URN } from '../schema/schema-urns.js';

/** Canonical stored shapes: keys spelled as the schema spells them, absent attributes omitted. */
export interface ScimMeta {
  resourceType?: string;
  created?: string;
  lastModified?: string;
  location?: string;
  version?: string;
}

export interface ScimName {
  formatted?: string;
  familyName?: string;
  givenName?: string;
  middleName?: string;
  honorificPrefix?: string;
  honorificSuffix?: string;
}

export interface LabelledValue {
  value: string;
  display?: string;
  type?: string;
  primary?: boolean;
}

export interface ScimAddress {
  formatted?: string;
  streetAddress?: string;
  locality?: string;
  region?: string;
  postalCode?: string;
  country?: string;
  type?: string;
  primary?: boolean;
}

export interface EnterpriseUserExtension {
  employeeNumber?: string;
  costCenter?: string;
  organization?: string;
  division?: string;
  department?: string;
  manager?: { value: string };
}

export interface ScimUser {
  schemas: string[];
  id?: string;
  meta?: ScimMeta;
  externalId?: string;
  userName: string;
  name?: ScimName;
  displayName?: string;
  nickName?: string;
  profileUrl?: string;
  title?: string;
  userType?: string;
  preferredLanguage?: string;
  locale?: string;
  timezone?: string;
  active?: boolean;
  emails?: LabelledValue[];
  phoneNumbers?: LabelledValue[];
  ims?: LabelledValue[];
  photos?: LabelledValue[];
  addresses?: ScimAddress[];
  entitlements?: LabelledValue[];
  roles?: LabelledValue[];
  x509Certificates?: LabelledValue[];
  [ENTERPRISE_USER_SCHEMA_URN]?: EnterpriseUserExtension;
}

export interface GroupMember {
  value: string;
  display?: string;
}

export interface ScimGroup {
  schemas: string[];
  id?: string;
  meta?: ScimMeta;
  externalId?: string;
  displayName: string;
  members?: GroupMember[];
}

export type ScimResource = ScimUser | ScimGroup;
