/**
 * docker-compose.yml cannot be started here (no Docker engine), so its production topology is
 * checked by parsing it: services, supported images (temporalio/server with admin-tools jobs, not the
 * deprecated auto-setup), the schema job, images built from ./Dockerfile, ports, start-up order,
 * healthchecks, app environment against lib/config.ts, and search attributes against the workflow.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { TypedSearchAttributes } from '@temporalio/common';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { CONFIG_ENV_NAMES, loadConfig, requireExternalServices } from '../lib/config.ts';
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
}

// Docker Compose honours YAML merge keys (`<<: *app-env`); the yaml package needs them switched on.
const compose = parse(fs.readFileSync(COMPOSE_PATH, 'utf8'), { merge: true }) as {
  services?: Record<string, Service>;
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
  return Object.fromEntries(Object.entries(env).map(([k, v]) => [k, v == null ? '' : String(v)]));
}

/** Stands in for a required (`${VAR:?msg}`) value; long enough for ADMIN_API_KEY. */
const REQUIRED_TEST_VALUE = 'compose-test-value-0123456789abcdefghij';

/**
 * Compose interpolation as `docker compose` does it for these forms: `$$` is a literal `$`,
 * `${VAR:-default}` / `${VAR-default}` take the default, `${VAR:?msg}` / `${VAR?msg}` a test value.
 * A bare `${VAR}` or `$VAR` would silently become empty in production, so it is an error here.
 */
function interpolate(value: string): string {
  return value.replace(/\$\$|\$\{(\w+)(?:(:?-|:?\?)([^}]*))?\}|\$(\w+)/g, (match, name, op, arg, bare) => {
    if (match === '$$') return '$';
    if (bare !== undefined || op === undefined) {
      throw new Error(`${match} has neither a default (:-) nor a required marker (:?)`);
    }
    return op.endsWith('-') ? arg : REQUIRED_TEST_VALUE;
  });
}

function interpolatedEnvironment(name: string): NodeJS.ProcessEnv {
  return Object.fromEntries(Object.entries(environment(name)).map(([k, v]) => [k, interpolate(v)]));
}

