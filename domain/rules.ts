/**
 * The rules of 晋市政办〔2019〕44号, one handler per command and one consequence per deadline kind.
 * Every payload reaching a handler has passed its schema (COMMAND_SCHEMAS, checked by Project.run);
 * a handler first refuses (throws Rejection) and only then changes the draft state, citing its
 * article. Order of refusals: 400 payload → 409 stage → 404 id → 422 business.
 */
import { TECHNICAL_REVIEW_ITEMS, type CommandName, type CommandPayloads } from './commands.ts';
import type { ChangeContext } from './context.ts';
import { addCalendarDays, isBefore, quarterStart, shanghaiDate } from './calendar/dates.ts';
import { SYSTEM_ACTOR } from './effects.ts';
import { Rejection } from './errors.ts';
import { financeJurisdictionRefusal } from './finance-jurisdiction.ts';
import { deadlineRescheduling } from './rescheduling.ts';
import { BUDGET_STAGES, COMMAND_STAGES as STAGES } from './stages.ts';
import type { DeadlineRecord } from './state.ts';
import { awaitingOpinions, constructionAllocated, constructionLimit, latestEvaluation, movesCap, omAllocatedForYear, openDeadline, openDeadlines, sharingNoncompliant, unfundedBudgetIncrease } from './view.ts';
import {
  CHANGE_KINDS,
  deadlineBasis,
  FUND_TYPES,
  INCIDENT_SEVERITIES,
  RECTIFICATION_REASONS,
  SHARING_TYPES,
  type ChangeKind,
  type ConsultedRole,
  type ContractRecord,
  type CountyShareRecord,
  type Duration,
  securityDrillSetting,
  type RectificationReason,
  type Stage,
  type TechnicalReviewChecklist,
} from './types.ts';

const refuse = (code: string, message: string, details: Record<string, unknown> = {}) => new Rejection(422, code, message, details);
const notFound = (what: string) => new Rejection(404, 'not_found', `No ${what}.`);
const alreadyExists = (what: string) => new Rejection(409, 'already_exists', `${what} already exists.`);


/** Art. 22: the ladder termination needs, named in the refusal. */
const ART22_LADDER =
  'Art. 22: termination only from suspension — rectification order with a deadline → not rectified by the deadline (拒不整改) or response rejected (整改后仍不符合) → disbursement suspended (暂停拨付) → termination';

/** Art. 9: the refusal of O&M money to a project that does not share data. */
const sharingRefusal = (what: string) =>
  refuse('sharing_noncompliant', `Art. 9: the project does not share data as required (latest evaluation or an open sharing-noncompliance rectification); no O&M ${what}.`);

type Handler<K extends CommandName> = (ctx: ChangeContext, payload: CommandPayloads[K]) => void;

