/**
 * The funds ledger (Art. 10-12, 21-22; docs/MEASURES.md "Money") and the SM3 audit chain
 * (Art. 24-25, 28) against both database drivers.
 */
import { ApplicationFailure } from '@temporalio/common';
import { and, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appendAudit, verifyAuditChain } from '../../db/queries/audit.ts';
import { createActivities, type EffectWrites } from '../../activities/index.ts';
import { bookMovement, type LedgerMovement } from '../../activities/ledger.ts';
import { auditLog, fundBalances, fundMovements, notifications, projects } from '../../db/schema.ts';
import { GENESIS_HASH } from '../../db/audit-chain.ts';
import { Project } from '../../domain/project.ts';
import { makeInput } from '../domain/helpers.ts';
import { createTestDatabase, DRIVERS, driverAvailable, type TestDatabase } from '../support/database.ts';
import { tamper } from '../support/tamper.ts';
import { financeActor as finance, movement, movementAt as at } from '../support/ledger.ts';

describe.each(DRIVERS)('ledger and audit (%s)', (driver) => {
  let database: TestDatabase;
  beforeAll(async () => {
    if (driverAvailable(driver)) database = await createTestDatabase(driver);
  });
  afterAll(async () => {
    await database?.destroy();
  });

  const balance = async (projectId: string) => {
    const [row] = await database.db
      .select()
      .from(fundBalances)
      .where(and(eq(fundBalances.projectId, projectId), eq(fundBalances.fundType, 'construction')));
    return row;
  };

  it.skipIf(!driverAvailable(driver))(
    'Art. 11-12: allocate → publish → disburse moves integer fen between buckets, each key once',
    async () => {
      const p = 'P-LEDGER-1';
      expect(
        await bookMovement(
          database.db,
          movement(p, 1, { amountFen: 500_000_00, cityShareFen: 300_000_00, countyShareFen: 200_000_00 }),
        ),
      ).toBe(true);
      expect(
        await bookMovement(
          database.db,
          movement(p, 2, { kind: 'publish', from: 'held', to: 'available', amountFen: 500_000_00 }),
        ),
      ).toBe(true);
      expect(
        await bookMovement(
          database.db,
          movement(p, 3, { kind: 'disburse', from: 'available', to: 'disbursed', amountFen: 123_456_78 }),
        ),
      ).toBe(true);
      // A retried activity re-sends the same key: booked once.
      expect(
        await bookMovement(
          database.db,
          movement(p, 3, { kind: 'disburse', from: 'available', to: 'disbursed', amountFen: 123_456_78 }),
        ),
      ).toBe(false);
      expect(await balance(p)).toMatchObject({
        allocatedFen: 500_000_00,
        heldFen: 0,
        availableFen: 376_543_22,
        disbursedFen: 123_456_78,
        frozenFen: 0,
        cancelledFen: 0,
      });
      const rows = await database.db.select().from(fundMovements).where(eq(fundMovements.projectId, p));
      expect(rows).toHaveLength(3);
    },
  );

  it.skipIf(!driverAvailable(driver))(
    'Art. 22: the database refuses a movement that would go negative, and books nothing',
    async () => {
      const p = 'P-LEDGER-2';
      await bookMovement(database.db, movement(p, 1, { amountFen: 100 }));
      const attempt = bookMovement(
        database.db,
        movement(p, 2, { kind: 'publish', from: 'held', to: 'available', amountFen: 101 }),
      );
      await expect(attempt).rejects.toBeInstanceOf(ApplicationFailure);
      await expect(attempt).rejects.toMatchObject({ type: 'LedgerInvariantViolation', nonRetryable: true });
      expect(await balance(p)).toMatchObject({ allocatedFen: 100, heldFen: 100, availableFen: 0 });
      const rows = await database.db.select().from(fundMovements).where(eq(fundMovements.projectId, p));
      expect(rows).toHaveLength(1);
    },
  );

  it.skipIf(!driverAvailable(driver))('refuses fractional fen and bucket pairs a kind does not allow', async () => {
    await expect(bookMovement(database.db, movement('P-LEDGER-3', 1, { amountFen: 10.5 }))).rejects.toMatchObject({
      type: 'InvalidFundMovement',
    });
    await expect(
      bookMovement(database.db, movement('P-LEDGER-3', 2, { kind: 'disburse', from: 'frozen', to: 'disbursed' })),
    ).rejects.toMatchObject({ type: 'InvalidFundMovement' });
  });

  it.skipIf(!driverAvailable(driver))('the balance identity is a database constraint too', async () => {
    await bookMovement(database.db, movement('P-LEDGER-4', 1, { amountFen: 1000 }));
    const error = await database.db
      .execute(sql`update fund_balances set held_fen = held_fen + 1 where project_id = 'P-LEDGER-4'`)
      .then(
        () => undefined,
        (err: Error & { cause?: Error }) => err,
      );
    expect(`${error?.message} ${error?.cause?.message}`).toMatch(/fund_balances_identity/);
  });

  it.skipIf(!driverAvailable(driver))(
    'Art. 24-25: audit entries chain with SM3, appends are idempotent per event id',
    async () => {
      const p = 'P-AUDIT-1';
      const entry = (n: number) => ({
        eventId: `wf:${n}`,
        at,
        action: `action-${n}`,
        actor: finance,
        detail: { n, note: '说明' },
      });
      expect(await appendAudit(database.db, p, [entry(1), entry(2)])).toBe(2);
      expect(await appendAudit(database.db, p, [entry(2), entry(3)])).toBe(1); // 2 was there already
      const rows = await database.db.select().from(auditLog).where(eq(auditLog.projectId, p)).orderBy(auditLog.seq);
      expect(rows.map((r) => r.seq)).toEqual([1, 2, 3]);
      expect(rows[0]!.prevHash).toBe(GENESIS_HASH);
      expect(rows[1]!.prevHash).toBe(rows[0]!.hash);
      expect(rows[0]!.hash).toMatch(/^[0-9a-f]{64}$/);
      expect(await verifyAuditChain(database.db, p)).toEqual([]);
    },
  );

  it.skipIf(!driverAvailable(driver))(
    'Art. 24-25: a row altered in the database is named by the verification',
    async () => {
      const p = 'P-AUDIT-2';
      await appendAudit(
        database.db,
        p,
        [1, 2, 3].map((n) => ({ eventId: `wf:${n}`, at, action: `a${n}`, actor: finance, detail: { n } })),
      );
      await tamper(database.db, 'audit_log', () =>
        database.db.execute(sql`update audit_log set detail = '{"n": 99}'::jsonb where project_id = ${p} and seq = 2`),
      );
      expect(await verifyAuditChain(database.db, p)).toEqual([
        { projectId: p, seq: 2, problem: 'hash does not match the row content' },
      ]);
    },
  );

  it.skipIf(!driverAvailable(driver))(
    'Art. 10-12, 24-25: persistEffects writes a batch all or nothing, and a retry writes nothing twice',
    async () => {
      const p = 'P-PERSIST-1';
      const activities = createActivities({ db: database.db });
      const persistEffects = (writes: EffectWrites) => activities.persistEffects(writes);
      const model = Project.create(makeInput({ id: p })).readModel();
      const batch = (movements: LedgerMovement[]): EffectWrites => ({
        projectId: p,
        audit: [1, 2].map((n) => ({ eventId: `${p}:audit:${n}`, at, action: `a${n}`, actor: finance, detail: { n } })),
        movements,
        notifications: [
          {
            eventId: `${p}:notify:3`,
            projectId: p,
            recipient: { role: 'finance' },
            kind: 'reminder',
            detail: 'due soon',
            dueAt: null,
            at,
          },
        ],
        model,
      });
      const counts = async () => ({
        audit: (await database.db.select().from(auditLog).where(eq(auditLog.projectId, p))).length,
        movements: (await database.db.select().from(fundMovements).where(eq(fundMovements.projectId, p))).length,
        notifications: (await database.db.select().from(notifications).where(eq(notifications.projectId, p))).length,
        projects: (await database.db.select().from(projects).where(eq(projects.id, p))).length,
      });

      // The second movement would overdraw the held money: the whole batch is refused.
      const broken = batch([
        movement(p, 1, { amountFen: 100 }),
        movement(p, 2, { kind: 'publish', from: 'held', to: 'available', amountFen: 101 }),
      ]);
      await expect(persistEffects(broken)).rejects.toMatchObject({ type: 'LedgerInvariantViolation' });
      expect(await counts()).toEqual({ audit: 0, movements: 0, notifications: 0, projects: 0 });
      expect(await balance(p)).toBeUndefined();

      const good = batch([
        movement(p, 1, { amountFen: 100 }),
        movement(p, 2, { kind: 'publish', from: 'held', to: 'available', amountFen: 100 }),
      ]);
      expect(await persistEffects(good)).toEqual({ appended: 2, booked: 2 });
      // A local activity is at-least-once: the same batch again (a crashed workflow task) changes nothing.
      expect(await persistEffects(good)).toEqual({ appended: 0, booked: 0 });
      expect(await counts()).toEqual({ audit: 2, movements: 2, notifications: 1, projects: 1 });
      expect(await balance(p)).toMatchObject({ allocatedFen: 100, heldFen: 0, availableFen: 100 });
      expect(await verifyAuditChain(database.db, p)).toEqual([]);
    },
  );
});
