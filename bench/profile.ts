/**
 * Where a profiled bench run's CPU went, by part of the system: reads the V8 CPU profiles node's
 * `--cpu-prof` wrote for every thread of the run (the main thread: API, activities, the SDK's
 * worker and client; the workflow threads: the sandbox) and sums each sample's self time into the
 * part its frame belongs to. A builtin with no script of its own (JSON.stringify, a native crypto
 * call) counts for the part of the nearest caller that has one.
 *
 * `npm run bench -- --profile DIR …` runs the bench under `--cpu-prof` and prints this summary for
 * the windows the measured phases wrote (`windows.json`: the throughput scenario's own projects and
 * its baseline's, side by side — not the start-up or the bundling of the workflow code); by hand:
 *
 *   tsx bench/profile.ts DIR
 */
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { SourceMapConsumer, type RawSourceMap } from 'source-map';

/** The workflow bundle's source map, written beside the profiles by `--profile`. */
export const WORKFLOW_SOURCE_MAP = 'workflow-bundle.map.json';
const BUNDLE_URL = /workflow-bundle-[0-9a-f]+\.js$/;

/** The source map the SDK's bundler puts at the end of the bundle as a data URL. */
export function inlineSourceMap(code: string): string {
  const m = /\/\/# sourceMappingURL=data:application\/json;(?:charset=utf-8;)?base64,([A-Za-z0-9+/=]+)\s*$/.exec(code);
  if (!m) throw new Error('the workflow bundle carries no inline source map');
  return Buffer.from(m[1]!, 'base64').toString('utf8');
}

type Frame = { functionName: string; url: string; lineNumber: number; columnNumber: number };
type ProfileNode = { id: number; callFrame: Frame; children?: number[] };
type CpuProfile = { nodes: ProfileNode[]; samples: number[]; timeDeltas: number[]; startTime: number; endTime: number };

/** A folder of ours: a package's own folder of that name (webpack's lib/, …) is not ours. */
const ours = (folder: string) => new RegExp(`^(?!.*node_modules).*/${folder}/`);