export const HANDLERS: { [K in CommandName]: Handler<K> } = {
  technicalReview(ctx, payload) {
    ctx.requireStage(...STAGES.technicalReview);
    const missing = TECHNICAL_REVIEW_ITEMS.filter((k) => !(payload.checklist as TechnicalReviewChecklist)[k]);
    const grounds = payload.grounds ?? [];
    // Art. 9 (measures): the grounds (e.g. 变相包装) explain a revise or a reject; a pass cites none.
    if (payload.decision === 'pass' && grounds.length > 0) {
      throw new Rejection(400, 'validation_failed', 'Art. 9: grounds are cited with revise or reject, not with pass.', {
        errors: [{ path: 'grounds', message: 'only with decision revise or reject (Art. 9)' }],
      });
    }
    // Art. 7 names what the BDB reviews (catalogue, sharing, intensive construction, cloud deployment,
    // security & 自主可控); that a pass needs every item is policy (switch technicalReviewEveryItem, on by default).
    if (payload.decision === 'pass' && missing.length > 0 && ctx.switches.technicalReviewEveryItem) {
      throw refuse('checklist_incomplete', `Art. 7 (policy technicalReviewEveryItem): a pass needs every checklist item; missing ${missing.join(', ')}.`, { missing });
    }
    const state = ctx.state;
    state.technicalReviews.push({
      decision: payload.decision,
      opinion: payload.opinion,
      checklist: { ...payload.checklist },
      ...(grounds.length > 0 ? { grounds: [...grounds] } : {}),
      at: ctx.now,
      by: ctx.actor.name,
    });
    const groundsParam: Record<string, string> = grounds.length > 0 ? { grounds: grounds.join(',') } : {};
    ctx.decision('technical-review', payload.decision, payload.opinion);
    if (payload.decision === 'pass') {
      // Art. 8: the technical review opinion is a prerequisite (审批要件) of establishment approval.
      state.stage = 'establishment_review';
      ctx.notify('approval', 'establishment-review');
    } else if (payload.decision === 'revise') {
      // Art. 7 (brief): back to the department, which resubmits.
      state.stage = 'submitted';
      ctx.notify('department', 'revise', { opinion: payload.opinion, ...groundsParam });
    } else {
      // Art. 9: designs against sharing / intensive construction policy are not established.
      state.stage = 'rejected';
      ctx.notify('department', 'rejected', { by: 'technical-review', opinion: payload.opinion, ...groundsParam });
    }
  },

  resubmission(ctx, payload) {
    ctx.requireStage(...STAGES.resubmission);
    // Art. 7-8: the revised application documents go back to the BDB's technical review.
    ctx.state.documents = { ...payload.documents };
    // Issue 18: the uploaded documents among them (only new commands carry documentIds).
    if (payload.documentIds) ctx.state.documentIds = { ...payload.documentIds };
    else delete ctx.state.documentIds;
    ctx.state.stage = 'technical_review';
    ctx.decision('resubmission', undefined, payload.note);
    ctx.notify('bdb', 'technical-review', { resubmitted: true });
  },

  establishment(ctx, payload) {
    // Art. 8: establishment approval (审批立项) requires a passed technical review: the stage is
    // reachable only through a technical review `pass`.
    ctx.requireStage(...STAGES.establishment);
    if (payload.decision === 'approve' && payload.approvalNo.trim() === '') {
      throw new Rejection(400, 'validation_failed', 'An approval needs its approvalNo.', {
        errors: [{ path: 'approvalNo', message: 'required when approving' }],
      });
    }
    // Art. 8 (measures, issue 27): the approval states the approved estimate (批复概算); required for
    // projects applied for since the second reading (approvals of older runs replay without it).
    if (payload.decision === 'approve' && payload.approvedEstimateFen === undefined && ctx.secondReading) {
      throw new Rejection(400, 'validation_failed', 'Art. 8: an approval states the approved estimate (approvedEstimateFen, 批复概算).', {
        errors: [{ path: 'approvedEstimateFen', message: 'required when approving (Art. 8: the approved estimate, 批复概算)' }],
      });
    }
    ctx.decision('establishment', payload.decision, payload.opinion);
    if (payload.decision === 'approve') {
      ctx.state.approvalNo = payload.approvalNo;
      ctx.state.approvedOn = ctx.today; // Art. 9: contracts signed before this date are 未批先建
      // Art. 8, 10 (measures): the approved estimate caps construction money (view constructionLimit).
      if (payload.approvedEstimateFen !== undefined) ctx.state.approvedEstimateFen = payload.approvedEstimateFen;
      ctx.state.stage = 'budgeting'; // Art. 10: finance budgets approved projects
      ctx.notify('finance', 'budget', { approvalNo: payload.approvalNo ?? null, ...(payload.approvedEstimateFen !== undefined ? { approvedEstimateFen: payload.approvedEstimateFen } : {}) });
    } else {
      ctx.state.stage = 'rejected'; // Art. 9
      ctx.notify('department', 'rejected', { by: 'establishment', opinion: payload.opinion });
    }
  },

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
      throw refuse('completion_report_missing', 'Art. 21: the completion report is overdue; no further construction or O&M money is budgeted until it is filed.');
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
            (limit.unagreedIncreasesFen ? `; ${limit.unagreedIncreasesFen} fen of approved increases lack the approval bureau's agreement (policy budgetIncreaseNeedsApprovalAgreement)` : '') +
            ').',
          { ...limit, allocatedFen: allocated, amountFen: payload.amountFen, availableFen: Math.max(0, limit.limitFen - allocated) },
        );
      }
    } else if (payload.fundType === 'construction' && !first) {
      // Legacy Art. 17: approved budget increases then need a finance allocation, up to the increase.
      const room = unfundedBudgetIncrease(state);
      if (room === 0) throw refuse('no_approved_budget_change', 'Art. 17: a further construction allocation needs an approved budget change request.');
      if (payload.amountFen > room) {
        throw refuse('exceeds_approved_change', `Art. 17: only ${room} fen of approved budget increases are unfunded.`, { availableFen: room });
      }
    }
    if (payload.fundType === 'om') {
      // Art. 9: a project that does not share data gets no O&M funds.
      if (ctx.asWritten ? sharingNoncompliant(state) : latestEvaluation(state)?.sharingCompliant === false) {
        if (ctx.asWritten) throw sharingRefusal('budget');
        throw refuse('sharing_noncompliant', 'Art. 9: the latest evaluation found the project not sharing data; no O&M funds.');
      }
      // Art. 21: O&M costs are budgeted after the BDB reviewed them, every year.
      const review = state.omReviews.find((r) => r.year === payload.year);
      if (!review || review.approvedFen === 0) {
        throw refuse('om_review_missing', `Art. 21: no approved BDB O&M review for ${payload.year}.`);
      }
      const remaining = review.approvedFen - omAllocatedForYear(state, payload.year);
      if (payload.amountFen > remaining) {
        throw refuse('exceeds_om_review', `Art. 21: only ${remaining} fen of the reviewed O&M cost for ${payload.year} remain.`, { availableFen: remaining });
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
    // Art. 11 (measures, issue 27): the money is arranged and held; 公示 begins only when the BDB
    // publishes its plan (allocationPublication). Before the second reading the stage moved at once.
    if (first && !ctx.secondReading) state.stage = 'publicity';
    if (countyShare) {
      // Art. 12: the county share is in the county's budget (列入同级财政预算): its finance confirms it
      // before anything of the allocation is held or published (Art. 11).
      const params = { allocationId: id, fundType: payload.fundType, amountFen: payload.amountFen, countyShareFen: payload.countyShareFen, jurisdiction: countyShare.jurisdiction };
      ctx.notify('finance', 'county-share-confirmation', params);
      ctx.notify('department', 'allocation', { ...params, status: 'awaiting-county' });
    } else if (ctx.asWritten) {
      // Art. 11: the budget is determined; the BDB publishes the allocation plan (拟分配计划), and
      // the money stays held until its notice period ends.
      ctx.notify('bdb', 'allocation-publication', { allocationId: id, fundType: payload.fundType, amountFen: payload.amountFen });
      ctx.notify('department', 'allocation', { allocationId: id, fundType: payload.fundType, amountFen: payload.amountFen, status: 'held' });
    } else {
      ctx.notify('bdb', 'publicity', { allocationId: id, fundType: payload.fundType, amountFen: payload.amountFen });
      ctx.notify('department', 'allocation', { allocationId: id, fundType: payload.fundType, amountFen: payload.amountFen, status: 'publicity' });
    }
  },

  publicityObjection(ctx, payload) {
    const state = ctx.state;
    let allocation;
    if (payload.allocationId) {
      allocation = state.allocations.find((a) => a.id === payload.allocationId);
      if (!allocation) throw notFound(`allocation ${payload.allocationId}`);
      if (allocation.status !== 'publicity') throw ctx.invalidTransition(`Allocation ${allocation.id} is not under publicity.`);
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
    } else if (a.status === 'awaiting-objection' && !state.objections.some((x) => x.allocationId === a.id && x.status === 'open')) {
      // Art. 11: the period is over and the last objection is dismissed: publish now.
      ctx.publish(a);
    }
  },

  contract(ctx, payload) {
    const state = ctx.state;
    ctx.requireStage(...(ctx.secondReading ? STAGES.contract : (['contracting', 'construction'] as Stage[])));
    if (state.contracts.some((c) => c.contractNo === payload.contractNo)) throw alreadyExists(`Contract ${payload.contractNo}`);
    if (payload.signedOn > ctx.today) throw refuse('signed_in_future', 'A contract cannot be recorded before it is signed.');
    // Art. 15: file each contract with the BDB within 5 working days of signing (counted from signedOn).
    const f = ctx.policy.contractFiling;
    const d = ctx.startDeadline('contract-filing', payload.contractNo, payload.signedOn, f.duration, f.reminder);
    const filed = payload.documentRef !== undefined && payload.documentRef !== null;
    state.contracts.push({
      contractNo: payload.contractNo,
      contractor: payload.contractor,
      amountFen: payload.amountFen,
      signedOn: payload.signedOn,
      recordedAt: ctx.now,
      recordedBy: ctx.actor.name,
      documentRef: filed ? payload.documentRef! : null,
      ...(filed && payload.documentId ? { documentId: payload.documentId } : {}),
      filedAt: filed ? ctx.now : null,
      filedLate: false,
      filingDeadlineId: d.id,
      // Art. 13 (measures): the procurement method (required for new input, Project.run).
      ...(payload.procurement ? { procurement: { method: payload.procurement.method, reason: payload.procurement.reason } } : {}),
      // Art. 14 (measures): the supervising firm (工程监理), where there is one.
      ...(payload.supervisor !== undefined ? { supervisor: payload.supervisor } : {}),
    });
    if (filed) {
      if (ctx.secondReading) fileWithRecord(ctx, d, payload.signedOn, f.duration);
      else ctx.closeDeadline(d, 'met'); // filed together with the record (before the second reading: whatever its signedOn)
    }
    if (ctx.asWritten && state.approvedOn && payload.signedOn < state.approvedOn) {
      // Art. 9: 不得未批先建 — a contract signed before the establishment approval is recorded as a
      // violation, the BDB and the approval bureau are notified; an order only per policy switch.
      const detail = `Contract ${payload.contractNo} was signed ${payload.signedOn}, before the establishment approval of ${state.approvedOn} (未批先建).`;
      ctx.violation('unapproved-construction', 'Art. 9', detail);
      const params = { contractNo: payload.contractNo, signedOn: payload.signedOn, approvedOn: state.approvedOn };
      ctx.notify('bdb', 'unapproved-construction', params);
      ctx.notify('approval', 'unapproved-construction', params);
      if (ctx.switches.unapprovedConstructionRectification) {
        const r = ctx.issueRectification({ reason: 'unapproved-construction', description: `${detail} (Art. 9)`, dueOn: null, issuer: SYSTEM_ACTOR, automatic: true });
        ctx.audit('rectification-order', { rectificationId: r.id, reason: r.reason, automatic: true }, SYSTEM_ACTOR);
      }
    }
    ctx.notify('bdb', filed ? 'contract-filing' : 'contract', { contractNo: payload.contractNo, contractor: payload.contractor, signedOn: payload.signedOn });
    // Art. 13-14: the first signed contract starts construction.
    if (state.stage === 'contracting') ctx.enterConstruction(state.plannedCompletionDate);
  },

  contractFiling(ctx, payload) {
    const c = ctx.state.contracts.find((x) => x.contractNo === payload.contractNo);
    if (!c) throw notFound(`contract ${payload.contractNo}`);
    if (c.filedAt !== null) throw ctx.invalidTransition(`Contract ${c.contractNo} is already filed.`);
    const d = ctx.deadline(c.filingDeadlineId);
    c.documentRef = payload.documentRef;
    if (payload.documentId) c.documentId = payload.documentId;
    c.filedAt = ctx.now;
    if (ctx.secondReading && d?.status === 'open' && (d.dueAt === null || isBefore(d.dueAt, ctx.now))) {
      // Art. 15 (measures): lateness is counted to the day the text reaches the BDB: past the due day
      // it is late even before the deadline's timer fired (the consequence is the missed deadline's).
      if (d.dueAt === null) d.fulfilledAt = ctx.now; // judged as soon as it is dated
      else {
        c.filedLate = true;
        contractFilingMissed(ctx, d, c);
      }
    } else {
      // Art. 15: filing meets the deadline while it is open; a late filing keeps the violation.
      c.filedLate = d?.status !== 'open';
      ctx.closeDeadline(d, 'met');
    }
    ctx.notify('bdb', 'contract-filing', { contractNo: c.contractNo, late: c.filedLate });
  },

  progressReport(ctx, payload) {
    const state = ctx.state;
    // Art. 16: the department reports progress and fund use periodically during construction.
    ctx.requireStage(...STAGES.progressReport);
    if (state.progressReports.some((r) => r.period === payload.period)) throw alreadyExists(`The report for ${payload.period}`);
    if (quarterStart(payload.period) > ctx.today) throw refuse('period_not_started', `Period ${payload.period} has not started.`);
    const d = openDeadline(state, 'progress-report', payload.period);
    const late = state.deadlines.some((x) => x.kind === 'progress-report' && x.ref === payload.period && x.status === 'missed');
    ctx.closeDeadline(d, 'met');
    state.progressReports.push({ ...pick(payload, ['period', 'spentFen', 'progressPercent', 'summary']), reportedAt: ctx.now, reportedBy: ctx.actor.name, late });
    ctx.ensureProgressDeadline();
    ctx.notify('bdb', 'progress-report', { period: payload.period, progressPercent: payload.progressPercent });
  },

  disbursement(ctx, payload) {
    const balance = ctx.state.funds[payload.fundType];
    // Art. 12 (measures): each level disburses its own share; a county's finance only its own county's.
    const share = financeShareOf(ctx);
    // Art. 22: no disbursement while funds are suspended.
    if (ctx.state.funds.suspended) {
      throw new Rejection(409, 'funds_suspended', 'Art. 22: disbursement of construction and O&M money is suspended (暂停拨付) until the rectification is accepted.');
    }
    // Art. 9 as written: a project not sharing data as required gets no O&M money disbursed (不再拨付).
    if (ctx.asWritten && payload.fundType === 'om' && sharingNoncompliant(ctx.state)) throw sharingRefusal('disbursement');
    // Money rules: only available money is disbursed.
    if (payload.amountFen > balance.availableFen) {
      throw refuse('insufficient_funds', `Only ${balance.availableFen} fen of ${payload.fundType} money are available.`, { availableFen: balance.availableFen });
    }
    const disbursed = ctx.state.financeJurisdiction?.disbursed[payload.fundType];
    if (share && disbursed) {
      const left = publishedShare(ctx, payload.fundType, share) - disbursed[share];
      if (payload.amountFen > left) {
        throw refuse('insufficient_share', `Art. 12: only ${left} fen of the ${share} share of ${payload.fundType} money are left to disburse.`, { share, fundType: payload.fundType, availableFen: Math.max(0, left) });
      }
      disbursed[share] += payload.amountFen;
    }
    ctx.move('disburse', payload.fundType, payload.amountFen, 'available', 'disbursed');
  },

  changeRequest(ctx, payload) {
    const state = ctx.state;
    // Art. 17: major changes during construction need a change request assessed by the BDB.
    ctx.requireStage(...STAGES.changeRequest);
    const delta = payload.budgetDeltaFen ?? null;
    const newDate = payload.newPlannedCompletionDate ?? null;
    // Art. 17: a budget change may go down as well as up (as-written); legacy: increases only.
    if (payload.kind === 'budget' && !(delta !== null && (ctx.asWritten ? delta !== 0 : delta > 0))) {
      throw refuse('budget_delta_required', `Art. 17: a budget change request needs a ${ctx.asWritten ? 'non-zero' : 'positive'} budgetDeltaFen.`);
    }
    if (payload.kind === 'schedule' && newDate === null) {
      throw refuse('planned_completion_date_required', 'Art. 17: a schedule change request needs newPlannedCompletionDate.');
    }
    state.seq.changeRequest += 1;
    const id = `cr-${state.seq.changeRequest}`;
    state.changeRequests.push({
      id,
      kind: payload.kind,
      description: payload.description,
      budgetDeltaFen: payload.kind === 'budget' ? delta : null,
      newPlannedCompletionDate: payload.kind === 'schedule' ? newDate : null,
      status: 'pending',
      requestedAt: ctx.now,
      requestedBy: ctx.actor.name,
      decidedAt: null,
      decidedBy: null,
      opinion: null,
      fundedFen: 0,
      ...(state.measuresRecords === 1 ? { consulted: consultedRoles(payload.kind, delta), opinions: [] } : {}),
    });
    ctx.notify('bdb', 'change-request', { changeRequestId: id, kind: payload.kind, description: payload.description });
    // Art. 17 (measures): the BDB decides after consulting the related units (征求相关单位意见).
    for (const role of state.changeRequests.at(-1)!.consulted ?? []) {
      ctx.notify(role, 'change-request-consultation', { changeRequestId: id, kind: payload.kind, description: payload.description });
    }
  },

  changeRequestDecision(ctx, payload) {
    const state = ctx.state;
    const c = state.changeRequests.find((x) => x.id === payload.cid);
    if (!c) throw notFound(`change request ${payload.cid}`);
    if (c.status !== 'pending') throw ctx.invalidTransition(`Change request ${c.id} is already ${c.status}.`);
    // Art. 17 (measures): not before every related unit consulted has given its opinion.
    const missing = awaitingOpinions(c);
    if (missing.length > 0) {
      throw new Rejection(409, 'opinions_missing', `Art. 17: change request ${c.id} still awaits the opinion of ${missing.join(', ')}.`, { changeRequestId: c.id, missing });
    }
    c.status = payload.decision === 'approve' ? 'approved' : 'rejected';
    c.decidedAt = ctx.now;
    c.decidedBy = ctx.actor.name;
    c.opinion = payload.opinion;
    ctx.decision('change-request-decision', payload.decision, payload.opinion);
    if (c.status === 'approved' && c.kind === 'schedule' && c.newPlannedCompletionDate) {
      // Art. 17: an approved schedule change moves the planned completion date, and with it the
      // Art. 22 acceptance-delay deadline.
      state.plannedCompletionDate = c.newPlannedCompletionDate;
      if (state.stage === 'construction') {
        for (const d of openDeadlines(state, 'acceptance-delay')) ctx.closeDeadline(d, 'cancelled');
        ctx.startAcceptanceDelay(c.newPlannedCompletionDate);
      }
    }
    if (c.status === 'approved' && c.kind === 'budget') {
      // Art. 17: approved budget increases then need a finance allocation. Art. 10 (policy switch
      // budgetIncreaseNeedsApprovalAgreement): without the approval bureau's agreement the cap stays.
      ctx.notify('finance', 'budget-increase', { changeRequestId: c.id, budgetDeltaFen: c.budgetDeltaFen ?? 0, ...(movesCap(state, c) ? {} : { capUnchanged: true }) });
    }
    ctx.notify('department', 'change-request-decision', { changeRequestId: c.id, status: c.status, opinion: payload.opinion });
  },

  rectificationOrder(ctx, payload) {
    const dueOn = payload.dueOn ?? null;
    if (dueOn !== null && dueOn < ctx.today) throw refuse('due_date_past', 'The rectification date has passed already.');
    // Art. 22: violations lead to a rectification order with a deadline (bdb or approval).
    ctx.issueRectification({ reason: payload.reason, description: payload.description, dueOn, issuer: ctx.actor, automatic: false });
  },

  rectificationResponse(ctx, payload) {
    const r = ctx.state.rectifications.find((x) => x.id === payload.rid);
    if (!r) throw notFound(`rectification order ${payload.rid}`);
    // Art. 22: the department responds; the issuer then accepts or rejects. As written, a failed
    // order (disbursement suspended) may still be rectified later: the issuer accepts it and lifts the
    // suspension.
    const late = ctx.asWritten && r.status === 'failed' && !r.responses.some((x) => x.review === null);
    if (r.status !== 'awaiting-response' && !late) throw ctx.invalidTransition(`Rectification ${r.id} is ${r.status}.`);
    r.responses.push({ description: payload.description, evidenceRef: payload.evidenceRef, ...(payload.documentId ? { documentId: payload.documentId } : {}), at: ctx.now, by: ctx.actor.name, review: null });
    if (!late) r.status = 'awaiting-review';
    ctx.notify(r.issuedByRole, 'rectification-review', { rectificationId: r.id });
  },

  rectificationReview(ctx, payload) {
    const r = ctx.state.rectifications.find((x) => x.id === payload.rid);
    if (!r) throw notFound(`rectification order ${payload.rid}`);
    // Art. 22: the issuer accepts or rejects the rectification (automatic orders: the BDB).
    if (ctx.actor.role !== r.issuedByRole) {
      throw new Rejection(403, 'forbidden', `Only the issuing role (${r.issuedByRole}) reviews rectification ${r.id}.`);
    }
    const response = r.responses.find((x) => x.review === null);
    if (!response || (r.status !== 'awaiting-review' && r.status !== 'failed')) {
      throw ctx.invalidTransition(`Rectification ${r.id} has no response awaiting review.`);
    }
    response.review = { decision: payload.decision, opinion: payload.opinion, at: ctx.now, by: ctx.actor.name };
    ctx.decision('rectification-review', payload.decision, payload.opinion);
    if (payload.decision === 'accept') {
      r.status = 'accepted';
      ctx.closeDeadline(ctx.deadline(r.deadlineId), 'met');
      ctx.notify('department', 'rectification-accepted', { rectificationId: r.id });
      // Art. 22: accepted rectification → funds unfrozen (once no failed one remains).
      ctx.liftSuspensionIfClear();
    } else if (r.status === 'awaiting-review') {
      // Art. 22: response rejected → funds suspended, BDB decides.
      ctx.failRectification(r, 'response rejected');
    } else {
      ctx.notify('department', 'rectification-rejected', { rectificationId: r.id });
    }
  },

  rectificationExtension(ctx, payload) {
    const state = ctx.state;
    const r = state.rectifications.find((x) => x.id === payload.rid);
    if (!r) throw notFound(`rectification order ${payload.rid}`);
    if (r.status === 'accepted' || r.status === 'closed') throw ctx.invalidTransition(`Rectification ${r.id} is ${r.status}.`);
    if (payload.dueOn < ctx.today) throw refuse('due_date_past', 'The new rectification date has passed already.');
    // Art. 22: after a failed rectification the BDB may extend the deadline (or terminate).
    ctx.closeDeadline(ctx.deadline(r.deadlineId), 'cancelled');
    const d = ctx.startDeadline('rectification', r.id, ctx.today, { until: payload.dueOn }, ctx.policy.rectification.reminder);
    r.deadlineId = d.id;
    r.dueOn = payload.dueOn;
    r.extensions.push({ dueOn: payload.dueOn, reason: payload.reason, at: ctx.now, by: ctx.actor.name });
    if (r.status === 'failed') r.status = r.responses.some((x) => x.review === null) ? 'awaiting-review' : 'awaiting-response';
    ctx.decision('rectification-extension', payload.dueOn, payload.reason);
    ctx.notify('department', 'rectification-extended', { rectificationId: r.id, dueOn: payload.dueOn });
  },

  termination(ctx, payload) {
    // Art. 22: 暂停拨付…直至终止项目 — as written the BDB terminates only a project whose disbursement
    // is suspended (legacy: any active stage); unspent money is cancelled.
    if (ctx.asWritten && !ctx.state.funds.suspended) throw ctx.invalidTransition(`${ART22_LADDER}; disbursement is not suspended.`);
    ctx.decision('termination', 'terminate', payload.reason);
    ctx.end('terminated', payload.reason);
  },

  withdrawal(ctx, payload) {
    // The department may withdraw before construction only (brief).
    ctx.requireStage(...STAGES.withdrawal);
    ctx.decision('withdrawal', 'withdraw', payload.reason);
    // As written the withdrawal ends in its own stage; termination is Art. 22's sanction only.
    ctx.end(ctx.asWritten ? 'withdrawn' : 'terminated', payload.reason);
    ctx.notify('bdb', 'withdrawal', { reason: payload.reason });
  },

  catalogEntries(ctx, payload) {
    // Art. 19: the resource catalogue is registered on the sharing platform from construction on.
    ctx.requireStage(...STAGES.catalogEntries);
    const state = ctx.state;
    for (const e of payload.entries) {
      const record = { code: e.code, name: e.name, sharingType: e.sharingType, updateCycle: e.updateCycle, registeredAt: ctx.now, registeredBy: ctx.actor.name };
      const i = state.catalogEntries.findIndex((x) => x.code === e.code);
      if (i >= 0) state.catalogEntries[i] = record;
      else state.catalogEntries.push(record);
    }
    ctx.notify('bdb', 'catalog-entries', { count: payload.entries.length });
  },

  preliminaryAcceptance(ctx, payload) {
    const state = ctx.state;
    // Art. 18: the department's own preliminary acceptance comes first, then joint acceptance.
    ctx.requireStage(...STAGES.preliminaryAcceptance);
    if (payload.completedOn > ctx.today) throw refuse('completed_in_future', 'completedOn lies in the future.');
    state.acceptance.preliminary = { reportRef: payload.reportRef, ...(payload.documentId ? { documentId: payload.documentId } : {}), completedOn: payload.completedOn, at: ctx.now, by: ctx.actor.name };
    if (!ctx.asWritten || ctx.switches.failedAcceptanceClearsOtherPass) {
      state.acceptance.technical = null;
      state.acceptance.completion = null;
    } else {
      // Art. 18 as written: a pass that stood through a failed acceptance is kept (policy switch
      // failedAcceptanceClearsOtherPass off); only what did not pass is repeated.
      if (state.acceptance.technical?.decision !== 'pass') state.acceptance.technical = null;
      if (state.acceptance.completion?.decision !== 'pass') state.acceptance.completion = null;
    }
    // Art. 22: preliminary acceptance meets the acceptance-delay deadline.
    for (const d of openDeadlines(state, 'acceptance-delay')) ctx.closeDeadline(d, 'met');
    // Art. 16: progress reports are due during construction only.
    for (const d of openDeadlines(state, 'progress-report')) ctx.closeDeadline(d, 'cancelled');
    state.stage = 'joint_acceptance';
    ctx.decision('preliminary-acceptance', 'completed', payload.reportRef);
    if (state.acceptance.technical === null) ctx.notify('bdb', 'technical-acceptance');
    if (state.acceptance.completion === null) ctx.notify('approval', 'completion-acceptance');
  },

  technicalAcceptance(ctx, payload) {
    const state = ctx.state;
    ctx.requireStage(...STAGES.technicalAcceptance);
    if (state.acceptance.technical?.decision === 'pass') throw ctx.invalidTransition('Technical acceptance has passed already.');
    requireRiskAssessment(ctx); // Art. 28 (measures, issue 15)
    const mlpsLevel = payload.mlpsLevel ?? null;
    if (payload.decision === 'pass') {
      // Legacy reading: the catalogue was checked at the BDB's technical acceptance (as written: at 竣工验收).
      if (!ctx.asWritten && state.catalogEntries.length === 0) throw refuse('catalog_missing', 'Art. 19: no resource catalogue entries are registered.');
      // Art. 20, 28: security & 自主可控, 等级保护 level and cryptography assessment are verified.
      if (!payload.securityControllable || !payload.cryptoAssessmentPassed || mlpsLevel === null) {
        throw refuse('security_verification_failed', 'Art. 20, 28: a pass needs securityControllable, a passed cryptography assessment and an mlpsLevel.');
      }
    }
    state.acceptance.technical = {
      decision: payload.decision,
      opinion: payload.opinion,
      securityControllable: payload.securityControllable,
      mlpsLevel,
      cryptoAssessmentPassed: payload.cryptoAssessmentPassed,
      at: ctx.now,
      by: ctx.actor.name,
    };
    ctx.decision('technical-acceptance', payload.decision, payload.opinion);
    // Art. 18: a failed acceptance returns the project to construction with the opinion.
    if (payload.decision === 'fail') ctx.returnToConstruction('technical', payload.opinion);
    else if (state.acceptance.completion?.decision === 'pass') ctx.completeJointAcceptance();
  },

  completionAcceptance(ctx, payload) {
    const state = ctx.state;
    // Art. 18: the approval bureau's completion acceptance (竣工验收), in any order with the BDB's.
    ctx.requireStage(...STAGES.completionAcceptance);
    if (state.acceptance.completion?.decision === 'pass') throw ctx.invalidTransition('Completion acceptance has passed already.');
    // Art. 19: registering the resource catalogue on the sharing platform is part of 竣工验收.
    if (ctx.asWritten && payload.decision === 'pass' && state.catalogEntries.length === 0) {
      throw refuse('catalog_missing', 'Art. 19: the resource catalogue is part of completion acceptance (竣工验收); no entries are registered on the sharing platform.');
    }
    state.acceptance.completion = { decision: payload.decision, opinion: payload.opinion, at: ctx.now, by: ctx.actor.name };
    ctx.decision('completion-acceptance', payload.decision, payload.opinion);
    if (payload.decision === 'fail') ctx.returnToConstruction('completion', payload.opinion);
    else {
      // Art. 21 as written: the 7 working days run from the completion acceptance (竣工验收).
      if (ctx.asWritten) ctx.startCompletionReportDeadline();
      // Art. 29 (measures, issue 27): from completion acceptance on a missing emergency plan is the
      // department's pending action (view) and a notice to the BDB — not a gate on the Art. 21 filing.
      if (ctx.secondReading && state.riskAndEmergency && (state.emergencyPlans ?? []).length === 0) ctx.notify('bdb', 'emergency-plan-missing');
      if (state.acceptance.technical?.decision === 'pass') ctx.completeJointAcceptance();
    }
  },

  completionReport(ctx, payload) {
    const state = ctx.state;
    if (ctx.asWritten) {
      // Art. 21: the report of the completion acceptance (竣工验收报告) is filed once that passed,
      // while the BDB's technical acceptance may still be pending or repeated.
      ctx.requireStage(...STAGES.completionReport);
      if (state.acceptance.completion?.decision !== 'pass') throw ctx.invalidTransition('Art. 21: the completion report follows a passed completion acceptance (竣工验收).');
      if (state.completionReport !== null) throw alreadyExists('The completion report');
    } else {
      ctx.requireStage('completion_filing');
    }
    requireEmergencyPlan(ctx); // Art. 29 (measures, issue 15): the report leads into operation
    const late = state.completionReportOverdue;
    ctx.closeDeadline(openDeadline(state, 'completion-report'), 'met');
    state.completionReport = { reportRef: payload.reportRef, ...(payload.documentId ? { documentId: payload.documentId } : {}), filedAt: ctx.now, filedBy: ctx.actor.name, late };
    ctx.decision('completion-report', late ? 'filed-late' : 'filed', payload.reportRef);
    if (late) {
      // Art. 21: filing late releases the freeze but keeps the violation.
      state.completionReportOverdue = false;
      ctx.releaseFreeze('completion-report');
    }
    ctx.notify('bdb', 'completion-report', { late });
    if (!ctx.asWritten) {
      state.stage = 'operating';
      state.operatingSince = ctx.today;
      ctx.ensureAnnualEvaluationDeadline(); // Art. 23
      ctx.notify('finance', 'operating');
    } else if (state.stage === 'completion_filing') {
      ctx.enterOperating(); // Art. 18, 21: both acceptances passed and the report is filed
    }
  },

  omReview(ctx, payload) {
    const state = ctx.state;
    // Art. 21: BDB reviews O&M costs before finance budgets them, every year.
    ctx.requireStage(...STAGES.omReview);
    if (state.omReviews.some((r) => r.year === payload.year)) throw alreadyExists(`The O&M review for ${payload.year}`);
    const latest = latestEvaluation(state);
    state.omReviews.push({
      year: payload.year,
      approvedFen: payload.approvedFen,
      opinion: payload.opinion,
      reviewedAt: ctx.now,
      reviewedBy: ctx.actor.name,
      // Art. 23: evaluation results are an important reference of the next year's review.
      latestEvaluation: latest ? { year: latest.year, sharingCompliant: latest.sharingCompliant } : null,
    });
    ctx.decision('om-review', String(payload.approvedFen), payload.opinion);
    if (payload.approvedFen > 0) ctx.notify('finance', 'om-review', { year: payload.year, approvedFen: payload.approvedFen });
  },

  evaluation(ctx, payload) {
    const state = ctx.state;
    // Art. 23: the BDB evaluates every operating project every year.
    ctx.requireStage(...STAGES.evaluation);
    if (state.evaluations.some((e) => e.year === payload.year)) throw alreadyExists(`The evaluation of ${payload.year}`);
    if (payload.year > Number(ctx.today.slice(0, 4))) throw refuse('year_not_started', `Year ${payload.year} has not started.`);
    if (state.operatingSince && payload.year < Number(state.operatingSince.slice(0, 4))) {
      throw refuse('year_not_operating', `The project was not operating in ${payload.year}.`);
    }
    state.evaluations.push({
      ...pick(payload, ['year', 'fundUseScore', 'outputScore', 'effectScore', 'satisfactionScore', 'sharingCompliant', 'summary']),
      // Art. 19 (measures): 落盘 beside sharing (required for new input, Project.run).
      ...(payload.dataStoredOnPlatform !== undefined ? { dataStoredOnPlatform: payload.dataStoredOnPlatform } : {}),
      evaluatedAt: ctx.now,
      evaluatedBy: ctx.actor.name,
    });
    ctx.closeDeadline(openDeadline(state, 'annual-evaluation', String(payload.year)), 'met');
    ctx.ensureAnnualEvaluationDeadline();
    ctx.decision('evaluation', payload.sharingCompliant ? 'sharing-compliant' : 'sharing-noncompliant', payload.summary);
    if (!payload.sharingCompliant || payload.dataStoredOnPlatform === false) {
      // Art. 9: no O&M funds for projects that do not share data; Art. 19: data not stored on the
      // platform (落盘) is the same sharing failure.
      const params = { year: payload.year, ...(payload.dataStoredOnPlatform === false ? { notStored: true } : {}), ...(payload.sharingCompliant ? {} : { notShared: true }) };
      ctx.notify('department', 'sharing-noncompliant', params);
      ctx.notify('finance', 'sharing-noncompliant', params);
    }
  },

  securityIncident(ctx, payload) {
    // Art. 29: incidents are reported with their handling record and kept permanently.
    ctx.requireStage(...STAGES.securityIncident);
    const reported = incidentReport(ctx, payload); // Art. 29 (issue 15): to whom and when
    ctx.state.seq.incident += 1;
    const id = `inc-${ctx.state.seq.incident}`;
    ctx.state.incidents.push({ id, ...pick(payload, ['occurredAt', 'severity', 'description', 'handling']), reportedAt: ctx.now, reportedBy: ctx.actor.name, ...reported });
    ctx.notify('bdb', 'security-incident', { incidentId: id, severity: payload.severity, description: payload.description });
  },

  securityDrill(ctx, payload) {
    // Art. 29: emergency drills are held regularly and recorded permanently.
    ctx.requireStage(...STAGES.securityDrill);
    ctx.state.seq.drill += 1;
    ctx.state.drills.push({ id: `drill-${ctx.state.seq.drill}`, ...pick(payload, ['heldOn', 'scenario', 'summary']), recordedAt: ctx.now, recordedBy: ctx.actor.name });
    drillHeld(ctx, payload.heldOn); // Art. 29 (policy): the next drill falls due a period later
  },

  decommission(ctx, payload) {
    ctx.requireStage(...STAGES.decommission);
    ctx.decision('decommission', 'decommission', payload.reason);
    ctx.end('decommissioned', payload.reason);
  },

  acceptanceDelayReason(ctx, payload) {
    const state = ctx.state;
    // Art. 22: only a delay of acceptance *without good reason* (无合理原因) is a ground; the
    // department may state its reason while the project is in construction.
    ctx.requireStage(...STAGES.acceptanceDelayReason);
    if (state.acceptanceDelayReasons.some((x) => x.status === 'pending')) throw ctx.invalidTransition('A stated reason awaits the BDB decision.');
    const id = `adr-${state.acceptanceDelayReasons.length + 1}`;
    state.acceptanceDelayReasons.push({ id, reason: payload.reason, statedAt: ctx.now, statedBy: ctx.actor.name, status: 'pending', opinion: null, decidedAt: null, decidedBy: null });
    ctx.notify('bdb', 'acceptance-delay-reason', { reasonId: id, reason: payload.reason });
  },

  acceptanceDelayReasonDecision(ctx, payload) {
    const state = ctx.state;
    // Art. 22: the BDB judges whether the reason is good: accepted → no rectification order for the
    // delay; rejected → the BDB may order rectification (a person decides).
    const r = state.acceptanceDelayReasons.find((x) => x.status === 'pending');
    if (!r) throw ctx.invalidTransition('No stated acceptance-delay reason awaits a decision.');
    r.status = payload.decision === 'accept' ? 'accepted' : 'rejected';
    r.opinion = payload.opinion;
    r.decidedAt = ctx.now;
    r.decidedBy = ctx.actor.name;
    ctx.decision('acceptance-delay-reason-decision', payload.decision, payload.opinion);
    if (r.status === 'accepted') {
      ctx.notify('department', 'acceptance-delay-reason-accepted', { reasonId: r.id });
    } else {
      ctx.notify('department', 'acceptance-delay-reason-rejected', { reasonId: r.id, opinion: payload.opinion });
      ctx.notify('bdb', 'acceptance-delay-reason-rejected', { reasonId: r.id, opinion: payload.opinion });
    }
  },

  accountabilityReferral(ctx, payload) {
    const state = ctx.state;
    // Art. 22: 对造成项目建设资金严重损失的，依法依规追究相关人员责任 — the BDB records the referral
    // and its reference; the proceedings themselves are outside the system.
    const id = `acc-${state.accountabilityReferrals.length + 1}`;
    state.accountabilityReferrals.push({ id, reference: payload.reference, description: payload.description, recordedAt: ctx.now, recordedBy: ctx.actor.name });
    ctx.decision('accountability-referral', payload.reference, payload.description);
    ctx.notify('department', 'accountability-referral', { referralId: id, reference: payload.reference });
  },

  // --- Art. 14, 17 (measures): project leader, consultations -------------------------------------

  leaderChange(ctx, payload) {
    const state = ctx.state;
    // Art. 14 (measures): the department answers for the project through its 项目负责人; a change is
    // recorded with the leader before and after.
    const before = state.leader ?? null;
    const after = { name: payload.name, post: payload.post, contact: payload.contact };
    state.leader = after;
    (state.leaderChanges ??= []).push({ before, after, at: ctx.now, by: ctx.actor.name });
    ctx.auditCommandDetail({ before, after });
    ctx.notify('bdb', 'leader-change', { name: after.name, post: after.post });
  },

  changeRequestOpinion(ctx, payload) {
    // Art. 12, 17 (measures): a county's finance speaks for its own county's money only.
    if (ctx.actor.role === 'finance') financeShareOf(ctx);
    const c = ctx.state.changeRequests.find((x) => x.id === payload.cid);
    if (!c) throw notFound(`change request ${payload.cid}`);
    if (c.status !== 'pending') throw ctx.invalidTransition(`Change request ${c.id} is already ${c.status}.`);
    // Art. 17 (measures): the units consulted are the approval bureau, and finance when money changes.
    const role = ctx.actor.role as ConsultedRole;
    if (!(c.consulted ?? []).includes(role)) {
      throw refuse('opinion_not_requested', `Art. 17: change request ${c.id} does not ask the ${role} role for an opinion.`, { changeRequestId: c.id, role, consulted: c.consulted ?? [] });
    }
    if ((c.opinions ?? []).some((o) => o.role === role)) throw alreadyExists(`The ${role} opinion on change request ${c.id}`);
    const agrees = payload.agrees ?? null;
    (c.opinions ??= []).push({ role, opinion: payload.opinion, agrees, at: ctx.now, by: ctx.actor.name });
    ctx.decision('change-request-opinion', agrees === null ? 'opinion' : agrees ? 'agree' : 'disagree', payload.opinion);
    const remaining = awaitingOpinions(c);
    ctx.notify('bdb', 'change-request-opinion', { changeRequestId: c.id, role, agrees, remaining: remaining.length });
  },

  deadlineRescheduling, // docs/MEASURES.md "Working days": domain/rescheduling.ts

  allocationPublication(ctx, payload) {
    const state = ctx.state;
    // Art. 11: after the budget is determined, the BDB publishes the allocation plan; each held
    // allocation it lists starts its notice period (policy: the publicity setting).
    const a = state.allocations.find((x) => x.id === payload.allocationId);
    if (!a) throw notFound(`allocation ${payload.allocationId}`);
    if (a.status === 'awaiting-county') {
      // Art. 11, 12 (measures): the budget is not determined until the county's finance confirmed its share.
      throw refuse('county_share_unconfirmed', `Art. 11, 12: the county share of allocation ${a.id} is not confirmed by the finance of ${a.countyShare?.jurisdiction ?? ctx.state.input.jurisdiction} yet.`, {
        allocationId: a.id,
        jurisdiction: a.countyShare?.jurisdiction ?? ctx.state.input.jurisdiction,
      });
    }
    if (a.status !== 'held') {
      throw refuse('allocation_not_held', `Art. 11: allocation ${a.id} is ${a.status}${a.planId ? ` (plan ${a.planId})` : ''}, not held awaiting publication.`, {
        allocationId: a.id,
        status: a.status,
        planId: a.planId ?? null,
      });
    }
    const pub = ctx.policy.publicity;
    const deadline = ctx.startDeadline('publicity', a.id, ctx.today, pub.duration, pub.reminder);
    a.status = 'publicity';
    a.publicityDeadlineId = deadline.id;
    a.planId = payload.planId;
    // Art. 11 (measures, issue 27): the 公示 stage begins when the BDB publishes the first construction money.
    if (ctx.secondReading && a.fundType === 'construction' && state.stage === 'budgeting') state.stage = 'publicity';
    ctx.decision('allocation-publication', payload.planId, a.id);
    ctx.notify('department', 'publicity', { allocationId: a.id, fundType: a.fundType, amountFen: a.amountFen, planId: payload.planId });
    ctx.notify('finance', 'publicity', { allocationId: a.id, fundType: a.fundType, amountFen: a.amountFen, planId: payload.planId });
  },

  countyShareConfirmation: confirmCountyShare,
  riskAssessment, // Art. 28 (issue 15), below
  emergencyPlan, // Art. 29 (issue 15), below
};