function publishedPorts(name: string): number[] {
  return (service(name).ports ?? []).map((p) => {
    if (typeof p === 'object') return Number(p.published);
    // "[ip:]published:target[/proto]"
    const parts = String(p).replace(/\/\w+$/, '').split(':');
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

describe('docker-compose.yml (production topology)', () => {
  it('has the eight services', () => {
    expect(Object.keys(services)).toEqual(
      expect.arrayContaining(['postgresql', 'temporal-schema', 'temporal', 'temporal-admin-tools', 'temporal-ui', 'seaweedfs', 'worker', 'api']),
    );
  });

  it('issue 18: the API keeps filed documents in the seaweedfs S3 store, on a volume, with the same credentials', () => {
    const s3 = service('seaweedfs');
    expect(s3.image).toMatch(/^chrislusf\/seaweedfs:\d+\.\d+$/);
    expect(commandText('seaweedfs')).toMatch(/^server -s3 -s3\.port=8333$/);
    expect((s3 as { volumes?: string[] }).volumes).toContain('seaweedfs-data:/data');
    expect(Object.keys((compose as { volumes?: Record<string, unknown> }).volumes ?? {})).toContain('seaweedfs-data');
    expect(JSON.stringify(s3.healthcheck?.test)).toContain('http://127.0.0.1:8333/healthz');
    expect(dependsOn('api')).toMatchObject({ seaweedfs: 'service_healthy' });
    const store = interpolatedEnvironment('seaweedfs');
    const config = loadConfig(interpolatedEnvironment('api'));
    expect(config.documents.store).toBe('s3');
    expect(config.documents.s3).toMatchObject({ endpoint: 'http://seaweedfs:8333', bucket: 'bdp-documents', forcePathStyle: true });
    expect(config.documents.s3.accessKeyId).toBe(store.AWS_ACCESS_KEY_ID);
    expect(config.documents.s3.secretAccessKey).toBe(store.AWS_SECRET_ACCESS_KEY);
    // The secret has no default: compose refuses to start without it.
    expect(environment('api').S3_SECRET_ACCESS_KEY).toMatch(/^\$\{S3_SECRET_ACCESS_KEY:\?[^}]+\}$/);
  });

  it('pins supported infrastructure images: temporalio/server 1.30.x and admin-tools of the same version, no auto-setup', () => {
    expect(service('postgresql').image).toBe('postgres:16');
    const server = service('temporal').image!;
    expect(server).toMatch(/^temporalio\/server:1\.(3\d|[4-9]\d)\.\d+$/);
    const version = server.split(':')[1];
    expect(service('temporal-schema').image).toBe(`temporalio/admin-tools:${version}`);
    expect(service('temporal-admin-tools').image).toBe(`temporalio/admin-tools:${version}`);
    expect(service('temporal-ui').image).toBe('temporalio/ui:2.42.1');
    // temporalio/auto-setup is deprecated: no service runs it.
    expect(Object.values(services).map((x) => x.image ?? '').filter((image) => image.includes('auto-setup'))).toEqual([]);
  });

  it('the schema job creates and migrates both Temporal stores on PostgreSQL with temporal-sql-tool', () => {
    const command = commandText('temporal-schema');
    expect(command).toMatch(/temporal-sql-tool --plugin postgres12 --ep postgresql -p 5432/);
    for (const [db, dir] of [['temporal', 'temporal'], ['temporal_visibility', 'visibility']] as const) {
      const create = command.indexOf(`--db ${db} create`);
      const setup = command.indexOf(`--db ${db} setup-schema -v 0.0`);
      const update = command.indexOf(`--db ${db} update-schema -d /etc/temporal/schema/postgresql/v12/${dir}/versioned`);
      expect([create, setup, update].every((i) => i >= 0), db).toBe(true);
      expect(create < setup && setup < update, `${db}: create, setup-schema, update-schema in that order`).toBe(true);
    }
    // A re-run keeps what exists; any other error fails the job (set -e, exit 1).
    expect(command).toMatch(/already exists/);
    expect(command).toMatch(/set -eu/);
    expect(String(service('temporal-schema').restart)).toBe('no');
  });

  it('the server is configured by the image\'s environment: PostgreSQL 12+ plugin, both database names', () => {
    const env = interpolatedEnvironment('temporal');
    expect(env).toMatchObject({ DB: 'postgres12', DB_PORT: '5432', POSTGRES_SEEDS: 'postgresql', DBNAME: 'temporal', VISIBILITY_DBNAME: 'temporal_visibility' });
    expect(env.POSTGRES_USER).toBe(environment('postgresql').POSTGRES_USER);
    expect(env.POSTGRES_PWD).toBe(interpolatedEnvironment('postgresql').POSTGRES_PASSWORD);
    expect(interpolatedEnvironment('temporal-schema').POSTGRES_PWD).toBe(env.POSTGRES_PWD);
  });

  it('the admin-tools job creates the namespace before registering search attributes', () => {
    const command = commandText('temporal-admin-tools');
    const namespace = command.indexOf('temporal operator namespace create --address temporal:7233 --namespace default');
    expect(namespace).toBeGreaterThanOrEqual(0);
    expect(namespace).toBeLessThan(command.indexOf('temporal operator search-attribute create'));
  });

  it('builds worker and api from the local Dockerfile, which has a CMD', () => {
    for (const name of ['worker', 'api']) {
      const build = service(name).build;
      expect(build, `${name}.build`).toBeDefined();
      const context = typeof build === 'string' ? build : (build?.context ?? '.');
      const dockerfile = typeof build === 'object' ? (build.dockerfile ?? 'Dockerfile') : 'Dockerfile';
      expect(path.resolve(ROOT, context, dockerfile), `${name} builds ./Dockerfile`).toBe(DOCKERFILE_PATH);
    }
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

  it('publishes api 3000, temporal 7233 and temporal-ui 8233', () => {
    expect(publishedPorts('api')).toContain(3000);
    expect(publishedPorts('temporal')).toContain(7233);
    expect(publishedPorts('temporal-ui')).toContain(8233);
  });

  it('starts services in dependency order: postgresql → schema job → temporal → admin-tools job → worker, api', () => {
    expect(dependsOn('temporal-schema')).toMatchObject({ postgresql: 'service_healthy' });
    expect(dependsOn('temporal')).toMatchObject({ postgresql: 'service_healthy', 'temporal-schema': 'service_completed_successfully' });
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
    for (const [name, s] of Object.entries(services)) {
      for (const [dep, condition] of Object.entries(dependsOn(name))) {
        const oneShot = String(service(dep).restart) === 'no';
        expect(condition, `${name} → ${dep}`).toBe(oneShot ? 'service_completed_successfully' : 'service_healthy');
        if (!oneShot) expect(service(dep).healthcheck?.test, `${dep} has a healthcheck`).toBeTruthy();
      }
      expect(s).toBeDefined();
    }
  });

  it('Art. 28: the UI decrypts through the API codec with credentials, and the API allows exactly the UI origin', () => {
    const ui = environment('temporal-ui');
    const api = environment('api');
    expect(ui.TEMPORAL_CODEC_ENDPOINT).toBe(`http://localhost:${publishedPorts('api')[0]}/codec`);
    expect(ui.TEMPORAL_CODEC_INCLUDE_CREDENTIALS).toBe('true');
    expect(new URL(api.TEMPORAL_UI_URL!).origin).toBe(`http://localhost:${publishedPorts('temporal-ui')[0]}`);
  });

  it('has healthchecks on postgresql, temporal and api', () => {
    for (const name of ['postgresql', 'temporal', 'api']) {
      const hc = service(name).healthcheck;
      expect(hc?.test, `${name}.healthcheck.test`).toBeTruthy();
      expect(hc?.disable, `${name}.healthcheck.disable`).not.toBe(true);
    }
    expect(JSON.stringify(service('postgresql').healthcheck?.test)).toContain('pg_isready');
    expect(JSON.stringify(service('temporal').healthcheck?.test)).toContain('temporal operator cluster health');
    expect(JSON.stringify(service('api').healthcheck?.test)).toContain('http://localhost:3000/readyz');
  });

  it('keeps the one-shot and long-running restart policies', () => {
    expect(String(service('temporal-admin-tools').restart)).toBe('no');
    expect(String(service('temporal-schema').restart)).toBe('no');
    expect(service('temporal').restart).toBe('unless-stopped');
    expect(service('worker').restart).toBe('unless-stopped');
    expect(service('api').restart).toBe('unless-stopped');
  });

  for (const name of ['worker', 'api']) {
    it(`${name} sets only variables lib/config.ts reads, including the required ones`, () => {
      const env = environment(name);
      const names = Object.keys(env);
      const known: readonly string[] = CONFIG_ENV_NAMES;
      expect(names.filter((n) => !known.includes(n)), 'unknown variable names').toEqual([]);
      expect(names).toEqual(expect.arrayContaining(['TEMPORAL_ADDRESS', 'DATABASE_URL']));
      expect(env.TEMPORAL_ADDRESS).toBe('temporal:7233');
      // Art. 28: worker and API must be given the same payload keyring.
      expect(env.PAYLOAD_KEYS).toMatch(/^\$\{PAYLOAD_KEYS:\?[^}]+\}$/);
      expect(env.DATABASE_URL).toMatch(/^postgres(ql)?:\/\/[^@]+@postgresql:5432\/bdp$/);

      const config = loadConfig(interpolatedEnvironment(name));
      expect(() => requireExternalServices(config, name)).not.toThrow();
    });
  }

  it('api listens on 0.0.0.0:3000 and requires ADMIN_API_KEY', () => {
    const env = environment('api');
    expect(env.PORT).toBe('3000');
    expect(env.HOST).toBe('0.0.0.0');
    expect(env.ADMIN_API_KEY).toMatch(/^\$\{ADMIN_API_KEY:\?[^}]+\}$/);
    const config = loadConfig(interpolatedEnvironment('api'));
    expect(config.api).toEqual({ port: 3000, host: '0.0.0.0' });
    expect(config.adminApiKey).toBeDefined();
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
