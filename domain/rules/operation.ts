/**
 * Operation and security, Art. 23 and 28-29 (measures; drill periods policy): the yearly evaluation
 * (Art. 23), decommissioning, the joint risk assessment (Art. 28), the emergency plan, drills and
 * security incidents with their recipients (Art. 29).
 */
import type { CommandPayloads } from '../commands.ts';
import type { ChangeContext } from '../context.ts';
import { Rejection } from '../errors.ts';
import { COMMAND_STAGES as STAGES } from '../stages.ts';
import { securityDrillSetting } from '../policy-defaults.ts';
import { openDeadline } from '../view.ts';
import { alreadyExists, type Handlers, pick, refuse } from './common.ts';

export const OPERATION_HANDLERS = {
  evaluation(ctx, payload) {
    const state = ctx.state;
    // Art. 23: the BDB evaluates every operating project every year.
    ctx.requireStage(...STAGES.evaluation);
    if (state.evaluations.some((e) => e.year === payload.year))
      throw alreadyExists(`The evaluation of ${payload.year}`);
    if (payload.year > Number(ctx.today.slice(0, 4)))
      throw refuse('year_not_started', `Year ${payload.year} has not started.`);
    if (state.operatingSince && payload.year < Number(state.operatingSince.slice(0, 4))) {
      throw refuse('year_not_operating', `The project was not operating in ${payload.year}.`);
    }
    state.evaluations.push({
      ...pick(payload, [
        'year',
        'fundUseScore',
        'outputScore',
        'effectScore',
        'satisfactionScore',
        'sharingCompliant',
        'summary',
      ]),
      // Art. 19 (measures): 落盘 beside sharing (required for new input, Project.run).
      ...(payload.dataStoredOnPlatform !== undefined ? { dataStoredOnPlatform: payload.dataStoredOnPlatform } : {}),
      evaluatedAt: ctx.now,
      evaluatedBy: ctx.actor.name,
    });
    ctx.closeDeadline(openDeadline(state, 'annual-evaluation', String(payload.year)), 'met');
    ctx.ensureAnnualEvaluationDeadline();
    ctx.decision(
      'evaluation',
      payload.sharingCompliant ? 'sharing-compliant' : 'sharing-noncompliant',
      payload.summary,
    );
    if (!payload.sharingCompliant || payload.dataStoredOnPlatform === false) {
      // Art. 9: no O&M funds for projects that do not share data; Art. 19: data not stored on the
      // platform (落盘) is the same sharing failure.
      const params = {
        year: payload.year,
        ...(payload.dataStoredOnPlatform === false ? { notStored: true } : {}),
        ...(payload.sharingCompliant ? {} : { notShared: true }),
      };
      ctx.notify('department', 'sharing-noncompliant', params);
      ctx.notify('finance', 'sharing-noncompliant', params);
    }
  },

  securityIncident(ctx, payload) {
    // Art. 29: incidents are reported with their handling record and kept permanently.
    ctx.requireStage(...STAGES.securityIncident);
    const reported = incidentReport(ctx, payload); // Art. 29: to whom and when
    ctx.state.seq.incident += 1;
    const id = `inc-${ctx.state.seq.incident}`;
    ctx.state.incidents.push({
      id,
      ...pick(payload, ['occurredAt', 'severity', 'description', 'handling']),
      reportedAt: ctx.now,
      reportedBy: ctx.actor.name,
      ...reported,
    });
    ctx.notify('bdb', 'security-incident', {
      incidentId: id,
      severity: payload.severity,
      description: payload.description,
    });
  },

  securityDrill(ctx, payload) {
    // Art. 29: emergency drills are held regularly and recorded permanently.
    ctx.requireStage(...STAGES.securityDrill);
    ctx.state.seq.drill += 1;
    ctx.state.drills.push({
      id: `drill-${ctx.state.seq.drill}`,
      ...pick(payload, ['heldOn', 'scenario', 'summary']),
      recordedAt: ctx.now,
      recordedBy: ctx.actor.name,
    });
    drillHeld(ctx, payload.heldOn); // Art. 29 (policy): the next drill falls due a period later
  },

  decommission(ctx, payload) {
    ctx.requireStage(...STAGES.decommission);
    ctx.decision('decommission', 'decommission', payload.reason);
    ctx.end('decommissioned', payload.reason);
  },

  riskAssessment, // Art. 28, below
  emergencyPlan, // Art. 29, below
} satisfies Partial<Handlers>;

// --- Art. 28-29: risk assessment, emergency plan, drills, incidents' recipients ---------