/**
 * Art. 17 (measures): the related units a change request is discussed with before the BDB decides:
 * the approval bureau always; finance as well when money changes (a budget change: budgetDeltaFen).
 */
export function consultedRoles(kind: ChangeKind, budgetDeltaFen: number | null): ConsultedRole[] {
  return kind === 'budget' && budgetDeltaFen !== null && budgetDeltaFen !== 0 ? ['approval', 'finance'] : ['approval'];
}

// --- Art. 12 (measures): finance acts within its jurisdiction (issue 28) ------------------------------

/**
 * For projects started after the patch `finance-jurisdiction`: refuses a finance actor of another
 * jurisdiction and answers the share it acts on (`city` for the city finance, `county` for the
 * project's county's); undefined for runs recorded before the patch.
 */
function financeShareOf(ctx: ChangeContext): 'city' | 'county' | undefined {
  if (!ctx.state.financeJurisdiction) return undefined;
  const refusal = financeJurisdictionRefusal(ctx.actor.jurisdiction, ctx.state.input.jurisdiction);
  if (refusal) throw refusal;
  return (ctx.actor.jurisdiction ?? 'city') === 'city' ? 'city' : 'county';
}

/** Art. 11-12: a level's share of a fund type's published (available) allocations. */
const publishedShare = (ctx: ChangeContext, fundType: 'construction' | 'om', share: 'city' | 'county') =>
  ctx.state.allocations.filter((a) => a.fundType === fundType && a.status === 'published').reduce((sum, a) => sum + (share === 'city' ? a.cityShareFen : a.countyShareFen), 0);

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
    throw new Rejection(403, 'city_finance_only', `Art. 12: the city finance bureau books allocations; the finance of ${ctx.actor.jurisdiction} confirms county shares (county-share-confirmations).`, {
      actorJurisdiction: ctx.actor.jurisdiction,
    });
  }
  if (countyShareFen === 0) return null;
  if (jurisdiction === 'city') {
    throw refuse('county_share_without_county', 'Art. 12: a project of the city itself has no county share; book it all as cityShareFen.', { countyShareFen });
  }
  return { jurisdiction, confirmedAt: null, confirmedBy: null, budgetRef: null };
}

