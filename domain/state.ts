/**
 * The whole state of one project as a single plain-JSON object: it is what the workflow carries
 * across continue-as-new (`Project.restore(state)`), so it holds no class instances, no Dates, no
 * `undefined` values (absent data is `null`) and no functions.
 */
import { shanghaiDate, shanghaiYear } from './calendar/dates.ts';
import type { DeadlineKind, DeadlineRule, DeadlineStatus } from './deadline-kinds.ts';
import type { FreezeReason, FundBalance, FundType } from './money.ts';
import type { Duration } from './policy.ts';
import type { ApplicationDocumentIds, ApplicationDocuments, ProjectInput } from './project-input.ts';
import type {
  AllocationRecord,
  LeaderChangeRecord,
  ObjectionRecord,
  ProjectLeader,
  ProjectRecords,
} from './records.ts';
import { personOf, initialStageOf, type Stage } from './vocabulary.ts';

export const STATE_SCHEMA = 1;

export interface DeadlineRecord {
  id: string;
  kind: DeadlineKind;
  ref: string | null;
  startsOn: string;
  rule: DeadlineRule;
  reminder: Duration | null;
  /** Set by `setDeadlineDates` once the calendar activity computed them; null until then. */
  dueAt: string | null;
  remindAt: string | null;
  reminded: boolean;
  status: DeadlineStatus;
  closedAt: string | null;
  /**
   * Art. 15 (measures): the instant the obligation was fulfilled while the deadline had no
   * dates yet (a contract entered with its text long after signing). The deadline is then judged as
   * soon as it is dated: met when this is not after `dueAt`, else missed (Project.deadlineEvents).
   */
  fulfilledAt?: string;
}

/**
 * Which reading of the measures a project runs under: `as-written` (the text of 晋市政办〔2019〕44号
 * as docs/MEASURES.md reads it now) or `legacy` (the earlier reading, kept so workflows recorded
 * before the patch `measures-as-written` replay exactly as they ran).
 */
export type MeasuresReading = 'as-written' | 'legacy';

export interface ProjectState extends ProjectRecords {
  schema: typeof STATE_SCHEMA;
  input: ProjectInput;
  /** Absent in states carried over from before the reading existed: `legacy`. */
  measures?: MeasuresReading;
  /**
   * Art. 28-29: set at application for projects started after the patch
   * `risk-and-emergency`: technical acceptance needs a joint risk assessment, the completion report
   * (entering operation) an emergency plan, incidents name to whom they were reported, and drills
   * are reminded per policy. Absent or false: the earlier behaviour (runs recorded before replay).
   */
  riskAndEmergency?: boolean;
  /**
   * The second reading of the measures as written: set at application for projects started after
   * the patch `measures-second-reading` — Art. 22 suspends only for no response or a rejected one;
   * Art. 15 lateness runs from signedOn to the filing; 公示 begins with the BDB's plan and contracts are
   * recorded from establishment on (Art. 11, 15); the Art. 28-29 orders are policy switches; the
   * approval states the 批复概算 (Art. 8) and an evaluation 落盘 (Art. 19). Absent: the earlier
   * behaviour (runs recorded before replay as they ran).
   */
  secondReading?: true;
  stage: Stage;
  /** Increases with every change; the read model keeps only the newest version. */
  version: number;
  /** The `now` of the latest event (command or deadline); "overdue" is judged against it. */
  lastNow: string;
  plannedCompletionDate: string;
  documents: ApplicationDocuments;
  /** Art. 8: the uploaded documents behind `documents` (absent: free references only). */
  documentIds?: ApplicationDocumentIds;
  approvalNo: string | null;
  /** Art. 9: the Asia/Shanghai date of the establishment approval (absent in states from before it was kept). */
  approvedOn?: string | null;
  /** Art. 8, 10 (measures): the approved estimate (批复概算) of the establishment approval; the construction cap. */
  approvedEstimateFen?: number | null;
  /** Set once `start()` returned the application's effects. */
  started: boolean;
  /** The Asia/Shanghai year `yearEnded()` last reported (continue-as-new at year boundaries). */
  runYear: number;
  /** Counters for deterministic ids and idempotency keys. */
  seq: {
    /** Audit/notification event numbers handed out by `nextEventNumber()`. */
    event: number;
    movement: number;
    deadline: number;
    allocation: number;
    objection: number;
    changeRequest: number;
    rectification: number;
    incident: number;
    drill: number;
  };
  funds: { suspended: boolean; construction: FundBalance; om: FundBalance };
  /** How much of each fund type's frozen money each reason froze (sums to frozenFen). */
  frozenBy: Record<FundType, Record<FreezeReason, number>>;
  /** Art. 21: the completion report deadline passed without a report. */
  completionReportOverdue: boolean;
  /** The Asia/Shanghai date the project entered operation (Art. 23 evaluation years). */
  operatingSince: string | null;
  deadlines: DeadlineRecord[];
  allocations: AllocationRecord[];
  objections: ObjectionRecord[];
  /**
   * Art. 13-14, 17 (measures): `1` for projects started after the patch `measures-records` — new
   * contracts need their procurement method, new change requests the opinions of the related units.
   * Absent in projects started before (their recorded signals replay as they ran).
   */
  measuresRecords?: 1;
  /**
   * Art. 12 (measures): set at application for projects started after the patch
   * `finance-jurisdiction`: a county's finance disburses and gives opinions only on its own county's
   * projects, and each level disburses at most its own share of the published money — `disbursed`
   * is what each level disbursed so far. Absent: the earlier behaviour (runs recorded before replay).
   */
  financeJurisdiction?: { disbursed: Record<FundType, { city: number; county: number }> };
  /** Art. 14 (measures): the current 项目负责人 (null: the application named none) and its changes. */
  leader?: ProjectLeader | null;
  leaderChanges?: LeaderChangeRecord[];
}

