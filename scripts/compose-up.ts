/**
 * docker-compose.yml for real, with podman (`npm run compose:test`; CI runs it as a step of its own):
 *
 * 1. What a new machine lacks: podman (runc, netavark), mmdebstrap and openssl from Debian, podman-compose
 *    from PyPI (pinned, in a venv in the cache); the engine settings this machine needs
 *    (`default_ulimits = []`, `pids_limit = 0`, runc) in /etc/containers/containers.conf.d.
 * 2. Stand-in base images, because no container registry is reachable: a Debian bookworm root
 *    (mmdebstrap, with the host's CA bundle) and on it, from deploy/standins/*.Containerfile, images
 *    tagged with the names the Dockerfile and docker-compose.yml use — node:20-bookworm-slim (the host's
 *    Node), postgres:15 (Debian's), temporalio/server and admin-tools (the binaries scripts/temporal-bin.ts
 *    builds), temporalio/ui (ui-server from the Go module proxy), chrislusf/seaweedfs (the S3 test
 *    server, scripts/s3-server.ts) and caddy:2.6.2 (Debian's). Each is rebuilt only when its inputs change.
 * 3. The project image from ./Dockerfile (podman build, layers cached).
 * 4. Secrets in a fresh directory (a self-signed certificate for localhost), then the topology with
 *    podman-compose — in dependency order, step by step: podman-compose does not wait for
 *    `service_healthy` / `service_completed_successfully`, and podman runs health checks from systemd
 *    timers, which a container-less CI machine does not have, so this script runs them
 *    (`podman healthcheck run`) and waits for each group before starting the next.
 * 5. Through the proxy only (https://localhost:<port>, the certificate as CA): /readyz counting two
 *    workers, the console at /, the Temporal UI behind basic auth, a document uploaded and read back,
 *    a project from application to its budget (held for the BDB's plan, Art. 11); then kill -9 of one API and one worker and a second
 *    project; then the counts (two projects, one audit entry per command, one allocation each,
 *    `audit:verify` clean inside an API container) and /readyz again.
 * 6. `podman-compose down -v` (unless --keep).
 *
 * Prints one closing line `compose: passed (N s)` or exits non-zero naming the step that failed.
 */
import { spawn, spawnSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import { request as httpsRequest } from 'node:https';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { goModuleDir, GO_TOOLS, resolveGoTool, toolsCacheDir } from './go-tools.ts';
import { resolveS3Server } from './s3-server.ts';
import { resolveDevServer, resolveServerTools, TEMPORAL_SERVER_VERSION } from './temporal-bin.ts';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const STANDINS = path.join(ROOT, 'deploy', 'standins');
const { values: options } = parseArgs({
  options: { keep: { type: 'boolean', default: false }, project: { type: 'string', default: 'bdp-compose-test' } },
  strict: true,
});
const PROJECT = options.project!;
const PODMAN_COMPOSE_VERSION = '1.6.0';
const started = Date.now();
const elapsed = () => `${((Date.now() - started) / 1000).toFixed(0)} s`;
const log = (line: string) => console.log(`[compose ${elapsed()}] ${line}`);

/** Runs a command; its output is returned (and shown when it fails). */
function run(
  cmd: string,
  args: string[],
  opts: { env?: NodeJS.ProcessEnv; cwd?: string; input?: string; allowFail?: boolean } = {},
): { status: number; stdout: string; stderr: string } {
  const r = spawnSync(cmd, args, {
    cwd: opts.cwd ?? ROOT,
    env: opts.env ?? process.env,
    input: opts.input,
    encoding: 'utf8',
    maxBuffer: 256 * 1024 * 1024,
  });
  const result = { status: r.status ?? 1, stdout: r.stdout ?? '', stderr: r.stderr ?? '' };
  if (result.status !== 0 && !opts.allowFail) {
    throw new Error(
      `${cmd} ${args.join(' ')} → exit ${result.status}\n${(result.stdout + result.stderr).trim().split('\n').slice(-40).join('\n')}`,
    );
  }
  return result;
}
/** Runs a long command with its output streamed to a log file; the tail is shown when it fails. */
async function runLogged(
  cmd: string,
  args: string[],
  logFile: string,
  env: NodeJS.ProcessEnv = process.env,
): Promise<void> {
  const out = fs.openSync(logFile, 'a');
  const child = spawn(cmd, args, { cwd: ROOT, env, stdio: ['ignore', out, out] });
  const code = await new Promise<number>((resolve) => child.once('exit', (c) => resolve(c ?? 1)));
  fs.closeSync(out);
  if (code !== 0)
    throw new Error(
      `${cmd} ${args.slice(0, 6).join(' ')} … → exit ${code}\n${fs.readFileSync(logFile, 'utf8').trim().split('\n').slice(-40).join('\n')}`,
    );
}
const has = (cmd: string) => spawnSync('sh', ['-c', `command -v ${cmd}`]).status === 0;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'bdp-compose-'));
const logFile = path.join(workDir, 'build.log');

