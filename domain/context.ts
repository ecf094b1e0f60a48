/**
 * The mutation context of one command or deadline event: it changes a *draft* of the state (the
 * Project commits the draft only when nothing was refused) and collects the effects. The shared
 * consequences live here: money movements and freezes, deadlines, automatic rectification orders,
 * suspension and termination.
 */
import { maxDate, quarterEnd, shanghaiDate } from './calendar/dates.ts';
import type { Effect, NotifyEffect } from './effects.ts';
import { Rejection } from './errors.ts';
import { DEFAULT_LANGUAGE, type NotificationParams } from './labels/language.ts';
import { renderNotification } from './labels/notifications.ts';
import type { DeadlineRecord, ProjectState } from './state.ts';
import { openDeadline, openDeadlines, pendingActions } from './view.ts';
import type { DeadlineKind, DeadlineRule, DeadlineStatus } from './deadline-kinds.ts';
import { FUND_TYPES, type Bucket, type MovementKind, type FreezeReason, type FundType } from './money.ts';
import { policySwitches } from './policy-defaults.ts';
import type { Duration, PolicySwitches } from './policy.ts';
import type { AllocationRecord, RectificationRecord } from './records.ts';
import { personOf, type Actor, type Role, type RuleBasis, type Stage } from './vocabulary.ts';
import { BUCKET_FIELD, bookMovement } from './fund-movements.ts';
import { newDeadline, nextEvaluationYear, nextProgressPeriod } from './deadline-records.ts';
import { rectificationOrder, type RectificationOrder } from './rectification-order.ts';

export class ChangeContext {
  readonly effects: Effect[] = [];
  /** The Asia/Shanghai calendar date of `now`. */
  readonly today: string;

  constructor(
    readonly state: ProjectState,
    readonly actor: Actor,
    readonly now: string,
  ) {
    this.today = shanghaiDate(now);
  }

  get policy() {
    return this.state.input.policy.deadlines;
  }

  /** The pinned policy's switches for consequences the text does not name (default: all off). */
  get switches(): PolicySwitches {
    return policySwitches(this.state.input.policy);
  }

  /** True for projects under the measures as written; false for `legacy` runs recorded before (replay). */
  get asWritten(): boolean {
    return this.state.measures === 'as-written';
  }

  /** True for projects started after the patch `measures-second-reading`; false for runs recorded before. */
  get secondReading(): boolean {
    return this.state.secondReading === true;
  }

  // --- refusals -------------------------------------------------------------------------------

  /** 409 invalid_transition, carrying the current stage and who must act (docs/API.md "Errors"). */
  invalidTransition(message: string): Rejection {
    return new Rejection(409, 'invalid_transition', message, {
      stage: this.state.stage,
      pendingActions: pendingActions(this.state),
    });
  }

  requireStage(...stages: Stage[]): void {
    if (!stages.includes(this.state.stage)) {
      throw this.invalidTransition(`Not possible in stage ${this.state.stage}; needs ${stages.join(' or ')}.`);
    }
  }

  // --- records and effects ----------------------------------------------------------------------

  /** Art. 24-25: every accepted change is traced to who, what and when. */
  audit(action: string, detail: Record<string, unknown>, actor: Actor = this.actor, at: string = this.now): void {
    this.effects.push({ type: 'audit', eventId: this.nextEventId('audit'), action, actor, at, detail });
  }

  /** Adds fields to the audit entry of the command being run (its first effect), e.g. before/after. */
  auditCommandDetail(extra: Record<string, unknown>): void {
    const entry = this.effects.find((e) => e.type === 'audit');
    if (entry && entry.type === 'audit') Object.assign(entry.detail, extra);
  }

