import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ROOT } from './roles.ts';

const npm = (cwd: string, args: string[]) => {
  const result = spawnSync('npm', [...args, '--ignore-scripts', '--no-audit', '--no-fund'], {
    cwd,
    encoding: 'utf8',
    timeout: 240_000,
  });
  return { status: result.status, output: `${result.stdout}${result.stderr}` };
};

describe('a fresh clone', () => {
  let clone: string;
  const status = () =>
    execFileSync('git', ['status', '--porcelain'], { cwd: clone, encoding: 'utf8' });

  beforeAll(() => {
    clone = path.join(mkdtempSync(path.join(tmpdir(), 'todo-install-')), 'clone');
    execFileSync('git', ['clone', '--quiet', '--no-hardlinks', ROOT, clone]);
  });
  afterAll(() => rmSync(path.dirname(clone), { recursive: true, force: true }));

  it('installs with npm ci exactly as locked, on Node 24 without engine warnings', () => {
    const { status: code, output } = npm(clone, ['ci']);
    expect({ code, output }).toMatchObject({ code: 0 });
    expect(output).not.toContain('EBADENGINE');
    expect(status()).toBe('');
  }, 300_000);

  it('is left unchanged by npm install', () => {
    const { status: code, output } = npm(clone, ['install']);
    expect({ code, output }).toMatchObject({ code: 0 });
    expect(status()).toBe('');
  }, 300_000);
});
