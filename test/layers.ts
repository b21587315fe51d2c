import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

/**
 * The house, from the ground up: a folder may import its own files and the folders on lower
 * floors, never a folder on its own floor or above. Tooling (tests, benchmarks, scripts, the
 * browser dashboard) stands outside and may import anything; no floor may import it.
 */
export const FLOORS: readonly (readonly string[])[] = [
  ['model', 'lib'],
  ['db', 'messaging'],
  ['outbox', 'inbox'],
  ['domain'],
  ['schema', 'consumers', 'mcp-adapter'],
  ['server'],
];

/** One import that breaks the layering, with why. */
export interface UpwardImport {
  file: string;
  imports: string;
  why: string;
}

const floorOf = new Map(FLOORS.flatMap((folders, floor) => folders.map((f) => [f, floor])));
const IMPORT = /(?:\bfrom\s+|\bimport\s*\(\s*|\bimport\s+)'(\.{1,2}\/[^']+)'/g;

/** The top-level folder of a repository-relative path (`db/task-rows.ts` -> `db`). */
const folderOf = (file: string) => file.split('/')[0]!;

/**
 * The imports of `source` (the text of `file`, a path relative to the repository root) that run
 * sideways or back up the floors.
 */
export function upwardImports(file: string, source: string): UpwardImport[] {
  const from = folderOf(file);
  const floor = floorOf.get(from);
  if (floor === undefined) return [];
  const found: UpwardImport[] = [];
  for (const [, specifier] of source.matchAll(IMPORT)) {
    const target = path.posix.normalize(path.posix.join(path.posix.dirname(file), specifier!));
    const to = folderOf(target);
    if (to === from) continue;
    const targetFloor = floorOf.get(to);
    if (targetFloor === undefined) {
      found.push({ file, imports: target, why: `${to}/ is not a floor of the house` });
    } else if (targetFloor >= floor) {
      found.push({
        file,
        imports: target,
        why: `${from}/ (floor ${floor}) may not import ${to}/ (floor ${targetFloor})`,
      });
    }
  }
  return found;
}

/** Every source file of the floors (tests and test-only helpers excluded), relative to `root`. */
export function sourceFiles(root: string): string[] {
  return FLOORS.flat().flatMap((folder) =>
    (readdirSync(path.join(root, folder), { recursive: true }) as string[])
      .filter((name) => name.endsWith('.ts') && !name.endsWith('.spec.ts'))
      .map((name) => `${folder}/${name.split(path.sep).join('/')}`),
  );
}

/** Every upward import in the tree at `root`. */
export function upwardImportsIn(root: string): UpwardImport[] {
  return sourceFiles(root).flatMap((file) =>
    upwardImports(file, readFileSync(path.join(root, file), 'utf8')),
  );
}
