import 'reflect-metadata';
import { DirectoryProjection } from '#roster/directory';
import { migrations } from '#roster/migrations';
import { mainProjectorService } from '#roster/projector';

/** Builds the directory read model (users, groups, memberships) that answers SCIM reads. */
mainProjectorService({
  name: 'directory-projector',
  defaultPort: 8081,
  schema: 'directory',
  // Every SCIM read waits for this projection (read-your-writes): it never lingers.
  defaultLingerMs: 0,
  migrations,
  build: () => ({ projection: new DirectoryProjection() }),
});
