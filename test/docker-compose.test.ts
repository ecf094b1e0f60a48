/**
 * docker-compose.yml checked by parsing it (scripts/compose-up.ts brings it up for real with podman):
 * services, supported images (temporalio/server with admin-tools jobs, not the deprecated auto-setup),
 * the schema job, one image built from ./Dockerfile, only the proxy published, scalable api and
 * worker, the proxy's Caddyfile, start-up order, a health check on every long-running service,
 * secrets from files, origins configurable, app environment against lib/config.ts, and search
 * attributes against the workflow.
 */
import fs from 'node:fs';
import path from 'node:path';
import { BlockList } from 'node:net';
import { fileURLToPath } from 'node:url';
import { TypedSearchAttributes } from '@temporalio/common';
import os from 'node:os';
import { afterAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { CONFIG_ENV_NAMES, loadConfig, requireExternalServices, SECRET_FILE_VARIABLES } from '../lib/config.ts';
import { TEMPORAL_SERVER_VERSION } from '../scripts/temporal-bin.ts';
import { PROJECT_SEARCH_ATTRIBUTES } from '../workflows/search-attributes.ts';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const COMPOSE_PATH = path.join(ROOT, 'docker-compose.yml');
const DOCKERFILE_PATH = path.join(ROOT, 'Dockerfile');

interface Service {
  image?: string;
  build?: string | { context?: string; dockerfile?: string };
  command?: string | string[];
  entrypoint?: string | string[];
  environment?: Record<string, unknown> | string[];
  ports?: Array<string | number | { target?: number; published?: number | string }>;
  depends_on?: string[] | Record<string, { condition?: string }>;
  healthcheck?: { test?: string | string[]; disable?: boolean };
  restart?: string;
  secrets?: string[];
  expose?: Array<string | number>;
  volumes?: string[];
  deploy?: { replicas?: number | string };
  container_name?: string;
}

// Docker Compose honours YAML merge keys (`<<: *app-env`); the yaml package needs them switched on.
const composeText = fs.readFileSync(COMPOSE_PATH, 'utf8');
const compose = parse(composeText, { merge: true }) as {
  services?: Record<string, Service>;
  secrets?: Record<string, { file?: string }>;
  volumes?: Record<string, unknown>;
};
const services = compose.services ?? {};

function service(name: string): Service {
  const s = services[name];
  if (!s) throw new Error(`docker-compose.yml has no service "${name}"`);
  return s;
}

function environment(name: string): Record<string, string> {
  const env = service(name).environment ?? {};
  if (Array.isArray(env)) {
    return Object.fromEntries(
      env.map((entry) => {
        const i = entry.indexOf('=');
        return i < 0 ? [entry, ''] : [entry.slice(0, i), entry.slice(i + 1)];
      }),
    );
  }
  return Object.fromEntries(
    Object.entries(env).map(([k, v]) => [k, v == null ? '' : String(v as string | number | boolean)]),
  );
}

/** Stands in for a required (`${VAR:?msg}`) value; long enough for ADMIN_API_KEY. */
const REQUIRED_TEST_VALUE = 'compose-test-value-0123456789abcdefghij';

/**
 * Compose interpolation as `docker compose` does it for these forms: `$$` is a literal `$`,
 * `${VAR:-default}` / `${VAR-default}` take `vars[VAR]` or the default, `${VAR:?msg}` / `${VAR?msg}`
 * `vars[VAR]` or a test value. A bare `${VAR}` or `$VAR` would silently become empty in production,
 * so it is an error here.
 */
function interpolate(value: string, vars: Record<string, string> = {}): string {
  return value.replace(/\$\$|\$\{(\w+)(?:(:?-|:?\?)([^}]*))?\}|\$(\w+)/g, (match, name, op, arg, bare) => {
    if (match === '$$') return '$';
    if (bare !== undefined || op === undefined) {
      throw new Error(`${match} has neither a default (:-) nor a required marker (:?)`);
    }
    if (vars[name] !== undefined) return vars[name];
    return op.endsWith('-') ? arg : REQUIRED_TEST_VALUE;
  });
}

