import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** The repository root, found from a file inside it (works from the TypeScript sources and from dist/ alike). */
export function findRepoRoot(from: string): string {
  let dir = from;
  while (!existsSync(join(dir, 'package.json'))) {
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`no package.json above ${from}`);
    dir = parent;
  }
  return dir;
}
