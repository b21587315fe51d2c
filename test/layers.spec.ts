import { readdirSync } from 'node:fs';
import { FLOORS, upwardImports, upwardImportsIn } from './layers.ts';
import { ROOT } from './roles.ts';

/** Folders outside the house: they may import any floor, and no floor may import them. */
const TOOLING = ['bench', 'charts', 'dashboard', 'e2e', 'scripts', 'test'];

describe('the layers', () => {
  it('have no import that runs sideways or back up', () => {
    expect(upwardImportsIn(ROOT)).toEqual([]);
  });

  it('cover every top-level folder that holds TypeScript', () => {
    const folders = readdirSync(ROOT, { withFileTypes: true })
      .filter((entry) => entry.isDirectory() && !entry.name.startsWith('.'))
      .map((entry) => entry.name)
      .filter((name) => !['node_modules', 'dist', 'coverage'].includes(name))
      .filter((name) =>
        (readdirSync(`${ROOT}${name}`, { recursive: true }) as string[]).some((file) =>
          file.endsWith('.ts'),
        ),
      );
    expect(folders.filter((name) => !TOOLING.includes(name)).sort()).toEqual(
      FLOORS.flat().toSorted(),
    );
  });

  it.each([
    [
      'an upward import',
      'db/task-rows.ts',
      '../domain/task-commands.ts',
      'db/ (floor 1) may not import domain/ (floor 3)',
    ],
    [
      'a sideways import',
      'db/outbox.ts',
      '../messaging/transport.ts',
      'db/ (floor 1) may not import messaging/ (floor 1)',
    ],
    [
      'an import of a test helper',
      'domain/labels.ts',
      '../test/api.ts',
      'test/ is not a floor of the house',
    ],
    [
      'a dynamic upward import',
      'model/task.ts',
      '../server/app.ts',
      'model/ (floor 0) may not import server/ (floor 5)',
    ],
  ])('refuses %s', (_, file, specifier, why) => {
    const source = specifier.includes('server')
      ? `const app = await import('${specifier}');`
      : `import { x } from '${specifier}';`;
    expect(upwardImports(file, source)).toEqual([expect.objectContaining({ file, why })]);
  });

  it('allows imports down the floors and within a folder', () => {
    const source = [
      "import { a } from '../db/task-rows.ts';",
      "import type { B } from '../model/task.ts';",
      "import { c } from './task-input.ts';",
      "import { z } from 'zod';",
    ].join('\n');
    expect(upwardImports('domain/task-commands.ts', source)).toEqual([]);
  });
});
