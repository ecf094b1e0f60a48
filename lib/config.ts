/**
 * The one place environment variables are read and validated (docs/API.md "Running it").
 * Every entry point calls loadConfig(); a bad value stops start-up with a message naming the
 * variable, what was wrong and what is expected.
 */
import fs from 'node:fs';
import { isIP } from 'node:net';
import path from 'node:path';
import { z } from 'zod';
import {
  generateKeyringSpec,
  parseKeyring,
  type Keyring,
  PAYLOAD_CIPHERS,
  payloadCodecs,
  type PayloadCipher,
} from './codec.ts';
import { networkList, type WebhookAddressPolicy } from './webhook-address.ts';

const port = (fallback: number) =>
  z.coerce
    .number({ error: 'must be a port number' })
    .int('must be a whole number')
    .min(1, 'must be between 1 and 65535')
    .max(65535, 'must be between 1 and 65535')
    .default(fallback);

/** Empty strings count as unset, so `FOO= npm start` behaves like not setting FOO. */
const optionalString = z.preprocess((v) => (v === '' ? undefined : v), z.string().optional());

const envSchema = z.object({
  PORT: port(3000),
  HOST: z.string().default('127.0.0.1'),
  TEMPORAL_ADDRESS: optionalString.pipe(
    z
      .string()
      .regex(/^[^\s:/]+:\d+$/, 'must be host:port, e.g. temporal:7233')
      .optional(),
  ),
  TEMPORAL_NAMESPACE: z.string().min(1).default('default'),
  TEMPORAL_TASK_QUEUE: z.string().min(1).default('bdp-projects'),
  TEMPORAL_PORT: port(7233),
  TEMPORAL_UI_PORT: port(8233),
  /** Where administrators find the Temporal UI when TEMPORAL_ADDRESS points at a cluster. */
  TEMPORAL_UI_URL: optionalString.pipe(z.url('must be a URL').optional()),
  DATABASE_URL: optionalString.pipe(
    z
      .string()
      .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// or postgresql:// URL')
      .optional(),
  ),
  DATA_DIR: z.string().min(1).default('.data'),
  ADMIN_API_KEY: optionalString.pipe(
    z.string().min(32, 'must be at least 32 characters (it is an admin secret)').optional(),
  ),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** Art. 28: cipher of the payloads stored in Temporal (lib/codec.ts). */
  PAYLOAD_CIPHER: z.enum(PAYLOAD_CIPHERS).default('sm4'),
  /** Keyring `id:base64(32 bytes)[,…]`; `npm start` generates one in DATA_DIR when unset. */
  PAYLOAD_KEYS: optionalString,
  /** Which key of PAYLOAD_KEYS encrypts new payloads (default: the first). */
  PAYLOAD_KEY_ID: optionalString,
  /**
   * Master keys of the document store (lib/documents.ts), keyring `id:base64(32 bytes)[,…]` as
   * PAYLOAD_KEYS; unset: PAYLOAD_KEYS (or, under `npm start`, DATA_DIR/document-keys, generated once).
   */
  DOCUMENT_KEYS: optionalString,
  /** Which key of DOCUMENT_KEYS wraps new documents' data keys (default: the first). */
  DOCUMENT_KEY_ID: optionalString,
  /** Largest uploaded document in bytes (policy default 50 MiB); larger → 413. */
  DOCUMENT_MAX_BYTES: z.coerce
    .number()
    .int('must be a whole number')
    .min(1)
    .max(4 * 1024 ** 3)
    .default(50 * 1024 * 1024),
  /** Where the document store keeps its objects: `folder` (DATA_DIR/documents) or `s3` (S3_*). */
  DOCUMENT_STORE: z.enum(['folder', 's3']).default('folder'),
  /** The S3-compatible endpoint (unset: AWS S3 of S3_REGION), e.g. http://seaweedfs:8333. */
  S3_ENDPOINT: optionalString.pipe(z.url('must be a URL, e.g. http://seaweedfs:8333').optional()),
  S3_BUCKET: optionalString.pipe(
    z
      .string()
      .regex(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, 'must be an S3 bucket name (3-63 of a-z 0-9 . -)')
      .optional(),
  ),
  S3_REGION: z.string().min(1).default('us-east-1'),
  S3_ACCESS_KEY_ID: optionalString,
  S3_SECRET_ACCESS_KEY: optionalString,
  /** Path-style URLs (endpoint/bucket/key), what self-hosted stores need; `false` for virtual-hosted. */
  S3_FORCE_PATH_STYLE: z.enum(['true', 'false']).default('true'),
  /** Prefix of the store's keys inside the bucket. */
  S3_PREFIX: z
    .string()
    .regex(/^([A-Za-z0-9._-]+\/)*$/, 'must be empty or end with / (e.g. documents/)')
    .default(''),
  /** (policy) Days an uploaded document that no filing references is kept before it is removed. */
  DOCUMENT_ORPHAN_DAYS: z.coerce.number().min(0.0001, 'must be more than 0').max(3650).default(7),
  /** Age after which an unfinished upload's temporary counts as left by a crash and is removed, in seconds. */
  DOCUMENT_TEMPORARY_GRACE_SECONDS: z.coerce
    .number()
    .int('must be a whole number')
    .min(0)
    .max(7 * 86_400)
    .default(3600),
  /** How often the API sweeps crashed uploads' temporaries and orphaned documents, in seconds. */
  DOCUMENT_SWEEP_SECONDS: z.coerce.number().int('must be a whole number').min(1).max(86_400).default(3600),
  /** (policy) Uploads per minute per API key; 0 turns the limit off. */
  DOCUMENT_UPLOADS_PER_MINUTE: z.coerce.number().int('must be a whole number').min(0).max(100_000).default(30),
  /** (policy) Bytes one API key may upload per day (Asia/Shanghai); 0 turns the limit off. Default 2 GiB. */
  DOCUMENT_DAILY_BYTES: z.coerce
    .number()
    .int('must be a whole number')
    .min(0)
    .max(2 ** 50)
    .default(2 * 1024 ** 3),
  /** Write requests (POST/PUT/DELETE) per minute per API key; 0 turns the limit off. */
  RATE_LIMIT_WRITES_PER_MINUTE: z.coerce.number().int('must be a whole number').min(0).max(1_000_000).default(600),
  /**
   * (policy) Sign-in attempts per minute from one client address (every POST /v1/auth/login, a
   * malformed one too); 0 turns the limit off. Generous, as a bureau's staff may share one address.
   */
  SIGN_IN_ATTEMPTS_PER_MINUTE: z.coerce.number().int('must be a whole number').min(0).max(1_000_000).default(60),
  /**
   * Proxies whose X-Forwarded-For names the client (api/client-address.ts): comma-separated
   * addresses or CIDR ranges, e.g. `10.0.0.5,10.1.0.0/16`. Default: none — the socket's peer is the client.
   */
  TRUSTED_PROXIES: z
    .string()
    .default('')
    .transform((v) =>
      v
        .split(',')
        .map((p) => p.trim())
        .filter(Boolean),
    )
    .refine(
      (entries) => entries.every(validProxyEntry),
      'must be comma-separated IP addresses or CIDR ranges, e.g. 10.0.0.5,10.1.0.0/16',
    ),
  /**
   * Private networks webhooks may be sent to (lib/webhook-address.ts): comma-separated CIDR ranges
   * or addresses, e.g. `10.20.0.0/16` — a government intranet's receivers. Loopback, link-local,
   * unspecified and multicast ranges cannot be allowed. Default: none (public addresses only).
   */
  WEBHOOK_ALLOWED_NETWORKS: z
    .string()
    .default('')
    .transform((v) =>
      v
        .split(',')
        .map((p) => p.trim())
        .filter(Boolean),
    )
    .refine(
      (entries) => entries.every(validProxyEntry),
      'must be comma-separated IP addresses or CIDR ranges, e.g. 10.20.0.0/16',
    )
    .refine(
      (entries) => entries.every(opensNoRefusedRange),
      'may not include loopback, link-local, unspecified or multicast addresses (webhooks never go there)',
    ),
  /**
   * Workflows a worker keeps in memory between tasks (BENCHMARKS.md: 300 keeps a worker with 10,000
   * open projects under 1 GiB; an evicted workflow replays its history on its next task or query).
   */
  WORKER_MAX_CACHED_WORKFLOWS: z.coerce.number().int('must be a whole number').min(0).max(1_000_000).default(300),
  /** Workflow tasks a worker runs at once (unset: the SDK default). */
  WORKER_MAX_CONCURRENT_WORKFLOW_TASKS: z.preprocess(
    (v) => (v === '' ? undefined : v),
    z.coerce.number().int('must be a whole number').min(2, 'must be at least 2').max(10_000).optional(),
  ),
  /**
   * A file the worker touches at every heartbeat while it polls and reaches the database: a
   * container's health check tests its age (docker-compose.yml). Unset: none.
   */
  WORKER_HEALTH_FILE: optionalString,
  // Secrets from files (docker/Kubernetes secrets): X_FILE names a file whose content is X.
  ADMIN_API_KEY_FILE: optionalString,
  DATABASE_URL_FILE: optionalString,
  PAYLOAD_KEYS_FILE: optionalString,
  DOCUMENT_KEYS_FILE: optionalString,
  S3_ACCESS_KEY_ID_FILE: optionalString,
  S3_SECRET_ACCESS_KEY_FILE: optionalString,
});

