import { etag } from './scim-media.js';

/** Renders a stored user as the SCIM resource RFC 7643 §4.1 describes, with `id` and `meta`. */
export function renderUser(
  baseUrl: string,
  user: { id: string; attributes: Record<string, unknown>; version: number; created: string; lastModified: string },
) {
  return {
    ...user.attributes,
    id: user.id,
    meta: {
      resourceType: 'User',
      created: user.created,
      lastModified: user.lastModified,
      location: `${baseUrl}/Users/${user.id}`,
      version: etag(user.version),
    },
  };
}
