/**
 * The lifecycle core: a project's state and the rules that change it, as plain data and functions
 * (no @temporalio/* imports, no I/O, no clock: "now" is always passed in), so it is unit-testable
 * without a server and the workflow stays a thin shell. Each rule cites its article of the
 * measures (晋市政办〔2019〕44号) in ./rules/ and ./context.ts.
 *
 * The state is one JSON object (`project.state`), carried across continue-as-new with
 * `Project.restore(state)`. Every change is prepared on a copy (`prepare`, `prepareStart`,
 * `prepareDue`) that carries the new state and its complete effects; the workflow commits it
 * (`commit`) only once the effects are durable, so a refused command — or one whose effects the
 * database could not store — never changes the state ("durable before visible").
 */
import {
  actorSchema,
  COMMAND_ACTIONS,
  COMMAND_NAMES,
  COMMAND_ROLES,
  COMMAND_SCHEMAS,
  REQUIRED_FOR_NEW_INPUT,
  REQUIRED_SINCE,
  type Command,
  type CommandName,
} from './commands.ts';
import { ChangeContext } from './context.ts';
import { isInstant, isBefore, laterInstant, shanghaiYear } from './calendar/dates.ts';
import { SYSTEM_ACTOR, type DeadlineEvent, type DeadlineStart, type Effect } from './effects.ts';
import { issuesOf } from './validation.ts';
import { Rejection } from './errors.ts';
import { HANDLERS, expire, remind } from './rules/index.ts';
import { cloneState, initialState, normalizeState, STATE_SCHEMA, type ProjectState, type Readings } from './state.ts';
import type { PendingAction } from './deadline-kinds.ts';
import type { ProjectInput } from './project-input.ts';
import type { ProjectReadModel, ProjectView } from './view-shapes.ts';
import { TERMINAL_STAGES, ROLES, type Actor } from './vocabulary.ts';
import { pendingActions, projectView, readModel } from './view.ts';

function assertInstant(now: string): void {
  if (!isInstant(now)) throw new Error(`now must be an ISO instant, got ${String(now)}`);
}

/** Who a rejected signal is recorded against when it names no valid actor. */
const UNKNOWN_ACTOR: Actor = { keyId: 'unknown', role: 'admin', name: 'unknown (signal without a valid actor)' };

/** A prepared change: the state it leads to and its effects, committed only once they are durable. */
export interface Change {
  readonly state: ProjectState;
  readonly effects: Effect[];
}

/** Records the instants the calendar activity computed for a deadline started by a change. */
export function scheduleDeadline(change: Change, id: string, dates: { dueAt: string; remindAt?: string | null }): void {
  if (!isInstant(dates.dueAt) || (dates.remindAt != null && !isInstant(dates.remindAt))) {
    throw new Rejection(400, 'validation_failed', 'dueAt and remindAt must be ISO instants.');
  }
  const d = change.state.deadlines.find((x) => x.id === id);
  if (!d) throw new Rejection(404, 'not_found', `No deadline ${id}.`);
  d.dueAt = dates.dueAt;
  d.remindAt = dates.remindAt ?? null;
}

/** The instants `scheduleDeadlines` recorded for one deadline a change started. */
export interface DatedDeadline {
  id: string;
  dueAt: string;
  remindAt: string | null;
}

/**
 * Dates every deadline the change starts, in the change's order, through `datesOf` (the calendar
 * activity in the workflow, the calendar inside the persisting transaction in `persistChange`), and
 * records them in the change. Awaits one deadline at a time (a workflow's commands keep their order).
 */
export async function scheduleDeadlines(
  change: Change,
  datesOf: (
    spec: Pick<DeadlineStart, 'startsOn' | 'rule' | 'reminder'>,
  ) => Promise<{ dueAt: string; remindAt: string | null }>,
): Promise<DatedDeadline[]> {
  const scheduled: DatedDeadline[] = [];
  for (const effect of change.effects) {
    if (effect.type !== 'startDeadline') continue;
    const d = effect.deadline;
    const { dueAt, remindAt } = await datesOf({ startsOn: d.startsOn, rule: d.rule, reminder: d.reminder });
    scheduleDeadline(change, d.id, { dueAt, remindAt });
    scheduled.push({ id: d.id, dueAt, remindAt });
  }
  return scheduled;
}

export class Project {
  private constructor(private current: ProjectState) {}

  /**
   * A new project: the BDB has the application (stage technical_review, Art. 7). The readings
   * (workflows/patches.ts): `riskAndEmergency`: the Art. 28-29 records apply; `measuresRecords`: the
   * Art. 13-14, 17 records are required; `secondReading`: the second reading of the measures;
   * `financeJurisdiction`: finance acts within its jurisdiction, Art. 12 (each false only for runs
   * recorded before them, replay).
   */
  static create(input: ProjectInput, readings: Readings = {}): Project {
    return new Project(initialState(input, readings));
  }

