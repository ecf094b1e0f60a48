/** Connecting to Temporal the same way from the API, the worker, `npm start` and tests. */
import { Client, Connection } from '@temporalio/client';
import type { DataConverter } from '@temporalio/common';
import { NativeConnection } from '@temporalio/worker';

/** Retries until the server answers (it may still be starting) or the deadline passes. */
async function retryUntil<T>(what: string, timeoutMs: number, attempt: () => Promise<T>): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  while (Date.now() < deadline) {
    try {
      return await attempt();
    } catch (err) {
      lastError = err;
      await new Promise((r) => setTimeout(r, 500));
    }
  }
  throw new Error(`${what} not reachable after ${timeoutMs} ms: ${(lastError as Error)?.message ?? lastError}`);
}

/** `dataConverter`: the payload encryption of lib/codec.ts (config.payloadConverter). */
export async function connectClient(
  address: string,
  namespace: string,
  timeoutMs = 60_000,
  dataConverter?: DataConverter,
): Promise<Client> {
  const connection = await retryUntil(`Temporal at ${address}`, timeoutMs, () => Connection.connect({ address }));
  return new Client({ connection, namespace, ...(dataConverter ? { dataConverter } : {}) });
}

export function connectWorker(address: string, timeoutMs = 60_000): Promise<NativeConnection> {
  return retryUntil(`Temporal at ${address}`, timeoutMs, () => NativeConnection.connect({ address }));
}