  /**
   * A notification: a machine-readable `kind` and `params` (domain/labels/notifications.ts renders either language
   * later) and `detail`, the zh-CN text, for the outbox's readers. `basis: 'policy'` when a policy
   * setting, not the text, produced it.
   */
  notify(
    role: Role,
    kind: string,
    params: NotificationParams = {},
    dueAt?: string | null,
    basis: RuleBasis = 'measures',
  ): void {
    const effect: NotifyEffect = {
      type: 'notify',
      eventId: this.nextEventId('notify'),
      projectId: this.state.input.id,
      recipient: { role },
      kind,
      params,
      detail: renderNotification(DEFAULT_LANGUAGE, kind, params, role),
      dueAt: dueAt ?? null,
      at: this.now,
      basis,
    };
    if (role === 'department') effect.recipient.department = this.state.input.department;
    this.effects.push(effect);
  }

  /** Audit and notification events are numbered in the state, so a retried write reuses the id. */
  private nextEventId(kind: 'audit' | 'notify'): string {
    this.state.seq.event += 1;
    return `${this.state.input.id}:${kind}:${this.state.seq.event}`;
  }

  decision(action: string, decision?: string, opinion?: string): void {
    const d: ProjectState['decisions'][number] = {
      action,
      role: this.actor.role,
      by: this.actor.name,
      at: this.now,
      ...personOf(this.actor),
    };
    if (decision !== undefined) d.decision = decision;
    if (opinion !== undefined) d.opinion = opinion;
    this.state.decisions.push(d);
  }

  violation(kind: string, article: string, detail: string, basis: RuleBasis = 'measures'): void {
    this.state.violations.push({ kind, article, at: this.now, detail, basis });
  }

  // --- deadlines ----------------------------------------------------------------------------------

  /**
   * Records a deadline as open without dates and asks the workflow to schedule it (the calendar
   * activity computes dueAt/remindAt; the core never counts working days).
   */
  startDeadline(
    kind: DeadlineKind,
    ref: string | null,
    startsOn: string,
    rule: DeadlineRule,
    reminder: Duration | null,
  ): DeadlineRecord {
    const { record, effect } = newDeadline(this.state, kind, ref, startsOn, rule, reminder);
    this.state.deadlines.push(record);
    this.effects.push(effect);
    return record;
  }

  closeDeadline(d: DeadlineRecord | undefined, status: Exclude<DeadlineStatus, 'open'>): void {
    if (!d || d.status !== 'open') return;
    d.status = status;
    d.closedAt = this.now;
  }

  deadline(id: string): DeadlineRecord | undefined {
    return this.state.deadlines.find((d) => d.id === id);
  }

  // --- money ----------------------------------------------------------------------------------

  /** Books one movement on the balances and emits it with its idempotency key. */
  move(
    kind: MovementKind,
    fundType: FundType,
    amountFen: number,
    from: Bucket | null,
    to: Bucket,
    opts: { allocationId?: string; reason?: string } = {},
  ): void {
    this.effects.push(bookMovement(this.state, { kind, fundType, amountFen, from, to, ...opts }, this.actor, this.now));
  }

  /** Which freeze applies to newly available money of a fund type now, if any. */
  activeFreeze(fundType: FundType): FreezeReason | null {
    // Art. 22 as written suspends disbursement (暂停拨付) and leaves the money where it is; the legacy
    // reading froze it.
    if (this.state.funds.suspended && !this.asWritten) return 'suspension';
    // Art. 21: freezing undisbursed construction money is policy (switch completionReportFreeze).
    if (
      fundType === 'construction' &&
      this.state.completionReportOverdue &&
      (!this.asWritten || this.switches.completionReportFreeze)
    )
      return 'completion-report';
    return null;
  }

  /**
   * Keeps the invariant "while a freeze applies, nothing of that fund type is available": freezes
   * all available money under the applicable reason.
   */
  enforceFreezes(fundType: FundType): void {
    const reason = this.activeFreeze(fundType);
    const available = this.state.funds[fundType].availableFen;
    if (reason === null || available === 0) return;
    this.move('freeze', fundType, available, 'available', 'frozen', { reason });
    this.state.frozenBy[fundType][reason] += available;
  }

  /** Unfreezes exactly what `reason` froze (the caller has lifted that reason first). */
  releaseFreeze(reason: FreezeReason): void {
    for (const fundType of FUND_TYPES) {
      const amount = this.state.frozenBy[fundType][reason];
      if (amount === 0) continue;
      this.move('unfreeze', fundType, amount, 'frozen', 'available', { reason });
      this.state.frozenBy[fundType][reason] = 0;
      // Another reason may still hold (e.g. suspension while the completion report freeze ends).
      this.enforceFreezes(fundType);
    }
  }