// --- 1. what a new machine lacks ------------------------------------------------------------------

function prerequisites(): string {
  if (process.getuid?.() !== 0) throw new Error('runs as root: rootful podman and apt-get (CI runs as root)');
  const packages = [
    'podman',
    'mmdebstrap',
    'runc',
    'netavark',
    'aardvark-dns',
    'catatonit',
    'openssl',
    'uidmap',
    'fuse-overlayfs',
    'containernetworking-plugins',
  ];
  if (!['podman', 'mmdebstrap', 'runc', 'openssl', 'catatonit'].every(has)) {
    log(`apt-get install ${packages.join(' ')}`);
    const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
    run('apt-get', ['update', '-qq'], { env });
    run('apt-get', ['install', '-y', '-qq', '--no-install-recommends', ...packages], { env });
  }
  const conf = '/etc/containers/containers.conf.d/50-jincheng-bdp.conf';
  const wanted =
    '# scripts/compose-up.ts: runc; no default ulimits or pids limit (this machine\'s kernel refuses them).\n[containers]\ndefault_ulimits = []\npids_limit = 0\n\n[engine]\nruntime = "runc"\n';
  if (!fs.existsSync(conf) || fs.readFileSync(conf, 'utf8') !== wanted) {
    fs.mkdirSync(path.dirname(conf), { recursive: true });
    fs.writeFileSync(conf, wanted);
  }
  const venv = path.join(toolsCacheDir(), `podman-compose-${PODMAN_COMPOSE_VERSION}`);
  const podmanCompose = path.join(venv, 'bin', 'podman-compose');
  if (!fs.existsSync(podmanCompose)) {
    log(`podman-compose ${PODMAN_COMPOSE_VERSION} from PyPI into ${venv}`);
    run('python3', ['-m', 'venv', venv]);
    run(path.join(venv, 'bin', 'pip'), ['install', '-q', `podman-compose==${PODMAN_COMPOSE_VERSION}`]);
  }
  log(
    `${run('podman', ['--version']).stdout.trim()}, runtime ${run('podman', ['info', '--format', '{{.Host.OCIRuntime.Name}}']).stdout.trim()}, podman-compose ${PODMAN_COMPOSE_VERSION}`,
  );
  return podmanCompose;
}

// --- 2. stand-in base images ----------------------------------------------------------------------

const imageLabel = (tag: string) =>
  run('podman', ['image', 'inspect', '--format', '{{index .Labels "bdp.inputs"}}', tag], {
    allowFail: true,
  }).stdout.trim();

/**
 * A digest of strings and files: a small file by its content, a large one (a binary) by its size and
 * modification time, a directory by the same of every file under it (names relative to it).
 */
function digest(...parts: Array<string | { file: string }>): string {
  const h = createHash('sha256');
  const addFile = (file: string, name: string) => {
    const st = fs.statSync(file);
    if (st.isDirectory()) {
      for (const entry of fs.readdirSync(file).sort()) addFile(path.join(file, entry), `${name}/${entry}`);
      return;
    }
    h.update(`${name}:${st.size}`);
    h.update(st.size < 1_000_000 ? fs.readFileSync(file) : String(st.mtimeMs));
  };
  for (const p of parts) {
    if (typeof p === 'string') h.update(p);
    else addFile(p.file, '');
  }
  return h.digest('hex').slice(0, 16);
}

