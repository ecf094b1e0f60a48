/**
 * Budget, publicity and payment, Art. 10-12 (measures): finance books construction and O&M money
 * (Art. 10), the BDB publishes the allocation plan and objections are heard in its notice period
 * (Art. 11), the county's finance confirms the county share and finance acts within its own
 * jurisdiction (Art. 12), and disbursement within the published money (Art. 12; Art. 9, 22 stop it).
 */
import type { CommandPayloads } from '../commands.ts';
import type { ChangeContext } from '../context.ts';
import { Rejection } from '../errors.ts';
import { financeJurisdictionRefusal } from '../finance-jurisdiction.ts';
import { BUDGET_STAGES } from '../stages.ts';
import type { CountyShareRecord } from '../records.ts';
import {
  constructionAllocated,
  constructionLimit,
  latestEvaluation,
  omAllocatedForYear,
  sharingNoncompliant,
  unfundedBudgetIncrease,
} from '../view.ts';
import { type Handlers, notFound, refuse, sharingRefusal } from './common.ts';

export const BUDGET_HANDLERS = {
  budget(ctx, payload) {
    const state = ctx.state;
    const first = payload.fundType === 'construction' && state.stage === 'budgeting';
    if (payload.fundType === 'construction') {
      if (ctx.asWritten) {
        // Art. 10: finance budgets construction money year by year once the project is approved,
        // until it is built; no change request is needed within the limit below.
        ctx.requireStage(...BUDGET_STAGES.construction);
      } else if (!first) {
        // Legacy: the construction budget after establishment; later ones only for approved
        // budget increases (Art. 17) while the project is being built.
        ctx.requireStage('budgeting', 'contracting', 'construction');
      }
    } else {
      // Art. 21: no O&M budget while the completion report is unfiled (or overdue).
      if (state.stage === 'completion_filing') {
        throw refuse('completion_report_missing', 'Art. 21: no O&M budget before the completion report is filed.');
      }
      ctx.requireStage(...BUDGET_STAGES.om);
    }
    // Art. 21 as written: for a project whose completion report is unfiled past its deadline, finance
    // puts no further construction or O&M money in the budget.
    if (ctx.asWritten && state.completionReportOverdue) {
      throw refuse(
        'completion_report_missing',
        'Art. 21: the completion report is overdue; no further construction or O&M money is budgeted until it is filed.',
      );
    }
    // Art. 12: city-county co-built projects split every allocation into the two shares.
    if (payload.cityShareFen + payload.countyShareFen !== payload.amountFen) {
      throw refuse('share_mismatch', 'Art. 12: cityShareFen + countyShareFen must equal amountFen.');
    }
    // Art. 12 (measures): a county share waits for the county finance's confirmation (new projects only).
    const countyShare = countyShareToConfirm(ctx, payload.countyShareFen);
    if (payload.fundType === 'construction' && ctx.asWritten) {
      // Art. 8, 10, 17: all construction allocations (not cancelled) stay within the approved
      // estimate (批复概算) plus the approved budget changes (which may lower it as well as raise it;
      // an increase only with the approval bureau's agreement, policy — view constructionLimit).
      const limit = constructionLimit(state);
      const allocated = constructionAllocated(state);
      if (allocated + payload.amountFen > limit.limitFen) {
        throw refuse(
          'exceeds_approved_estimate',
          `Art. 10: ${allocated} + ${payload.amountFen} fen of construction money would exceed the approved estimate of ${limit.limitFen} fen ` +
            `(estimate ${limit.estimateFen} fen, approved budget changes ${limit.approvedChangesFen} fen` +
            (limit.unagreedIncreasesFen
              ? `; ${limit.unagreedIncreasesFen} fen of approved increases lack the approval bureau's agreement (policy budgetIncreaseNeedsApprovalAgreement)`
              : '') +
            ').',
          {
            ...limit,
            allocatedFen: allocated,
            amountFen: payload.amountFen,
            availableFen: Math.max(0, limit.limitFen - allocated),
          },
        );
      }
    } else if (payload.fundType === 'construction' && !first) {
      // Legacy Art. 17: approved budget increases then need a finance allocation, up to the increase.
      const room = unfundedBudgetIncrease(state);
      if (room === 0)
        throw refuse(
          'no_approved_budget_change',
          'Art. 17: a further construction allocation needs an approved budget change request.',
        );
      if (payload.amountFen > room) {
        throw refuse(
          'exceeds_approved_change',
          `Art. 17: only ${room} fen of approved budget increases are unfunded.`,
          { availableFen: room },
        );
      }
    }
    if (payload.fundType === 'om') {
      // Art. 9: a project that does not share data gets no O&M funds.
      if (ctx.asWritten ? sharingNoncompliant(state) : latestEvaluation(state)?.sharingCompliant === false) {
        if (ctx.asWritten) throw sharingRefusal('budget');
        throw refuse(
          'sharing_noncompliant',
          'Art. 9: the latest evaluation found the project not sharing data; no O&M funds.',
        );
      }
      // Art. 21: O&M costs are budgeted after the BDB reviewed them, every year.
      const review = state.omReviews.find((r) => r.year === payload.year);
      if (!review || review.approvedFen === 0) {
        throw refuse('om_review_missing', `Art. 21: no approved BDB O&M review for ${payload.year}.`);
      }
      const remaining = review.approvedFen - omAllocatedForYear(state, payload.year);
      if (payload.amountFen > remaining) {
        throw refuse(
          'exceeds_om_review',
          `Art. 21: only ${remaining} fen of the reviewed O&M cost for ${payload.year} remain.`,
          { availableFen: remaining },
        );
      }
    }

    state.seq.allocation += 1;
    const id = `alloc-${state.seq.allocation}`;
    let publicityDeadlineId: string | null = null;
    if (!ctx.asWritten) {
      // Legacy Art. 11: every allocation is publicised at once; its money is held until the period ends.
      const pub = ctx.policy.publicity;
      publicityDeadlineId = ctx.startDeadline('publicity', id, ctx.today, pub.duration, pub.reminder).id;
    }
    const fundedChanges: { changeRequestId: string; amountFen: number }[] = [];
    if (payload.fundType === 'construction' && !first && !ctx.asWritten) {
      let rest = payload.amountFen;
      for (const c of state.changeRequests) {
        if (rest === 0) break;
        if (c.kind !== 'budget' || c.status !== 'approved') continue;
        const take = Math.min(rest, (c.budgetDeltaFen ?? 0) - c.fundedFen);
        if (take <= 0) continue;
        c.fundedFen += take;
        rest -= take;
        fundedChanges.push({ changeRequestId: c.id, amountFen: take });
      }
    }
    state.allocations.push({
      id,
      fundType: payload.fundType,
      year: payload.year,
      amountFen: payload.amountFen,
      cityShareFen: payload.cityShareFen,
      countyShareFen: payload.countyShareFen,
      allocatedAt: ctx.now,
      allocatedBy: ctx.actor.name,
      status: countyShare ? 'awaiting-county' : ctx.asWritten ? 'held' : 'publicity',
      ...(countyShare ? { countyShare } : {}),
      publicityDeadlineId,
      ...(ctx.asWritten ? { planId: null } : {}),
      publishedAt: null,
      cancelledAt: null,
      fundedChanges,
    });
    if (!countyShare) ctx.move('allocate', payload.fundType, payload.amountFen, null, 'held', { allocationId: id });
    // Art. 11 (measures): the money is arranged and held; 公示 begins only when the BDB
    // publishes its plan (allocationPublication). Before the second reading the stage moved at once.
    if (first && !ctx.secondReading) state.stage = 'publicity';
    if (countyShare) {
      // Art. 12: the county share is in the county's budget (列入同级财政预算): its finance confirms it
      // before anything of the allocation is held or published (Art. 11).
      const params = {
        allocationId: id,
        fundType: payload.fundType,
        amountFen: payload.amountFen,
        countyShareFen: payload.countyShareFen,
        jurisdiction: countyShare.jurisdiction,
      };
      ctx.notify('finance', 'county-share-confirmation', params);
      ctx.notify('department', 'allocation', { ...params, status: 'awaiting-county' });
    } else if (ctx.asWritten) {
      // Art. 11: the budget is determined; the BDB publishes the allocation plan (拟分配计划), and
      // the money stays held until its notice period ends.
      ctx.notify('bdb', 'allocation-publication', {
        allocationId: id,
        fundType: payload.fundType,
        amountFen: payload.amountFen,
      });
      ctx.notify('department', 'allocation', {
        allocationId: id,
        fundType: payload.fundType,
        amountFen: payload.amountFen,
        status: 'held',
      });
    } else {
      ctx.notify('bdb', 'publicity', { allocationId: id, fundType: payload.fundType, amountFen: payload.amountFen });
      ctx.notify('department', 'allocation', {
        allocationId: id,
        fundType: payload.fundType,
        amountFen: payload.amountFen,
        status: 'publicity',
      });
    }
  },

  publicityObjection(ctx, payload) {
    const state = ctx.state;
    let allocation;
    if (payload.allocationId) {
      allocation = state.allocations.find((a) => a.id === payload.allocationId);
      if (!allocation) throw notFound(`allocation ${payload.allocationId}`);
      if (allocation.status !== 'publicity')
        throw ctx.invalidTransition(`Allocation ${allocation.id} is not under publicity.`);
    } else {
      allocation = state.allocations.filter((a) => a.status === 'publicity').at(-1);
      // Art. 11: objections are recorded during a publicity period.
      if (!allocation) throw ctx.invalidTransition('No allocation is under publicity.');
    }
    state.seq.objection += 1;
    const id = `obj-${state.seq.objection}`;
    state.objections.push({
      id,
      allocationId: allocation.id,
      summary: payload.summary,
      recordedAt: ctx.now,
      recordedBy: ctx.actor.name,
      status: 'open',
      note: null,
      resolvedAt: null,
      resolvedBy: null,
    });
    ctx.notify('finance', 'publicity-objection', { objectionId: id, allocationId: allocation.id });
    ctx.notify('department', 'publicity-objection', { objectionId: id, allocationId: allocation.id });
  },

  publicityObjectionResolution(ctx, payload) {
    const state = ctx.state;
    const o = state.objections.find((x) => x.id === payload.oid);
    if (!o) throw notFound(`objection ${payload.oid}`);
    if (o.status !== 'open') throw ctx.invalidTransition(`Objection ${o.id} is already ${o.status}.`);
    o.status = payload.upheld ? 'upheld' : 'dismissed';
    o.note = payload.note;
    o.resolvedAt = ctx.now;
    o.resolvedBy = ctx.actor.name;
    ctx.decision('publicity-objection-resolution', payload.upheld ? 'upheld' : 'dismissed', payload.note);
    const a = state.allocations.find((x) => x.id === o.allocationId);
    if (!a) return;
    if (payload.upheld) {
      // Art. 11: an upheld objection cancels the held money; in stage publicity the project goes
      // back to budgeting.
      ctx.cancelAllocation(a, 'objection-upheld');
    } else if (
      a.status === 'awaiting-objection' &&
      !state.objections.some((x) => x.allocationId === a.id && x.status === 'open')
    ) {
      // Art. 11: the period is over and the last objection is dismissed: publish now.
      ctx.publish(a);
    }
  },

  disbursement(ctx, payload) {
    const balance = ctx.state.funds[payload.fundType];
    // Art. 12 (measures): each level disburses its own share; a county's finance only its own county's.
    const share = financeShareOf(ctx);
    // Art. 22: no disbursement while funds are suspended.
    if (ctx.state.funds.suspended) {
      throw new Rejection(
        409,
        'funds_suspended',
        'Art. 22: disbursement of construction and O&M money is suspended (暂停拨付) until the rectification is accepted.',
      );
    }
    // Art. 9 as written: a project not sharing data as required gets no O&M money disbursed (不再拨付).
    if (ctx.asWritten && payload.fundType === 'om' && sharingNoncompliant(ctx.state))
      throw sharingRefusal('disbursement');
    // Money rules: only available money is disbursed.
    if (payload.amountFen > balance.availableFen) {
      throw refuse(
        'insufficient_funds',
        `Only ${balance.availableFen} fen of ${payload.fundType} money are available.`,
        { availableFen: balance.availableFen },
      );
    }
    const disbursed = ctx.state.financeJurisdiction?.disbursed[payload.fundType];
    if (share && disbursed) {
      const left = publishedShare(ctx, payload.fundType, share) - disbursed[share];
      if (payload.amountFen > left) {
        throw refuse(
          'insufficient_share',
          `Art. 12: only ${left} fen of the ${share} share of ${payload.fundType} money are left to disburse.`,
          { share, fundType: payload.fundType, availableFen: Math.max(0, left) },
        );
      }
      disbursed[share] += payload.amountFen;
    }
    ctx.move('disburse', payload.fundType, payload.amountFen, 'available', 'disbursed');
  },

  allocationPublication(ctx, payload) {
    const state = ctx.state;
    // Art. 11: after the budget is determined, the BDB publishes the allocation plan; each held
    // allocation it lists starts its notice period (policy: the publicity setting).
    const a = state.allocations.find((x) => x.id === payload.allocationId);
    if (!a) throw notFound(`allocation ${payload.allocationId}`);
    if (a.status === 'awaiting-county') {
      // Art. 11, 12 (measures): the budget is not determined until the county's finance confirmed its share.
      throw refuse(
        'county_share_unconfirmed',
        `Art. 11, 12: the county share of allocation ${a.id} is not confirmed by the finance of ${a.countyShare?.jurisdiction ?? ctx.state.input.jurisdiction} yet.`,
        {
          allocationId: a.id,
          jurisdiction: a.countyShare?.jurisdiction ?? ctx.state.input.jurisdiction,
        },
      );
    }
    if (a.status !== 'held') {
      throw refuse(
        'allocation_not_held',
        `Art. 11: allocation ${a.id} is ${a.status}${a.planId ? ` (plan ${a.planId})` : ''}, not held awaiting publication.`,
        {
          allocationId: a.id,
          status: a.status,
          planId: a.planId ?? null,
        },
      );
    }
    const pub = ctx.policy.publicity;
    const deadline = ctx.startDeadline('publicity', a.id, ctx.today, pub.duration, pub.reminder);
    a.status = 'publicity';
    a.publicityDeadlineId = deadline.id;
    a.planId = payload.planId;
    // Art. 11 (measures): the 公示 stage begins when the BDB publishes the first construction money.
    if (ctx.secondReading && a.fundType === 'construction' && state.stage === 'budgeting') state.stage = 'publicity';
    ctx.decision('allocation-publication', payload.planId, a.id);
    ctx.notify('department', 'publicity', {
      allocationId: a.id,
      fundType: a.fundType,
      amountFen: a.amountFen,
      planId: payload.planId,
    });
    ctx.notify('finance', 'publicity', {
      allocationId: a.id,
      fundType: a.fundType,
      amountFen: a.amountFen,
      planId: payload.planId,
    });
  },

  countyShareConfirmation: confirmCountyShare,
} satisfies Partial<Handlers>;

