/**
 * `kill -9` of the worker process in the middle of ledger bookings (Art. 10-12, 21-22): the booking
 * is caught inside its transaction (the test holds a lock on the balances), the worker dies, its
 * transaction rolls back, the workflow task times out and a new worker process replays the workflow
 * and runs the write again — and the ledger has exactly one movement each, the workflow carries on.
 * One project takes three kills: an allocation, a disbursement and a cancellation (termination, from
 * the suspension a rejected rectification response causes). Under the measures as written a
 * suspension freezes nothing (暂停拨付, Art. 22), so there is no freeze booking to kill any more; the
 * only freeze left is the Art. 21 policy switch completionReportFreeze. The worker runs with a faster
 * deadline clock (fast-clock.ts) so the 5-working-day publicity (Art. 11) passes in seconds.
 */
import { Client, Connection } from '@temporalio/client';
import { and, eq } from 'drizzle-orm';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { fundMovements } from '../../db/schema.ts';
import type { CommandName, CommandPayloads } from '../../domain/commands.ts';
import type { Actor } from '../../domain/vocabulary.ts';
import { commandUpdate, PROJECT_WORKFLOW_TYPE, projectWorkflowId, viewQuery } from '../../workflows/messages.ts';
import { actors, construction, fullChecklist, makeInput } from '../domain/helpers.ts';
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
  spawnEntry(
    'test/faults/fast-clock-worker.ts',
    { TEMPORAL_ADDRESS: address, DATABASE_URL: database.url!, TEMPORAL_TASK_QUEUE: taskQueue },
    /worker started/,
  );

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
  client.workflow
    .getHandle(projectWorkflowId(id))
    .executeUpdate(commandUpdate(name), { args: [{ ...payload, actor } as never] });

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
        const rows =
          await sql`select count(*)::int as n from pg_stat_activity where wait_event_type = 'Lock' and datname = current_database()`;
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

async function killDuring(
  id: string,
  label: string,
  command: () => Promise<unknown>,
  kind: (typeof fundMovements.$inferSelect)['kind'],
) {
  const before = (
    await database.db
      .select()
      .from(fundMovements)
      .where(and(eq(fundMovements.projectId, id), eq(fundMovements.kind, kind)))
  ).length;
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
  // The dead worker's workflow task times out (10 s); the new worker replays and books the movement.
  await pending;
  step('command completed');
  const after = (
    await database.db
      .select()
      .from(fundMovements)
      .where(and(eq(fundMovements.projectId, id), eq(fundMovements.kind, kind)))
  ).length;
  record(
    `kill -9 worker during ${label}`,
    after - before === 1,
    `${after - before} ${kind} movement(s) booked after restart`,
  );
  expect(after - before).toBe(1);
}

const shanghaiToday = () => new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 10);

describe('worker killed mid-booking', () => {
  it('Art. 10-12, 22: kill -9 during an allocation, a disbursement and a cancellation → exactly one ledger movement each, the workflow carries on', async () => {
    const input = makeInput({ id: newId(), createdAt: new Date().toISOString() });
    await client.workflow.start(PROJECT_WORKFLOW_TYPE, {
      workflowId: projectWorkflowId(input.id),
      taskQueue,
      args: [{ input }],
    });
    const id = input.id;
    const handle = client.workflow.getHandle(projectWorkflowId(id));
    await send(id, 'technicalReview', { decision: 'pass', opinion: 'ok', checklist: fullChecklist() }, actors.bdb);
    await send(
      id,
      'establishment',
      { decision: 'approve', approvalNo: 'A-1', opinion: 'ok', approvedEstimateFen: 100_000_000 },
      actors.approval,
    );

    await killDuring(
      id,
      'an allocation',
      () => send(id, 'budget', construction(80_000_000), actors.finance),
      'allocate',
    );
    // Art. 11: the BDB's allocation plan starts the notice period.
    await send(id, 'allocationPublication', { planId: 'AP2026-FAULTS0001', allocationId: 'alloc-1' }, actors.bdb);
    // Art. 11: the publicity timer (set by the workflow the killed worker left) fires; the money is published.
    const contracting = await eventually(async () => {
      const v = await handle.query(viewQuery);
      return v.stage === 'contracting' ? v : undefined;
    }, 90_000);
    expect(contracting.funds.construction).toMatchObject({
      allocatedFen: 80_000_000,
      heldFen: 0,
      availableFen: 80_000_000,
    });
    await send(
      id,
      'contract',
      {
        contractNo: 'HT-1',
        contractor: 'Acme',
        amountFen: 50_000_000,
        signedOn: shanghaiToday(),
        documentRef: 'sha256:ht1',
        procurement: { method: 'open-tender', reason: '' },
      },
      actors.department,
    );

    await killDuring(
      id,
      'a disbursement',
      () =>
        send(id, 'disbursement', { fundType: 'construction', amountFen: 5_000_000, note: 'advance' }, actors.finance),
      'disburse',
    );
    let view = await handle.query(viewQuery);
    expect(view.funds.construction).toMatchObject({ availableFen: 75_000_000, disbursedFen: 5_000_000 });

    const ordered = await send(
      id,
      'rectificationOrder',
      { reason: 'unauthorized-change', description: 'Scope changed without a request' },
      actors.bdb,
    );
    const rid = (ordered.rectifications as Array<{ id: string }>).at(-1)!.id;
    await send(
      id,
      'rectificationResponse',
      { rid, description: 'Reverted', evidenceRef: 'sha256:r1' },
      actors.department,
    );
    await send(id, 'rectificationReview', { rid, decision: 'reject', opinion: 'Not reverted' }, actors.bdb);
    view = await handle.query(viewQuery);
    expect(view.funds).toMatchObject({ suspended: true, construction: { availableFen: 75_000_000, frozenFen: 0 } });

    await killDuring(
      id,
      'a cancellation (termination)',
      () => send(id, 'termination', { reason: 'Rectification refused' }, actors.bdb),
      'cancel',
    );
    view = await handle.query(viewQuery);
    expect(view.stage).toBe('terminated');
    expect(view.funds.construction).toMatchObject({
      allocatedFen: 80_000_000,
      disbursedFen: 5_000_000,
      cancelledFen: 75_000_000,
      frozenFen: 0,
      availableFen: 0,
      heldFen: 0,
    });
    const kinds = (
      await database.db.select().from(fundMovements).where(eq(fundMovements.projectId, id)).orderBy(fundMovements.id)
    ).map((m) => m.kind);
    expect(kinds).toEqual(['allocate', 'publish', 'disburse', 'cancel']);
    expect((await handle.result()).stage).toBe('terminated');
  }, 600_000);
});