/** `192.0.2.1`, `2001:db8::1`, `10.0.0.0/8`, `2001:db8::/32`. */
function validProxyEntry(entry: string): boolean {
  const [address, prefix, ...rest] = entry.split('/');
  const family = isIP(address ?? '');
  if (family === 0 || rest.length > 0) return false;
  if (prefix === undefined) return true;
  return /^\d{1,3}$/.test(prefix) && Number(prefix) <= (family === 4 ? 32 : 128);
}

/** Addresses inside the ranges webhooks may never reach: an allow-list entry holding one opens too much. */
const NEVER_WEBHOOK_PROBES = [
  '127.0.0.1',
  '169.254.169.254',
  '0.0.0.0',
  '224.0.0.1',
  '255.255.255.255',
  '::1',
  'fe80::1',
  '::',
  'ff02::1',
];
function opensNoRefusedRange(entry: string): boolean {
  if (!validProxyEntry(entry)) return true; // reported as malformed instead
  const list = networkList([entry]);
  return NEVER_WEBHOOK_PROBES.every((probe) => !list.check(probe, isIP(probe) === 6 ? 'ipv6' : 'ipv4'));
}

/** The settings that may come from a file instead (`<NAME>_FILE`): the secrets. */
export const SECRET_FILE_VARIABLES = [
  'ADMIN_API_KEY',
  'DATABASE_URL',
  'PAYLOAD_KEYS',
  'DOCUMENT_KEYS',
  'S3_ACCESS_KEY_ID',
  'S3_SECRET_ACCESS_KEY',
] as const;