export const emptyBalance = (): FundBalance => ({
  allocatedFen: 0,
  heldFen: 0,
  availableFen: 0,
  frozenFen: 0,
  disbursedFen: 0,
  cancelledFen: 0,
});

const noFreezes = (): Record<FreezeReason, number> => ({ suspension: 0, 'completion-report': 0 });

/** JSON deep copy: the state is plain data (structuredClone is not available in the sandbox). */
export const cloneState = <T>(value: T): T => JSON.parse(JSON.stringify(value)) as T;

/** Fills the records added since a state was carried over (continue-as-new from older code). */
export function normalizeState(state: ProjectState): ProjectState {
  state.acceptanceDelayReasons ??= [];
  state.accountabilityReferrals ??= [];
  state.leader ??= state.input.leader ?? null;
  state.leaderChanges ??= [];
  state.riskAssessments ??= [];
  state.emergencyPlans ??= [];
  return state;
}

/**
 * The readings a project's first run chose (workflows/patches.ts, `first-run` patches): each is kept
 * in the state for the project's life. Left out, a reading is the current one.
 */
export interface Readings {
  measures?: MeasuresReading;
  riskAndEmergency?: boolean;
  measuresRecords?: boolean;
  secondReading?: boolean;
  financeJurisdiction?: boolean;
}

export function initialState(
  input: ProjectInput,
  {
    measures = 'as-written',
    riskAndEmergency = true,
    measuresRecords = true,
    secondReading = true,
    financeJurisdiction = true,
  }: Readings = {},
): ProjectState {
  const copy = cloneState(input);
  // Art. 21: an existing system enters operation on registration (no construction history).
  const existing = copy.kind === 'existing';
  return {
    schema: STATE_SCHEMA,
    input: copy,
    measures,
    ...(riskAndEmergency ? { riskAndEmergency: true } : {}),
    ...(secondReading ? { secondReading: true as const } : {}),
    stage: initialStageOf(copy.kind),
    version: 1,
    lastNow: copy.createdAt,
    plannedCompletionDate: copy.plannedCompletionDate,
    documents: { ...copy.documents },
    ...(copy.documentIds ? { documentIds: { ...copy.documentIds } } : {}),
    approvalNo: null,
    approvedOn: null,
    started: false,
    runYear: shanghaiYear(copy.createdAt),
    seq: {
      event: 0,
      movement: 0,
      deadline: 0,
      allocation: 0,
      objection: 0,
      changeRequest: 0,
      rectification: 0,
      incident: 0,
      drill: 0,
    },
    funds: { suspended: false, construction: emptyBalance(), om: emptyBalance() },
    frozenBy: { construction: noFreezes(), om: noFreezes() },
    completionReportOverdue: false,
    operatingSince: existing ? shanghaiDate(copy.createdAt) : null,
    deadlines: [],
    technicalReviews: [],
    allocations: [],
    objections: [],
    contracts: [],
    progressReports: [],
    changeRequests: [],
    rectifications: [],
    catalogEntries: [],
    acceptance: { preliminary: null, technical: null, completion: null, returns: [] },
    completionReport: null,
    omReviews: [],
    evaluations: [],
    incidents: [],
    drills: [],
    violations: [],
    acceptanceDelayReasons: [],
    accountabilityReferrals: [],
    riskAssessments: [],
    emergencyPlans: [],
    decisions: [
      {
        action: existing ? 'existing-system' : 'application',
        role: copy.createdBy.role,
        by: copy.createdBy.name,
        at: copy.createdAt,
        ...personOf(copy.createdBy),
      },
    ],
    ...(measuresRecords ? { measuresRecords: 1 as const } : {}),
    ...(financeJurisdiction
      ? { financeJurisdiction: { disbursed: { construction: { city: 0, county: 0 }, om: { city: 0, county: 0 } } } }
      : {}),
    leader: copy.leader ? { ...copy.leader } : null,
    leaderChanges: [],
  };
}