const BASE_TAG = 'localhost/bdp-standin-base:bookworm';

function baseImage(): string {
  const caBundle = '/etc/ssl/certs/ca-certificates.crt';
  const inputs = digest('mmdebstrap --variant=minbase --include=ca-certificates,wget bookworm', { file: caBundle });
  if (imageLabel(BASE_TAG) === inputs) return BASE_TAG;
  log('stand-in base: mmdebstrap bookworm (minbase, ca-certificates, wget, the host CA bundle)…');
  const tar = path.join(workDir, 'base.tar');
  run('mmdebstrap', [
    '--variant=minbase',
    '--include=ca-certificates,wget',
    `--customize-hook=copy-in ${caBundle} /etc/ssl/certs/`,
    'bookworm',
    tar,
  ]);
  run('podman', ['import', '--change', `LABEL bdp.inputs=${inputs}`, tar, BASE_TAG]);
  fs.rmSync(tar, { force: true });
  return BASE_TAG;
}

/** Builds `tag` from deploy/standins/<containerfile> with `files` (name → host path) as its context. */
function standIn(tag: string, containerfile: string, files: Record<string, string>, base: string): void {
  const inputs = digest(
    base,
    imageLabel(base),
    { file: path.join(STANDINS, containerfile) },
    ...Object.entries(files).flatMap(([name, file]) => [name, { file }]),
  );
  if (imageLabel(tag) === inputs) {
    log(`${tag}: up to date`);
    return;
  }
  const context = fs.mkdtempSync(path.join(workDir, 'context-'));
  for (const [name, file] of Object.entries(files))
    fs.cpSync(file, path.join(context, name), { recursive: true, dereference: true });
  log(`${tag}: building`);
  run('podman', [
    'build',
    '--pull=never',
    '--build-arg',
    `BASE=${base}`,
    '--label',
    `bdp.inputs=${inputs}`,
    '-f',
    path.join(STANDINS, containerfile),
    '-t',
    tag,
    context,
  ]);
  fs.rmSync(context, { recursive: true, force: true });
}

/** The compose file's images, by service (the stand-ins must carry exactly these names). */
function composeImages(): Record<string, string> {
  const text = fs.readFileSync(path.join(ROOT, 'docker-compose.yml'), 'utf8');
  const images: Record<string, string> = {};
  let current = '';
  for (const line of text.split('\n')) {
    const svc = /^ {2}([a-z][a-z0-9-]*):\s*$/.exec(line);
    if (svc) current = svc[1]!;
    const img = /^ {4}image: (\S+)\s*$/.exec(line);
    if (img && current) images[current] = img[1]!;
  }
  return images;
}