/**
 * The environment with each `<NAME>_FILE` replaced by the file's content as `<NAME>` (one trailing
 * newline dropped, as `echo` and most secret stores leave one). Setting both is an error, and so is
 * a file that cannot be read; a message names the variable and the path, never the content.
 */
function withSecretFiles(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const out = { ...env };
  const problems: string[] = [];
  for (const name of SECRET_FILE_VARIABLES) {
    const file = env[`${name}_FILE`];
    if (!file) continue;
    if (env[name]) {
      problems.push(`${name}_FILE=${JSON.stringify(file)}: ${name} is set too; set one of them`);
      continue;
    }
    try {
      out[name] = fs.readFileSync(file, 'utf8').replace(/\r?\n$/, '');
    } catch (err) {
      problems.push(
        `${name}_FILE=${JSON.stringify(file)}: cannot be read (${(err as NodeJS.ErrnoException).code ?? 'error'})`,
      );
    }
  }
  if (problems.length) throw new ConfigError(problems);
  return out;
}

/** Every environment variable the config module reads; docker-compose is checked against it. */
export const CONFIG_ENV_NAMES = Object.keys(envSchema.shape) as ReadonlyArray<keyof typeof envSchema.shape>;

export interface Config {
  api: { port: number; host: string };
  temporal: {
    /** Unset: `npm start` runs the embedded dev server on temporal.port. */
    address: string | undefined;
    namespace: string;
    taskQueue: string;
    port: number;
    uiPort: number;
    uiUrl: string | undefined;
  };
  database: { url: string | undefined; dataDir: string };
  dataDir: string;
  adminApiKey: string | undefined;
  logLevel: z.infer<typeof envSchema>['LOG_LEVEL'];
  writesPerMinute: number;
  /** (policy) Sign-in attempts per minute per client address; 0: unlimited. */
  signInPerAddressPerMinute: number;
  /** Addresses and CIDR ranges of proxies whose X-Forwarded-For is believed. */
  trustedProxies: string[];
  /** Where webhooks may go besides public addresses (WEBHOOK_ALLOWED_NETWORKS). */
  webhooks: { allowedNetworks: string[] };
  payload: { cipher: PayloadCipher; keys: string | undefined; currentKeyId: string | undefined };
  documents: {
    keys: string | undefined;
    currentKeyId: string | undefined;
    maxBytes: number;
    dir: string;
    store: 'folder' | 's3';
    s3: {
      endpoint: string | undefined;
      bucket: string;
      region: string;
      accessKeyId: string | undefined;
      secretAccessKey: string | undefined;
      forcePathStyle: boolean;
      prefix: string;
    };
    /** (policy) Unreferenced uploads older than this are removed, in ms. */
    orphanAfterMs: number;
    sweepEveryMs: number;
    temporaryGraceMs: number;
    uploadsPerMinute: number;
    dailyBytes: number;
  };
  worker: {
    maxCachedWorkflows: number;
    maxConcurrentWorkflowTasks: number | undefined;
    healthFile: string | undefined;
  };
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

export function loadConfig(environment: NodeJS.ProcessEnv = process.env): Config {
  const env = withSecretFiles(environment);
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    throw new ConfigError(
      parsed.error.issues.map((issue) => {
        const name = String(issue.path[0] ?? '?');
        const value = env[name];
        const shown =
          name === 'ADMIN_API_KEY' ||
          name === 'DATABASE_URL' ||
          name === 'PAYLOAD_KEYS' ||
          name === 'DOCUMENT_KEYS' ||
          name === 'S3_SECRET_ACCESS_KEY'
            ? '(hidden)'
            : JSON.stringify(value);
        return `${name}=${shown}: ${issue.message}`;
      }),
    );
  }
  const e = parsed.data;
  if (e.DOCUMENT_STORE === 's3') {
    const missing = [
      !e.S3_BUCKET && 'S3_BUCKET',
      !!e.S3_ACCESS_KEY_ID !== !!e.S3_SECRET_ACCESS_KEY &&
        (e.S3_ACCESS_KEY_ID ? 'S3_SECRET_ACCESS_KEY' : 'S3_ACCESS_KEY_ID'),
    ].filter(Boolean);
    if (missing.length) throw new ConfigError(missing.map((name) => `${name}: required with DOCUMENT_STORE=s3`));
  }
  const dataDir = path.resolve(e.DATA_DIR);
  return {
    api: { port: e.PORT, host: e.HOST },
    temporal: {
      address: e.TEMPORAL_ADDRESS,
      namespace: e.TEMPORAL_NAMESPACE,
      taskQueue: e.TEMPORAL_TASK_QUEUE,
      port: e.TEMPORAL_PORT,
      uiPort: e.TEMPORAL_UI_PORT,
      uiUrl: e.TEMPORAL_UI_URL,
    },
    database: { url: e.DATABASE_URL, dataDir: path.join(dataDir, 'pglite') },
    dataDir,
    adminApiKey: e.ADMIN_API_KEY,
    logLevel: e.LOG_LEVEL,
    writesPerMinute: e.RATE_LIMIT_WRITES_PER_MINUTE,
    signInPerAddressPerMinute: e.SIGN_IN_ATTEMPTS_PER_MINUTE,
    trustedProxies: e.TRUSTED_PROXIES,
    webhooks: { allowedNetworks: e.WEBHOOK_ALLOWED_NETWORKS },
    payload: { cipher: e.PAYLOAD_CIPHER, keys: e.PAYLOAD_KEYS, currentKeyId: e.PAYLOAD_KEY_ID },
    documents: {
      keys: e.DOCUMENT_KEYS,
      currentKeyId: e.DOCUMENT_KEY_ID,
      maxBytes: e.DOCUMENT_MAX_BYTES,
      dir: path.join(dataDir, 'documents'),
      store: e.DOCUMENT_STORE,
      s3: {
        endpoint: e.S3_ENDPOINT,
        bucket: e.S3_BUCKET ?? '',
        region: e.S3_REGION,
        accessKeyId: e.S3_ACCESS_KEY_ID,
        secretAccessKey: e.S3_SECRET_ACCESS_KEY,
        forcePathStyle: e.S3_FORCE_PATH_STYLE === 'true',
        prefix: e.S3_PREFIX,
      },
      orphanAfterMs: Math.round(e.DOCUMENT_ORPHAN_DAYS * 86_400_000),
      sweepEveryMs: e.DOCUMENT_SWEEP_SECONDS * 1000,
      temporaryGraceMs: e.DOCUMENT_TEMPORARY_GRACE_SECONDS * 1000,
      uploadsPerMinute: e.DOCUMENT_UPLOADS_PER_MINUTE,
      dailyBytes: e.DOCUMENT_DAILY_BYTES,
    },
    worker: {
      maxCachedWorkflows: e.WORKER_MAX_CACHED_WORKFLOWS,
      maxConcurrentWorkflowTasks: e.WORKER_MAX_CONCURRENT_WORKFLOW_TASKS,
      healthFile: e.WORKER_HEALTH_FILE,
    },
  };
}

