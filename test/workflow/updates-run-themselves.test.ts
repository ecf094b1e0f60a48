/**
 * How the workflow runs an Update's job (workflows/runner.ts, patch UPDATES_RUN_THEMSELVES): on an
 * idle project the Update's handler runs the job itself; one that arrives while another job runs
 * waits in the queue for the loop. Either way one job at a time, durable before visible, and the
 * loop still does what follows a change (the end of the project, the deadlines' timer).
 */
import { describe, expect, it } from 'vitest';
import { projectWorkflowId } from '../../workflows/messages.ts';
import { actors, construction, fullChecklist } from '../domain/helpers.ts';
import { lc, useLifecycle } from './lifecycle-fixtures.ts';
import { patchesOf } from './support.ts';

useLifecycle();

const review = { decision: 'pass' as const, opinion: 'complete', checklist: fullChecklist() };

describe('an Update runs its own job when the project is idle', () => {
  it('Art. 7 (measures): four technical reviews sent at once — one is applied, the other three are refused as the review is done; nothing is left running', async () => {
    const id = await lc.start();
    const outcomes = await Promise.allSettled(
      Array.from({ length: 4 }, () => lc.send(id, 'technicalReview', review, actors.bdb)),
    );
    const applied = outcomes.filter((o) => o.status === 'fulfilled');
    const refused = outcomes.filter((o) => o.status === 'rejected');
    expect(applied).toHaveLength(1);
    expect(refused).toHaveLength(3);
    for (const r of refused) expect(r.reason).toMatchObject({ cause: { type: 'invalid_transition' } });
    const after = await lc.view(id);
    expect(after.stage).toBe('establishment_review');
    expect((await lc.audit(id)).filter((e) => e.action === 'technical-review')).toHaveLength(1);

    // Nothing was left running: the next command is applied at once.
    const established = await lc.send(
      id,
      'establishment',
      { decision: 'approve', approvalNo: 'JSP-2026-009', opinion: 'approved', approvedEstimateFen: 100_000_000 },
      actors.approval,
    );
    expect(established.stage).not.toBe('establishment_review');
    expect((await lc.audit(id)).map((e) => e.action)).toEqual(['application', 'technical-review', 'establishment']);
  });

  it('Art. 10 (measures): four allocations sent at once while the project budgets — the first runs in its handler, the others queue behind it; all four are applied, each once, in one order', async () => {
    const id = await lc.start();
    await lc.send(id, 'technicalReview', review, actors.bdb);
    await lc.send(
      id,
      'establishment',
      { decision: 'approve', approvalNo: 'JSP-2026-010', opinion: 'approved', approvedEstimateFen: 100_000_000 },
      actors.approval,
    );
    const amounts = [1_000_000, 2_000_000, 3_000_000, 4_000_000];
    const views = await Promise.all(amounts.map((a) => lc.send(id, 'budget', construction(a), actors.finance)));
    // Each answer is the state its own change was committed in: one more allocation each time.
    expect(views.map((v) => v.allocations.length).sort()).toEqual([1, 2, 3, 4]);
    const final = await lc.view(id);
    expect(final.allocations.map((a) => a.amountFen).sort((x, y) => x - y)).toEqual(amounts);
    expect((await lc.audit(id)).filter((e) => e.action === 'budget')).toHaveLength(4);
    expect((await lc.movements(id)).map((m) => m.amountFen).sort((x, y) => Number(x) - Number(y))).toEqual(amounts);
  });

  it("Art. 22 (measures): a department's withdrawal ends the project — the loop wakes after the job the Update ran and the workflow completes with the final view", async () => {
    const id = await lc.start();
    const view = await lc.send(id, 'withdrawal', { reason: 'no longer needed' }, actors.department);
    expect(view.stage).toBe('withdrawn');
    const result = await lc.env.client.workflow.getHandle(projectWorkflowId(id)).result();
    expect(result).toEqual(view);
  });

  it('new runs take the patch: the first run of a new project records updates-run-themselves', async () => {
    const id = await lc.start();
    await lc.send(id, 'technicalReview', review, actors.bdb);
    const history = await lc.env.client.workflow.getHandle(projectWorkflowId(id)).fetchHistory();
    expect(patchesOf(history)).toContain('updates-run-themselves');
  });
});