// --- Art. 12 (measures): finance acts within its jurisdiction ------------------------------

/**
 * For projects started after the patch `finance-jurisdiction`: refuses a finance actor of another
 * jurisdiction and answers the share it acts on (`city` for the city finance, `county` for the
 * project's county's); undefined for runs recorded before the patch.
 */
export function financeShareOf(ctx: ChangeContext): 'city' | 'county' | undefined {
  if (!ctx.state.financeJurisdiction) return undefined;
  const refusal = financeJurisdictionRefusal(ctx.actor.jurisdiction, ctx.state.input.jurisdiction);
  if (refusal) throw refusal;
  return (ctx.actor.jurisdiction ?? 'city') === 'city' ? 'city' : 'county';
}

/** Art. 11-12: a level's share of a fund type's published (available) allocations. */
const publishedShare = (ctx: ChangeContext, fundType: 'construction' | 'om', share: 'city' | 'county') =>
  ctx.state.allocations
    .filter((a) => a.fundType === fundType && a.status === 'published')
    .reduce((sum, a) => sum + (share === 'city' ? a.cityShareFen : a.countyShareFen), 0);

// --- Art. 12 (measures): county shares confirmed by the county's finance ---------------------------

/**
 * For a project started since the rule (`input.countyShareConfirmation`), the county share of an
 * allocation is the county's budget (Art. 12, 列入同级财政预算; Art. 5 分级立项): the city finance books
 * the allocation, the county's finance confirms the county share (countyShareConfirmation). Returns
 * the record to keep on the allocation, or null when there is nothing to confirm.
 */
