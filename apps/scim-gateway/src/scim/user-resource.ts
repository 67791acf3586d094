import type { StoredUser } from '#roster/directory';
import { etag } from './scim-media.js';

type RenderableUser = { id: string; attributes: Record<string, unknown>; version: number; created: string; lastModified: string };

/** Renders a user as the SCIM resource RFC 7643 §4.1 describes, with `id` and `meta`. */
export function renderUser(baseUrl: string, user: RenderableUser) {
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

/** The same resource as renderUser, built from the stored attributes without parsing them. */
export function renderStoredUserJson(baseUrl: string, user: StoredUser): string {
  // The stored attributes never hold `id` or `meta` (read-only, dropped on the way in), so appending cannot
  // duplicate a key; every appended value is a uuid, an ISO time or an integer except the location.
  const meta =
    `"id":"${user.id}","meta":{"resourceType":"User","created":"${user.created}","lastModified":"${user.lastModified}",` +
    `"location":${JSON.stringify(`${baseUrl}/Users/${user.id}`)},"version":${JSON.stringify(etag(user.version))}}`;
  const attributes = user.attributesJson.trimEnd();
  const closing = attributes.lastIndexOf('}');
  const hasAttributes = attributes.slice(1, closing).trim().length > 0;
  return `${attributes.slice(0, closing)}${hasAttributes ? ',' : ''}${meta}}`;
}

/** A stored user as the object renderUser builds, for answers that select attributes. */
export function storedUserObject(baseUrl: string, user: StoredUser) {
  return renderUser(baseUrl, { ...user, attributes: JSON.parse(user.attributesJson) as Record<string, unknown> });
}