async function standInImages(): Promise<void> {
  const base = baseImage();
  const images = composeImages();
  const docker = (name: string) => (name.includes('/') ? `docker.io/${name}` : `docker.io/library/${name}`);
  const node = fs.realpathSync(process.execPath);
  const npm = path.resolve(path.dirname(fs.realpathSync(run('sh', ['-c', 'command -v npm']).stdout.trim())), '..');
  const nodeFrom = /^FROM (node:\S+)/m.exec(fs.readFileSync(path.join(ROOT, 'Dockerfile'), 'utf8'))![1]!;
  standIn(docker(nodeFrom), 'node.Containerfile', { node, npm }, base);
  standIn(
    docker(images.postgresql!),
    'postgres.Containerfile',
    { 'postgres-entrypoint.sh': path.join(STANDINS, 'postgres-entrypoint.sh') },
    base,
  );

  const version = TEMPORAL_SERVER_VERSION.replace(/^v/, '');
  if (images.temporal !== `temporalio/server:${version}`)
    throw new Error(`docker-compose.yml runs ${images.temporal}; the project builds Temporal ${version}`);
  const tools = await resolveServerTools({ log });
  const dev = await resolveDevServer({ log });
  if (dev.type !== 'existing-path') throw new Error('the Temporal CLI is not built (npm run temporal:setup)');
  const serverModule = goModuleDir('go.temporal.io/server', TEMPORAL_SERVER_VERSION);
  // The real image renders docker/config_template.yaml with dockerize (`.Env.X`, `default VALUE
  // FALLBACK`); temporal-server renders a file that says "enable-template" itself, with sprig's
  // functions (`env "X"`, `default FALLBACK VALUE`).
  const template = fs
    .readFileSync(path.join(serverModule, 'docker', 'config_template.yaml'), 'utf8')
    .replace(/default \.Env\.([A-Za-z0-9_]+) ("[^"]*"|\$[A-Za-z0-9_]+)/g, 'default $2 (env "$1")')
    .replace(/\.Env\.([A-Za-z0-9_]+)/g, '(env "$1")');
  const rendered = path.join(workDir, 'temporal-docker.yaml');
  fs.writeFileSync(rendered, `# enable-template\n${template}`);
  standIn(
    docker(images.temporal),
    'temporal-server.Containerfile',
    {
      'temporal-server': tools.server,
      temporal: dev.path,
      'docker.yaml': rendered,
      'dynamicconfig-docker.yaml': path.join(serverModule, 'config', 'dynamicconfig', 'docker.yaml'),
      'temporal-entrypoint.sh': path.join(STANDINS, 'temporal-entrypoint.sh'),
    },
    base,
  );
  const schema = path.join(workDir, 'schema');
  fs.mkdirSync(path.join(schema, 'postgresql'), { recursive: true });
  fs.cpSync(tools.postgresSchemaDir, path.join(schema, 'postgresql', 'v12'), { recursive: true });
  standIn(
    docker(images['temporal-admin-tools']!),
    'temporal-admin-tools.Containerfile',
    { 'temporal-sql-tool': tools.sqlTool, temporal: dev.path, schema },
    base,
  );

  const ui = GO_TOOLS['ui-server'];
  if (images['temporal-ui'] !== `temporalio/ui:${ui.version.replace(/^v/, '')}`)
    throw new Error(`docker-compose.yml runs ${images['temporal-ui']}; the stand-in is ui-server ${ui.version}`);
  standIn(
    docker(images['temporal-ui']),
    'temporal-ui.Containerfile',
    {
      'ui-server': resolveGoTool('ui-server', log),
      'docker.yaml': path.join(goModuleDir('github.com/temporalio/ui-server/v2', ui.version), 'config', 'docker.yaml'),
    },
    base,
  );

  const s3 = resolveS3Server({ log });
  if ('missing' in s3) throw new Error(`the S3 test server: ${s3.missing}`);
  standIn(
    docker(images.seaweedfs!),
    'seaweedfs.Containerfile',
    { gofakes3: s3.path, 'seaweedfs-entrypoint.sh': path.join(STANDINS, 'seaweedfs-entrypoint.sh') },
    base,
  );
  standIn(docker(images.proxy!), 'caddy.Containerfile', {}, base);
}

// --- 4. secrets and the topology ------------------------------------------------------------------

function makeSecrets(dir: string, caddyImage: string): { admin: string; uiUser: string; uiPassword: string } {
  fs.mkdirSync(dir, { mode: 0o700 });
  const write = (name: string, value: string) => fs.writeFileSync(path.join(dir, name), `${value}\n`, { mode: 0o644 });
  const pg = randomBytes(18).toString('hex');
  const admin = `compose-admin-${randomBytes(24).toString('hex')}`;
  write('postgres_password', pg);
  write('database_url', `postgres://bdp:${pg}@postgresql:5432/bdp`);
  write('payload_keys', `k1:${randomBytes(32).toString('base64')}`);
  write('admin_api_key', admin);
  write('s3_secret_access_key', randomBytes(24).toString('hex'));
  run('openssl', [
    'req',
    '-x509',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-days',
    '2',
    '-subj',
    '/CN=localhost',
    '-addext',
    'subjectAltName=DNS:localhost,IP:127.0.0.1',
    '-keyout',
    path.join(dir, 'tls_key'),
    '-out',
    path.join(dir, 'tls_cert'),
  ]);
  fs.chmodSync(path.join(dir, 'tls_key'), 0o644);
  const uiPassword = randomBytes(12).toString('hex');
  const hash = run('podman', [
    'run',
    '--rm',
    '--pull=never',
    caddyImage,
    'caddy',
    'hash-password',
    '--plaintext',
    uiPassword,
  ]).stdout.trim();
  write('ui_users', `admin ${hash}`);
  return { admin, uiUser: 'admin', uiPassword };
}

async function freePort(): Promise<number> {
  const { createServer } = await import('node:net');
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

const containersOf = (service: string): string[] =>
  run('podman', [
    'ps',
    '-a',
    '--filter',
    `label=io.podman.compose.project=${PROJECT}`,
    '--filter',
    `label=com.docker.compose.service=${service}`,
    '--format',
    '{{.Names}}',
  ])
    .stdout.split('\n')
    .filter(Boolean)
    .sort();

/** Runs each container's health check until it passes (podman's own timers need systemd). */
async function waitHealthy(service: string, count: number, timeoutMs = 300_000): Promise<string[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const names = containersOf(service);
    const healthy = names.filter((n) => run('podman', ['healthcheck', 'run', n], { allowFail: true }).status === 0);
    if (healthy.length >= count) {
      log(`${service}: ${healthy.length} healthy (${healthy.join(', ')})`);
      return healthy;
    }
    if (Date.now() > deadline) {
      const logs = names
        .map(
          (n) =>
            `--- ${n}\n${run('podman', ['logs', '--tail', '40', n], { allowFail: true }).stdout}${run('podman', ['logs', '--tail', '40', n], { allowFail: true }).stderr}`,
        )
        .join('\n');
      throw new Error(`${service}: ${healthy.length} of ${count} healthy after ${timeoutMs / 1000} s\n${logs}`);
    }
    await sleep(2_000);
  }
}

/** Waits for a one-shot job's container to exit 0. */
async function waitCompleted(service: string): Promise<void> {
  const [name] = containersOf(service);
  if (!name) throw new Error(`${service}: no container`);
  const code = Number(run('podman', ['wait', name]).stdout.trim());
  if (code !== 0)
    throw new Error(
      `${service} exited ${code}\n${run('podman', ['logs', name], { allowFail: true }).stdout}${run('podman', ['logs', name], { allowFail: true }).stderr}`,
    );
  log(`${service}: completed`);
}

// --- 5. through the proxy -------------------------------------------------------------------------

interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
  json: any; // eslint-disable-line @typescript-eslint/no-explicit-any
}

