/**
 * The register of every `patched()` id the project workflow uses: what each changed, which committed
 * histories replay the behaviour before it (test/histories/<prefix>-*.json, test/workflow/replay.test.ts),
 * and when it can be retired. test/workflow/replay.test.ts checks the register against the code and
 * the histories.
 *
 * Two kinds, retired differently:
 * - `run`: read by every run, including each run after continue-as-new (the persistence path, the
 *   wake-up timer). A project continues as new at least every Shanghai new year (project.ts), so once
 *   a new year has passed since the release that added the patch and no run started before that
 *   release is open (Temporal visibility: `ExecutionStatus="Running" AND StartTime < "<release>"`
 *   counts 0) and older histories are past the namespace's retention, replace `patched(id)` with
 *   `deprecatePatch(id)` for one release, then delete the old branch and its `before-*` histories.
 * - `first-run`: read only when a project's first run creates it (Project.create); the reading it
 *   chose is kept in the project's state (the `stateFlag`) and carried through continue-as-new. The
 *   `patched()` call can be retired like a `run` patch, but the behaviour behind the flag stays as
 *   long as one project in the read model carries the flag at its old value (a query on
 *   `project_read_models.state`); only then can the domain's legacy branch go.
 */
export interface PatchEntry {
  readonly id: string;
  readonly kind: 'run' | 'first-run';
  /** What runs started after the patch do differently. */
  readonly changed: string;
  /** The field of the project state that keeps a first run's choice. */
  readonly stateFlag?: string;
  /** test/histories/<prefix>-*.json: histories recorded before the patch. */
  readonly historiesBefore: string;
}

/** Each batch of effects in one local activity's transaction (audit, ledger, notifications, read model); before, 3-4 activities. */
export const PERSIST_IN_ONE_TRANSACTION = 'persist-effects-in-one-local-transaction';
/** One local activity per change, the read model with every change; before, a local activity per deadline first. */
export const ONE_LOCAL_ACTIVITY = 'one-local-activity-per-change';
/** One durable timer for the next wake-up (./wake.ts); before, a timer per loop pass. */
export const ONE_WAKE_TIMER = 'one-wake-timer';
/** An Update runs its own job when nothing else is queued or running; before, every job went through the loop. */
export const UPDATES_RUN_THEMSELVES = 'updates-run-themselves';
/** The measures as written (`as-written`); before, the earlier reading (`legacy`). */
export const MEASURES_AS_WRITTEN = 'measures-as-written';
/** Art. 13-14, 17 (measures): the records the measures ask for of new input. */
export const MEASURES_RECORDS = 'measures-records';
/** Art. 28-29: the risk assessment, emergency plan, drills and incidents' records. */
export const RISK_AND_EMERGENCY = 'risk-and-emergency';
/** Art. 8, 11, 15, 19, 22, 28-29: the second reading of the measures. */
export const MEASURES_SECOND_READING = 'measures-second-reading';
/** Art. 12: a county's finance acts within its own county, each level from its own share. */
export const FINANCE_JURISDICTION = 'finance-jurisdiction';

export const PATCHES: readonly PatchEntry[] = [
  {
    id: PERSIST_IN_ONE_TRANSACTION,
    kind: 'run',
    changed:
      'each batch of effects is written in one database transaction by one local activity; before, by 3-4 activities on the task queue',
    historiesBefore: 'before-one-transaction',
  },
  {
    id: ONE_LOCAL_ACTIVITY,
    kind: 'run',
    changed:
      'one local activity per change computes the deadlines and writes everything, the read model with every change, search attributes only when they change; before, a local activity per deadline first and the read model skipped while another change waited',
    historiesBefore: 'before-one-local-activity',
  },
  {
    id: ONE_WAKE_TIMER,
    kind: 'run',
    changed:
      'one durable timer for the next wake-up, kept while the instant is unchanged; before, a new timer every loop pass',
    historiesBefore: 'before-one-wake-timer',
  },
  {
    id: UPDATES_RUN_THEMSELVES,
    kind: 'run',
    changed:
      "an Update whose project is idle runs its job in its own handler and the loop wakes only when a change needs it (a deadline due, the end, the year's turn); before, each Update queued its job, woke the loop and waited to be answered",
    historiesBefore: 'before-updates-run-themselves',
  },
  {
    id: MEASURES_AS_WRITTEN,
    kind: 'first-run',
    changed: 'the measures as written (Art. 10-12 money, Art. 22 rectification ladder, deadlines in working days)',
    stateFlag: 'measures',
    historiesBefore: 'before-measures-as-written',
  },
  {
    id: RISK_AND_EMERGENCY,
    kind: 'first-run',
    changed: 'Art. 28-29: risk assessment, emergency plan, drill reminders, incidents with their recipients',
    stateFlag: 'riskAndEmergency',
    historiesBefore: 'before-risk-and-emergency',
  },
  {
    id: MEASURES_RECORDS,
    kind: 'first-run',
    changed:
      "Art. 13-14, 17: a contract's procurement method and the related units' opinions on a change request are required of new input",
    stateFlag: 'measuresRecords',
    historiesBefore: 'before-measures-records',
  },
  {
    id: MEASURES_SECOND_READING,
    kind: 'first-run',
    changed:
      'Art. 22 suspends only for no or a rejected response, Art. 15 lateness from signedOn, Art. 11 publicity with the BDB plan, Art. 28-29 orders behind policy switches, Art. 8 approved estimate and Art. 19 落盘 required',
    stateFlag: 'secondReading',
    historiesBefore: 'before-measures-second-reading',
  },
  {
    id: FINANCE_JURISDICTION,
    kind: 'first-run',
    changed:
      "Art. 12: a county's finance disburses and gives opinions on its own county's projects only, each level from its own share",
    stateFlag: 'financeJurisdiction',
    historiesBefore: 'before-finance-jurisdiction',
  },
];