/**
 * Separate worker and API processes cannot share one embedded PGlite directory, so the production
 * entry points insist on external services.
 */
export function requireExternalServices(config: Config, entry: string): { temporalAddress: string } {
  const missing = [!config.temporal.address && 'TEMPORAL_ADDRESS', !config.database.url && 'DATABASE_URL'].filter(
    Boolean,
  );
  if (missing.length > 0) {
    throw new ConfigError(
      missing.map((name) => `${name} is required by ${entry} (use \`npm start\` for the all-in-one embedded setup)`),
    );
  }
  return { temporalAddress: config.temporal.address! };
}

/**
 * The data converter of every Temporal client and worker (Art. 28: payloads encrypted at rest).
 * With `generateIn` (only `npm start`), a missing PAYLOAD_KEYS is generated once into that directory
 * and reused; the production entry points must be given PAYLOAD_KEYS (or PAYLOAD_CIPHER=none).
 */
export function payloadConverter(
  config: Config,
  generateIn?: string,
): { payloadCodecs: import('@temporalio/common').PayloadCodec[] } | undefined {
  const { cipher, currentKeyId } = config.payload;
  if (cipher === 'none') return undefined;
  let spec = config.payload.keys;
  if (!spec && generateIn) {
    const file = path.join(generateIn, 'payload-keys');
    if (!fs.existsSync(file)) fs.writeFileSync(file, `${generateKeyringSpec()}\n`, { mode: 0o600 });
    spec = fs.readFileSync(file, 'utf8').trim();
  }
  if (!spec)
    throw new ConfigError([
      `PAYLOAD_KEYS: required with PAYLOAD_CIPHER=${cipher} (a keyring "id:base64 of 32 random bytes", shared by the worker and the API), or set PAYLOAD_CIPHER=none`,
    ]);
  try {
    return payloadCodecs(cipher, parseKeyring(spec, currentKeyId));
  } catch (err) {
    throw new ConfigError([`PAYLOAD_KEYS=(hidden): ${(err as Error).message}`]);
  }
}

