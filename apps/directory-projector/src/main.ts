import 'reflect-metadata';
import { DirectoryProjection } from '#roster/directory';
import { migrations } from '#roster/migrations';
import { mainProjectorService } from '#roster/projector';

/** Builds the directory read model (users, groups, memberships) that answers SCIM reads. */
mainProjectorService({
  name: 'directory-projector',
  defaultPort: 8081,
  schema: 'directory',
  // SCIM reads wait for this projection (read-your-writes), so it lingers only briefly, after any batch, and
  // never while a reader waits: during an IdP's sync cycle of creates and PATCHes nobody does, and batches of one
  // or two events cost PostgreSQL and this process several times what fuller ones do.
  defaultLingerMs: 25,
  defaultNiceness: 0,
  busyBatchEvents: 1,
  migrations,
  build: () => ({ projection: new DirectoryProjection() }),
});
