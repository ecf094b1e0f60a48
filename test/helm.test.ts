/**
 * The Helm chart (deploy/helm/jincheng-bdp) rendered by the real `helm template` (helm v4, built from
 * the Go module proxy into the cache by scripts/go-tools.ts; `npm run helm:check` builds it and CI runs
 * that first — without the binary this file skips, saying so): the API and the worker Deployments run
 * the image's two commands with only variables lib/config.ts reads, every secret as a file of one
 * Secret, the probes on /readyz, /healthz and the worker's heartbeat file; the setup Job registers
 * exactly the workflow search attributes; a folder document store with more than one API is refused.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { TypedSearchAttributes } from '@temporalio/common';
import { describe, expect, it } from 'vitest';
import { parse, parseAllDocuments } from 'yaml';
import { CONFIG_ENV_NAMES, SECRET_FILE_VARIABLES } from '../lib/config.ts';
import { GO_TOOLS, toolsCacheDir } from '../scripts/go-tools.ts';
import { TEMPORAL_SERVER_VERSION } from '../scripts/temporal-bin.ts';
import { PROJECT_SEARCH_ATTRIBUTES } from '../workflows/search-attributes.ts';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const CHART = path.join(ROOT, 'deploy', 'helm', 'jincheng-bdp');
const HELM = path.join(toolsCacheDir(), `helm-${GO_TOOLS.helm.version.replace(/^v/, '')}`, 'helm');
const haveHelm = fs.existsSync(HELM);
if (!haveHelm) console.warn(`helm is not built (${HELM}): the chart tests skip; npm run helm:check builds it`);

type Manifest = { kind: string; metadata: { name: string; annotations?: Record<string, string> }; spec: any };

function template(...set: string[]): { status: number; manifests: Manifest[]; stderr: string } {
  const r = spawnSync(HELM, ['template', 'bdp', CHART, ...set.flatMap((s) => ['--set', s])], { encoding: 'utf8' });
  const manifests =
    r.status === 0
      ? parseAllDocuments(r.stdout)
          .map((d) => d.toJS() as Manifest)
          .filter(Boolean)
      : [];
  return { status: r.status ?? 1, manifests, stderr: r.stderr };
}

const byKind = (manifests: Manifest[], kind: string, name: string) => {
  const m = manifests.find((x) => x.kind === kind && x.metadata.name === name);
  if (!m) throw new Error(`no ${kind} ${name} in ${manifests.map((x) => `${x.kind}/${x.metadata.name}`).join(', ')}`);
  return m;
};

describe.skipIf(!haveHelm)('deploy/helm/jincheng-bdp', () => {
  it('helm lint --strict passes', () => {
    const r = spawnSync(HELM, ['lint', '--strict', CHART], { encoding: 'utf8' });
    expect(r.status, r.stdout + r.stderr).toBe(0);
  });

  it("renders the API and the worker as the image's two commands, configured only through lib/config.ts, secrets as files", () => {
    const { status, manifests, stderr } = template();
    expect(status, stderr).toBe(0);
    const known: readonly string[] = CONFIG_ENV_NAMES;
    for (const [name, command] of [
      ['bdp-jincheng-bdp-api', ['npx', 'tsx', 'api/server.ts']],
      ['bdp-jincheng-bdp-worker', ['npx', 'tsx', 'worker.ts']],
    ] as const) {
      const deployment = byKind(manifests, 'Deployment', name);
      expect(deployment.spec.replicas).toBe(2);
      const pod = deployment.spec.template.spec;
      const container = pod.containers[0];
      expect(container.command).toEqual(command);
      const env = Object.fromEntries(
        (container.env as Array<{ name: string; value: string }>).map((e) => [e.name, e.value]),
      );
      // HOME: where tsx and npm keep caches on the read-only root (not the app's).
      expect(
        Object.keys(env).filter((n) => !known.includes(n) && n !== 'HOME'),
        `${name}: unknown variables`,
      ).toEqual([]);
      expect(env).toMatchObject({
        TEMPORAL_ADDRESS: 'temporal-frontend:7233',
        DATABASE_URL_FILE: '/run/secrets/database_url',
        PAYLOAD_KEYS_FILE: '/run/secrets/payload_keys',
      });
      // The access key id is an identity, not a secret (it may come from a file too: S3_ACCESS_KEY_ID_FILE).
      for (const secret of SECRET_FILE_VARIABLES.filter((n) => n !== 'S3_ACCESS_KEY_ID'))
        expect(env[secret], `${name} sets ${secret} itself`).toBeUndefined();
      expect(pod.volumes).toContainEqual({
        name: 'secrets',
        secret: { secretName: 'jincheng-bdp-secrets', defaultMode: 288 },
      });
      expect(container.volumeMounts).toContainEqual({ name: 'secrets', mountPath: '/run/secrets', readOnly: true });
      expect(container.securityContext).toMatchObject({
        readOnlyRootFilesystem: true,
        allowPrivilegeEscalation: false,
      });
      expect(pod.securityContext).toMatchObject({ runAsNonRoot: true, runAsUser: 1000 });
    }
    const api = byKind(manifests, 'Deployment', 'bdp-jincheng-bdp-api').spec.template.spec.containers[0];
    expect(api.readinessProbe.httpGet).toEqual({ path: '/readyz', port: 'http' });
    expect(api.livenessProbe.httpGet).toEqual({ path: '/healthz', port: 'http' });
    const apiEnv = Object.fromEntries(
      (api.env as Array<{ name: string; value: string }>).map((e) => [e.name, e.value]),
    );
    expect(apiEnv).toMatchObject({
      ADMIN_API_KEY_FILE: '/run/secrets/admin_api_key',
      S3_SECRET_ACCESS_KEY_FILE: '/run/secrets/s3_secret_access_key',
      DOCUMENT_STORE: 's3',
      HOST: '0.0.0.0',
    });
    const worker = byKind(manifests, 'Deployment', 'bdp-jincheng-bdp-worker').spec.template.spec.containers[0];
    expect(JSON.stringify(worker.livenessProbe.exec.command)).toContain('WORKER_HEALTH_FILE');
    expect(worker.env).toContainEqual({ name: 'WORKER_HEALTH_FILE', value: '/tmp/bdp-worker-health' });
    // TLS at the ingress, in front of the API Service.
    const ingress = byKind(manifests, 'Ingress', 'bdp-jincheng-bdp');
    expect(ingress.spec.tls).toEqual([{ hosts: ['bdp.jincheng.gov.cn'], secretName: 'bdp-tls' }]);
    expect(ingress.spec.rules[0].http.paths[0].backend.service.name).toBe('bdp-jincheng-bdp-api');
    for (const pdb of ['bdp-jincheng-bdp-api', 'bdp-jincheng-bdp-worker'])
      expect(byKind(manifests, 'PodDisruptionBudget', pdb).spec.minAvailable).toBe(1);
  });

  it('issue 28/31: TRUSTED_PROXIES only when api.trustedProxies names the ingress pods', () => {
    const envOf = (r: ReturnType<typeof template>) =>
      Object.fromEntries(
        (
          byKind(r.manifests, 'Deployment', 'bdp-jincheng-bdp-api').spec.template.spec.containers[0].env as Array<{
            name: string;
            value?: string;
          }>
        ).map((e) => [e.name, e.value]),
      );
    expect(envOf(template()).TRUSTED_PROXIES).toBeUndefined();
    const set = template('api.trustedProxies=10.244.0.0/16');
    expect(set.status).toBe(0);
    expect(envOf(set).TRUSTED_PROXIES).toBe('10.244.0.0/16');
  });

  it('the setup Job (a pre-install/pre-upgrade hook) creates the namespace and registers exactly the workflow search attributes', () => {
    const job = byKind(template().manifests, 'Job', 'bdp-jincheng-bdp-temporal-setup');
    expect(job.metadata.annotations?.['helm.sh/hook']).toBe('pre-install,pre-upgrade');
    const script = job.spec.template.spec.containers[0].args[0] as string;
    expect(script.indexOf('temporal operator namespace create')).toBeLessThan(
      script.indexOf('search-attribute create'),
    );
    const registered = [...script.matchAll(/search-attribute create .*--name (\S+) --type (\S+)/g)]
      .map((m) => `${m[1]}=${m[2]}`)
      .sort();
    expect(registered).toEqual(
      PROJECT_SEARCH_ATTRIBUTES.map((k) => `${k.name}=${TypedSearchAttributes.toMetadataType(k.type)}`).sort(),
    );
    // The same admin-tools as docker-compose.yml's jobs.
    const composeTag = /temporalio\/admin-tools:(\S+)/.exec(
      fs.readFileSync(path.join(ROOT, 'docker-compose.yml'), 'utf8'),
    )![1];
    expect(job.spec.template.spec.containers[0].image).toBe(`temporalio/admin-tools:${composeTag}`);
  });

  it('refuses a folder document store with more than one API replica (each pod would have its own folder)', () => {
    const refused = template('documents.store=folder');
    expect(refused.status).not.toBe(0);
    expect(refused.stderr).toContain('documents.store=folder serves one API replica only');
    const one = template('documents.store=folder', 'api.replicas=1');
    expect(one.status, one.stderr).toBe(0);
    const env = byKind(one.manifests, 'Deployment', 'bdp-jincheng-bdp-api').spec.template.spec.containers[0]
      .env as Array<{ name: string }>;
    expect(env.map((e) => e.name)).not.toContain('S3_BUCKET');
  });
});

describe("deploy/helm/temporal-values.yaml (Temporal's own chart beside this one)", () => {
  const values = parse(fs.readFileSync(path.join(ROOT, 'deploy', 'helm', 'temporal-values.yaml'), 'utf8'));
  it('runs the versions the project tests, sets the shard count, keeps gRPC internal and points the UI at the API codec', () => {
    expect(values.server.image.tag).toBe(TEMPORAL_SERVER_VERSION.replace(/^v/, ''));
    expect(values.server.config.numHistoryShards).toBe(128);
    expect(values.server.config.persistence.default.sql.driver).toBe('postgres12');
    expect(values.server.config.persistence.visibility.sql.database).toBe('temporal_visibility');
    expect(values.server.frontend.ingress.enabled).toBe(false);
    expect(values.web.image.tag).toBe(GO_TOOLS['ui-server'].version.replace(/^v/, ''));
    const env = Object.fromEntries(
      (values.web.additionalEnv as Array<{ name: string; value: string }>).map((e) => [e.name, e.value]),
    );
    const chartValues = parse(fs.readFileSync(path.join(CHART, 'values.yaml'), 'utf8')) as {
      publicUrl: string;
      temporalUiUrl: string;
    };
    expect(env.TEMPORAL_CODEC_ENDPOINT).toBe(`${chartValues.publicUrl}/codec`);
    expect(env.TEMPORAL_CORS_ORIGINS).toBe(chartValues.temporalUiUrl);
    expect(values.web.ingress.annotations['nginx.ingress.kubernetes.io/auth-type']).toBe('basic');
  });
});
