/**
 * `kill -9` of the worker process in the middle of ledger bookings (Art. 10-12, 22): the ledger
 * activity is caught inside its transaction (the test holds a row lock on the balance), the worker
 * dies, its transaction rolls back, a new worker retries the activity after the start-to-close
 * timeout (30 s, real time on the dev server) — and the ledger has exactly one movement each, the
 * workflow carries on. The movements are an allocation and a cancellation (termination): on the dev
 * server they need no days to pass. (Disbursement and freeze need the 5-working-day publicity to
 * pass first; the booking path — one transaction, one idempotency key — is the same for every kind.)
 */
import { Client, Connection } from '@temporalio/client';
import { and, eq } from 'drizzle-orm';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { fundMovements } from '../../db/schema.ts';
import type { CommandName, CommandPayloads } from '../../workflows/core/commands.ts';
import type { Actor } from '../../workflows/core/types.ts';
import { commandUpdate, PROJECT_WORKFLOW_TYPE, projectWorkflowId, viewQuery } from '../../workflows/messages.ts';
import { actors, construction, fullChecklist, makeInput } from '../core/helpers.ts';
import { createTestDatabase, type TestDatabase } from '../support/database.ts';
import { eventually } from '../support/system.ts';
import { newId } from '../workflow/support.ts';
import { dataConverter, printSummary, record, spawnEntry, type Child } from './support.ts';

let database: TestDatabase;
let client: Client;
let connection: Connection;
let address: string;
let worker: Child;
const taskQueue = `faults-kill-${process.pid}`;

const startWorker = () =>
  spawnEntry('worker.ts', { TEMPORAL_ADDRESS: address, DATABASE_URL: database.url!, TEMPORAL_TASK_QUEUE: taskQueue }, /worker started/);

beforeAll(async () => {
  address = inject('temporalAddress');
  database = await createTestDatabase('postgres');
  connection = await Connection.connect({ address });
  client = new Client({ connection, dataConverter });
  worker = await startWorker();
}, 180_000);
afterAll(async () => {
  printSummary();
  await worker?.stop();
  await connection?.close();
  await database?.destroy();
});

const send = <K extends CommandName>(id: string, name: K, payload: CommandPayloads[K], actor: Actor) =>
  client.workflow.getHandle(projectWorkflowId(id)).executeUpdate(commandUpdate(name), { args: [{ ...payload, actor } as never] });

/** Holds the balances table locked until released: the ledger activity blocks inside its transaction. */
async function lockBalances() {
  // Two connections: one holds the lock in its transaction, the other watches pg_stat_activity.
  const sql = postgres(database.url!, { max: 2, onnotice: () => {} });
  let release!: () => void;
  const released = new Promise<void>((r) => (release = r));
  let locked!: () => void;
  const isLocked = new Promise<void>((r) => (locked = r));
  const done = sql.begin(async (tx) => {
    // A table lock: the first booking of a fund type inserts its balance row, so a row lock is not enough.
    await tx`lock table fund_balances in exclusive mode`;
    locked();
    await released;
  });
  await isLocked;
  return {
    /** Resolves once another session is waiting for the lock (the activity is mid-transaction). */
    async waitForBlockedActivity() {
      await eventually(async () => {
        const rows = await sql`select count(*)::int as n from pg_stat_activity where wait_event_type = 'Lock' and datname = current_database()`;
        return rows[0]!.n > 0 ? true : undefined;
      }, 60_000);
    },
    async release() {
      release();
      await done;
      await sql.end();
    },
  };
}

async function killDuring(id: string, label: string, command: () => Promise<unknown>, kind: (typeof fundMovements.$inferSelect)["kind"]) {
  const before = (await database.db.select().from(fundMovements).where(and(eq(fundMovements.projectId, id), eq(fundMovements.kind, kind)))).length;
  const lock = await lockBalances();
  const pending = command();
  const step = (what: string) => console.log(`[${label}] ${what}`);
  await lock.waitForBlockedActivity();
  step('ledger activity blocked inside its transaction');
  await worker.kill9();
  step('worker killed');
  await lock.release();
  worker = await startWorker();
  step('new worker started');
  // The dead worker's activity attempt times out (start-to-close 30 s), then the new worker retries it.
  // The dead worker's attempt times out after 30 s; the new worker's retry books the movement.
  await pending;
  step('command completed');
  const after = (await database.db.select().from(fundMovements).where(and(eq(fundMovements.projectId, id), eq(fundMovements.kind, kind)))).length;
  record(`kill -9 worker during ${label}`, after - before === 1, `${after - before} ${kind} movement(s) booked after restart`);
  expect(after - before).toBe(1);
}

describe('worker killed mid-activity', () => {
  it('Art. 10-12, 22: kill -9 during an allocation and during a cancellation → exactly one ledger movement each, the workflow carries on', async () => {
    const input = makeInput({ id: newId(), createdAt: new Date().toISOString() });
    await client.workflow.start(PROJECT_WORKFLOW_TYPE, { workflowId: projectWorkflowId(input.id), taskQueue, args: [{ input }] });
    const id = input.id;
    await send(id, 'technicalReview', { decision: 'pass', opinion: 'ok', checklist: fullChecklist() }, actors.bdb);
    await send(id, 'establishment', { decision: 'approve', approvalNo: 'A-1', opinion: 'ok' }, actors.approval);

    await killDuring(id, 'an allocation', () => send(id, 'budget', construction(80_000_000), actors.finance), 'allocate');
    // The workflow carries on: an objection is recorded on the held money.
    const objected = await send(id, 'publicityObjection', { summary: 'duplicate?' }, actors.bdb);
    expect(objected.funds.construction).toMatchObject({ allocatedFen: 80_000_000, heldFen: 80_000_000 });

    await killDuring(id, 'a cancellation (termination)', () => send(id, 'termination', { reason: 'Merged into another project' }, actors.bdb), 'cancel');
    const view = await client.workflow.getHandle(projectWorkflowId(id)).query(viewQuery);
    expect(view.stage).toBe('terminated');
    expect(view.funds.construction).toMatchObject({ allocatedFen: 80_000_000, heldFen: 0, cancelledFen: 80_000_000 });
    const kinds = (await database.db.select().from(fundMovements).where(eq(fundMovements.projectId, id))).map((m) => m.kind);
    expect(kinds).toEqual(['allocate', 'cancel']);
  });
});