/** Art. 12 (measures): the county finance's confirmation of an allocation's county share. */
function confirmCountyShare(ctx: ChangeContext, payload: CommandPayloads['countyShareConfirmation']): void {
  const state = ctx.state;
  const county = state.input.jurisdiction;
  // A project of the city itself has no county share to confirm.
  if (county === 'city') throw ctx.invalidTransition('Art. 12: a project of the city itself has no county share to confirm.');
  // Art. 12 (measures): only the finance of the project's county confirms its share; the city's cannot.
  if ((ctx.actor.jurisdiction ?? 'city') !== county) {
    throw new Rejection(403, 'county_finance_only', `Art. 12: only the finance of ${county} confirms the county share; the key belongs to ${ctx.actor.jurisdiction ?? 'city'}.`, {
      jurisdiction: county,
      actorJurisdiction: ctx.actor.jurisdiction ?? 'city',
    });
  }
  const a = state.allocations.find((x) => x.id === payload.allocationId);
  if (!a) throw notFound(`allocation ${payload.allocationId}`);
  if (a.status !== 'awaiting-county' || !a.countyShare) throw ctx.invalidTransition(`Allocation ${a.id} is ${a.status}, not awaiting the county's confirmation.`);
  a.countyShare = { ...a.countyShare, confirmedAt: ctx.now, confirmedBy: ctx.actor.name, budgetRef: payload.budgetRef === '' ? null : payload.budgetRef };
  a.status = 'held';
  ctx.decision('county-share-confirmation', undefined, a.id);
  // Now the allocation's budget is determined (Art. 11): held until the BDB's allocation plan.
  ctx.move('allocate', a.fundType, a.amountFen, null, 'held', { allocationId: a.id });
  ctx.notify('bdb', 'allocation-publication', { allocationId: a.id, fundType: a.fundType, amountFen: a.amountFen });
  ctx.notify('department', 'allocation', { allocationId: a.id, fundType: a.fundType, amountFen: a.amountFen, status: 'held' });
}