function https(
  ca: Buffer,
  port: number,
  method: string,
  p: string,
  opts: { key?: string; body?: unknown; raw?: Buffer; headers?: Record<string, string> } = {},
): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string> = { ...opts.headers };
    if (opts.key) headers.authorization = `Bearer ${opts.key}`;
    let payload: Buffer | undefined;
    if (opts.raw) payload = opts.raw;
    else if (opts.body !== undefined) {
      payload = Buffer.from(JSON.stringify(opts.body));
      headers['content-type'] ??= 'application/json';
    }
    if (payload) headers['content-length'] = String(payload.length);
    const req = httpsRequest(
      { host: '127.0.0.1', servername: 'localhost', port, method, path: p, ca, headers, timeout: 60_000 },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const body = Buffer.concat(chunks);
          let json: unknown;
          try {
            json = JSON.parse(body.toString('utf8'));
          } catch {
            json = undefined;
          }
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body, json });
        });
      },
    );
    req.on('timeout', () => req.destroy(new Error(`${method} ${p}: timed out`)));
    req.on('error', reject);
    req.end(payload);
  });
}

const expectStatus = (what: string, a: Answer, ...ok: number[]) => {
  if (!ok.includes(a.status)) throw new Error(`${what}: ${a.status} ${a.body.toString('utf8').slice(0, 500)}`);
  return a;
};

