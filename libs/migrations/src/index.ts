import { InitialSchema1732334400000 } from './1732334400000-initial-schema.js';
import { DirectoryReadModel1732334400001 } from './1732334400001-directory-read-model.js';
import { NodeRegistry1732334400010 } from './1732334400010-node-registry.js';
import { DirectoryPagedIndexes1732334400011 } from './1732334400011-directory-paged-indexes.js';
import { UncompressedLargeValues1732334400012 } from './1732334400012-uncompressed-large-values.js';
import { SkippedEvents1732334400013 } from './1732334400013-skipped-events.js';

/** Every migration, in order. Services apply them at start-up under an advisory lock. */
export const migrations = [InitialSchema1732334400000, DirectoryReadModel1732334400001, NodeRegistry1732334400010, DirectoryPagedIndexes1732334400011, UncompressedLargeValues1732334400012, SkippedEvents1732334400013];