/** Copies the named fields only (payloads from signals may carry extra ones). */
function pick<T extends object, K extends keyof T>(value: T, keys: readonly K[]): Pick<T, K> {
  const out = {} as Pick<T, K>;
  for (const k of keys) out[k] = value[k];
  return out;
}

// --- deadline consequences ------------------------------------------------------------------------

/** The reminder of a deadline (`remindAt` reached): reminders are policy (docs/MEASURES.md "Two kinds of rule"), so `basis: 'policy'`. */
export function remind(ctx: ChangeContext, d: DeadlineRecord): void {
  d.reminded = true;
  ctx.audit('deadline-reminder', { deadlineId: d.id, kind: d.kind, ref: d.ref });
  const due = d.dueAt;
  switch (d.kind) {
    case 'contract-filing': // Art. 15
      ctx.notify('department', 'contract-filing-reminder', { contractNo: d.ref }, due, 'policy');
      break;
    case 'progress-report': // Art. 16
      ctx.notify('department', 'progress-report-reminder', { period: d.ref }, due, 'policy');
      break;
    case 'acceptance-delay': // Art. 22
      ctx.notify('department', 'acceptance-delay-reminder', {}, due, 'policy');
      break;
    case 'completion-report': // Art. 21
      ctx.notify('department', 'completion-report-reminder', {}, due, 'policy');
      break;
    case 'rectification': { // Art. 22
      const r = ctx.state.rectifications.find((x) => x.id === d.ref);
      // Since the second reading: an answered order awaits its issuer's review, so the issuer is reminded.
      if (ctx.secondReading && r?.status === 'awaiting-review') ctx.notify(r.issuedByRole, 'rectification-review-pending', { rectificationId: r.id }, due, 'policy');
      else ctx.notify('department', 'rectification-reminder', { rectificationId: d.ref }, due, 'policy');
      break;
    }
    case 'annual-evaluation': // Art. 23: the BDB evaluates
      ctx.notify('bdb', 'annual-evaluation-reminder', { year: d.ref }, due, 'policy');
      break;
    case 'security-drill': // Art. 29 (policy): drills are held regularly
      ctx.notify('department', 'security-drill-reminder', { since: d.startsOn }, due, 'policy');
      break;
    case 'publicity':
      break;
  }
}