async function drive(
  ca: Buffer,
  ports: { api: number; ui: number },
  secrets: { admin: string; uiUser: string; uiPassword: string },
) {
  const answers = new Map<string, number>();
  /**
   * A request as a client sends it: a 502 (the proxy found a replica dead; the request reached none)
   * or a 503 is retried after a second, a few times.
   */
  const call = async (method: string, p: string, opts: Parameters<typeof https>[4] = {}) => {
    for (let i = 0; ; i++) {
      const a = await https(ca, ports.api, method, p, opts);
      if (i >= 10 || (a.status !== 502 && a.status !== 503)) return a;
      answers.set(`${a.status} (${method} retried)`, (answers.get(`${a.status} (${method} retried)`) ?? 0) + 1);
      await sleep(1_000);
    }
  };
  /** A client's retry loop: the same Idempotency-Key until an answer that is not 503/409-in-progress. */
  const command = async (what: string, p: string, key: string, body: unknown, idem: string) => {
    for (let i = 0; ; i++) {
      const a = await call('POST', p, { key, body, headers: { 'idempotency-key': idem } }).catch(
        (err: Error) => ({ status: 0, headers: {}, body: Buffer.from(err.message), json: undefined }) as Answer,
      );
      answers.set(String(a.status), (answers.get(String(a.status)) ?? 0) + 1);
      if (a.status === 200 || a.status === 201) return a.json;
      if (
        i > 40 ||
        !(
          a.status === 0 ||
          a.status === 502 ||
          a.status === 503 ||
          (a.status === 409 && a.json?.code === 'idempotency_in_progress')
        )
      )
        expectStatus(what, a, 200, 201);
      await sleep(Math.min(10, Number(a.headers['retry-after'] ?? 1)) * 1000);
    }
  };

  const ready = expectStatus('/readyz through the proxy', await call('GET', '/readyz'), 200);
  if (ready.json.workers !== 2) throw new Error(`/readyz counts ${ready.json.workers} workers, not 2: ${ready.body}`);
  log(`/readyz: ${ready.body.toString('utf8')}`);
  if (!/max-age=/.test(String(ready.headers['strict-transport-security'] ?? '')))
    throw new Error('no HSTS header behind the TLS proxy');
  const consolePage = expectStatus('the console at /', await call('GET', '/'), 200);
  if (!String(consolePage.headers['content-type']).includes('text/html')) throw new Error('/ is not the console page');
  log('the console: served at / (text/html)');
  const ui = (auth?: string) =>
    https(ca, ports.ui, 'GET', '/', {
      headers: auth ? { authorization: `Basic ${Buffer.from(auth).toString('base64')}` } : {},
    });
  expectStatus('the Temporal UI without credentials', await ui(), 401);
  expectStatus('the Temporal UI with basic auth', await ui(`${secrets.uiUser}:${secrets.uiPassword}`), 200);
  log('the Temporal UI: 401 without credentials, 200 with them');

  const newKey = async (body: unknown) =>
    expectStatus('an API key', await call('POST', '/v1/admin/api-keys', { key: secrets.admin, body }), 201).json
      .key as string;
  const keys = {
    bdb: await newKey({ role: 'bdb', name: '市大数据应用局' }),
    approval: await newKey({ role: 'approval', name: '市行政审批服务管理局' }),
    finance: await newKey({ role: 'finance', name: '市财政局' }),
    dept: await newKey({ role: 'department', name: '市卫健委', department: 'health' }),
  };
  const year = 2026;
  expectStatus(
    'the annual plan',
    await call('PUT', `/v1/annual-plans/${year}`, {
      key: keys.bdb,
      body: {
        items: [
          { code: `${year}-HEALTH-01`, title: '智慧医疗数据平台', department: 'health', ceilingFen: 500_000_000 },
        ],
      },
    }),
    200,
    201,
  );
  expectStatus(
    'the plan approval',
    await call('POST', `/v1/annual-plans/${year}/approval`, {
      key: keys.bdb,
      body: { approvedOn: `${year}-01-10`, documentNo: '晋市政函〔2026〕1号' },
    }),
    200,
    201,
  );

  // A document through the S3 store: uploaded and read back, each request to whichever replica.
  const pdf = Buffer.concat([Buffer.from('%PDF-1.7\n'), randomBytes(256 * 1024)]);
  const up = expectStatus(
    'an upload',
    await call('POST', '/v1/documents', {
      key: keys.dept,
      raw: pdf,
      headers: { 'content-type': 'application/pdf', 'x-file-name': 'proposal.pdf' },
    }),
    201,
  );
  const reads = await Promise.all(
    [0, 1, 2, 3].map(() => call('GET', `/v1/documents/${up.json.id}`, { key: keys.dept })),
  );
  if (!reads.every((r) => r.status === 200 && r.body.equals(pdf)))
    throw new Error(`the document read back differs: ${reads.map((r) => r.status).join(',')}`);
  log('a document: uploaded and read back 4 times through the proxy (the same bytes)');

  const checklist = {
    resourceCatalog: true,
    dataSharing: true,
    intensiveConstruction: true,
    cloudDeployment: true,
    securityControllable: true,
  };
  const lifecycle = async (n: number) => {
    const application = {
      title: `智慧医疗数据平台 ${n}`,
      summary: 'compose test',
      kind: 'new',
      year,
      annualPlanItem: `${year}-HEALTH-01`,
      estimate: { totalFen: 120_000_000, cityShareFen: 120_000_000, countyShareFen: 0 },
      plannedCompletionDate: '2027-06-30',
      documents: {
        proposal: up.json.id,
        feasibilityStudy: 'sha256:2b',
        preliminaryDesign: 'sha256:3c',
        investmentEstimate: 'sha256:4d',
      },
      classified: false,
      leader: { name: '张伟', post: '信息科科长', contact: '0356-2020001' },
    };
    const created = await command('application', '/v1/projects', keys.dept, application, `compose-create-${n}`);
    const id = created.id as string;
    await command(
      'technical review',
      `/v1/projects/${id}/technical-review`,
      keys.bdb,
      { decision: 'pass', opinion: '通过', checklist },
      `compose-review-${n}`,
    );
    await command(
      'establishment',
      `/v1/projects/${id}/establishment`,
      keys.approval,
      { decision: 'approve', approvalNo: `晋审批〔2026〕${n}号`, opinion: '同意', approvedEstimateFen: 120_000_000 },
      `compose-establishment-${n}`,
    ); // Art. 8: 批复概算
    const budget = await command(
      'budget',
      `/v1/projects/${id}/budget`,
      keys.finance,
      { fundType: 'construction', year, amountFen: 100_000_000, cityShareFen: 100_000_000, countyShareFen: 0 },
      `compose-budget-${n}`,
    );
    // Art. 11: the money is held until the BDB publishes its allocation plan.
    if (budget.stage !== 'budgeting')
      throw new Error(`project ${id} is ${budget.stage} after its budget, not budgeting`);
    return id;
  };
  let t = Date.now();
  const first = await lifecycle(1);
  log(
    `project ${first}: application → review → establishment → budget (held for the BDB's plan) through the proxy, ${((Date.now() - t) / 1000).toFixed(1)} s`,
  );

  // kill -9 of one API and one worker, as a crash would: the process, not a stop.
  const apis = containersOf('api');
  const workers = containersOf('worker');
  for (const victim of [apis[0]!, workers[0]!]) {
    const pid = run('podman', ['inspect', '--format', '{{.State.Pid}}', victim]).stdout.trim();
    run('kill', ['-9', pid]);
    log(`killed ${victim} (kill -9 of pid ${pid})`);
  }
  t = Date.now();
  const second = await lifecycle(2);
  log(
    `project ${second}: the same right after the kills, ${((Date.now() - t) / 1000).toFixed(1)} s (answers on the way: ${[...answers].map(([k, v]) => `${v} × ${k}`).join(', ')})`,
  );

  // The counts.
  for (const id of [first, second]) {
    const history = expectStatus(
      'a history',
      await call('GET', `/v1/projects/${id}/history`, { key: keys.bdb }),
      200,
    ).json;
    const entries = (history.items ?? history.entries ?? history) as Array<{ action: string }>;
    const counts = ['application', 'technical-review', 'establishment', 'budget'].map(
      (a) => entries.filter((e) => e.action === a).length,
    );
    if (counts.join('') !== '1111')
      throw new Error(`project ${id}: audit entries per command ${counts.join('/')} (want 1/1/1/1)`);
    const ledger = expectStatus(
      'a ledger',
      await call('GET', `/v1/projects/${id}/ledger`, { key: keys.finance }),
      200,
    ).json;
    const allocations = (ledger.movements as Array<{ kind: string }>).filter((m) => m.kind === 'allocate').length;
    if (allocations !== 1) throw new Error(`project ${id}: ${allocations} allocations (want 1)`);
  }
  const list = expectStatus('the project list', await call('GET', '/v1/projects', { key: keys.bdb }), 200).json;
  if (list.items.length !== 2) throw new Error(`${list.items.length} projects listed (want 2)`);
  log('counts: 2 projects, each with one audit entry per command and one allocation');
  const survivor = containersOf('api').find((n) => n !== apis[0]) ?? apis[1]!;
  const verify = run('podman', ['exec', survivor, 'npx', 'tsx', 'scripts/audit-verify.ts'], { allowFail: true });
  if (verify.status !== 0)
    throw new Error(`audit:verify in ${survivor}: exit ${verify.status}\n${verify.stdout}${verify.stderr}`);
  log(`audit:verify in ${survivor}: clean (${verify.stdout.trim().split('\n').length} lines)`);
  const after = await call('GET', '/readyz');
  log(`/readyz after the kills: ${after.status} ${after.body.toString('utf8')}`);
  if (after.status !== 200) throw new Error('/readyz is not 200 after the kills');
}

