// Locations tests share: the repo root and the shared corpus beside it.
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

/** `../shared` next to the clone (CI and sessions), else /work/shared. */
export function sharedDir(): string {
  const beside = join(repoRoot, '../shared');
  return existsSync(beside) ? beside : '/work/shared';
}