/** The consequence of a deadline reaching `dueAt` while still open. */
export function expire(ctx: ChangeContext, d: DeadlineRecord): void {
  const state = ctx.state;
  const system = ctx.actor;
  switch (d.kind) {
    case 'publicity': {
      // Art. 11: the publicity period ran its course (recorded as met).
      ctx.closeDeadline(d, 'met');
      ctx.audit('publicity-ended', { deadlineId: d.id, allocationId: d.ref });
      const a = state.allocations.find((x) => x.id === d.ref);
      if (!a || a.status !== 'publicity') return;
      if (state.objections.some((o) => o.allocationId === a.id && o.status === 'open')) {
        // Publication waits for the open objection's resolution.
        a.status = 'awaiting-objection';
        ctx.notify('bdb', 'publicity-objection-resolution', { allocationId: a.id });
      } else {
        ctx.publish(a, 'policy'); // the notice period is policy (Art. 11 names none)
      }
      return;
    }
    case 'contract-filing': {
      if (ctx.asWritten) {
        const c = state.contracts.find((x) => x.filingDeadlineId === d.id);
        if (d.fulfilledAt !== undefined && !isBefore(d.dueAt!, d.fulfilledAt)) {
          // Art. 15 (issue 27): entered with its text within the period counted from signedOn: met.
          ctx.closeDeadline(d, 'met');
          d.closedAt = d.fulfilledAt;
          return;
        }
        if (d.fulfilledAt !== undefined && c) c.filedLate = true; // its text reached the BDB after the due day
        contractFilingMissed(ctx, d, c);
        return;
      }
      ctx.closeDeadline(d, 'missed');
      // Art. 15: missing the filing deadline: violation, BDB and department notified, automatic
      // late-filing rectification order.
      ctx.violation('late-filing', 'Art. 15', `Contract ${d.ref} not filed within the filing period.`);
      ctx.audit('deadline-missed', { deadlineId: d.id, kind: d.kind, ref: d.ref });
      ctx.notify('bdb', 'late-filing', { contractNo: d.ref });
      ctx.notify('department', 'late-filing', { contractNo: d.ref });
      const r = ctx.issueRectification({ reason: 'late-filing', description: `File contract ${d.ref} (Art. 15).`, dueOn: null, issuer: system, automatic: true });
      ctx.audit('rectification-order', { rectificationId: r.id, reason: r.reason, automatic: true });
      return;
    }
    case 'progress-report': {
      ctx.closeDeadline(d, 'missed');
      if (ctx.asWritten) {
        // Art. 16 asks for periodic 对照分析 without a period: the quarter and the due days are policy,
        // so the violation is `policy`; BDB and department notified. An automatic missing-report
        // order only per policy switch missingReportRectification.
        ctx.violation('missing-report', 'Art. 16', `Progress report ${d.ref} missing.`, 'policy');
        ctx.audit('deadline-missed', { deadlineId: d.id, kind: d.kind, ref: d.ref });
        ctx.notify('bdb', 'missing-report', { period: d.ref, article: true }, null, 'policy');
        ctx.notify('department', 'missing-report', { period: d.ref, article: true }, null, 'policy');
        if (ctx.switches.missingReportRectification) automaticOrder(ctx, 'missing-report', `Submit progress report ${d.ref} (Art. 16).`);
        ctx.ensureProgressDeadline();
        return;
      }
      // Art. 16: a missing progress report: reminder, then rectification.
      ctx.violation('missing-report', 'Art. 16', `Progress report ${d.ref} missing.`);
      ctx.audit('deadline-missed', { deadlineId: d.id, kind: d.kind, ref: d.ref });
      ctx.notify('department', 'missing-report', { period: d.ref });
      const r = ctx.issueRectification({ reason: 'missing-report', description: `Submit progress report ${d.ref} (Art. 16).`, dueOn: null, issuer: system, automatic: true });
      ctx.audit('rectification-order', { rectificationId: r.id, reason: r.reason, automatic: true });
      ctx.ensureProgressDeadline();
      return;
    }
    case 'acceptance-delay': {
      ctx.closeDeadline(d, 'missed');
      if (ctx.asWritten) {
        ctx.audit('deadline-missed', { deadlineId: d.id, kind: d.kind });
        // Art. 22: only a delay without good reason is a ground; a reason the BDB accepted excuses it.
        const excused = state.acceptanceDelayReasons.at(-1)?.status === 'accepted';
        if (excused) {
          ctx.notify('bdb', 'acceptance-delay-excused', {}, null, 'policy');
          return;
        }
        // The 90 days are policy: violation (`policy`) + BDB notified; the BDB decides on an order
        // (automatic only per policy switch acceptanceDelayRectification).
        ctx.violation('acceptance-delay', 'Art. 22', `No preliminary acceptance within the period after the planned completion date ${state.plannedCompletionDate}.`, 'policy');
        ctx.notify('bdb', 'acceptance-delay', { plannedCompletionDate: state.plannedCompletionDate }, null, 'policy');
        ctx.notify('department', 'acceptance-delay', { plannedCompletionDate: state.plannedCompletionDate }, null, 'policy');
        if (ctx.switches.acceptanceDelayRectification) automaticOrder(ctx, 'acceptance-delay', 'Carry out the acceptance (Art. 22).');
        return;
      }
      // Art. 22: acceptance delayed without reason → automatic rectification order.
      ctx.violation('acceptance-delay', 'Art. 22', `No preliminary acceptance within the period after the planned completion date ${state.plannedCompletionDate}.`);
      ctx.audit('deadline-missed', { deadlineId: d.id, kind: d.kind });
      const r = ctx.issueRectification({ reason: 'acceptance-delay', description: 'Carry out the acceptance (Art. 22).', dueOn: null, issuer: system, automatic: true });
      ctx.audit('rectification-order', { rectificationId: r.id, reason: r.reason, automatic: true });
      return;
    }
    case 'completion-report': {
      ctx.closeDeadline(d, 'missed');
      // Art. 21: the report is overdue (the period the text's 7 working days, or a county's own, Art. 30).
      const p = periodOf(ctx, d);
      ctx.violation('late-completion-report', p.article('Art. 21'), `Completion report not filed within ${p.text} of the completion acceptance${p.whose}.`, p.basis);
      ctx.audit('deadline-missed', { deadlineId: d.id, kind: d.kind });
      state.completionReportOverdue = true;
      if (ctx.asWritten) {
        // Art. 21: unfiled → finance budgets no further construction or O&M money (budget refuses);
        // freezing undisbursed construction money is policy (switch completionReportFreeze).
        ctx.notify('department', 'completion-report-overdue');
        ctx.notify('bdb', 'completion-report-overdue');
        ctx.notify('finance', 'completion-report-overdue');
        if (ctx.switches.completionReportFreeze) {
          ctx.enforceFreezes('construction');
          ctx.notify('finance', 'completion-report-freeze', {}, null, 'policy');
        }
        return;
      }
      ctx.enforceFreezes('construction');
      ctx.notify('department', 'completion-report-overdue', { frozen: true });
      ctx.notify('bdb', 'completion-report-overdue', { frozen: true });
      ctx.notify('finance', 'completion-report-overdue', { frozen: true });
      return;
    }
    case 'rectification': {
      const r = state.rectifications.find((x) => x.id === d.ref);
      if (ctx.secondReading && r?.status === 'awaiting-review') {
        // Art. 22 (measures, issue 27): the department responded in time and the response awaits review:
        // neither 拒不整改 nor 整改后仍不符合, so nothing is suspended. Policy: the issuer is reminded to review.
        ctx.closeDeadline(d, 'met');
        ctx.audit('deadline-passed-response-unreviewed', { deadlineId: d.id, kind: d.kind, ref: d.ref });
        ctx.notify(r.issuedByRole, 'rectification-review-pending', { rectificationId: r.id }, null, 'policy');
        return;
      }
      ctx.closeDeadline(d, 'missed');
      ctx.audit('deadline-missed', { deadlineId: d.id, kind: d.kind, ref: d.ref });
      // Art. 22: no response by the deadline (拒不整改) → disbursement suspended, the BDB decides. (Before
      // the second reading an unreviewed response counted as failed too.)
      if (r && (r.status === 'awaiting-response' || r.status === 'awaiting-review')) ctx.failRectification(r, 'deadline passed');
      return;
    }
    case 'annual-evaluation': {
      ctx.closeDeadline(d, 'missed');
      // Art. 23: the BDB's own evaluation is late: reminder to the BDB only (the due date is policy).
      ctx.audit('deadline-missed', { deadlineId: d.id, kind: d.kind, ref: d.ref });
      ctx.notify('bdb', 'annual-evaluation-overdue', { year: d.ref }, null, 'policy');
      ctx.ensureAnnualEvaluationDeadline();
      return;
    }
    case 'security-drill': {
      // Art. 29: 定期组织演练 names no period; the yearly default is policy: the department and the
      // BDB are told (no violation, no sanction), and the next period starts now.
      ctx.closeDeadline(d, 'missed');
      ctx.audit('deadline-missed', { deadlineId: d.id, kind: d.kind });
      ctx.notify('department', 'security-drill-overdue', { since: d.startsOn }, null, 'policy');
      ctx.notify('bdb', 'security-drill-overdue', { since: d.startsOn }, null, 'policy');
      startDrillDeadline(ctx, ctx.today);
      return;
    }
  }
}