// --- main -----------------------------------------------------------------------------------------

async function main() {
  const podmanCompose = prerequisites();
  log('stand-in images');
  await standInImages();
  const image = `localhost/jincheng-bdp:compose-test`;
  log(`${image}: podman build ./Dockerfile (log: ${logFile})`);
  await runLogged('podman', ['build', '--pull=never', '-t', image, '-f', 'Dockerfile', '.'], logFile);
  // Each build leaves the previous one's stages dangling (1-2 GB); a day's worth stays as layer cache.
  run('podman', ['image', 'prune', '-f', '--filter', 'until=24h'], { allowFail: true });

  const secretsDir = path.join(workDir, 'secrets');
  const caddyImage = `docker.io/library/${composeImages().proxy}`;
  const secrets = makeSecrets(secretsDir, caddyImage);
  const ports = { api: await freePort(), ui: await freePort() };
  const env = {
    ...process.env,
    BDP_SECRETS_DIR: secretsDir,
    BDP_IMAGE: image,
    BDP_HTTPS_PORT: String(ports.api),
    BDP_UI_PORT: String(ports.ui),
    BDP_PUBLIC_URL: `https://localhost:${ports.api}`,
    BDP_UI_URL: `https://localhost:${ports.ui}`,
  };
  const compose = (args: string[]) => run(podmanCompose, ['-p', PROJECT, '-f', 'docker-compose.yml', ...args], { env });
  run(podmanCompose, ['-p', PROJECT, '-f', 'docker-compose.yml', 'down', '-v'], { env, allowFail: true });
  let failed: unknown;
  try {
    const up = (...services: string[]) => compose(['up', '-d', '--no-build', '--no-deps', ...services]);
    up('postgresql', 'seaweedfs');
    await waitHealthy('postgresql', 1);
    await waitHealthy('seaweedfs', 1);
    up('temporal-schema');
    await waitCompleted('temporal-schema');
    up('temporal');
    await waitHealthy('temporal', 1);
    up('temporal-admin-tools');
    await waitCompleted('temporal-admin-tools');
    up('temporal-ui', 'worker', 'api');
    await waitHealthy('temporal-ui', 1);
    await waitHealthy('worker', 2);
    await waitHealthy('api', 2);
    up('proxy');
    await waitHealthy('proxy', 1);
    log(
      `up: ${run('podman', ['ps', '--filter', `label=io.podman.compose.project=${PROJECT}`, '--format', '{{.Names}}'])
        .stdout.trim()
        .split('\n')
        .join(', ')}`,
    );
    await drive(fs.readFileSync(path.join(secretsDir, 'tls_cert')), ports, secrets);
  } catch (err) {
    failed = err;
  } finally {
    if (!options.keep) {
      run(podmanCompose, ['-p', PROJECT, '-f', 'docker-compose.yml', 'down', '-v'], { env, allowFail: true });
      fs.rmSync(workDir, { recursive: true, force: true });
    } else {
      log(`kept: project ${PROJECT}, secrets in ${secretsDir}; podman-compose -p ${PROJECT} down -v when done`);
    }
  }
  if (failed) throw failed;
  console.log(`compose: passed (${elapsed()})`);
}

main().catch((err) => {
  console.error(`compose: FAILED after ${elapsed()}: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
