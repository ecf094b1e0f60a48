/**
 * Contracts and changes, Art. 13-17 (measures): the contract and its procurement (Art. 13), the
 * project leader and supervision (Art. 14), the contract filing (Art. 15), the progress reports
 * (Art. 16), and change requests with the opinions of the units consulted (Art. 17).
 */
import { isBefore, quarterStart } from '../calendar/dates.ts';
import { SYSTEM_ACTOR } from '../effects.ts';
import { Rejection } from '../errors.ts';
import { COMMAND_STAGES as STAGES } from '../stages.ts';
import type { ChangeKind, ConsultedRole } from '../records.ts';
import type { Stage } from '../vocabulary.ts';
import { awaitingOpinions, movesCap, openDeadline, openDeadlines } from '../view.ts';
import { financeShareOf } from './budget.ts';
import { alreadyExists, type Handlers, notFound, pick, refuse } from './common.ts';
import { contractFilingMissed, fileWithRecord } from './deadlines.ts';

export const CONTRACT_HANDLERS = {
  contract(ctx, payload) {
    const state = ctx.state;
    ctx.requireStage(...(ctx.secondReading ? STAGES.contract : (['contracting', 'construction'] as Stage[])));
    if (state.contracts.some((c) => c.contractNo === payload.contractNo))
      throw alreadyExists(`Contract ${payload.contractNo}`);
    if (payload.signedOn > ctx.today)
      throw refuse('signed_in_future', 'A contract cannot be recorded before it is signed.');
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
      ...(payload.procurement
        ? { procurement: { method: payload.procurement.method, reason: payload.procurement.reason } }
        : {}),
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
        const r = ctx.issueRectification({
          reason: 'unapproved-construction',
          description: `${detail} (Art. 9)`,
          dueOn: null,
          issuer: SYSTEM_ACTOR,
          automatic: true,
        });
        ctx.audit('rectification-order', { rectificationId: r.id, reason: r.reason, automatic: true }, SYSTEM_ACTOR);
      }
    }
    ctx.notify('bdb', filed ? 'contract-filing' : 'contract', {
      contractNo: payload.contractNo,
      contractor: payload.contractor,
      signedOn: payload.signedOn,
    });
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
      if (d.dueAt === null)
        d.fulfilledAt = ctx.now; // judged as soon as it is dated
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
    if (state.progressReports.some((r) => r.period === payload.period))
      throw alreadyExists(`The report for ${payload.period}`);
    if (quarterStart(payload.period) > ctx.today)
      throw refuse('period_not_started', `Period ${payload.period} has not started.`);
    const d = openDeadline(state, 'progress-report', payload.period);
    const late = state.deadlines.some(
      (x) => x.kind === 'progress-report' && x.ref === payload.period && x.status === 'missed',
    );
    ctx.closeDeadline(d, 'met');
    state.progressReports.push({
      ...pick(payload, ['period', 'spentFen', 'progressPercent', 'summary']),
      reportedAt: ctx.now,
      reportedBy: ctx.actor.name,
      late,
    });
    ctx.ensureProgressDeadline();
    ctx.notify('bdb', 'progress-report', { period: payload.period, progressPercent: payload.progressPercent });
  },

  changeRequest(ctx, payload) {
    const state = ctx.state;
    // Art. 17: major changes during construction need a change request assessed by the BDB.
    ctx.requireStage(...STAGES.changeRequest);
    const delta = payload.budgetDeltaFen ?? null;
    const newDate = payload.newPlannedCompletionDate ?? null;
    // Art. 17: a budget change may go down as well as up (as-written); legacy: increases only.
    if (payload.kind === 'budget' && !(delta !== null && (ctx.asWritten ? delta !== 0 : delta > 0))) {
      throw refuse(
        'budget_delta_required',
        `Art. 17: a budget change request needs a ${ctx.asWritten ? 'non-zero' : 'positive'} budgetDeltaFen.`,
      );
    }
    if (payload.kind === 'schedule' && newDate === null) {
      throw refuse(
        'planned_completion_date_required',
        'Art. 17: a schedule change request needs newPlannedCompletionDate.',
      );
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
      ctx.notify(role, 'change-request-consultation', {
        changeRequestId: id,
        kind: payload.kind,
        description: payload.description,
      });
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
      throw new Rejection(
        409,
        'opinions_missing',
        `Art. 17: change request ${c.id} still awaits the opinion of ${missing.join(', ')}.`,
        { changeRequestId: c.id, missing },
      );
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
      ctx.notify('finance', 'budget-increase', {
        changeRequestId: c.id,
        budgetDeltaFen: c.budgetDeltaFen ?? 0,
        ...(movesCap(state, c) ? {} : { capUnchanged: true }),
      });
    }
    ctx.notify('department', 'change-request-decision', {
      changeRequestId: c.id,
      status: c.status,
      opinion: payload.opinion,
    });
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
      throw refuse(
        'opinion_not_requested',
        `Art. 17: change request ${c.id} does not ask the ${role} role for an opinion.`,
        { changeRequestId: c.id, role, consulted: c.consulted ?? [] },
      );
    }
    if ((c.opinions ?? []).some((o) => o.role === role))
      throw alreadyExists(`The ${role} opinion on change request ${c.id}`);
    const agrees = payload.agrees ?? null;
    (c.opinions ??= []).push({ role, opinion: payload.opinion, agrees, at: ctx.now, by: ctx.actor.name });
    ctx.decision(
      'change-request-opinion',
      agrees === null ? 'opinion' : agrees ? 'agree' : 'disagree',
      payload.opinion,
    );
    const remaining = awaitingOpinions(c);
    ctx.notify('bdb', 'change-request-opinion', { changeRequestId: c.id, role, agrees, remaining: remaining.length });
  },
} satisfies Partial<Handlers>;

/**
 * Art. 17 (measures): the related units a change request is discussed with before the BDB decides:
 * the approval bureau always; finance as well when money changes (a budget change: budgetDeltaFen).
 */
export function consultedRoles(kind: ChangeKind, budgetDeltaFen: number | null): ConsultedRole[] {
  return kind === 'budget' && budgetDeltaFen !== null && budgetDeltaFen !== 0 ? ['approval', 'finance'] : ['approval'];
}