/** A rectification order a policy switch issues by itself (Art. 22 orders; `automatic`, basis policy). */
function automaticOrder(ctx: ChangeContext, reason: RectificationReason, description: string): void {
  const r = ctx.issueRectification({ reason, description, dueOn: null, issuer: ctx.actor, automatic: true });
  ctx.audit('rectification-order', { rectificationId: r.id, reason: r.reason, automatic: true });
}

// --- Art. 28-29 (issue 15): risk assessment, emergency plan, drills, incidents' recipients ---------

/** Art. 28: 项目实施单位会同市大数据应用局共同开展网络与信息安全风险评估 — recorded by the department, naming the BDB's participant. */
function riskAssessment(ctx: ChangeContext, payload: CommandPayloads['riskAssessment']): void {
  const state = ctx.state;
  ctx.requireStage(...STAGES.riskAssessment);
  if (payload.assessedOn > ctx.today) throw refuse('date_in_future', 'Art. 28: assessedOn lies in the future.', { field: 'assessedOn' });
  state.riskAssessments ??= [];
  const id = `risk-${state.riskAssessments.length + 1}`;
  state.riskAssessments.push({
    id,
    ...pick(payload, ['assessedOn', 'result', 'documentRef', 'bdbParticipant']),
    ...(payload.documentId ? { documentId: payload.documentId } : {}),
    recordedAt: ctx.now,
    recordedBy: ctx.actor.name,
  });
  ctx.decision('risk-assessment', payload.assessedOn, payload.result);
  ctx.notify('bdb', 'risk-assessment', { riskAssessmentId: id, assessedOn: payload.assessedOn, bdbParticipant: payload.bdbParticipant });
}