function interpolatedEnvironment(name: string, vars: Record<string, string> = {}): NodeJS.ProcessEnv {
  return Object.fromEntries(Object.entries(environment(name)).map(([k, v]) => [k, interpolate(v, vars)]));
}

/** A value for every secret file, as an operator would put in BDP_SECRETS_DIR. */
const SECRET_VALUES: Record<string, string> = {
  postgres_password: 'compose-pg-password',
  database_url: 'postgres://bdp:compose-pg-password@postgresql:5432/bdp',
  payload_keys: `k1:${Buffer.alloc(32, 1).toString('base64')}`,
  admin_api_key: 'compose-admin-key-0123456789abcdefghijklmnop',
  s3_secret_access_key: 'compose-s3-secret',
  tls_cert: '-----BEGIN CERTIFICATE-----',
  tls_key: '-----BEGIN PRIVATE KEY-----',
  ui_users: 'admin $2a$14$hash',
};
const secretsDir = fs.mkdtempSync(path.join(os.tmpdir(), 'bdp-compose-secrets-'));
for (const [name, value] of Object.entries(SECRET_VALUES)) fs.writeFileSync(path.join(secretsDir, name), `${value}\n`);
afterAll(() => fs.rmSync(secretsDir, { recursive: true, force: true }));

/**
 * The service's environment as its process sees it: interpolated, with each `/run/secrets/<name>`
 * path replaced by that secret's file here — after checking that the service mounts the secret.
 */
function processEnvironment(name: string, vars: Record<string, string> = {}): NodeJS.ProcessEnv {
  const mounted = service(name).secrets ?? [];
  return Object.fromEntries(
    Object.entries(interpolatedEnvironment(name, vars)).map(([k, v]) => {
      const m = /^\/run\/secrets\/(\w+)$/.exec(v ?? '');
      if (!m) return [k, v];
      if (!mounted.includes(m[1]!))
        throw new Error(`${name}: ${k} points at secret ${m[1]}, which the service does not mount`);
      return [k, path.join(secretsDir, m[1]!)];
    }),
  );
}

function publishedPorts(name: string): number[] {
  return (service(name).ports ?? []).map((p) => {
    if (typeof p === 'object') return Number(p.published);
    // "[ip:]published:target[/proto]"
    const parts = interpolate(String(p))
      .replace(/\/\w+$/, '')
      .split(':');
    return Number(parts.length >= 2 ? parts[parts.length - 2] : parts[0]);
  });
}

function dependsOn(name: string): Record<string, string | undefined> {
  const deps = service(name).depends_on ?? {};
  if (Array.isArray(deps)) return Object.fromEntries(deps.map((d) => [d, 'service_started']));
  return Object.fromEntries(Object.entries(deps).map(([d, v]) => [d, v?.condition ?? 'service_started']));
}

function commandText(name: string): string {
  const s = service(name);
  const parts = [s.entrypoint, s.command].flatMap((c) => (c === undefined ? [] : Array.isArray(c) ? c : [c]));
  return parts.join(' ');
}

const LONG_RUNNING = ['postgresql', 'temporal', 'temporal-ui', 'seaweedfs', 'worker', 'api', 'proxy'];
const CADDYFILE = fs.readFileSync(path.join(ROOT, 'deploy/compose/Caddyfile'), 'utf8');