  /** Art. 11: the publicity period ended without an upheld objection: held → available. */
  publish(a: AllocationRecord, basis: RuleBasis = 'measures'): void {
    this.move('publish', a.fundType, a.amountFen, 'held', 'available', { allocationId: a.id });
    a.status = 'published';
    a.publishedAt = this.now;
    // Money published while funds are suspended (or the completion report is overdue) goes
    // straight on to frozen.
    this.enforceFreezes(a.fundType);
    this.notify(
      'finance',
      'allocation-published',
      { allocationId: a.id, fundType: a.fundType, amountFen: a.amountFen },
      null,
      basis,
    );
    if (this.state.stage === 'publicity' && a.fundType === 'construction') {
      if (this.secondReading && this.state.contracts.length > 0) {
        // Art. 11, 13-15 (measures): contracts signed after the approval were recorded
        // while the money awaited publication: with the money public, construction begins.
        this.enterConstruction(this.state.plannedCompletionDate);
        return;
      }
      // Art. 11, 13: the first construction budget is public; the department may sign contracts.
      this.state.stage = 'contracting';
      this.notify('department', 'contracting-open');
    }
  }

  /** Art. 11: an upheld objection cancels the allocation's held money. */
  cancelAllocation(a: AllocationRecord, reason: string): void {
    if (
      a.status !== 'held' &&
      a.status !== 'publicity' &&
      a.status !== 'awaiting-objection' &&
      a.status !== 'awaiting-county'
    )
      return;
    // Art. 12: an allocation awaiting the county's confirmation holds nothing yet.
    if (a.status !== 'awaiting-county')
      this.move('cancel', a.fundType, a.amountFen, 'held', 'cancelled', { allocationId: a.id, reason });
    a.status = 'cancelled';
    a.cancelledAt = this.now;
    if (a.publicityDeadlineId !== null) this.closeDeadline(this.deadline(a.publicityDeadlineId), 'cancelled');
    // Art. 17: the budget increase it funded may be allocated again.
    for (const f of a.fundedChanges) {
      const cr = this.state.changeRequests.find((c) => c.id === f.changeRequestId);
      if (cr) cr.fundedFen -= f.amountFen;
    }
    for (const o of this.state.objections) if (o.allocationId === a.id && o.status === 'open') o.status = 'moot';
    if (this.state.stage === 'publicity' && a.fundType === 'construction') this.state.stage = 'budgeting';
    this.notify('finance', 'allocation-cancelled', { allocationId: a.id, reason });
  }

  /** Termination and decommissioning cancel all unspent money (held/available/frozen → cancelled). */
  cancelUnspent(reason: string): void {
    for (const fundType of FUND_TYPES) {
      for (const bucket of ['held', 'available', 'frozen'] as const) {
        const amount = this.state.funds[fundType][BUCKET_FIELD[bucket]];
        if (amount > 0) this.move('cancel', fundType, amount, bucket, 'cancelled', { reason });
      }
      this.state.frozenBy[fundType] = { suspension: 0, 'completion-report': 0 };
    }
    for (const a of this.state.allocations) {
      if (
        a.status === 'held' ||
        a.status === 'publicity' ||
        a.status === 'awaiting-objection' ||
        a.status === 'awaiting-county'
      ) {
        a.status = 'cancelled';
        a.cancelledAt = this.now;
      }
    }
    for (const o of this.state.objections) if (o.status === 'open') o.status = 'moot';
  }

  // --- stage consequences ---------------------------------------------------------------------

  /** Art. 22: the acceptance-delay deadline: 90 calendar days after the planned completion date. */
  startAcceptanceDelay(startsOn: string): void {
    const p = this.policy.acceptanceDelay;
    this.startDeadline('acceptance-delay', null, startsOn, p.duration, p.reminder);
  }