  /** A project from its state (continue-as-new). */
  static restore(state: ProjectState): Project {
    if (state?.schema !== STATE_SCHEMA) throw new Error(`unknown project state schema ${String(state?.schema)}`);
    return new Project(normalizeState(state));
  }

  /** The whole committed state, plain JSON (do not mutate; pass it to continue-as-new). */
  get state(): ProjectState {
    return this.current;
  }

  /** True once the application's own effects are committed (the project exists for everyone). */
  get started(): boolean {
    return this.current.started;
  }

  isTerminal(): boolean {
    return TERMINAL_STAGES.has(this.current.stage);
  }

  /** Makes a prepared change the committed state (after its effects are durable). */
  commit(change: Change): void {
    this.current = change.state;
  }

  // --- commands -------------------------------------------------------------------------------

  /** Throws the Rejection `prepare` would throw; never changes anything (Update validators). */
  check(command: Command, actor: Actor, now: string): void {
    this.prepare(command, actor, now);
  }

  /** Validates the command against its schema and the rules; the change it would make, uncommitted. */
  prepare(command: Command, actor: Actor, now: string): Change {
    assertInstant(now);
    const draft = cloneState(this.current);
    const effects = this.run(draft, command, actor, now);
    this.advance(draft, now);
    return { state: draft, effects };
  }

  /** Checks and commits at once (the core's own tests; the workflow commits after persisting). */
  apply(command: Command, actor: Actor, now: string): Effect[] {
    const change = this.prepare(command, actor, now);
    this.commit(change);
    return change.effects;
  }

  /** A signal the core refused, recorded as rejected on the audit trail (Art. 24-25); state unchanged otherwise. */
  prepareRejection(name: CommandName, actor: Actor, reason: string, now: string): Change {
    assertInstant(now);
    const draft = cloneState(this.current);
    // A signal's own actor may be the very thing that is wrong: then it is recorded as unknown.
    const known = actorSchema.safeParse(actor).success ? actor : UNKNOWN_ACTOR;
    const ctx = new ChangeContext(draft, known, now);
    ctx.audit(`${COMMAND_ACTIONS[name]}-rejected`, { signal: name, reason });
    return { state: draft, effects: ctx.effects };
  }

  private run(draft: ProjectState, command: Command, actor: Actor, now: string): Effect[] {
    const name = (command as { name?: unknown } | null)?.name;
    if (typeof name !== 'string' || !(COMMAND_NAMES as string[]).includes(name)) {
      throw new Rejection(400, 'validation_failed', `Unknown command ${String(name)}.`, {
        errors: [{ path: 'name', message: 'unknown command' }],
      });
    }
    const commandName = name as CommandName;
    // docs/MEASURES.md "Actors": each command has exactly the role(s) of COMMAND_ROLES (docs/API.md "Commands"); admin none.
    if (
      !actorSchema.safeParse(actor).success ||
      !(ROLES as readonly string[]).includes(actor.role) ||
      !(COMMAND_ROLES[commandName] as readonly string[]).includes(actor.role)
    ) {
      throw new Rejection(403, 'forbidden', `Role ${String(actor?.role)} may not ${COMMAND_ACTIONS[commandName]}.`);
    }
    // A department acts on its own department's projects only.
    if (actor.role === 'department' && actor.department !== draft.input.department) {
      throw new Rejection(403, 'forbidden', `Project ${draft.input.id} belongs to another department.`);
    }
    const ctx = new ChangeContext(draft, actor, now);
    if (TERMINAL_STAGES.has(draft.stage)) throw ctx.invalidTransition(`The project is ${draft.stage}.`);
    // One schema per command (domain/commands.ts): the same check for Updates, signals and the API.
    const parsed = COMMAND_SCHEMAS[commandName].safeParse(command.payload);
    if (!parsed.success) {
      const errors = issuesOf(parsed.error);
      throw new Rejection(
        400,
        'validation_failed',
        `Invalid payload: ${errors.map((e) => `${e.path} ${e.message}`).join('; ')}`,
        { errors },
      );
    }
    const payload = parsed.data;
    // Art. 13, 19 (measures): fields new input must carry, for projects started after the patch that
    // asked for them (older runs replay their recorded signals without them).
    const since = (REQUIRED_SINCE as Partial<Record<CommandName, 'measuresRecords' | 'secondReading'>>)[commandName];
    if (since !== undefined && draft[since]) {
      const missing = (
        (REQUIRED_FOR_NEW_INPUT as Partial<Record<CommandName, readonly string[]>>)[commandName] ?? []
      ).filter((f) => (payload as Record<string, unknown>)[f] === undefined);
      if (missing.length > 0) {
        const errors = missing.map((path) => ({ path, message: 'is required' }));
        throw new Rejection(
          400,
          'validation_failed',
          `Invalid payload: ${errors.map((e) => `${e.path} ${e.message}`).join('; ')}`,
          { errors },
        );
      }
    }
    // Art. 24-25: one audit entry per accepted command, first.
    ctx.audit(COMMAND_ACTIONS[commandName], { payload: cloneState(payload) });
    (HANDLERS[commandName] as (ctx: ChangeContext, payload: unknown) => void)(ctx, payload);
    return ctx.effects;
  }

