/**
 * Steps 1-3 of `npm run compose:test` (scripts/compose-up.ts): what a new machine lacks, and the
 * stand-in base images built because no container registry is reachable.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { goModuleDir, GO_TOOLS, resolveGoTool, toolsCacheDir } from '../go-tools.ts';
import { resolveS3Server } from '../s3-server.ts';
import { resolveDevServer, resolveServerTools, TEMPORAL_SERVER_VERSION } from '../temporal-bin.ts';
import { has, log, ROOT, run, STANDINS, workDir } from './shell.ts';

const PODMAN_COMPOSE_VERSION = '1.6.0';

// --- 1. what a new machine lacks ------------------------------------------------------------------

export function prerequisites(): string {
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
export function composeImages(): Record<string, string> {
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

export async function standInImages(): Promise<void> {
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
