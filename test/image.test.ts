/**
 * The production image (Dockerfile) without a container engine: its file set is computed from the
 * Dockerfile itself (COPY lines of each stage, minus .dockerignore), then
 *
 * - statically: every module the entry points load at run time (the API, the worker, the workflow
 *   bundle's entry and preloaded modules, the commands docker-compose.yml runs) is in the runtime
 *   stage, and every package they import is a production dependency (`npm ci --omit=dev`);
 * - for real: the console is built from the build stage's files alone by the build stage's own RUN
 *   commands, the runtime files and that build are put into an empty directory, and the API and the
 *   worker started from there reach Temporal and PostgreSQL and serve the console at `/`.
 *
 * The image itself (podman) is built and run by the compose topology test.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { parse } from 'yaml';
import { PRELOADED_MODULES, WORKFLOWS_PATH } from '../worker.ts';
import { driverAvailable, emptyPostgresDatabase } from './support/database.ts';
import { freePort } from './support/net.ts';
import { generateKeyringSpec } from '../lib/codec.ts';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as {
  dependencies: Record<string, string>;
  devDependencies: Record<string, string>;
};

// --- the Dockerfile as data ------------------------------------------------------------------------

interface Copy {
  from?: string;
  sources: string[];
  dest: string;
}
interface Stage {
  name?: string;
  copies: Copy[];
  runs: string[];
  cmd?: string[];
}

/** Stages with their COPY, RUN and CMD instructions (continuation lines joined, comments dropped). */
export function parseDockerfile(text: string): Stage[] {
  const lines = text
    .replace(/\\\n/g, ' ')
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('#'));
  const stages: Stage[] = [];
  for (const line of lines) {
    const [instruction, ...rest] = line.split(/\s+/);
    const args = rest.join(' ');
    switch (instruction!.toUpperCase()) {
      case 'FROM': {
        const m = /\s+AS\s+(\S+)$/i.exec(args);
        stages.push({ ...(m ? { name: m[1] } : {}), copies: [], runs: [] });
        break;
      }
      case 'COPY': {
        const words = args.split(/\s+/);
        const from = words.find((w) => w.startsWith('--from='))?.slice('--from='.length);
        const paths = words.filter((w) => !w.startsWith('--'));
        stages.at(-1)!.copies.push({ ...(from ? { from } : {}), sources: paths.slice(0, -1), dest: paths.at(-1)! });
        break;
      }
      case 'RUN':
        stages.at(-1)!.runs.push(args);
        break;
      case 'CMD':
        stages.at(-1)!.cmd = JSON.parse(args) as string[];
        break;
    }
  }
  return stages;
}

const ignored = fs
  .readFileSync(path.join(ROOT, '.dockerignore'), 'utf8')
  .split('\n')
  .map((l) => l.trim().replace(/\/$/, ''))
  .filter((l) => l && !l.startsWith('#'));
const isIgnored = (rel: string) =>
  ignored.some((p) => (p.startsWith('*') ? rel.endsWith(p.slice(1)) : rel === p || rel.startsWith(`${p}/`)));

function filesUnder(rel: string): string[] {
  const abs = path.join(ROOT, rel);
  if (isIgnored(rel) || !fs.existsSync(abs)) return [];
  if (!fs.statSync(abs).isDirectory()) return [rel];
  return fs.readdirSync(abs).flatMap((name) => filesUnder(path.posix.join(rel, name)));
}

/**
 * A stage's files as paths inside WORKDIR /app: repository files copied from the build context
 * (map: image path → repository path) and the paths another stage provides (`--from`).
 */
