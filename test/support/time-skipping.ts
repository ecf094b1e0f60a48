/**
 * The Java time-skipping test server for a test file, on the day the run asks for.
 *
 * `BDP_TEST_DATE=YYYY-MM-DD` (optionally `YYYY-MM-DDTHH:MM`, Asia/Shanghai; default 10:00) runs every
 * time-skipping test as if today were that day: the server's clock — the workflows' "now", the day
 * a command is taken, a deadline starts and a timer fires — is skipped to it before the test starts.
 * The server only skips forward, so the date must be today or later. The Temporal dev server (Go)
 * and PostgreSQL keep the machine's clock: tests on them state their own dates instead (injectable
 * clocks, `deadlineDates`, fixed calendar dates). docs/COMMANDS.md "Tests on another day".
 */
import { spawn } from 'node:child_process';
import { connect } from 'node:net';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { freePort } from './net.ts';

export const TEST_DATE_VARIABLE = 'BDP_TEST_DATE';

/** The instant BDP_TEST_DATE names, or undefined when it is not set. */
export function testDateInstant(value = process.env[TEST_DATE_VARIABLE]): number | undefined {
  if (!value) return undefined;
  const m = /^(\d{4}-\d{2}-\d{2})(?:T(\d{2}:\d{2}))?$/.exec(value);
  const ms = m ? Date.parse(`${m[1]}T${m[2] ?? '10:00'}:00+08:00`) : NaN;
  if (!Number.isFinite(ms))
    throw new Error(`${TEST_DATE_VARIABLE}=${value}: expected YYYY-MM-DD or YYYY-MM-DDTHH:MM (Asia/Shanghai)`);
  return ms;
}

/** How long the JVM may take to open its port (a loaded two-core machine needs well over 5 s). */
const START_TIMEOUT_MS = 120_000;

const listening = (port: number) =>
  new Promise<boolean>((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => socket.end(() => resolve(true)));
    socket.once('error', () => resolve(false));
  });

/**
 * Starts the Java test server as the SDK would, but waits for it as long as START_TIMEOUT_MS: the SDK
 * core gives an ephemeral server 5 s to open its port (sdk-core ephemeral_server, "every 100ms for
 * 5s"), which a JVM starting beside other test files on two cores often misses. The environment is
 * the SDK's own, connected with time skipping on; teardown also stops the process.
 */
async function startTestServer(path: string): Promise<TestWorkflowEnvironment> {
  const port = await freePort();
  const child = spawn(path, [String(port)], { stdio: ['ignore', 'ignore', 'pipe'] });
  let errors = '';
  child.stderr.on('data', (d) => (errors = (errors + String(d)).slice(-4000)));
  const deadline = Date.now() + START_TIMEOUT_MS;
  while (!(await listening(port))) {
    if (child.exitCode !== null || Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`time-skipping test server did not open port ${port}: ${errors}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  // The SDK's factory for a server that is already running, with its test service (time skipping).
  const create = (
    TestWorkflowEnvironment as unknown as { create(opts: object): Promise<TestWorkflowEnvironment> }
  ).create.bind(TestWorkflowEnvironment);
  const env = await create({
    server: { type: 'existing' },
    address: `127.0.0.1:${port}`,
    namespace: 'default',
    supportsTimeSkipping: true,
  }).catch((err: unknown) => {
    child.kill('SIGKILL');
    throw err;
  });
  const teardown = env.teardown.bind(env);
  env.teardown = async () => {
    await teardown();
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGTERM');
    await Promise.race([exited, new Promise((r) => setTimeout(r, 10_000))]);
    if (child.exitCode === null) child.kill('SIGKILL');
  };
  return env;
}

export async function createTimeSkipping(executable: unknown): Promise<TestWorkflowEnvironment> {
  const exe = executable as { type: string; path?: string };
  const env =
    exe.type === 'existing-path' && exe.path
      ? await startTestServer(exe.path)
      : await TestWorkflowEnvironment.createTimeSkipping({ server: { executable: executable as never } });
  const target = testDateInstant();
  if (target !== undefined) {
    const now = await env.currentTimeMs();
    if (target < now) {
      await env.teardown();
      throw new Error(
        `${TEST_DATE_VARIABLE} is before the test server's clock (${new Date(now).toISOString()}): it only skips forward; choose a day from today on`,
      );
    }
    await env.sleep(target - now);
  }
  return env;
}