  private advance(draft: ProjectState, now: string): void {
    draft.version = this.current.version + 1;
    draft.lastNow = laterInstant(draft.lastNow, now);
  }

  // --- deadlines ------------------------------------------------------------------------------

  /** Records a started deadline's instants and commits (the core's own tests). */
  setDeadlineDates(id: string, dates: { dueAt: string; remindAt?: string | null }): void {
    const change: Change = { state: cloneState(this.current), effects: [] };
    scheduleDeadline(change, id, dates);
    change.state.version = this.current.version + 1;
    this.commit(change);
  }

  /** Open deadlines with their next wake instant (reminder, else due), earliest first. */
  deadlineEvents(): DeadlineEvent[] {
    return deadlineEvents(this.current);
  }

  /** Deadlines still waiting for their dates (states carried over from before durable-before-visible). */
  unscheduledDeadlines(): DeadlineStart[] {
    return this.current.deadlines
      .filter((d) => d.dueAt === null && d.status !== 'cancelled')
      .map((d) => {
        const start: DeadlineStart = {
          id: d.id,
          kind: d.kind,
          startsOn: d.startsOn,
          rule: { ...d.rule },
          reminder: d.reminder ? { ...d.reminder } : null,
        };
        if (d.ref !== null) start.ref = d.ref;
        return start;
      });
  }

  /**
   * Every reminder and due event whose instant is not after `now`, earliest first, on one draft;
   * null when none is due. Idempotent: a closed deadline or a reminder already sent fires nothing.
   */
  prepareDue(now: string): Change | null {
    assertInstant(now);
    const nowMs = Date.parse(now);
    // The workflow asks after every change; most of the time nothing is due, and copying the
    // whole state to find that out was a measurable share of a command's CPU (BENCHMARKS.md).
    if (!deadlineEvents(this.current).some((e) => Date.parse(e.at) <= nowMs)) return null;
    const draft = cloneState(this.current);
    const effects: Effect[] = [];
    let fired = false;
    for (let guard = 0; guard < 10_000; guard++) {
      const next = deadlineEvents(draft).find((e) => Date.parse(e.at) <= nowMs);
      if (!next) break;
      fired = true;
      effects.push(...fireOn(draft, next.deadlineId, next.event, now));
    }
    if (!fired) return null;
    this.advance(draft, now);
    return { state: draft, effects };
  }

  /** One timer event, committed at once (the core's own tests). */
  fire(deadlineId: string, event: 'remind' | 'due', now: string): Effect[] {
    assertInstant(now);
    const draft = cloneState(this.current);
    const before = JSON.stringify(draft);
    const effects = fireOn(draft, deadlineId, event, now);
    if (effects.length === 0 && JSON.stringify(draft) === before) return [];
    this.advance(draft, now);
    this.commit({ state: draft, effects });
    return effects;
  }

  /** Fires everything due up to `now` and commits (the core's own tests). */
  fireDue(now: string): Effect[] {
    const change = this.prepareDue(now);
    if (!change) return [];
    this.commit(change);
    return change.effects;
  }

  /** The earliest instant a deadline needs the workflow awake (reminder or due), or null. */
  nextWakeAt(): string | null {
    return this.deadlineEvents()[0]?.at ?? null;
  }

  // --- the application ------------------------------------------------------------------------

