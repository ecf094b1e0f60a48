/**
 * Acceptance and completion, Art. 18-21 (measures): the resource catalogue on the sharing platform
 * (Art. 19), the department's preliminary acceptance and the joint technical and completion
 * acceptances (Art. 18, 20), the completion report and the yearly O&M review (Art. 21).
 */
import { COMMAND_STAGES as STAGES } from '../stages.ts';
import { latestEvaluation, openDeadline, openDeadlines } from '../view.ts';
import { alreadyExists, type Handlers, refuse } from './common.ts';
import { requireEmergencyPlan, requireRiskAssessment } from './operation.ts';

export const ACCEPTANCE_HANDLERS = {
  catalogEntries(ctx, payload) {
    // Art. 19: the resource catalogue is registered on the sharing platform from construction on.
    ctx.requireStage(...STAGES.catalogEntries);
    const state = ctx.state;
    for (const e of payload.entries) {
      const record = {
        code: e.code,
        name: e.name,
        sharingType: e.sharingType,
        updateCycle: e.updateCycle,
        registeredAt: ctx.now,
        registeredBy: ctx.actor.name,
      };
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
    state.acceptance.preliminary = {
      reportRef: payload.reportRef,
      ...(payload.documentId ? { documentId: payload.documentId } : {}),
      completedOn: payload.completedOn,
      at: ctx.now,
      by: ctx.actor.name,
    };
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
    if (state.acceptance.technical?.decision === 'pass')
      throw ctx.invalidTransition('Technical acceptance has passed already.');
    requireRiskAssessment(ctx); // Art. 28 (measures)
    const mlpsLevel = payload.mlpsLevel ?? null;
    if (payload.decision === 'pass') {
      // Legacy reading: the catalogue was checked at the BDB's technical acceptance (as written: at 竣工验收).
      if (!ctx.asWritten && state.catalogEntries.length === 0)
        throw refuse('catalog_missing', 'Art. 19: no resource catalogue entries are registered.');
      // Art. 20, 28: security & 自主可控, 等级保护 level and cryptography assessment are verified.
      if (!payload.securityControllable || !payload.cryptoAssessmentPassed || mlpsLevel === null) {
        throw refuse(
          'security_verification_failed',
          'Art. 20, 28: a pass needs securityControllable, a passed cryptography assessment and an mlpsLevel.',
        );
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
    if (state.acceptance.completion?.decision === 'pass')
      throw ctx.invalidTransition('Completion acceptance has passed already.');
    // Art. 19: registering the resource catalogue on the sharing platform is part of 竣工验收.
    if (ctx.asWritten && payload.decision === 'pass' && state.catalogEntries.length === 0) {
      throw refuse(
        'catalog_missing',
        'Art. 19: the resource catalogue is part of completion acceptance (竣工验收); no entries are registered on the sharing platform.',
      );
    }
    state.acceptance.completion = {
      decision: payload.decision,
      opinion: payload.opinion,
      at: ctx.now,
      by: ctx.actor.name,
    };
    ctx.decision('completion-acceptance', payload.decision, payload.opinion);
    if (payload.decision === 'fail') ctx.returnToConstruction('completion', payload.opinion);
    else {
      // Art. 21 as written: the 7 working days run from the completion acceptance (竣工验收).
      if (ctx.asWritten) ctx.startCompletionReportDeadline();
      // Art. 29 (measures): from completion acceptance on a missing emergency plan is the
      // department's pending action (view) and a notice to the BDB — not a gate on the Art. 21 filing.
      if (ctx.secondReading && state.riskAndEmergency && (state.emergencyPlans ?? []).length === 0)
        ctx.notify('bdb', 'emergency-plan-missing');
      if (state.acceptance.technical?.decision === 'pass') ctx.completeJointAcceptance();
    }
  },

  completionReport(ctx, payload) {
    const state = ctx.state;
    if (ctx.asWritten) {
      // Art. 21: the report of the completion acceptance (竣工验收报告) is filed once that passed,
      // while the BDB's technical acceptance may still be pending or repeated.
      ctx.requireStage(...STAGES.completionReport);
      if (state.acceptance.completion?.decision !== 'pass')
        throw ctx.invalidTransition(
          'Art. 21: the completion report follows a passed completion acceptance (竣工验收).',
        );
      if (state.completionReport !== null) throw alreadyExists('The completion report');
    } else {
      ctx.requireStage('completion_filing');
    }
    requireEmergencyPlan(ctx); // Art. 29 (measures): the report leads into operation
    const late = state.completionReportOverdue;
    ctx.closeDeadline(openDeadline(state, 'completion-report'), 'met');
    state.completionReport = {
      reportRef: payload.reportRef,
      ...(payload.documentId ? { documentId: payload.documentId } : {}),
      filedAt: ctx.now,
      filedBy: ctx.actor.name,
      late,
    };
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
    if (payload.approvedFen > 0)
      ctx.notify('finance', 'om-review', { year: payload.year, approvedFen: payload.approvedFen });
  },
} satisfies Partial<Handlers>;
