import { GROUP_SCHEMA_URN } from '#roster/scim';
import { etag } from './scim-media.js';

type RenderableGroup = {
  id: string;
  displayName: string;
  externalId: string | null;
  members?: { value: string; display?: string }[];
  version: number;
  created: string;
  lastModified: string;
};

/** Renders a group as RFC 7643 §4.2 describes, with `id`, `meta` and members carrying their `$ref`. */
export function renderGroup(baseUrl: string, group: RenderableGroup) {
  return {
    schemas: [GROUP_SCHEMA_URN],
    id: group.id,
    displayName: group.displayName,
    ...(group.externalId === null ? {} : { externalId: group.externalId }),
    ...(group.members ? { members: group.members.map((member) => ({ ...member, $ref: `${baseUrl}/Users/${member.value}` })) } : {}),
    meta: {
      resourceType: 'Group',
      created: group.created,
      lastModified: group.lastModified,
      location: `${baseUrl}/Groups/${group.id}`,
      version: etag(group.version),
    },
  };
}