  /**
   * Art. 16: while in construction there is always one open progress-report deadline: for the
   * earliest period not yet reported, not before the current quarter and after the last period
   * already met or missed. It starts at the quarter end (possibly in the future); the next one is
   * started when it is met or missed, so no separate quarter-end timer is needed.
   */
  ensureProgressDeadline(): void {
    if (this.state.stage !== 'construction' || openDeadline(this.state, 'progress-report')) return;
    const period = nextProgressPeriod(this.state, this.today);
    const p = this.policy.progressReport;
    this.startDeadline('progress-report', period, quarterEnd(period), p.duration, p.reminder);
  }

  /**
   * Art. 23: while operating there is always one open annual-evaluation deadline: for the earliest
   * operating year not yet evaluated, due on 31 March (policy) of the following year.
   */
  ensureAnnualEvaluationDeadline(): void {
    const since = this.state.operatingSince;
    if (this.state.stage !== 'operating' || since === null || openDeadline(this.state, 'annual-evaluation')) return;
    const firstYear = Number(since.slice(0, 4));
    const year = nextEvaluationYear(this.state, firstYear);
    const p = this.policy.annualEvaluation;
    const startsOn = year === firstYear ? since : `${year}-01-01`;
    this.startDeadline(
      'annual-evaluation',
      String(year),
      startsOn,
      { until: `${year + 1}-${p.dueMonthDay}` },
      p.reminder,
    );
  }

  /** Contracting → construction (first contract) or back from a failed joint acceptance (Art. 18). */
  enterConstruction(acceptanceDelayFrom: string): void {
    this.state.stage = 'construction';
    this.startAcceptanceDelay(acceptanceDelayFrom);
    this.ensureProgressDeadline();
  }

  /** Art. 18: a failed technical or completion acceptance returns the project to construction. */
  returnToConstruction(by: 'technical' | 'completion', opinion: string): void {
    const acceptance = this.state.acceptance;
    acceptance.returns.push({ by, opinion, at: this.now });
    if (!this.asWritten || this.switches.failedAcceptanceClearsOtherPass) {
      // Legacy, or policy switch failedAcceptanceClearsOtherPass: both acceptances are repeated.
      acceptance.technical = null;
      acceptance.completion = null;
    } else {
      // Art. 18 as written: the two acceptances are separate (技术验收, 竣工验收); the other side's pass
      // stands and only the failed one is repeated after the rework.
      acceptance[by] = null;
    }
    if (this.asWritten && acceptance.completion === null) {
      // Art. 21: without a standing completion acceptance there is no report to file yet.
      for (const d of openDeadlines(this.state, 'completion-report')) this.closeDeadline(d, 'cancelled');
      if (this.state.completionReportOverdue) {
        this.state.completionReportOverdue = false;
        this.releaseFreeze('completion-report');
      }
    }
    // The planned completion date has usually passed: the new acceptance-delay period runs from
    // the later of that date and today (decision beyond the brief).
    this.enterConstruction(maxDate(this.state.plannedCompletionDate, this.today));
    this.notify('department', 'joint-acceptance-failed', { by, opinion });
  }

  /**
   * Art. 21 as written: the completion report is due within 7 working days of the completion
   * acceptance (竣工验收, the approval bureau's), so the clock starts when that passes.
   */
  startCompletionReportDeadline(): void {
    if (this.state.completionReport !== null || openDeadline(this.state, 'completion-report')) return;
    const p = this.policy.completionReport;
    const d = this.startDeadline('completion-report', null, this.today, p.duration, p.reminder);
    this.notify('department', 'completion-report-due', { deadlineId: d.id, after: 'completion' });
  }

  /** Art. 21, 23: the completion report is filed and both acceptances passed → operating. */
  enterOperating(): void {
    this.state.stage = 'operating';
    this.state.operatingSince = this.today;
    this.ensureAnnualEvaluationDeadline(); // Art. 23
    this.notify('finance', 'operating');
  }