  /**
   * The application's own effects, once per project (audit of the application, the BDB notified
   * that a technical review awaits it); null once the project has started.
   */
  prepareStart(now: string): Change | null {
    assertInstant(now);
    if (this.current.started) return null;
    const draft = cloneState(this.current);
    draft.started = true;
    const i = draft.input;
    const ctx = new ChangeContext(draft, i.createdBy, now);
    if (i.kind === 'existing') {
      // Art. 21: an existing system is registered in operation: the BDB reviews its O&M cost
      // yearly, finance budgets it, and the yearly evaluation (Art. 23) runs from now on.
      ctx.audit(
        'existing-system',
        {
          name: i.title,
          summary: i.summary,
          goLiveYear: i.goLiveYear ?? null,
          department: i.department,
          jurisdiction: i.jurisdiction,
          policy: { jurisdiction: i.policy.jurisdiction, version: i.policy.version },
        },
        i.createdBy,
        i.createdAt,
      );
      ctx.ensureAnnualEvaluationDeadline();
      ctx.notify('bdb', 'om-review', { projectId: i.id, title: i.title });
      return { state: draft, effects: ctx.effects };
    }
    ctx.audit(
      'application',
      {
        title: i.title,
        kind: i.kind,
        department: i.department,
        jurisdiction: i.jurisdiction,
        year: i.year,
        annualPlanItem: i.annualPlanItem,
        estimate: i.estimate,
        policy: { jurisdiction: i.policy.jurisdiction, version: i.policy.version },
        ...(i.leader ? { leader: i.leader } : {}), // Art. 14 (measures): 项目负责人
        // Art. 8: uploaded application documents are filed with their SM3 (`sm3:<hex>` in
        // documents), so the audit chain proves which bytes were filed. Only new applications carry ids.
        ...(i.documentIds ? { documents: i.documents, documentIds: i.documentIds } : {}),
      },
      i.createdBy,
      i.createdAt,
    );
    ctx.notify('bdb', 'technical-review', { projectId: i.id, title: i.title });
    return { state: draft, effects: ctx.effects };
  }

  /** prepareStart and commit (the core's own tests); [] once started. */
  start(now: string): Effect[] {
    const change = this.prepareStart(now);
    if (!change) return [];
    this.commit(change);
    return change.effects;
  }

  /**
   * True once when `now` lies in a later Asia/Shanghai year than the one last reported (the year
   * is remembered in the state, so a run continued-as-new with it does not report it again).
   */
  yearEnded(now: string): boolean {
    assertInstant(now);
    const year = shanghaiYear(now);
    if (year <= this.current.runYear) return false;
    this.current = { ...this.current, runYear: year };
    return true;
  }

  // --- read side ------------------------------------------------------------------------------

  /** Who must act next, with due dates; overdue against the last event's `now`. */
  pendingActions(): PendingAction[] {
    return pendingActions(this.current);
  }

  view(): ProjectView {
    return projectView(this.current);
  }

  readModel(): ProjectReadModel {
    return readModel(this.current);
  }
}

/** Open, scheduled deadlines of a state with their next wake instant, earliest first. */
function deadlineEvents(s: ProjectState): DeadlineEvent[] {
  const events: DeadlineEvent[] = [];
  for (const d of s.deadlines) {
    if (d.status !== 'open' || d.dueAt === null) continue;
    if (d.fulfilledAt !== undefined) {
      // Art. 15: fulfilled before it was dated: judged at once (met or missed), never reminded.
      const e: DeadlineEvent = {
        deadlineId: d.id,
        kind: d.kind,
        event: 'due',
        at: isBefore(d.fulfilledAt, d.dueAt) ? d.fulfilledAt : d.dueAt,
      };
      if (d.ref !== null) e.ref = d.ref;
      events.push(e);
      continue;
    }
    const remindFirst = d.remindAt !== null && !d.reminded && isBefore(d.remindAt, d.dueAt);
    const e: DeadlineEvent = {
      deadlineId: d.id,
      kind: d.kind,
      event: remindFirst ? 'remind' : 'due',
      at: remindFirst ? d.remindAt! : d.dueAt,
    };
    if (d.ref !== null) e.ref = d.ref;
    events.push(e);
  }
  return events.sort((a, b) => Date.parse(a.at) - Date.parse(b.at));
}

/** A timer event on a draft: the reminder or the consequence of the deadline (rules/deadlines.ts). */
function fireOn(draft: ProjectState, deadlineId: string, event: 'remind' | 'due', now: string): Effect[] {
  const d = draft.deadlines.find((x) => x.id === deadlineId);
  if (!d || d.status !== 'open' || d.dueAt === null) return [];
  if (event === 'remind' && (d.reminded || d.remindAt === null || isBefore(now, d.remindAt))) return [];
  if (event === 'due' && isBefore(now, d.fulfilledAt ?? d.dueAt) && isBefore(now, d.dueAt)) return [];
  const ctx = new ChangeContext(draft, SYSTEM_ACTOR, now);
  if (event === 'remind') remind(ctx, d);
  else expire(ctx, d);
  return ctx.effects;
}