/**
 * The document store's master keyring (lib/documents.ts): DOCUMENT_KEYS, else PAYLOAD_KEYS (with
 * DOCUMENT_KEY_ID choosing the current key of either); with `generateIn` (only `npm start`) a missing
 * keyring is generated once into `<generateIn>/document-keys`.
 */
export function documentKeyring(config: Config, generateIn?: string): Keyring {
  let spec = config.documents.keys ?? config.payload.keys;
  const name = config.documents.keys ? 'DOCUMENT_KEYS' : 'PAYLOAD_KEYS';
  if (!spec && generateIn) {
    const file = path.join(generateIn, 'document-keys');
    if (!fs.existsSync(file)) fs.writeFileSync(file, `${generateKeyringSpec()}\n`, { mode: 0o600 });
    spec = fs.readFileSync(file, 'utf8').trim();
  }
  if (!spec)
    throw new ConfigError([
      'DOCUMENT_KEYS: required by the document store (a keyring "id:base64 of 32 random bytes"), or set PAYLOAD_KEYS',
    ]);
  try {
    return parseKeyring(
      spec,
      config.documents.currentKeyId ?? (config.documents.keys ? undefined : config.payload.currentKeyId),
    );
  } catch (err) {
    throw new ConfigError([`${name}=(hidden): ${(err as Error).message.replace('PAYLOAD_KEY_ID', 'DOCUMENT_KEY_ID')}`]);
  }
}

/**
 * The webhook address policy of this deployment (lib/webhook-address.ts): the administrator's
 * allow-list and the system's own endpoints — Temporal (the cluster's, else the embedded dev server
 * and its UI on this machine), PostgreSQL, the S3 store, the API — which no webhook may reach.
 */
export function webhookPolicy(config: Config): WebhookAddressPolicy {
  const hostPort = (url: string, fallbackPort: number) => {
    try {
      const u = new URL(url);
      return `${u.hostname.replace(/^\[|\]$/g, '')}:${u.port || fallbackPort}`;
    } catch {
      return undefined;
    }
  };
  const endpoints = [
    config.temporal.address ?? `127.0.0.1:${config.temporal.port}`,
    `127.0.0.1:${config.temporal.uiPort}`,
    config.temporal.uiUrl ? hostPort(config.temporal.uiUrl, 80) : undefined,
    config.database.url ? hostPort(config.database.url, 5432) : undefined,
    config.documents.s3.endpoint ? hostPort(config.documents.s3.endpoint, 443) : undefined,
    `${config.api.host}:${config.api.port}`,
  ];
  return {
    allowedNetworks: config.webhooks.allowedNetworks,
    systemEndpoints: endpoints.filter((e): e is string => e !== undefined && !e.startsWith('0.0.0.0:')),
  };
}
