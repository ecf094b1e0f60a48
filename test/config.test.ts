import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig, requireExternalServices, SECRET_FILE_VARIABLES } from '../lib/config.ts';
import { clientAddressOf, trustedProxyList } from '../api/client-address.ts';

describe('config module', () => {
  it('has the defaults of docs/API.md "Running it"', () => {
    const config = loadConfig({});
    expect(config.api.port).toBe(3000);
    expect(config.temporal.address).toBeUndefined();
    expect(config.temporal.port).toBe(7233);
    expect(config.temporal.uiPort).toBe(8233);
    expect(config.database.url).toBeUndefined();
    expect(config.dataDir.endsWith('.data')).toBe(true);
    expect(config.adminApiKey).toBeUndefined();
  });

  it('reads every variable', () => {
    const config = loadConfig({
      PORT: '8080',
      TEMPORAL_ADDRESS: 'temporal:7233',
      DATABASE_URL: 'postgres://u:p@db:5432/bdp',
      DATA_DIR: '/var/lib/bdp',
      TEMPORAL_PORT: '17233',
      TEMPORAL_UI_PORT: '18233',
      ADMIN_API_KEY: 'x'.repeat(32),
      TEMPORAL_NAMESPACE: 'jincheng',
    });
    expect(config.api.port).toBe(8080);
    expect(config.temporal).toMatchObject({
      address: 'temporal:7233',
      port: 17233,
      uiPort: 18233,
      namespace: 'jincheng',
    });
    expect(config.database.url).toBe('postgres://u:p@db:5432/bdp');
    expect(config.database.dataDir).toBe('/var/lib/bdp/pglite');
    expect(config.adminApiKey).toHaveLength(32);
  });

  it('worker tunables: 300 cached workflows unless set, concurrency only when set, bad values named', () => {
    expect(loadConfig({}).worker).toEqual({ maxCachedWorkflows: 300, maxConcurrentWorkflowTasks: undefined });
    expect(loadConfig({ WORKER_MAX_CACHED_WORKFLOWS: '0', WORKER_MAX_CONCURRENT_WORKFLOW_TASKS: '40' }).worker).toEqual(
      { maxCachedWorkflows: 0, maxConcurrentWorkflowTasks: 40 },
    );
    expect(loadConfig({ WORKER_MAX_CONCURRENT_WORKFLOW_TASKS: '' }).worker.maxConcurrentWorkflowTasks).toBeUndefined();
    expect(() => loadConfig({ WORKER_MAX_CACHED_WORKFLOWS: 'many' })).toThrow(/WORKER_MAX_CACHED_WORKFLOWS="many"/);
    expect(() => loadConfig({ WORKER_MAX_CONCURRENT_WORKFLOW_TASKS: '1' })).toThrow(
      /WORKER_MAX_CONCURRENT_WORKFLOW_TASKS="1": must be at least 2/,
    );
  });

  it('issue 18: the document store — folder by default, s3 with its bucket and both credentials, (policy) limits and orphan days', () => {
    const folder = loadConfig({}).documents;
    expect(folder).toMatchObject({
      store: 'folder',
      orphanAfterMs: 7 * 86_400_000,
      uploadsPerMinute: 30,
      dailyBytes: 2 * 1024 ** 3,
      temporaryGraceMs: 3_600_000,
      sweepEveryMs: 3_600_000,
    });
    const s3 = loadConfig({
      DOCUMENT_STORE: 's3',
      S3_ENDPOINT: 'http://seaweedfs:8333',
      S3_BUCKET: 'bdp-documents',
      S3_ACCESS_KEY_ID: 'bdp',
      S3_SECRET_ACCESS_KEY: 'secret',
      S3_PREFIX: 'documents/',
      DOCUMENT_ORPHAN_DAYS: '30',
      DOCUMENT_UPLOADS_PER_MINUTE: '0',
    }).documents;
    expect(s3).toMatchObject({ store: 's3', orphanAfterMs: 30 * 86_400_000, uploadsPerMinute: 0 });
    expect(s3.s3).toEqual({
      endpoint: 'http://seaweedfs:8333',
      bucket: 'bdp-documents',
      region: 'us-east-1',
      accessKeyId: 'bdp',
      secretAccessKey: 'secret',
      forcePathStyle: true,
      prefix: 'documents/',
    });
    const problems = (env: NodeJS.ProcessEnv) => {
      try {
        loadConfig(env);
        return [];
      } catch (err) {
        return (err as ConfigError).problems;
      }
    };
    expect(problems({ DOCUMENT_STORE: 's3' })).toEqual(['S3_BUCKET: required with DOCUMENT_STORE=s3']);
    expect(problems({ DOCUMENT_STORE: 's3', S3_BUCKET: 'b1b', S3_ACCESS_KEY_ID: 'x' })).toEqual([
      'S3_SECRET_ACCESS_KEY: required with DOCUMENT_STORE=s3',
    ]);
    expect(problems({ DOCUMENT_STORE: 'disk' })[0]).toMatch(/^DOCUMENT_STORE="disk"/);
    // The secret is never echoed.
    expect(problems({ S3_SECRET_ACCESS_KEY: 'top-secret', S3_BUCKET: 'Bad_Bucket' }).join()).not.toContain(
      'top-secret',
    );
  });

  it('treats empty values as unset', () => {
    expect(loadConfig({ DATABASE_URL: '', TEMPORAL_ADDRESS: '' }).database.url).toBeUndefined();
  });

  it('names each bad variable, and never echoes secrets', () => {
    let error: unknown;
    try {
      loadConfig({ PORT: 'http', TEMPORAL_UI_PORT: '70000', ADMIN_API_KEY: 'short-secret', DATABASE_URL: 'mysql://x' });
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const message = (error as Error).message;
    expect(message).toContain('PORT="http"');
    expect(message).toContain('TEMPORAL_UI_PORT="70000": must be between 1 and 65535');
    expect(message).toContain('ADMIN_API_KEY=(hidden): must be at least 32 characters');
    expect(message).toContain('DATABASE_URL=(hidden): must be a postgres://');
    expect(message).not.toContain('short-secret');
    expect((error as ConfigError).problems).toHaveLength(4);
  });

  it('the production entry points require TEMPORAL_ADDRESS and DATABASE_URL', () => {
    expect(() => requireExternalServices(loadConfig({}), 'the worker')).toThrow(
      /TEMPORAL_ADDRESS is required by the worker[\s\S]*DATABASE_URL is required/,
    );
    expect(
      requireExternalServices(loadConfig({ TEMPORAL_ADDRESS: 't:7233', DATABASE_URL: 'postgres://db/bdp' }), 'the API'),
    ).toEqual({ temporalAddress: 't:7233' });
  });

  it('issue 31: secrets from files — <NAME>_FILE is read as <NAME>; both set, or an unreadable file, is named without the content', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bdp-config-secrets-'));
    try {
      const file = (name: string, content: string) => {
        const p = path.join(dir, name);
        fs.writeFileSync(p, content, { mode: 0o600 });
        return p;
      };
      const admin = 'file-admin-secret-0123456789abcdefghijklmnop';
      const config = loadConfig({
        ADMIN_API_KEY_FILE: file('admin', `${admin}\n`),
        DATABASE_URL_FILE: file('db', 'postgres://bdp:pw@postgresql:5432/bdp\n'),
        PAYLOAD_KEYS_FILE: file('payload', 'k1:AAAA'),
        DOCUMENT_KEYS_FILE: file('documents', 'd1:BBBB\n'),
        S3_ACCESS_KEY_ID_FILE: file('s3-id', 'bdp\n'),
        S3_SECRET_ACCESS_KEY_FILE: file('s3-secret', 's3-secret-value\n'),
        DOCUMENT_STORE: 's3',
        S3_BUCKET: 'bdp-documents',
      });
      expect(config.adminApiKey).toBe(admin);
      expect(config.database.url).toBe('postgres://bdp:pw@postgresql:5432/bdp');
      expect(config.payload.keys).toBe('k1:AAAA');
      expect(config.documents.keys).toBe('d1:BBBB');
      expect(config.documents.s3).toMatchObject({ accessKeyId: 'bdp', secretAccessKey: 's3-secret-value' });
      expect(SECRET_FILE_VARIABLES).toEqual([
        'ADMIN_API_KEY',
        'DATABASE_URL',
        'PAYLOAD_KEYS',
        'DOCUMENT_KEYS',
        'S3_ACCESS_KEY_ID',
        'S3_SECRET_ACCESS_KEY',
      ]);

      const problems = (env: NodeJS.ProcessEnv) => {
        try {
          loadConfig(env);
        } catch (err) {
          return (err as ConfigError).problems.join('\n');
        }
        throw new Error('no ConfigError');
      };
      const both = problems({ ADMIN_API_KEY: admin, ADMIN_API_KEY_FILE: path.join(dir, 'admin') });
      expect(both).toContain(`ADMIN_API_KEY_FILE="${path.join(dir, 'admin')}": ADMIN_API_KEY is set too`);
      expect(both).not.toContain(admin);
      expect(problems({ PAYLOAD_KEYS_FILE: path.join(dir, 'missing') })).toContain(
        `PAYLOAD_KEYS_FILE="${path.join(dir, 'missing')}": cannot be read (ENOENT)`,
      );
      // A secret read from a file that fails validation is still hidden.
      const short = problems({ ADMIN_API_KEY_FILE: file('short', 'too-short') });
      expect(short).toContain('ADMIN_API_KEY=(hidden): must be at least 32 characters');
      expect(short).not.toContain('too-short');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('issue 31: WORKER_HEALTH_FILE', () => {
    expect(loadConfig({}).worker.healthFile).toBeUndefined();
    expect(loadConfig({ WORKER_HEALTH_FILE: '/tmp/bdp-worker-health' }).worker.healthFile).toBe(
      '/tmp/bdp-worker-health',
    );
  });
});

describe('client address behind proxies (issue 28 HIGH 1, issue 31 item 7)', () => {
  it('TRUSTED_PROXIES: none by default; addresses and CIDR ranges; anything else named', () => {
    expect(loadConfig({}).trustedProxies).toEqual([]);
    expect(loadConfig({}).signInPerAddressPerMinute).toBe(60);
    expect(
      loadConfig({ TRUSTED_PROXIES: '10.0.0.5, 10.1.0.0/16,2001:db8::/32', SIGN_IN_ATTEMPTS_PER_MINUTE: '0' }),
    ).toMatchObject({
      trustedProxies: ['10.0.0.5', '10.1.0.0/16', '2001:db8::/32'],
      signInPerAddressPerMinute: 0,
    });
    for (const bad of ['proxy.local', '10.0.0.0/33', '10.0.0.1/8/1', '::1/129'])
      expect(() => loadConfig({ TRUSTED_PROXIES: bad })).toThrow(
        /TRUSTED_PROXIES=.*must be comma-separated IP addresses or CIDR ranges/,
      );
  });

  it('X-Forwarded-For is read from the right, past trusted proxies only; from an untrusted peer it is ignored', () => {
    const trusted = trustedProxyList(['10.0.0.0/8', '192.0.2.9']);
    expect(clientAddressOf('10.0.0.5', '203.0.113.7', trusted)).toBe('203.0.113.7');
    // The client forged a first hop; the proxies appended the real one.
    expect(clientAddressOf('10.0.0.5', '1.2.3.4, 203.0.113.7, 192.0.2.9', trusted)).toBe('203.0.113.7');
    expect(clientAddressOf('198.51.100.1', '203.0.113.7', trusted)).toBe('198.51.100.1');
    expect(clientAddressOf('::ffff:10.0.0.5', '203.0.113.8', trusted)).toBe('203.0.113.8');
    expect(clientAddressOf('10.0.0.5', 'not-an-address', trusted)).toBe('10.0.0.5');
    expect(clientAddressOf('10.0.0.5', undefined, trusted)).toBe('10.0.0.5');
    expect(clientAddressOf(null, '203.0.113.7', trusted)).toBeNull();
    expect(clientAddressOf('10.0.0.5', '203.0.113.7', trustedProxyList([]))).toBe('10.0.0.5');
  });
});