/** Parts in the order they are tried; the first whose pattern matches the frame's script wins. */
export const PARTS: Array<[string, RegExp]> = [
  ['sandbox: validation (zod)', /^sandbox:.*node_modules\/zod\//],
  ['sandbox: Temporal SDK (workflow library)', /^sandbox:.*node_modules\/@temporalio\//],
  ['sandbox: workflows/', /^sandbox:.*\/workflows\//],
  ['sandbox: domain/ (rules, views, state copies)', /^sandbox:.*\/domain\//],
  ['sandbox: other', /^sandbox:/],
  ['HTTP (Hono, node-server)', /node_modules\/(hono|@hono)\//],
  ['validation (zod)', /node_modules\/zod\//],
  ['payload codec (SM4, HMAC-SM3)', /\/lib\/codec\.ts/],
  ['Temporal SDK: workflow sandbox', /node_modules\/@temporalio\/workflow\//],
  ['Temporal SDK: worker', /node_modules\/@temporalio\/worker\//],
  ['Temporal SDK: client', /node_modules\/@temporalio\/client\//],
  ['Temporal SDK: payloads, protobuf', /node_modules\/(@temporalio\/(common|proto)|protobufjs|long)\//],
  ['Temporal SDK: other', /node_modules\/@temporalio\//],
  ['gRPC (client)', /node_modules\/@grpc\//],
  ['database driver (drizzle, postgres.js)', /node_modules\/(drizzle-orm|postgres)\//],
  ['embedded database (PGlite)', /node_modules\/@electric-sql\//],
  ['logging (pino)', /node_modules\/(pino|sonic-boom|thread-stream)/],
  ['api/ (auth, routes, gateway)', ours('api')],
  ['workflows/', ours('workflows')],
  ['domain/ (rules, views)', ours('domain')],
  ['activities/', ours('activities')],
  ['db/ (queries)', ours('db')],
  ['lib/ (other)', ours('lib')],
  ['bench (clients, baseline)', ours('bench')],
  ['module loading (tsx, esbuild)', /node_modules\/(tsx|esbuild|get-tsconfig)\//],
  ['other packages', /node_modules\//],
  ['node internals', /^node:/],
];

const SPECIAL: Record<string, string> = {
  '(garbage collector)': 'garbage collection',
  '(program)': 'V8/native, no JS frame',
  '(idle)': 'idle',
};

export function partOf(frame: Frame): string | undefined {
  if (Object.hasOwn(SPECIAL, frame.functionName)) return SPECIAL[frame.functionName];
  if (!frame.url) return undefined; // a builtin: its caller's part
  for (const [name, pattern] of PARTS) if (pattern.test(frame.url)) return name;
  return 'other scripts';
}

/** A measured phase's clock window (CLOCK_MONOTONIC µs, V8's profile clock) and what it did. */
export type ProfileWindow = { name: string; label: string; fromUs: number; toUs: number; units: number; unit: string };
const WINDOWS = 'windows.json';
const nowUs = () => Number(process.hrtime.bigint() / 1000n);

/** Starts a window; the returned function ends it and adds it to DIR/windows.json. */
export function profileWindow(
  dir: string | undefined,
  name: string,
  label: string,
): (units: number, unit: string) => void {
  const fromUs = nowUs();
  return (units, unit) => {
    if (!dir) return;
    const file = path.join(dir, WINDOWS);
    const windows = existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as ProfileWindow[]) : [];
    windows.push({ name, label, fromUs, toUs: nowUs(), units, unit });
    writeFileSync(file, `${JSON.stringify(windows, null, 2)}\n`);
  };
}

export type ProfileSummary = {
  threads: Array<{ file: string; ms: number }>;
  byPart: Map<string, number>;
  topFunctions: Array<{ name: string; ms: number }>;
};

export async function summarise(dir: string, window?: ProfileWindow): Promise<ProfileSummary> {
  const mapFile = path.join(dir, WORKFLOW_SOURCE_MAP);
  const consumer = existsSync(mapFile)
    ? await new SourceMapConsumer(JSON.parse(readFileSync(mapFile, 'utf8')) as RawSourceMap)
    : undefined;
  /** A frame of the workflow bundle as its original file (`sandbox:<source>`), when the map is there. */
  const original = (f: Frame): Frame => {
    if (!consumer || !BUNDLE_URL.test(f.url)) return f;
    const pos = consumer.originalPositionFor({ line: f.lineNumber + 1, column: f.columnNumber });
    return pos.source
      ? {
          ...f,
          url: `sandbox:${pos.source}`,
          lineNumber: (pos.line ?? 1) - 1,
          functionName: pos.name ?? f.functionName,
        }
      : f;
  };
  const byPart = new Map<string, number>();
  const byFunction = new Map<string, number>();
  const threads: ProfileSummary['threads'] = [];
  for (const file of readdirSync(dir)
    .filter((f) => f.endsWith('.cpuprofile'))
    .sort()) {
    const profile = JSON.parse(readFileSync(path.join(dir, file), 'utf8')) as CpuProfile;
    const nodes = new Map(profile.nodes.map((n) => [n.id, { ...n, callFrame: original(n.callFrame) }]));
    const parent = new Map<number, number>();
    for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
    const partCache = new Map<number, string>();
    const part = (id: number): string => {
      const cached = partCache.get(id);
      if (cached) return cached;
      const n = nodes.get(id)!;
      const own = partOf(n.callFrame);
      const p = parent.get(id);
      const found = own ?? (p === undefined ? 'V8/native, no JS frame' : part(p));
      partCache.set(id, found);
      return found;
    };
    let threadMs = 0;
    let at = profile.startTime;
    profile.samples.forEach((id, i) => {
      const ms = (profile.timeDeltas[i] ?? 0) / 1000;
      at += profile.timeDeltas[i] ?? 0;
      if (window && (at < window.fromUs || at > window.toUs)) return;
      const p = part(id);
      if (p === 'idle') return;
      threadMs += ms;
      byPart.set(p, (byPart.get(p) ?? 0) + ms);
      const f = nodes.get(id)!.callFrame;
      const name = `${f.functionName || '(anonymous)'} ${f.url ? `${f.url.replace(/^(sandbox:)?.*?(node_modules\/|\/(api|domain|lib|db|workflows|activities|bench)\/)/, '$1$2')}:${f.lineNumber + 1}` : `[builtin, in ${p}]`}`;
      byFunction.set(name, (byFunction.get(name) ?? 0) + ms);
    });
    threads.push({ file, ms: threadMs });
  }
  const topFunctions = [...byFunction]
    .sort((a, b) => b[1] - a[1])
    .slice(0, 30)
    .map(([name, ms]) => ({ name, ms }));
  return { threads, byPart, topFunctions };
}

/** One column per summary (ms per unit), parts by the first column's size, then its top functions. */
export function printSummaries(columns: Array<{ name: string; summary: ProfileSummary; per: number }>): void {
  const parts = [...new Set(columns.flatMap((c) => [...c.summary.byPart.keys()]))];
  const value = (c: (typeof columns)[number], part: string) => (c.summary.byPart.get(part) ?? 0) / c.per;
  const first = columns[0]!;
  parts.sort((a, b) => value(first, b) - value(first, a));
  const cell = (n: number) => n.toFixed(2).padStart(12);
  // The first column's difference from each of the others ("difference" when there is one other).
  const others = columns.slice(1);
  const heads = others.length === 1 ? ['difference'] : others.map((c) => `- ${c.name}`);
  console.log(
    `${'part (CPU ms per unit, idle left out)'.padEnd(46)}${[...columns.map((c) => c.name), ...heads].map((h) => h.padStart(12)).join('')}`,
  );
  for (const part of [...parts, 'all']) {
    const vals = columns.map((c) =>
      part === 'all' ? [...c.summary.byPart.values()].reduce((a, b) => a + b, 0) / c.per : value(c, part),
    );
    console.log(`${part.padEnd(46)}${[...vals, ...vals.slice(1).map((v) => vals[0]! - v)].map(cell).join('')}`);
  }
  console.log(`\nfunctions with the most self time (${first.name}, ms per unit):`);
  for (const f of first.summary.topFunctions) console.log(`${(f.ms / first.per).toFixed(3).padStart(10)}  ${f.name}`);
}

/** The summary of a profiled bench run: each window it wrote side by side, else the whole run. */
export async function printRunSummary(dir: string): Promise<void> {
  const file = path.join(dir, WINDOWS);
  const windows = existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as ProfileWindow[]) : [];
  for (const w of windows)
    console.log(
      `profile window ${w.name}: ${w.label}, ${((w.toUs - w.fromUs) / 1e6).toFixed(1)} s, ${w.units} ${w.unit}`,
    );
  const columns = windows.length
    ? await Promise.all(windows.map(async (w) => ({ name: w.name, summary: await summarise(dir, w), per: w.units })))
    : [{ name: 'whole run', summary: await summarise(dir), per: 1 }];
  printSummaries(columns);
  console.log(`(profiles: ${dir})`);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const dir = process.argv[2];
  if (!dir) throw new Error('usage: tsx bench/profile.ts DIR');
  await printRunSummary(dir);
}
