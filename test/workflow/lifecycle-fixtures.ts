/**
 * The running lifecycle the workflow tests (lifecycle-*.test.ts) share within a file, and the steps
 * they take on it. `lc` is a live binding: set by useLifecycle's beforeAll (one time-skipping server,
 * worker and database a test file), read by the tests that import it.
 */
import { afterAll, beforeAll, inject } from 'vitest';
import { shanghaiDate } from '../../domain/calendar/index.ts';
import type { ProjectView } from '../../domain/view-shapes.ts';
import { actors, construction, fullChecklist, openTender } from '../domain/helpers.ts';
import { eventually } from '../support/system.ts';
import { startLifecycle, type Lifecycle } from './support.ts';

export let lc: Lifecycle;

/** Starts the lifecycle before the file's tests and stops it after them. */
export function useLifecycle(): void {
  beforeAll(async () => {
    lc = await startLifecycle(inject('testServerExecutable'));
  });
  afterAll(async () => {
    await lc?.stop();
  });
}

export const today = async () => shanghaiDate(new Date(await lc.env.currentTimeMs()).toISOString());

/** Skips to just after an instant (a deadline's due or reminder time). */
export async function skipPast(instant: string, extraMs = 60 * 60_000) {
  const wait = Date.parse(instant) - (await lc.env.currentTimeMs()) + extraMs;
  if (wait > 0) await lc.sleep(wait);
}

export const openDeadline = (view: ProjectView, kind: string) => {
  const d = view.deadlines.find((x) => x.kind === kind && x.status === 'open');
  if (!d) throw new Error(`no open ${kind} deadline in ${JSON.stringify(view.deadlines)}`);
  return d;
};

/** Polls the workflow's view until `check` holds (timers fire asynchronously after a skip). */
export const viewWhen = (id: string, check: (v: ProjectView) => boolean) =>
  eventually(async () => {
    const v = await lc.view(id);
    return check(v) ? v : undefined;
  });

/** Art. 11: the BDB's allocation plan lists an allocation (what POST /v1/allocation-plans sends). */
export const publish = (id: string, allocationId: string) =>
  lc.send(id, 'allocationPublication', { planId: 'AP2026-WORKFLOW01', allocationId }, actors.bdb);

/** Application → technical review → establishment → a construction budget, held until the BDB's plan (Art. 7-11). */
export async function toBudgeted(amountFen = 80_000_000) {
  const id = await lc.start();
  await lc.send(
    id,
    'technicalReview',
    { decision: 'pass', opinion: 'complete', checklist: fullChecklist() },
    actors.bdb,
  );
  await lc.send(
    id,
    'establishment',
    { decision: 'approve', approvalNo: 'JSP-2026-001', opinion: 'approved', approvedEstimateFen: 100_000_000 },
    actors.approval,
  );
  const budgeted = await lc.send(id, 'budget', construction(amountFen), actors.finance);
  return { id, budgeted };
}

/** `toBudgeted`, then the BDB publishes the allocation: publicity begins (Art. 11). */
export async function toPublicity(amountFen = 80_000_000) {
  const { id, budgeted } = await toBudgeted(amountFen);
  const view = await publish(id, budgeted.allocations.at(-1)!.id);
  return { id, view };
}

export async function toConstruction(amountFen = 80_000_000) {
  const { id, view } = await toPublicity(amountFen);
  await skipPast(openDeadline(view, 'publicity').dueAt);
  await viewWhen(id, (v) => v.stage === 'contracting');
  const signedOn = await today();
  await lc.send(
    id,
    'contract',
    {
      contractNo: 'HT-001',
      contractor: 'Acme',
      amountFen: 50_000_000,
      signedOn,
      documentRef: 'sha256:ht1',
      procurement: openTender(),
    },
    actors.department,
  );
  return id;
}
