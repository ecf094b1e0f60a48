/**
 * Go tools the deployment checks need, built once from the Go module proxy into the project's cache
 * (like scripts/temporal-bin.ts does for Temporal): `go install <pkg>@<version>` with GOBIN a staging
 * directory, renamed into `<cache>/<name>-<version>/` so a half-built binary is never found.
 *
 *   helm       helm.sh/helm/v4/cmd/helm                       `helm lint` / `helm template` (deploy/helm)
 *   ui-server  github.com/temporalio/ui-server/v2/cmd/server  the Temporal UI stand-in (scripts/compose-up.ts)
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const GO_TOOLS = {
  helm: { pkg: 'helm.sh/helm/v4/cmd/helm', version: 'v4.3.2', built: 'helm', binary: 'helm' },
  // The version the Temporal CLI v1.5.1 embeds (its go.mod), and the temporalio/ui tag compose pins.
  'ui-server': {
    pkg: 'github.com/temporalio/ui-server/v2/cmd/server',
    version: 'v2.42.1',
    built: 'server',
    binary: 'ui-server',
  },
} as const;
export type GoTool = keyof typeof GO_TOOLS;

export function toolsCacheDir(env: NodeJS.ProcessEnv = process.env): string {
  const base = env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache');
  return path.join(base, 'jincheng-bdp');
}

/** The tool's binary, built when missing (minutes of CPU the first time). */
export function resolveGoTool(
  name: GoTool,
  log: (line: string) => void = (l) => process.stderr.write(`[go-tools] ${l}\n`),
): string {
  const tool = GO_TOOLS[name];
  const dir = path.join(toolsCacheDir(), `${name}-${tool.version.replace(/^v/, '')}`);
  const file = path.join(dir, tool.binary);
  if (fs.existsSync(file)) return file;
  if (spawnSync('go', ['version']).status !== 0)
    throw new Error(`${file} is not built and Go is not available (go install ${tool.pkg}@${tool.version})`);
  fs.mkdirSync(toolsCacheDir(), { recursive: true });
  const staging = fs.mkdtempSync(path.join(toolsCacheDir(), `.${name}-build-`));
  try {
    const started = Date.now();
    log(`building ${tool.pkg}@${tool.version} (once)…`);
    // Outside any module (cwd: staging), so go install uses the pinned version.
    const built = spawnSync('go', ['install', `${tool.pkg}@${tool.version}`], {
      cwd: staging,
      env: { ...process.env, GOBIN: staging },
      encoding: 'utf8',
    });
    if (built.status !== 0)
      throw new Error(
        `go install ${tool.pkg}@${tool.version} failed: ${(built.stderr || '').trim().split('\n').slice(-5).join(' | ')}`,
      );
    fs.mkdirSync(dir, { recursive: true });
    fs.renameSync(path.join(staging, tool.built), file);
    log(`built in ${((Date.now() - started) / 1000).toFixed(0)} s → ${file}`);
    return file;
  } finally {
    fs.rmSync(staging, { recursive: true, force: true });
  }
}

/** The module's own files (the ui-server's config/docker.yaml), from the Go module cache. */
export function goModuleDir(modulePath: string, version: string): string {
  const gomodcache = spawnSync('go', ['env', 'GOMODCACHE'], { encoding: 'utf8' }).stdout.trim();
  const dir = path.join(gomodcache, `${modulePath}@${version}`);
  if (!fs.existsSync(dir)) {
    const got = spawnSync('go', ['mod', 'download', `${modulePath}@${version}`], {
      cwd: os.tmpdir(),
      encoding: 'utf8',
    });
    if (got.status !== 0) throw new Error(`go mod download ${modulePath}@${version} failed: ${got.stderr.trim()}`);
  }
  return dir;
}

// `npx tsx scripts/go-tools.ts helm`: prints the path (building it first when needed).
if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const name = process.argv[2] as GoTool;
  if (!(name in GO_TOOLS)) {
    console.error(`usage: tsx scripts/go-tools.ts ${Object.keys(GO_TOOLS).join('|')}`);
    process.exit(2);
  }
  console.log(resolveGoTool(name));
}
