/**
 * Deadlines: the reminder (policy) and the consequence of each deadline kind reaching its due time —
 * the publicity period (Art. 11), the contract filing (Art. 15), progress reports (Art. 16), the
 * completion report (Art. 21), acceptance delay and rectification (Art. 22), the annual evaluation
 * (Art. 23) and drills (Art. 29) — with the filing periods of Art. 15, 21 and a county's (Art. 30).
 */
import type { ChangeContext } from '../context.ts';
import { addCalendarDays, isBefore, shanghaiDate } from '../calendar/dates.ts';
import type { DeadlineRecord } from '../state.ts';
import { deadlineBasis } from '../policy-defaults.ts';
import type { Duration } from '../policy.ts';
import type { ContractRecord, RectificationReason } from '../records.ts';
import { startDrillDeadline } from './operation.ts';

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
    case 'rectification': {
      // Art. 22
      const r = ctx.state.rectifications.find((x) => x.id === d.ref);
      // Since the second reading: an answered order awaits its issuer's review, so the issuer is reminded.
      if (ctx.secondReading && r?.status === 'awaiting-review')
        ctx.notify(r.issuedByRole, 'rectification-review-pending', { rectificationId: r.id }, due, 'policy');
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
          // Art. 15: entered with its text within the period counted from signedOn: met.
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
      const r = ctx.issueRectification({
        reason: 'late-filing',
        description: `File contract ${d.ref} (Art. 15).`,
        dueOn: null,
        issuer: system,
        automatic: true,
      });
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
        if (ctx.switches.missingReportRectification)
          automaticOrder(ctx, 'missing-report', `Submit progress report ${d.ref} (Art. 16).`);
        ctx.ensureProgressDeadline();
        return;
      }
      // Art. 16: a missing progress report: reminder, then rectification.
      ctx.violation('missing-report', 'Art. 16', `Progress report ${d.ref} missing.`);
      ctx.audit('deadline-missed', { deadlineId: d.id, kind: d.kind, ref: d.ref });
      ctx.notify('department', 'missing-report', { period: d.ref });
      const r = ctx.issueRectification({
        reason: 'missing-report',
        description: `Submit progress report ${d.ref} (Art. 16).`,
        dueOn: null,
        issuer: system,
        automatic: true,
      });
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
        ctx.violation(
          'acceptance-delay',
          'Art. 22',
          `No preliminary acceptance within the period after the planned completion date ${state.plannedCompletionDate}.`,
          'policy',
        );
        ctx.notify('bdb', 'acceptance-delay', { plannedCompletionDate: state.plannedCompletionDate }, null, 'policy');
        ctx.notify(
          'department',
          'acceptance-delay',
          { plannedCompletionDate: state.plannedCompletionDate },
          null,
          'policy',
        );
        if (ctx.switches.acceptanceDelayRectification)
          automaticOrder(ctx, 'acceptance-delay', 'Carry out the acceptance (Art. 22).');
        return;
      }
      // Art. 22: acceptance delayed without reason → automatic rectification order.
      ctx.violation(
        'acceptance-delay',
        'Art. 22',
        `No preliminary acceptance within the period after the planned completion date ${state.plannedCompletionDate}.`,
      );
      ctx.audit('deadline-missed', { deadlineId: d.id, kind: d.kind });
      const r = ctx.issueRectification({
        reason: 'acceptance-delay',
        description: 'Carry out the acceptance (Art. 22).',
        dueOn: null,
        issuer: system,
        automatic: true,
      });
      ctx.audit('rectification-order', { rectificationId: r.id, reason: r.reason, automatic: true });
      return;
    }
    case 'completion-report': {
      ctx.closeDeadline(d, 'missed');
      // Art. 21: the report is overdue (the period the text's 7 working days, or a county's own, Art. 30).
      const p = periodOf(ctx, d);
      ctx.violation(
        'late-completion-report',
        p.article('Art. 21'),
        `Completion report not filed within ${p.text} of the completion acceptance${p.whose}.`,
        p.basis,
      );
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
        // Art. 22 (measures): the department responded in time and the response awaits review:
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
      if (r && (r.status === 'awaiting-response' || r.status === 'awaiting-review'))
        ctx.failRectification(r, 'deadline passed');
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

// --- Art. 15, 21, 30: filing periods counted from signedOn, the text's or a county's ----

/**
 * The period of a deadline as a violation names it: the text's (Art. 15: 5, Art. 21: 7 working days;
 * basis measures) or another — a county's own measures (Art. 30) or, for the city, a policy stored
 * before the text's periods were fixed (basis policy). Never the text's number for another period.
 */
function periodOf(
  ctx: ChangeContext,
  d: DeadlineRecord,
): {
  text: string;
  basis: 'measures' | 'policy';
  whose: string;
  article: (a: string) => string;
  params: Record<string, string | number>;
} {
  const basis = deadlineBasis(d.kind, d.rule);
  const rule = d.rule as Duration;
  const text =
    'until' in d.rule
      ? `the period until ${d.rule.until}`
      : `${rule.amount} ${rule.unit === 'workingDays' ? 'working' : 'calendar'} days`;
  const jurisdiction = ctx.state.input.policy.jurisdiction;
  const county = basis === 'policy' && jurisdiction !== 'city';
  return {
    text,
    basis,
    whose:
      basis === 'measures'
        ? ''
        : county
          ? ` (the period of ${jurisdiction}'s own measures, Art. 30)`
          : ' (a policy period)',
    article: (a) => (county ? `${a}, 30` : a),
    params:
      'until' in d.rule
        ? { basis }
        : { periodAmount: rule.amount, periodUnit: rule.unit, basis, ...(county ? { jurisdiction } : {}) },
  };
}

/**
 * Art. 15 (measures): a contract entered together with its text. Lateness counts from `signedOn` to
 * now; the deadline's dates come from the working-day calendar after this change, so the core closes
 * it at once only when it is surely in time (N working days never end before N calendar days), and
 * otherwise records the filing instant to be judged as soon as the deadline is dated.
 */
export function fileWithRecord(ctx: ChangeContext, d: DeadlineRecord, signedOn: string, period: Duration): void {
  if (ctx.today <= addCalendarDays(signedOn, period.amount)) ctx.closeDeadline(d, 'met');
  else d.fulfilledAt = ctx.now;
}

/**
 * Art. 15 (measures): the filing period passed without the text reaching the BDB in time: violation
 * (naming the period: the text's 5 working days or a county's own), BDB and department notified; an
 * automatic late-filing order only per policy switch lateFilingRectification, and not for a contract
 * filed already.
 */
export function contractFilingMissed(ctx: ChangeContext, d: DeadlineRecord, c: ContractRecord | undefined): void {
  ctx.closeDeadline(d, 'missed');
  const p = periodOf(ctx, d);
  const filed = c?.filedAt ? `; its text reached the BDB on ${shanghaiDate(c.filedAt)}` : '';
  ctx.violation(
    'late-filing',
    p.article('Art. 15'),
    `Contract ${d.ref} not filed with the BDB within ${p.text} of signing${c ? ` (${c.signedOn})` : ''}${p.whose}${filed}.`,
    p.basis,
  );
  ctx.audit('deadline-missed', { deadlineId: d.id, kind: d.kind, ref: d.ref });
  ctx.notify('bdb', 'late-filing', { contractNo: d.ref, article: true, ...p.params }, null, p.basis);
  ctx.notify('department', 'late-filing', { contractNo: d.ref, article: true, ...p.params }, null, p.basis);
  if (ctx.switches.lateFilingRectification && !c?.filedAt)
    automaticOrder(ctx, 'late-filing', `File contract ${d.ref} (Art. 15).`);
}
