/**
 * Application and establishment, Art. 7-9 (measures): the BDB's technical review of an application
 * (Art. 7, 9: grounds such as 变相包装 with a revise or a reject), the department's resubmission, and the
 * approval bureau's establishment (立项, Art. 8) with its construction limit.
 */
import { TECHNICAL_REVIEW_ITEMS } from '../commands.ts';
import { Rejection } from '../errors.ts';
import { COMMAND_STAGES as STAGES } from '../stages.ts';
import { type Handlers, refuse } from './common.ts';

export const APPLICATION_HANDLERS = {
  technicalReview(ctx, payload) {
    ctx.requireStage(...STAGES.technicalReview);
    const missing = TECHNICAL_REVIEW_ITEMS.filter((k) => !payload.checklist[k]);
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
      throw refuse(
        'checklist_incomplete',
        `Art. 7 (policy technicalReviewEveryItem): a pass needs every checklist item; missing ${missing.join(', ')}.`,
        { missing },
      );
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
    // The uploaded documents among them (only new commands carry documentIds).
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
    // Art. 8 (measures): the approval states the approved estimate (批复概算); required for
    // projects applied for since the second reading (approvals of older runs replay without it).
    if (payload.decision === 'approve' && payload.approvedEstimateFen === undefined && ctx.secondReading) {
      throw new Rejection(
        400,
        'validation_failed',
        'Art. 8: an approval states the approved estimate (approvedEstimateFen, 批复概算).',
        {
          errors: [
            {
              path: 'approvedEstimateFen',
              message: 'required when approving (Art. 8: the approved estimate, 批复概算)',
            },
          ],
        },
      );
    }
    ctx.decision('establishment', payload.decision, payload.opinion);
    if (payload.decision === 'approve') {
      ctx.state.approvalNo = payload.approvalNo;
      ctx.state.approvedOn = ctx.today; // Art. 9: contracts signed before this date are 未批先建
      // Art. 8, 10 (measures): the approved estimate caps construction money (view constructionLimit).
      if (payload.approvedEstimateFen !== undefined) ctx.state.approvedEstimateFen = payload.approvedEstimateFen;
      ctx.state.stage = 'budgeting'; // Art. 10: finance budgets approved projects
      ctx.notify('finance', 'budget', {
        approvalNo: payload.approvalNo ?? null,
        ...(payload.approvedEstimateFen !== undefined ? { approvedEstimateFen: payload.approvedEstimateFen } : {}),
      });
    } else {
      ctx.state.stage = 'rejected'; // Art. 9
      ctx.notify('department', 'rejected', { by: 'establishment', opinion: payload.opinion });
    }
  },
} satisfies Partial<Handlers>;