/** Art. 29: 项目实施单位与项目建设单位共同制定…应急预案 — the contractor must be one the project contracted with. */
function emergencyPlan(ctx: ChangeContext, payload: CommandPayloads['emergencyPlan']): void {
  const state = ctx.state;
  ctx.requireStage(...STAGES.emergencyPlan);
  if (payload.adoptedOn > ctx.today) throw refuse('date_in_future', 'Art. 29: adoptedOn lies in the future.', { field: 'adoptedOn' });
  const contractors = [...new Set(state.contracts.map((c) => c.contractor))];
  // Without a contract on record (an existing system, Art. 21; or contracting before the first
  // contract) the contractor is taken as named.
  if (contractors.length > 0 && !contractors.includes(payload.contractor)) {
    throw refuse('contractor_unknown', `Art. 29: the emergency plan is made with the project's contractor (项目建设单位); ${payload.contractor} is on no contract of this project (${contractors.join(', ')}).`, {
      contractor: payload.contractor,
      contractors: contractors.join('、'),
    });
  }
  state.emergencyPlans ??= [];
  const id = `plan-${state.emergencyPlans.length + 1}`;
  state.emergencyPlans.push({
    id,
    ...pick(payload, ['adoptedOn', 'documentRef', 'contractor']),
    ...(payload.documentId ? { documentId: payload.documentId } : {}),
    recordedAt: ctx.now,
    recordedBy: ctx.actor.name,
  });
  ctx.decision('emergency-plan', payload.adoptedOn, payload.contractor);
  ctx.notify('bdb', 'emergency-plan', { emergencyPlanId: id, adoptedOn: payload.adoptedOn, contractor: payload.contractor });
  // Art. 29 (policy): from the first plan on, drills fall due per the policy's period.
  if (ctx.state.riskAndEmergency && !openDeadline(state, 'security-drill')) startDrillDeadline(ctx, lastDrillOrPlan(state) ?? payload.adoptedOn);
}

/**
 * Art. 28 asks for the joint risk assessment and sets no order; requiring it before the BDB's technical
 * acceptance is policy (switch riskAssessmentBeforeTechnicalAcceptance, on by default; policies pinned
 * before the switch read it as on, so runs from before keep their gate).
 */
function requireRiskAssessment(ctx: ChangeContext): void {
  if (!ctx.state.riskAndEmergency || (ctx.state.riskAssessments ?? []).length > 0 || !ctx.switches.riskAssessmentBeforeTechnicalAcceptance) return;
  throw refuse(
    'risk_assessment_missing',
    'Art. 28 (policy riskAssessmentBeforeTechnicalAcceptance): the joint risk assessment of the department and the BDB is recorded before technical acceptance (POST /v1/projects/:id/risk-assessments).',
    { policy: 'riskAssessmentBeforeTechnicalAcceptance' },
  );
}

/**
 * Art. 29, 21: the emergency plan is the department's pending action and a notice to the BDB from
 * completion acceptance on; nothing stands in front of the Art. 21 filing, whose lateness carries a
 * sanction — a gate only per policy switch emergencyPlanBeforeCompletionReport (off by default).
 * Runs from before the second reading keep the gate they had (issue 15).
 */
function requireEmergencyPlan(ctx: ChangeContext): void {
  if (!ctx.state.riskAndEmergency || (ctx.state.emergencyPlans ?? []).length > 0) return;
  if (ctx.secondReading && !ctx.switches.emergencyPlanBeforeCompletionReport) return;
  throw refuse(
    'emergency_plan_missing',
    'Art. 29 (policy emergencyPlanBeforeCompletionReport): the emergency plan made with the contractor is recorded before the completion report (POST /v1/projects/:id/emergency-plans).',
    { policy: 'emergencyPlanBeforeCompletionReport' },
  );
}

// --- Art. 15, 21, 30 (issue 27): filing periods counted from signedOn, the text's or a county's ----

/**
 * The period of a deadline as a violation names it: the text's (Art. 15: 5, Art. 21: 7 working days;
 * basis measures) or another — a county's own measures (Art. 30) or, for the city, a policy stored
 * before the text's periods were fixed (basis policy). Never the text's number for another period.
 */
function periodOf(ctx: ChangeContext, d: DeadlineRecord): { text: string; basis: 'measures' | 'policy'; whose: string; article: (a: string) => string; params: Record<string, string | number> } {
  const basis = deadlineBasis(d.kind, d.rule);
  const rule = d.rule as Duration;
  const text = 'until' in d.rule ? `the period until ${d.rule.until}` : `${rule.amount} ${rule.unit === 'workingDays' ? 'working' : 'calendar'} days`;
  const jurisdiction = ctx.state.input.policy.jurisdiction;
  const county = basis === 'policy' && jurisdiction !== 'city';
  return {
    text,
    basis,
    whose: basis === 'measures' ? '' : county ? ` (the period of ${jurisdiction}'s own measures, Art. 30)` : ' (a policy period)',
    article: (a) => (county ? `${a}, 30` : a),
    params: 'until' in d.rule ? { basis } : { periodAmount: rule.amount, periodUnit: rule.unit, basis, ...(county ? { jurisdiction } : {}) },
  };
}

/**
 * Art. 15 (measures): a contract entered together with its text. Lateness counts from `signedOn` to
 * now; the deadline's dates come from the working-day calendar after this change, so the core closes
 * it at once only when it is surely in time (N working days never end before N calendar days), and
 * otherwise records the filing instant to be judged as soon as the deadline is dated.
 */
function fileWithRecord(ctx: ChangeContext, d: DeadlineRecord, signedOn: string, period: Duration): void {
  if (ctx.today <= addCalendarDays(signedOn, period.amount)) ctx.closeDeadline(d, 'met');
  else d.fulfilledAt = ctx.now;
}

/**
 * Art. 15 (measures): the filing period passed without the text reaching the BDB in time: violation
 * (naming the period: the text's 5 working days or a county's own), BDB and department notified; an
 * automatic late-filing order only per policy switch lateFilingRectification, and not for a contract
 * filed already.
 */
function contractFilingMissed(ctx: ChangeContext, d: DeadlineRecord, c: ContractRecord | undefined): void {
  ctx.closeDeadline(d, 'missed');
  const p = periodOf(ctx, d);
  const filed = c?.filedAt ? `; its text reached the BDB on ${shanghaiDate(c.filedAt)}` : '';
  ctx.violation('late-filing', p.article('Art. 15'), `Contract ${d.ref} not filed with the BDB within ${p.text} of signing${c ? ` (${c.signedOn})` : ''}${p.whose}${filed}.`, p.basis);
  ctx.audit('deadline-missed', { deadlineId: d.id, kind: d.kind, ref: d.ref });
  ctx.notify('bdb', 'late-filing', { contractNo: d.ref, article: true, ...p.params }, null, p.basis);
  ctx.notify('department', 'late-filing', { contractNo: d.ref, article: true, ...p.params }, null, p.basis);
  if (ctx.switches.lateFilingRectification && !c?.filedAt) automaticOrder(ctx, 'late-filing', `File contract ${d.ref} (Art. 15).`);
}

/** Art. 29: to whom and when an incident was reported (required under issue 15's records; optional before). */
function incidentReport(ctx: ChangeContext, payload: CommandPayloads['securityIncident']): { reportedTo?: string; reportedAt?: string; recordedAt?: string } {
  if (!ctx.state.riskAndEmergency) return {};
  const missing = (['reportedTo', 'reportedAt'] as const).filter((k) => payload[k] === undefined);
  if (missing.length > 0) {
    throw new Rejection(400, 'validation_failed', `Art. 29: an incident names to whom and when it was reported (${missing.join(', ')} missing).`, {
      errors: missing.map((path) => ({ path, message: 'required (Art. 29: to whom and when the incident was reported)' })),
    });
  }
  const reportedAt = payload.reportedAt!;
  if (Date.parse(reportedAt) < Date.parse(payload.occurredAt)) throw refuse('reported_before_occurred', 'Art. 29: reportedAt lies before occurredAt.');
  if (Date.parse(reportedAt) > Date.parse(ctx.now)) throw refuse('date_in_future', 'Art. 29: reportedAt lies in the future.', { field: 'reportedAt' });
  return { reportedTo: payload.reportedTo!, reportedAt, recordedAt: ctx.now };
}

/** The latest drill or emergency plan adoption date: the drill period runs from it. */
function lastDrillOrPlan(state: ChangeContext['state']): string | undefined {
  return [...state.drills.map((d) => d.heldOn), ...(state.emergencyPlans ?? []).map((p) => p.adoptedOn)].sort().at(-1);
}

/** Art. 29 (policy): the next drill is due one policy period (default yearly) after `from`. */
function startDrillDeadline(ctx: ChangeContext, from: string): void {
  const p = securityDrillSetting(ctx.state.input.policy.deadlines);
  ctx.startDeadline('security-drill', null, from, p.duration, p.reminder);
}

/** Art. 29: a recorded drill meets the open drill deadline; the next period runs from the latest drill. */
function drillHeld(ctx: ChangeContext, heldOn: string): void {
  const state = ctx.state;
  if (!state.riskAndEmergency || (state.emergencyPlans ?? []).length === 0) return;
  const open = openDeadline(state, 'security-drill');
  const latest = lastDrillOrPlan(state)!;
  // A drill recorded late (dated before the current period) does not move the period.
  if (open && heldOn < open.startsOn) return;
  ctx.closeDeadline(open, 'met');
  startDrillDeadline(ctx, latest);
}
