/**
 * Rectification and sanctions, Art. 22 (measures): the rectification order with its deadline, the
 * department's response and the issuer's review, extension, suspension and termination; the stated
 * reason for a delayed acceptance and the accountability referral. The department's own withdrawal
 * before construction stands here beside termination, the other way a project ends early.
 */
import { Rejection } from '../errors.ts';
import { COMMAND_STAGES as STAGES } from '../stages.ts';
import { ART22_LADDER, type Handlers, notFound, refuse } from './common.ts';

export const RECTIFICATION_HANDLERS = {
  rectificationOrder(ctx, payload) {
    const dueOn = payload.dueOn ?? null;
    if (dueOn !== null && dueOn < ctx.today)
      throw refuse('due_date_past', 'The rectification date has passed already.');
    // Art. 22: violations lead to a rectification order with a deadline (bdb or approval).
    ctx.issueRectification({
      reason: payload.reason,
      description: payload.description,
      dueOn,
      issuer: ctx.actor,
      automatic: false,
    });
  },

  rectificationResponse(ctx, payload) {
    const r = ctx.state.rectifications.find((x) => x.id === payload.rid);
    if (!r) throw notFound(`rectification order ${payload.rid}`);
    // Art. 22: the department responds; the issuer then accepts or rejects. As written, a failed
    // order (disbursement suspended) may still be rectified later: the issuer accepts it and lifts the
    // suspension.
    const late = ctx.asWritten && r.status === 'failed' && !r.responses.some((x) => x.review === null);
    if (r.status !== 'awaiting-response' && !late) throw ctx.invalidTransition(`Rectification ${r.id} is ${r.status}.`);
    r.responses.push({
      description: payload.description,
      evidenceRef: payload.evidenceRef,
      ...(payload.documentId ? { documentId: payload.documentId } : {}),
      at: ctx.now,
      by: ctx.actor.name,
      review: null,
    });
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
    if (r.status === 'accepted' || r.status === 'closed')
      throw ctx.invalidTransition(`Rectification ${r.id} is ${r.status}.`);
    if (payload.dueOn < ctx.today) throw refuse('due_date_past', 'The new rectification date has passed already.');
    // Art. 22: after a failed rectification the BDB may extend the deadline (or terminate).
    ctx.closeDeadline(ctx.deadline(r.deadlineId), 'cancelled');
    const d = ctx.startDeadline(
      'rectification',
      r.id,
      ctx.today,
      { until: payload.dueOn },
      ctx.policy.rectification.reminder,
    );
    r.deadlineId = d.id;
    r.dueOn = payload.dueOn;
    r.extensions.push({ dueOn: payload.dueOn, reason: payload.reason, at: ctx.now, by: ctx.actor.name });
    if (r.status === 'failed')
      r.status = r.responses.some((x) => x.review === null) ? 'awaiting-review' : 'awaiting-response';
    ctx.decision('rectification-extension', payload.dueOn, payload.reason);
    ctx.notify('department', 'rectification-extended', { rectificationId: r.id, dueOn: payload.dueOn });
  },

  termination(ctx, payload) {
    // Art. 22: 暂停拨付…直至终止项目 — as written the BDB terminates only a project whose disbursement
    // is suspended (legacy: any active stage); unspent money is cancelled.
    if (ctx.asWritten && !ctx.state.funds.suspended)
      throw ctx.invalidTransition(`${ART22_LADDER}; disbursement is not suspended.`);
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

  acceptanceDelayReason(ctx, payload) {
    const state = ctx.state;
    // Art. 22: only a delay of acceptance *without good reason* (无合理原因) is a ground; the
    // department may state its reason while the project is in construction.
    ctx.requireStage(...STAGES.acceptanceDelayReason);
    if (state.acceptanceDelayReasons.some((x) => x.status === 'pending'))
      throw ctx.invalidTransition('A stated reason awaits the BDB decision.');
    const id = `adr-${state.acceptanceDelayReasons.length + 1}`;
    state.acceptanceDelayReasons.push({
      id,
      reason: payload.reason,
      statedAt: ctx.now,
      statedBy: ctx.actor.name,
      status: 'pending',
      opinion: null,
      decidedAt: null,
      decidedBy: null,
    });
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
    state.accountabilityReferrals.push({
      id,
      reference: payload.reference,
      description: payload.description,
      recordedAt: ctx.now,
      recordedBy: ctx.actor.name,
    });
    ctx.decision('accountability-referral', payload.reference, payload.description);
    ctx.notify('department', 'accountability-referral', { referralId: id, reference: payload.reference });
  },
} satisfies Partial<Handlers>;