function countyShareToConfirm(ctx: ChangeContext, countyShareFen: number): CountyShareRecord | null {
  const input = ctx.state.input;
  if (!ctx.asWritten || input.countyShareConfirmation !== true) return null;
  const jurisdiction = input.jurisdiction;
  if ((ctx.actor.jurisdiction ?? 'city') !== 'city') {
    throw new Rejection(
      403,
      'city_finance_only',
      `Art. 12: the city finance bureau books allocations; the finance of ${ctx.actor.jurisdiction} confirms county shares (county-share-confirmations).`,
      {
        actorJurisdiction: ctx.actor.jurisdiction,
      },
    );
  }
  if (countyShareFen === 0) return null;
  if (jurisdiction === 'city') {
    throw refuse(
      'county_share_without_county',
      'Art. 12: a project of the city itself has no county share; book it all as cityShareFen.',
      { countyShareFen },
    );
  }
  return { jurisdiction, confirmedAt: null, confirmedBy: null, budgetRef: null };
}

/** Art. 12 (measures): the county finance's confirmation of an allocation's county share. */
function confirmCountyShare(ctx: ChangeContext, payload: CommandPayloads['countyShareConfirmation']): void {
  const state = ctx.state;
  const county = state.input.jurisdiction;
  // A project of the city itself has no county share to confirm.
  if (county === 'city')
    throw ctx.invalidTransition('Art. 12: a project of the city itself has no county share to confirm.');
  // Art. 12 (measures): only the finance of the project's county confirms its share; the city's cannot.
  if ((ctx.actor.jurisdiction ?? 'city') !== county) {
    throw new Rejection(
      403,
      'county_finance_only',
      `Art. 12: only the finance of ${county} confirms the county share; the key belongs to ${ctx.actor.jurisdiction ?? 'city'}.`,
      {
        jurisdiction: county,
        actorJurisdiction: ctx.actor.jurisdiction ?? 'city',
      },
    );
  }
  const a = state.allocations.find((x) => x.id === payload.allocationId);
  if (!a) throw notFound(`allocation ${payload.allocationId}`);
  if (a.status !== 'awaiting-county' || !a.countyShare)
    throw ctx.invalidTransition(`Allocation ${a.id} is ${a.status}, not awaiting the county's confirmation.`);
  a.countyShare = {
    ...a.countyShare,
    confirmedAt: ctx.now,
    confirmedBy: ctx.actor.name,
    budgetRef: payload.budgetRef === '' ? null : payload.budgetRef,
  };
  a.status = 'held';
  ctx.decision('county-share-confirmation', undefined, a.id);
  // Now the allocation's budget is determined (Art. 11): held until the BDB's allocation plan.
  ctx.move('allocate', a.fundType, a.amountFen, null, 'held', { allocationId: a.id });
  ctx.notify('bdb', 'allocation-publication', { allocationId: a.id, fundType: a.fundType, amountFen: a.amountFen });
  ctx.notify('department', 'allocation', {
    allocationId: a.id,
    fundType: a.fundType,
    amountFen: a.amountFen,
    status: 'held',
  });
}