/** Art. 28: 项目实施单位会同市大数据应用局共同开展网络与信息安全风险评估 — recorded by the department, naming the BDB's participant. */
function riskAssessment(ctx: ChangeContext, payload: CommandPayloads['riskAssessment']): void {
  const state = ctx.state;
  ctx.requireStage(...STAGES.riskAssessment);
  if (payload.assessedOn > ctx.today)
    throw refuse('date_in_future', 'Art. 28: assessedOn lies in the future.', { field: 'assessedOn' });
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
  ctx.notify('bdb', 'risk-assessment', {
    riskAssessmentId: id,
    assessedOn: payload.assessedOn,
    bdbParticipant: payload.bdbParticipant,
  });
}

/** Art. 29: 项目实施单位与项目建设单位共同制定…应急预案 — the contractor must be one the project contracted with. */
function emergencyPlan(ctx: ChangeContext, payload: CommandPayloads['emergencyPlan']): void {
  const state = ctx.state;
  ctx.requireStage(...STAGES.emergencyPlan);
  if (payload.adoptedOn > ctx.today)
    throw refuse('date_in_future', 'Art. 29: adoptedOn lies in the future.', { field: 'adoptedOn' });
  const contractors = [...new Set(state.contracts.map((c) => c.contractor))];
  // Without a contract on record (an existing system, Art. 21; or contracting before the first
  // contract) the contractor is taken as named.
  if (contractors.length > 0 && !contractors.includes(payload.contractor)) {
    throw refuse(
      'contractor_unknown',
      `Art. 29: the emergency plan is made with the project's contractor (项目建设单位); ${payload.contractor} is on no contract of this project (${contractors.join(', ')}).`,
      {
        contractor: payload.contractor,
        contractors: contractors.join('、'),
      },
    );
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
  ctx.notify('bdb', 'emergency-plan', {
    emergencyPlanId: id,
    adoptedOn: payload.adoptedOn,
    contractor: payload.contractor,
  });
  // Art. 29 (policy): from the first plan on, drills fall due per the policy's period.
  if (ctx.state.riskAndEmergency && !openDeadline(state, 'security-drill'))
    startDrillDeadline(ctx, lastDrillOrPlan(state) ?? payload.adoptedOn);
}

/**
 * Art. 28 asks for the joint risk assessment and sets no order; requiring it before the BDB's technical
 * acceptance is policy (switch riskAssessmentBeforeTechnicalAcceptance, on by default; policies pinned
 * before the switch read it as on, so runs from before keep their gate).
 */
export function requireRiskAssessment(ctx: ChangeContext): void {
  if (
    !ctx.state.riskAndEmergency ||
    (ctx.state.riskAssessments ?? []).length > 0 ||
    !ctx.switches.riskAssessmentBeforeTechnicalAcceptance
  )
    return;
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
 * Runs from before the second reading keep the gate they had.
 */
export function requireEmergencyPlan(ctx: ChangeContext): void {
  if (!ctx.state.riskAndEmergency || (ctx.state.emergencyPlans ?? []).length > 0) return;
  if (ctx.secondReading && !ctx.switches.emergencyPlanBeforeCompletionReport) return;
  throw refuse(
    'emergency_plan_missing',
    'Art. 29 (policy emergencyPlanBeforeCompletionReport): the emergency plan made with the contractor is recorded before the completion report (POST /v1/projects/:id/emergency-plans).',
    { policy: 'emergencyPlanBeforeCompletionReport' },
  );
}

/** Art. 29: to whom and when an incident was reported (required under the Art. 28-29 records; optional before). */
function incidentReport(
  ctx: ChangeContext,
  payload: CommandPayloads['securityIncident'],
): { reportedTo?: string; reportedAt?: string; recordedAt?: string } {
  if (!ctx.state.riskAndEmergency) return {};
  const missing = (['reportedTo', 'reportedAt'] as const).filter((k) => payload[k] === undefined);
  if (missing.length > 0) {
    throw new Rejection(
      400,
      'validation_failed',
      `Art. 29: an incident names to whom and when it was reported (${missing.join(', ')} missing).`,
      {
        errors: missing.map((path) => ({
          path,
          message: 'required (Art. 29: to whom and when the incident was reported)',
        })),
      },
    );
  }
  const reportedAt = payload.reportedAt!;
  if (Date.parse(reportedAt) < Date.parse(payload.occurredAt))
    throw refuse('reported_before_occurred', 'Art. 29: reportedAt lies before occurredAt.');
  if (Date.parse(reportedAt) > Date.parse(ctx.now))
    throw refuse('date_in_future', 'Art. 29: reportedAt lies in the future.', { field: 'reportedAt' });
  return { reportedTo: payload.reportedTo!, reportedAt, recordedAt: ctx.now };
}

/** The latest drill or emergency plan adoption date: the drill period runs from it. */
function lastDrillOrPlan(state: ChangeContext['state']): string | undefined {
  return [...state.drills.map((d) => d.heldOn), ...(state.emergencyPlans ?? []).map((p) => p.adoptedOn)].sort().at(-1);
}

/** Art. 29 (policy): the next drill is due one policy period (default yearly) after `from`. */
export function startDrillDeadline(ctx: ChangeContext, from: string): void {
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