function stageFiles(stage: Stage): {
  files: Map<string, string>;
  fromStages: Array<{ from: string; source: string; dest: string }>;
} {
  const files = new Map<string, string>();
  const fromStages: Array<{ from: string; source: string; dest: string }> = [];
  for (const copy of stage.copies) {
    const dest = path.posix.normalize(copy.dest.replace(/^\.\//, '')).replace(/\/$/, '');
    for (const source of copy.sources) {
      if (copy.from) {
        fromStages.push({ from: copy.from, source: source.replace(/^\/app\//, ''), dest });
        continue;
      }
      const rel = path.posix.normalize(source.replace(/^\.\//, '')).replace(/\/$/, '');
      const isDir = fs.existsSync(path.join(ROOT, rel)) && fs.statSync(path.join(ROOT, rel)).isDirectory();
      for (const file of filesUnder(rel)) {
        // COPY dir/ dest/ puts the directory's contents into dest; COPY a b c ./ puts each file there.
        const target = isDir
          ? path.posix.join(dest === '.' ? '' : dest, path.posix.relative(rel, file))
          : path.posix.join(dest === '.' ? '' : dest, path.posix.basename(file));
        files.set(target, file);
      }
    }
  }
  return { files, fromStages };
}

// --- what the entry points load ------------------------------------------------------------------

/** The run-time imports of one module (type-only imports and exports are erased, so left out). */
function runtimeImports(file: string): string[] {
  const source = ts.createSourceFile(file, fs.readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true);
  const out: string[] = [];
  const visit = (node: ts.Node) => {
    if (ts.isImportDeclaration(node) && !node.importClause?.isTypeOnly && ts.isStringLiteral(node.moduleSpecifier)) {
      const named = node.importClause?.namedBindings;
      const allTypes =
        !node.importClause?.name &&
        named &&
        ts.isNamedImports(named) &&
        named.elements.length > 0 &&
        named.elements.every((e) => e.isTypeOnly);
      if (!allTypes) out.push(node.moduleSpecifier.text);
    } else if (
      ts.isExportDeclaration(node) &&
      !node.isTypeOnly &&
      node.moduleSpecifier &&
      ts.isStringLiteral(node.moduleSpecifier)
    ) {
      out.push(node.moduleSpecifier.text);
    } else if (
      ts.isCallExpression(node) &&
      node.expression.kind === ts.SyntaxKind.ImportKeyword &&
      node.arguments[0] &&
      ts.isStringLiteral(node.arguments[0])
    ) {
      out.push(node.arguments[0].text);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return out;
}

const packageOf = (specifier: string) =>
  specifier.startsWith('@') ? specifier.split('/').slice(0, 2).join('/') : specifier.split('/')[0]!;

/** Every repository file (relative) and every package the entries load, following relative imports. */
function closure(
  entries: string[],
  generated: (spec: string) => boolean = () => false,
): { files: Set<string>; packages: Map<string, string> } {
  const files = new Set<string>();
  const packages = new Map<string, string>(); // package → first importer
  const queue = entries.map((e) => path.resolve(ROOT, e));
  while (queue.length) {
    const abs = queue.pop()!;
    const rel = path.relative(ROOT, abs);
    if (files.has(rel)) continue;
    files.add(rel);
    if (!/\.[cm]?[jt]sx?$/.test(abs)) continue;
    for (const spec of runtimeImports(abs)) {
      if (spec.startsWith('node:')) continue;
      if (spec.startsWith('.')) {
        const base = path.resolve(path.dirname(abs), spec);
        const found = [base, `${base}.ts`, `${base}.tsx`, path.join(base, 'index.ts')].find(
          (f) => fs.existsSync(f) && fs.statSync(f).isFile(),
        );
        if (!found) {
          if (generated(spec)) continue; // written by the build itself
          throw new Error(`${rel} imports ${spec}, which does not exist`);
        }
        queue.push(found);
      } else if (!packages.has(packageOf(spec))) {
        packages.set(packageOf(spec), rel);
      }
    }
  }
  return { files, packages };
}

const stages = parseDockerfile(fs.readFileSync(path.join(ROOT, 'Dockerfile'), 'utf8'));
const runtime = stages.at(-1)!;
const runtimeSet = stageFiles(runtime);

/** The commands that run in the image: its CMD and every docker-compose.yml service built from it. */
function imageEntries(): string[] {
  const compose = parse(fs.readFileSync(path.join(ROOT, 'docker-compose.yml'), 'utf8'), { merge: true }) as {
    services: Record<string, { build?: unknown; command?: string[] }>;
  };
  const commands = [
    runtime.cmd!,
    ...Object.values(compose.services)
      .filter((s) => s.build)
      .map((s) => s.command ?? runtime.cmd!),
  ];
  return [...new Set(commands.map((c) => c.find((w) => /\.ts$/.test(w))!))];
}

describe('the production image (Dockerfile)', () => {
  it('has every module the API, the worker and the workflow bundle load at run time', () => {
    const entries = [
      ...imageEntries(),
      path.relative(ROOT, WORKFLOWS_PATH),
      ...PRELOADED_MODULES.map((m) => path.relative(ROOT, m)),
    ];
    expect(entries).toEqual(expect.arrayContaining(['api/server.ts', 'worker.ts']));
    const { files, packages } = closure(entries);
    const inImage = new Set(runtimeSet.files.values());
    const missing = [...files].filter((f) => !inImage.has(f));
    expect(missing, 'modules the image lacks').toEqual([]);
    // Migrations are read from the folder at start-up, not imported.
    expect([...inImage].some((f) => f.startsWith('db/migrations/') && f.endsWith('.sql'))).toBe(true);
    const devOnly = [...packages]
      .filter(([p]) => !(p in pkg.dependencies))
      .map(([p, by]) => `${p} (imported by ${by})`);
    expect(devOnly, 'packages missing from "dependencies" (the image installs --omit=dev)').toEqual([]);
    expect(runtime.runs.find((r) => r.startsWith('npm ci'))).toMatch(/--omit=dev/);
  });

  it('builds the console in a stage of its own and copies the built files to where the API serves them', async () => {
    const { CONSOLE_DIST } = await import('../api/console.ts');
    const consoleCopy = runtimeSet.fromStages.find((c) => c.dest === path.relative(ROOT, CONSOLE_DIST));
    expect(consoleCopy, 'a COPY --from=<build stage> into console/dist').toBeDefined();
    const build = stages.find((s) => s.name === consoleCopy!.from)!;
    expect(build).toBeDefined();
    // The build stage installs the development dependencies (Vite) and has the build's inputs.
    expect(build.runs.find((r) => r.startsWith('npm ci'))).not.toMatch(/--omit=dev/);
    const buildFiles = new Set(stageFiles(build).files.values());
    // console:types writes the API's types and the forms before Vite reads them.
    const { files } = closure(
      ['console/scripts/build.ts', 'console/scripts/openapi.ts', 'console/vite.config.ts', 'console/src/main.tsx'],
      (spec) => /(api-types|forms\.generated)/.test(spec),
    );
    expect([...files].filter((f) => !/(api-types\.ts|forms\.generated\.json)$/.test(f) && !buildFiles.has(f))).toEqual(
      [],
    );
    expect(build.runs.join(' && ')).toMatch(/console:types.*console\/scripts\/build\.ts/);
  });
});

// --- for real: the file set starts -----------------------------------------------------------------

const work = fs.mkdtempSync(path.join(os.tmpdir(), 'bdp-image-'));
const children: ChildProcess[] = [];
afterAll(async () => {
  for (const c of children) if (c.exitCode === null) c.kill('SIGKILL');
  fs.rmSync(work, { recursive: true, force: true });
});

/** Lays a stage's repository files out in `dir`, with the repository's node_modules beside them. */
function layOut(stage: Stage, dir: string): void {
  for (const [target, source] of stageFiles(stage).files) {
    fs.mkdirSync(path.dirname(path.join(dir, target)), { recursive: true });
    fs.copyFileSync(path.join(ROOT, source), path.join(dir, target));
  }
  fs.symlinkSync(path.join(ROOT, 'node_modules'), path.join(dir, 'node_modules'));
}

function start(
  dir: string,
  entry: string,
  env: Record<string, string>,
): Promise<{ child: ChildProcess; output: () => string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', entry], {
    cwd: dir,
    env: { ...process.env, NODE_ENV: 'production', LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  let out = '';
  child.stdout.on('data', (d) => (out += String(d)));
  child.stderr.on('data', (d) => (out += String(d)));
  return new Promise((resolve, reject) => {
    const timer = setInterval(() => {
      if (/API listening|worker started/.test(out)) {
        clearInterval(timer);
        resolve({ child, output: () => out });
      } else if (child.exitCode !== null) {
        clearInterval(timer);
        reject(new Error(`${entry} exited (${child.exitCode}) from the image's files:\n${out.slice(-3000)}`));
      }
    }, 100);
  });
}

describe.skipIf(!driverAvailable('postgres'))('the image file set starts (PostgreSQL)', () => {
  it('builds the console from the build stage alone; the API and the worker start from the runtime files and serve it', async () => {
    const build = stages.find((s) => s.name === runtimeSet.fromStages[0]!.from)!;
    const buildDir = path.join(work, 'build');
    layOut(build, buildDir);
    for (const command of build.runs.filter((r) => !r.startsWith('npm ci'))) {
      const r = spawnSync('sh', ['-c', command], {
        cwd: buildDir,
        encoding: 'utf8',
        env: { ...process.env, NODE_ENV: 'development' },
      });
      expect(r.status, `${command}\n${r.stdout}\n${r.stderr}`).toBe(0);
    }
    const appDir = path.join(work, 'app');
    layOut(runtime, appDir);
    for (const c of runtimeSet.fromStages)
      fs.cpSync(path.join(buildDir, c.source), path.join(appDir, c.dest), { recursive: true });
    expect(fs.existsSync(path.join(appDir, 'test'))).toBe(false);

    const db = await emptyPostgresDatabase('bdp_image');
    try {
      const port = await freePort();
      const env = {
        TEMPORAL_ADDRESS: inject('temporalAddress'),
        TEMPORAL_TASK_QUEUE: `image-${process.pid}`,
        DATABASE_URL: db.url,
        PAYLOAD_KEYS: generateKeyringSpec('image'),
        DATA_DIR: path.join(work, 'data'),
        PORT: String(port),
        HOST: '127.0.0.1',
      };
      const worker = await start(appDir, 'worker.ts', env);
      const api = await start(appDir, 'api/server.ts', env);
      const base = `http://127.0.0.1:${port}`;
      const page = await fetch(`${base}/`);
      expect(page.status).toBe(200);
      const html = await page.text();
      expect(html).toContain('<div id="root">');
      const script = /<script[^>]+src="([^"]+)"/.exec(html)?.[1];
      expect(script).toBeDefined();
      expect((await fetch(`${base}${script}`)).status).toBe(200);
      let ready = 0;
      for (let i = 0; i < 100 && ready !== 200; i++) {
        ready = (await fetch(`${base}/readyz`)).status;
        if (ready !== 200) await new Promise((r) => setTimeout(r, 200));
      }
      expect(ready, api.output().slice(-2000)).toBe(200);
      expect(worker.output()).toMatch(/worker started/);
    } finally {
      for (const c of children) if (c.exitCode === null) c.kill('SIGTERM');
      await new Promise((r) => setTimeout(r, 1000));
      await db.drop();
    }
  }, 300_000);
});
