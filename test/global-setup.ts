/**
 * Runs once per `vitest run`: resolves the Temporal binaries (building them into the cache on a new
 * machine; see scripts/temporal-bin.ts) and starts one real Temporal dev server with the project's
 * search attributes, shared by every test file. Time-skipping tests start their own Java test
 * server from the provided executable, since time skipping is global to a server.
 */
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { DefaultLogger, Runtime } from '@temporalio/worker';
import type { TestProject } from 'vitest/node';
import {
  DEV_SERVER_ARGS,
  resolveDevServer,
  resolveTestServer,
  type ServerExecutable,
} from '../scripts/temporal-bin.ts';
import { PROJECT_SEARCH_ATTRIBUTES } from '../workflows/search-attributes.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    temporalAddress: string;
    testServerExecutable: ServerExecutable;
  }
}

let env: TestWorkflowEnvironment | undefined;

export async function setup(project: TestProject) {
  Runtime.install({ logger: new DefaultLogger('WARN') });
  const log = (line: string) => process.stderr.write(`[test setup] ${line}\n`);
  const devServer = await resolveDevServer({ log });
  project.provide('testServerExecutable', await resolveTestServer({ log }));
  env = await TestWorkflowEnvironment.createLocal({
    server: {
      executable: devServer,
      searchAttributes: [...PROJECT_SEARCH_ATTRIBUTES],
      extraArgs: [...DEV_SERVER_ARGS],
    },
  });
  project.provide('temporalAddress', env.address);
  log(`Temporal dev server at ${env.address}`);
}

export async function teardown() {
  await env?.teardown();
}