  /** Art. 18, 21: both acceptances passed → the completion report is due within 7 working days. */
  completeJointAcceptance(): void {
    if (this.asWritten) {
      // The report's deadline already runs from the completion acceptance (startCompletionReportDeadline).
      this.notify('bdb', 'joint-acceptance-passed');
      if (this.state.completionReport !== null) this.enterOperating();
      else this.state.stage = 'completion_filing';
      return;
    }
    this.state.stage = 'completion_filing';
    const p = this.policy.completionReport;
    const d = this.startDeadline('completion-report', null, this.today, p.duration, p.reminder);
    this.notify('department', 'completion-report-due', { deadlineId: d.id, after: 'joint' });
    this.notify('bdb', 'joint-acceptance-passed');
  }

  // --- rectification (Art. 22) ------------------------------------------------------------------

  issueRectification(opts: RectificationOrder): RectificationRecord {
    this.state.seq.rectification += 1;
    const id = `rect-${this.state.seq.rectification}`;
    const p = this.policy.rectification;
    // Art. 22: a deadline of 20 working days (policy) or the order's own date.
    const d = this.startDeadline(
      'rectification',
      id,
      this.today,
      opts.dueOn ? { until: opts.dueOn } : p.duration,
      p.reminder,
    );
    const { record: r, decision } = rectificationOrder(id, opts, d.id, this.now);
    this.state.rectifications.push(r);
    this.state.decisions.push(decision);
    // An automatic order is a policy rule (a switch); an order a person gives is the text's (Art. 22).
    const basis: RuleBasis = opts.automatic ? 'policy' : 'measures';
    this.notify(
      'department',
      'rectification-order',
      { rectificationId: id, reason: opts.reason, description: opts.description, automatic: opts.automatic },
      null,
      basis,
    );
    if (opts.automatic)
      this.notify(
        'bdb',
        'rectification-order',
        { rectificationId: id, reason: opts.reason, description: opts.description, automatic: true },
        null,
        basis,
      );
    return r;
  }

  /**
   * Art. 22: the rectification deadline passed, or the response was rejected: construction and
   * O&M funds are suspended (all available money frozen) until the BDB extends or terminates.
   */
  failRectification(r: RectificationRecord, why: string): void {
    r.status = 'failed';
    r.hasFailed = true;
    this.closeDeadline(this.deadline(r.deadlineId), 'cancelled');
    this.violation('rectification-failed', 'Art. 22', `Rectification ${r.id} (${r.reason}) failed: ${why}.`);
    if (!this.state.funds.suspended) {
      this.state.funds.suspended = true;
      // As written: disbursement suspended (暂停拨付), allocations stay; legacy: available money frozen.
      for (const fundType of FUND_TYPES) this.enforceFreezes(fundType);
      this.notify('finance', 'funds-suspended', { rectificationId: r.id });
    }
    this.notify('bdb', 'rectification-decision', { rectificationId: r.id, why });
    this.notify('department', 'rectification-failed', { rectificationId: r.id, why });
  }

  /** Art. 22: accepted rectification → funds unfrozen, once no failed rectification remains. */
  liftSuspensionIfClear(): void {
    if (!this.state.funds.suspended) return;
    if (this.state.rectifications.some((r) => r.hasFailed && r.status !== 'accepted')) return;
    this.state.funds.suspended = false;
    this.releaseFreeze('suspension');
    this.notify('finance', 'funds-unsuspended');
    this.notify('department', 'funds-unsuspended');
  }

  /** Termination, withdrawal and decommissioning: unspent money cancelled, deadlines cancelled. */
  end(stage: 'terminated' | 'decommissioned' | 'withdrawn', reason: string): void {
    this.state.stage = stage;
    this.cancelUnspent(stage === 'terminated' ? 'termination' : stage === 'withdrawn' ? 'withdrawal' : 'decommission');
    for (const d of openDeadlines(this.state)) this.closeDeadline(d, 'cancelled');
    for (const r of this.state.rectifications) if (r.status !== 'accepted') r.status = 'closed';
    for (const c of this.state.changeRequests) if (c.status === 'pending') c.status = 'closed';
    this.state.funds.suspended = false;
    this.state.completionReportOverdue = false;
    this.notify('finance', stage, { reason, moneyCancelled: true });
    this.notify('department', stage, { reason, moneyCancelled: false });
  }
}
