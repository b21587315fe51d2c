import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { parseAllDocuments } from 'yaml';
import { parseAuthEnv } from '../server/auth/auth-options.ts';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const run = promisify(execFile);

/** The chart rendered by Helm 3 (scripts/helm.sh) with `--set` values. */
async function render(values: Record<string, string>): Promise<any[]> {
  const sets = Object.entries(values).flatMap(([key, value]) => ['--set', `${key}=${value}`]);
  const { stdout } = await run(
    'bash',
    ['scripts/helm.sh', 'template', 'todo', 'charts/todo-events', ...sets],
    { cwd: ROOT, maxBuffer: 10 * 2 ** 20 },
  );
  return parseAllDocuments(stdout)
    .map((document) => document.toJS())
    .filter(Boolean);
}
const one = (manifests: any[], kind: string) => manifests.find((m) => m.kind === kind);

describe('the Helm chart’s identity provider values (config.auth)', () => {
  it('put the AUTH_* settings in the ConfigMap and make the shared secret optional', async () => {
    const manifests = await render({
      'secrets.databaseUrl': 'postgres://db/tasks',
      'config.auth.jwksUrl': 'https://auth.example.com/api/auth/jwks',
      'config.auth.issuer': 'https://auth.example.com',
      'config.auth.audience': 'todo-events',
      'config.auth.algorithms': 'EdDSA',
    });
    const config = one(manifests, 'ConfigMap').data;
    expect(config).toMatchObject({
      AUTH_JWKS_URL: 'https://auth.example.com/api/auth/jwks',
      AUTH_ISSUER: 'https://auth.example.com',
      AUTH_AUDIENCE: 'todo-events',
      AUTH_ALGORITHMS: 'EdDSA',
      AUTH_USER_CLAIM: 'sub',
      AUTH_CLOCK_TOLERANCE: '0',
    });
    expect(parseAuthEnv({ ...config, NODE_ENV: 'production' }).problems).toBeUndefined();
    expect(one(manifests, 'Secret').stringData.AUTH_JWT_SECRET).toBeUndefined();
    const env = one(manifests, 'Deployment').spec.template.spec.containers[0].env;
    expect(env.find((e: any) => e.name === 'AUTH_JWT_SECRET').valueFrom.secretKeyRef.optional).toBe(
      true,
    );
  });

  it('still require a 32-character secret without an identity provider', async () => {
    await expect(render({ 'secrets.databaseUrl': 'postgres://db/tasks' })).rejects.toThrow(
      'config.auth.jwksUrl',
    );
    const manifests = await render({
      'secrets.databaseUrl': 'postgres://db/tasks',
      'secrets.jwtSecret': 'x'.repeat(32),
    });
    expect(one(manifests, 'ConfigMap').data.AUTH_JWKS_URL).toBeUndefined();
    expect(one(manifests, 'Secret').stringData.AUTH_JWT_SECRET).toBe('x'.repeat(32));
  });
});