describe('docker-compose.yml (production topology)', () => {
  it('has the services: two one-shot jobs, the long-running ones and the proxy', () => {
    expect(Object.keys(services).sort()).toEqual([...LONG_RUNNING, 'temporal-schema', 'temporal-admin-tools'].sort());
  });

  it('issue 18: the API keeps filed documents in the seaweedfs S3 store, on a volume, with the same credentials', () => {
    const s3 = service('seaweedfs');
    expect(s3.image).toMatch(/^chrislusf\/seaweedfs:\d+\.\d+$/);
    expect(s3.command).toEqual(['server', '-s3', '-s3.port=8333']);
    expect(s3.volumes).toContain('seaweedfs-data:/data');
    expect(Object.keys(compose.volumes ?? {})).toContain('seaweedfs-data');
    expect(JSON.stringify(s3.healthcheck?.test)).toContain('http://127.0.0.1:8333/healthz');
    expect(dependsOn('api')).toMatchObject({ seaweedfs: 'service_healthy' });
    const config = loadConfig(processEnvironment('api'));
    expect(config.documents.store).toBe('s3');
    expect(config.documents.s3).toMatchObject({
      endpoint: 'http://seaweedfs:8333',
      bucket: 'bdp-documents',
      forcePathStyle: true,
    });
    expect(config.documents.s3.accessKeyId).toBe(interpolatedEnvironment('seaweedfs').AWS_ACCESS_KEY_ID);
    // The secret: the same file for both, read by seaweedfs' entrypoint and by the API's S3_SECRET_ACCESS_KEY_FILE.
    expect(config.documents.s3.secretAccessKey).toBe(SECRET_VALUES.s3_secret_access_key);
    expect(s3.secrets).toContain('s3_secret_access_key');
    expect(interpolate(commandText('seaweedfs'))).toContain(
      'AWS_SECRET_ACCESS_KEY=$(cat /run/secrets/s3_secret_access_key) exec /entrypoint.sh',
    );
  });

  it('pins the images CI runs for real (scripts/compose-up.ts): the Temporal server the project builds, PostgreSQL of Debian bookworm, Caddy', () => {
    // One Temporal version everywhere: the binaries the tests run (scripts/temporal-bin.ts) are what compose deploys.
    const version = TEMPORAL_SERVER_VERSION.replace(/^v/, '');
    expect(service('temporal').image).toBe(`temporalio/server:${version}`);
    expect(service('temporal-schema').image).toBe(`temporalio/admin-tools:${version}`);
    expect(service('temporal-admin-tools').image).toBe(`temporalio/admin-tools:${version}`);
    expect(service('temporal-ui').image).toBe('temporalio/ui:2.42.1');
    // PostgreSQL 15: Debian bookworm's, which CI and the fault tests run (scripts/ci-postgres.sh).
    expect(service('postgresql').image).toBe('postgres:15');
    expect(service('proxy').image).toBe('caddy:2.6.2');
    // temporalio/auto-setup is deprecated: no service runs it.
    expect(
      Object.values(services)
        .map((x) => x.image ?? '')
        .filter((image) => image.includes('auto-setup')),
    ).toEqual([]);
  });

  it('the schema job creates and migrates both Temporal stores on PostgreSQL with temporal-sql-tool', () => {
    const command = commandText('temporal-schema');
    expect(command).toMatch(/temporal-sql-tool --plugin postgres12 --ep postgresql -p 5432/);
    for (const [db, dir] of [
      ['temporal', 'temporal'],
      ['temporal_visibility', 'visibility'],
    ] as const) {
      const create = command.indexOf(`--db ${db} create`);
      const setup = command.indexOf(`--db ${db} setup-schema -v 0.0`);
      const update = command.indexOf(
        `--db ${db} update-schema -d /etc/temporal/schema/postgresql/v12/${dir}/versioned`,
      );
      expect(
        [create, setup, update].every((i) => i >= 0),
        db,
      ).toBe(true);
      expect(create < setup && setup < update, `${db}: create, setup-schema, update-schema in that order`).toBe(true);
    }
    // A re-run keeps what exists; any other error fails the job (set -e, exit 1).
    expect(command).toMatch(/already exists/);
    expect(command).toMatch(/set -eu/);
    expect(interpolate(command)).toContain('POSTGRES_PWD=$(cat /run/secrets/postgres_password)');
    expect(service('temporal-schema').secrets).toEqual(['postgres_password']);
    expect(String(service('temporal-schema').restart)).toBe('no');
  });

  it("the server is configured by the image's environment: PostgreSQL 12+ plugin, both databases, the password from its secret, the shard count set", () => {
    const env = interpolatedEnvironment('temporal');
    expect(env).toMatchObject({
      DB: 'postgres12',
      DB_PORT: '5432',
      POSTGRES_SEEDS: 'postgresql',
      DBNAME: 'temporal',
      VISIBILITY_DBNAME: 'temporal_visibility',
    });
    expect(env.POSTGRES_USER).toBe(environment('postgresql').POSTGRES_USER);
    expect(env.POSTGRES_PWD).toBeUndefined();
    expect(interpolate(commandText('temporal'))).toContain(
      'POSTGRES_PWD=$(cat /run/secrets/postgres_password) exec /etc/temporal/entrypoint.sh',
    );
    expect(environment('postgresql').POSTGRES_PASSWORD_FILE).toBe('/run/secrets/postgres_password');
    // History shards: set (the image's default, 4, is a development value) and fixed forever at the first start.
    expect(environment('temporal').NUM_HISTORY_SHARDS).toBe('${TEMPORAL_HISTORY_SHARDS:-128}');
    expect(Number(env.NUM_HISTORY_SHARDS)).toBe(128);
    expect(interpolatedEnvironment('temporal', { TEMPORAL_HISTORY_SHARDS: '512' }).NUM_HISTORY_SHARDS).toBe('512');
    expect(fs.readFileSync(path.join(ROOT, 'docs/DEPLOYMENT.md'), 'utf8')).toMatch(
      /TEMPORAL_HISTORY_SHARDS[^\n]*\n?[^\n]*(never|cannot) change/,
    );
  });

  it('the admin-tools job creates the namespace before registering search attributes', () => {
    const command = commandText('temporal-admin-tools');
    const namespace = command.indexOf('temporal operator namespace create --address temporal:7233 --namespace default');
    expect(namespace).toBeGreaterThanOrEqual(0);
    expect(namespace).toBeLessThan(command.indexOf('temporal operator search-attribute create'));
  });

  it('builds worker and api from the local Dockerfile into one image, which has a CMD', () => {
    for (const name of ['worker', 'api']) {
      const build = service(name).build;
      expect(build, `${name}.build`).toBeDefined();
      const context = typeof build === 'string' ? build : (build?.context ?? '.');
      const dockerfile = typeof build === 'object' ? (build.dockerfile ?? 'Dockerfile') : 'Dockerfile';
      expect(path.resolve(ROOT, context, dockerfile), `${name} builds ./Dockerfile`).toBe(DOCKERFILE_PATH);
    }
    expect(service('worker').image).toBe(service('api').image);
    expect(fs.existsSync(DOCKERFILE_PATH)).toBe(true);
    const dockerfile = fs.readFileSync(DOCKERFILE_PATH, 'utf8');
    expect(dockerfile).toMatch(/^FROM node:20-bookworm-slim\b/m);
    expect(dockerfile).toMatch(/^CMD \[\s*"npx",\s*"tsx",\s*"api\/server\.ts"\s*\]/m);
    expect(dockerfile).toMatch(/^USER node\b/m);
  });

  it('runs the worker and api entry points', () => {
    expect(service('worker').command).toEqual(['npx', 'tsx', 'worker.ts']);
    expect(service('api').command).toEqual(['npx', 'tsx', 'api/server.ts']);
  });

  it('issue 31: only the proxy is published; api and worker scale (no host port, no container name, replicas)', () => {
    for (const name of Object.keys(services)) {
      if (name !== 'proxy') expect(service(name).ports ?? [], `${name} publishes nothing`).toEqual([]);
      expect(service(name).container_name, `${name} has no fixed container name`).toBeUndefined();
    }
    expect(publishedPorts('proxy')).toEqual([443, 8443]);
    expect(service('proxy').ports).toEqual(['${BDP_HTTPS_PORT:-443}:443', '${BDP_UI_PORT:-8443}:8443']);
    expect(service('api').expose).toEqual(['3000']);
    for (const name of ['api', 'worker']) expect(Number(interpolate(String(service(name).deploy?.replicas)))).toBe(2);
    // Temporal's gRPC and the UI are internal: no `ports` (above); the UI only through the proxy's 8443.
  });

  it('issue 28/31: the API trusts X-Forwarded-For from the proxy only — its fixed address, inside the network', () => {
    const address = interpolate(
      String(
        ((service('proxy') as { networks?: unknown }).networks as { default: { ipv4_address: string } }).default
          .ipv4_address,
      ),
    );
    expect(interpolate(environment('api').TRUSTED_PROXIES ?? '')).toBe(address);
    const subnet = interpolate(
      String(
        (compose as unknown as { networks: { default: { ipam: { config: Array<{ subnet: string }> } } } }).networks
          .default.ipam.config[0]!.subnet,
      ),
    );
    const list = new BlockList();
    const [base, prefix] = subnet.split('/');
    list.addSubnet(base!, Number(prefix));
    expect(list.check(address), `${address} in ${subnet}`).toBe(true);
    expect(loadConfig({ TRUSTED_PROXIES: address }).trustedProxies).toEqual([address]);
  });

  it('issue 31: the proxy terminates TLS with the secret certificate, spreads over every api replica, and guards the UI with basic auth', () => {
    const proxy = service('proxy');
    expect(proxy.volumes).toContain('./deploy/compose/Caddyfile:/etc/caddy/Caddyfile:ro');
    expect(proxy.secrets).toEqual(['tls_cert', 'tls_key', 'ui_users']);
    expect(CADDYFILE).toMatch(/tls \/run\/secrets\/tls_cert \/run\/secrets\/tls_key/);
    const site = (port: number) => {
      const start = CADDYFILE.indexOf(`\n:${port} {`);
      expect(start, `a site on :${port}`).toBeGreaterThan(0);
      return CADDYFILE.slice(start, CADDYFILE.indexOf('\n}', start));
    };
    expect(site(443)).toMatch(/import tls_files/);
    expect(site(443)).toMatch(/dynamic a api 3000/);
    // A dead replica is left out after one failed connection (no retry: Caddy 2.6 cannot re-send a body).
    expect(site(443)).toMatch(/fail_duration 30s/);
    expect(site(443)).toMatch(/lb_try_duration 0/);
    expect(site(8443)).toMatch(/import tls_files/);
    expect(site(8443)).toMatch(/basicauth \{\s*import \/run\/secrets\/ui_users\s*\}/);
    expect(site(8443)).toMatch(/reverse_proxy temporal-ui:8080/);
    expect(CADDYFILE).toMatch(/auto_https off/);
    expect(dependsOn('proxy')).toEqual({ api: 'service_healthy', 'temporal-ui': 'service_healthy' });
  });

  it('starts services in dependency order: postgresql → schema job → temporal → admin-tools job → worker, api → proxy', () => {
    expect(dependsOn('temporal-schema')).toMatchObject({ postgresql: 'service_healthy' });
    expect(dependsOn('temporal')).toMatchObject({
      postgresql: 'service_healthy',
      'temporal-schema': 'service_completed_successfully',
    });
    expect(dependsOn('temporal-admin-tools')).toMatchObject({ temporal: 'service_healthy' });
    for (const name of ['worker', 'api']) {
      expect(dependsOn(name), name).toMatchObject({
        postgresql: 'service_healthy',
        'temporal-admin-tools': 'service_completed_successfully',
      });
    }
    expect(dependsOn('api')).toMatchObject({ temporal: 'service_healthy' });
    expect(dependsOn('temporal-ui')).toMatchObject({ temporal: 'service_healthy' });
    // Every one-shot job is waited for with service_completed_successfully, every long-running
    // dependency with service_healthy (which needs a healthcheck on it).
    for (const name of Object.keys(services)) {
      for (const [dep, condition] of Object.entries(dependsOn(name))) {
        const oneShot = String(service(dep).restart) === 'no';
        expect(condition, `${name} → ${dep}`).toBe(oneShot ? 'service_completed_successfully' : 'service_healthy');
        if (!oneShot) expect(service(dep).healthcheck?.test, `${dep} has a healthcheck`).toBeTruthy();
      }
    }
  });

  it('Art. 28, issue 31: the UI decrypts through the API codec at the public URL, and the API allows exactly the UI origin — both configurable, never localhost:3000', () => {
    expect(JSON.stringify([environment('temporal-ui'), environment('api')])).not.toContain('localhost:3000');
    const defaults = { ui: interpolatedEnvironment('temporal-ui'), api: interpolatedEnvironment('api') };
    expect(defaults.ui.TEMPORAL_CODEC_ENDPOINT).toBe('https://localhost/codec');
    expect(defaults.ui.TEMPORAL_CODEC_INCLUDE_CREDENTIALS).toBe('true');
    expect(new URL(defaults.api.TEMPORAL_UI_URL!).origin).toBe('https://localhost:8443');
    const vars = { BDP_PUBLIC_URL: 'https://bdp.jincheng.gov.cn', BDP_UI_URL: 'https://bdp.jincheng.gov.cn:8443' };
    const ui = interpolatedEnvironment('temporal-ui', vars);
    const api = interpolatedEnvironment('api', vars);
    expect(ui.TEMPORAL_CODEC_ENDPOINT).toBe('https://bdp.jincheng.gov.cn/codec');
    expect(ui.TEMPORAL_CORS_ORIGINS).toBe('https://bdp.jincheng.gov.cn:8443');
    expect(api.TEMPORAL_UI_URL).toBe('https://bdp.jincheng.gov.cn:8443');
    expect(loadConfig(processEnvironment('api', vars)).temporal.uiUrl).toBe('https://bdp.jincheng.gov.cn:8443');
  });

  it('issue 31: a health check on every long-running service, the worker and the UI too', () => {
    for (const name of LONG_RUNNING) {
      const hc = service(name).healthcheck;
      expect(hc?.test, `${name}.healthcheck.test`).toBeTruthy();
      expect(hc?.disable, `${name}.healthcheck.disable`).not.toBe(true);
    }
    expect(JSON.stringify(service('postgresql').healthcheck?.test)).toContain('pg_isready');
    expect(JSON.stringify(service('temporal').healthcheck?.test)).toContain('temporal operator cluster health');
    expect(JSON.stringify(service('api').healthcheck?.test)).toContain('http://localhost:3000/readyz');
    expect(JSON.stringify(service('temporal-ui').healthcheck?.test)).toContain('http://127.0.0.1:8080/healthz');
    expect(JSON.stringify(service('proxy').healthcheck?.test)).toContain('http://127.0.0.1:2019/config/');
    // The worker's: the age of the file its heartbeat rewrites (WORKER_HEALTH_FILE, lib/config.ts).
    expect(JSON.stringify(service('worker').healthcheck?.test)).toContain('WORKER_HEALTH_FILE');
    expect(loadConfig(processEnvironment('worker')).worker.healthFile).toBe('/tmp/bdp-worker-health');
  });

  it('issue 31: secrets come from files — no secret in any environment, every *_FILE a mounted secret with a file', () => {
    const SECRET_NAMES = [
      'ADMIN_API_KEY',
      'DATABASE_URL',
      'PAYLOAD_KEYS',
      'DOCUMENT_KEYS',
      'S3_SECRET_ACCESS_KEY',
      'POSTGRES_PASSWORD',
      'POSTGRES_PWD',
      'AWS_SECRET_ACCESS_KEY',
    ];
    for (const name of Object.keys(services)) {
      const env = environment(name);
      for (const secret of SECRET_NAMES)
        expect(env[secret], `${name} sets ${secret} in its environment`).toBeUndefined();
      for (const [k, v] of Object.entries(env)) {
        if (!(SECRET_FILE_VARIABLES as readonly string[]).includes(k.replace(/_FILE$/, '')) || !k.endsWith('_FILE'))
          continue;
        const m = /^\/run\/secrets\/(\w+)$/.exec(v);
        expect(m, `${name}.${k}`).toBeTruthy();
        expect(service(name).secrets, `${name} mounts ${m![1]}`).toContain(m![1]);
      }
      for (const secret of service(name).secrets ?? []) {
        expect(compose.secrets?.[secret]?.file, `secret ${secret}`).toBe(`\${BDP_SECRETS_DIR:-./secrets}/${secret}`);
      }
    }
    expect(Object.keys(compose.secrets ?? {}).sort()).toEqual(Object.keys(SECRET_VALUES).sort());
    // The operator's secrets never reach the image or the repository.
    expect(fs.readFileSync(path.join(ROOT, '.dockerignore'), 'utf8')).toMatch(/^secrets$/m);
    expect(fs.readFileSync(path.join(ROOT, '.gitignore'), 'utf8')).toMatch(/^\/?secrets\/?$/m);
  });

  it('keeps the one-shot and long-running restart policies', () => {
    expect(String(service('temporal-admin-tools').restart)).toBe('no');
    expect(String(service('temporal-schema').restart)).toBe('no');
    for (const name of LONG_RUNNING) expect(service(name).restart, name).toBe('unless-stopped');
  });

  for (const name of ['worker', 'api']) {
    it(`${name} sets only variables lib/config.ts reads, including the required ones`, () => {
      const env = environment(name);
      const names = Object.keys(env);
      const known: readonly string[] = CONFIG_ENV_NAMES;
      expect(
        names.filter((n) => !known.includes(n)),
        'unknown variable names',
      ).toEqual([]);
      expect(names).toEqual(expect.arrayContaining(['TEMPORAL_ADDRESS', 'DATABASE_URL_FILE', 'PAYLOAD_KEYS_FILE']));
      expect(env.TEMPORAL_ADDRESS).toBe('temporal:7233');
      // Art. 28: worker and API are given the same payload keyring.
      expect(service(name).secrets).toEqual(expect.arrayContaining(['database_url', 'payload_keys']));
      const config = loadConfig(processEnvironment(name));
      expect(config.database.url).toBe(SECRET_VALUES.database_url);
      expect(config.payload.keys).toBe(SECRET_VALUES.payload_keys);
      expect(() => requireExternalServices(config, name)).not.toThrow();
    });
  }

  it('api listens on 0.0.0.0:3000 and is given its admin key from a file', () => {
    const env = environment('api');
    expect(env.PORT).toBe('3000');
    expect(env.HOST).toBe('0.0.0.0');
    expect(env.ADMIN_API_KEY_FILE).toBe('/run/secrets/admin_api_key');
    const config = loadConfig(processEnvironment('api'));
    expect(config.api).toEqual({ port: 3000, host: '0.0.0.0' });
    expect(config.adminApiKey).toBe(SECRET_VALUES.admin_api_key);
  });

  it('registers exactly the workflow search attributes with their types', () => {
    const command = commandText('temporal-admin-tools');
    const creates = [...command.matchAll(/temporal operator search-attribute create\b[^\n]*/g)].map((m) => m[0]);
    const registered = creates.map((line) => {
      expect(line).toMatch(/--address temporal:7233\b/);
      expect(line).toMatch(/--namespace default\b/);
      const name = /--name\s+(\S+)/.exec(line)?.[1];
      const type = /--type\s+(\S+)/.exec(line)?.[1];
      return `${name}=${type}`;
    });
    const expected = PROJECT_SEARCH_ATTRIBUTES.map(
      (key) => `${key.name}=${TypedSearchAttributes.toMetadataType(key.type)}`,
    );
    expect(expected).toHaveLength(6);
    expect([...registered].sort()).toEqual([...expected].sort());
    // A re-run must not fail on attributes registered by an earlier run.
    expect(command).toMatch(/already exists/);
  });
});
