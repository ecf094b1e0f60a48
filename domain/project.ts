/**
 * The lifecycle core: a project's state and the rules that change it, as plain data and functions
 * (no @temporalio/* imports, no I/O, no clock: "now" is always passed in), so it is unit-testable
 * without a server and the workflow stays a thin shell. Each rule cites its article of the
 * measures (晋市政办〔2019〕44号) in ./rules.ts and ./context.ts.
 *
 * The state is one JSON object (`project.state`), carried across continue-as-new with
 * `Project.restore(state)`. Commands run on a copy that is committed only when nothing was
 * refused, so a refused command never changes the state.
 */
import { COMMAND_ACTIONS, COMMAND_NAMES, COMMAND_ROLES, type Command, type CommandName } from './commands.ts';
import { Ctx } from './context.ts';
import { isInstant, isBefore, laterInstant, shanghaiDate } from './dates.ts';
import { SYSTEM_ACTOR, type DeadlineEvent, type DeadlineStart, type Effect } from './effects.ts';
import { Rejection } from './errors.ts';
import { HANDLERS, expire, remind } from './rules.ts';
import { cloneState, initialState, STATE_SCHEMA, type ProjectState } from './state.ts';
import { TERMINAL_STAGES, ROLES, type Actor, type PendingAction, type ProjectInput, type ProjectReadModel, type ProjectView, type Stage } from './types.ts';
import { pendingActions, projectView, readModel } from './view.ts';

export { COMMAND_ACTIONS, COMMAND_NAMES, COMMAND_ROLES, type Command, type CommandName, type CommandOf, type CommandPayloads } from './commands.ts';
export { SYSTEM_ACTOR, type DeadlineEvent, type DeadlineStart, type Effect, type FundMovement } from './effects.ts';
export { Rejection, isRejection } from './errors.ts';
export type { DeadlineRecord, ProjectState } from './state.ts';

function assertInstant(now: string): void {
  if (!isInstant(now)) throw new Error(`now must be an ISO instant, got ${String(now)}`);
}

export class Project {
  private constructor(private s: ProjectState) {}

  /** A new project: the BDB has the application (stage technical_review, Art. 7). */
  static create(input: ProjectInput): Project {
    return new Project(initialState(input));
  }

  /** A project from its state (continue-as-new). */
  static restore(state: ProjectState): Project {
    if (state?.schema !== STATE_SCHEMA) throw new Error(`unknown project state schema ${String(state?.schema)}`);
    return new Project(state);
  }

  /** The whole state, plain JSON (do not mutate; pass it to continue-as-new). */
  get state(): ProjectState {
    return this.s;
  }

  get id(): string {
    return this.s.input.id;
  }

  get currentStage(): Stage {
    return this.s.stage;
  }

  get version(): number {
    return this.s.version;
  }

  isTerminal(): boolean {
    return TERMINAL_STAGES.has(this.s.stage);
  }

  // --- commands -------------------------------------------------------------------------------

  /** Throws the Rejection `apply` would throw; never changes anything (Update validators). */
  check(command: Command, actor: Actor, now: string): void {
    this.run(cloneState(this.s), command, actor, now);
  }

  /** Checks, then applies the command; returns the effects for the workflow to carry out. */
  apply(command: Command, actor: Actor, now: string): Effect[] {
    const draft = cloneState(this.s);
    const effects = this.run(draft, command, actor, now);
    this.commit(draft, now);
    return effects;
  }

  private run(draft: ProjectState, command: Command, actor: Actor, now: string): Effect[] {
    assertInstant(now);
    const name = (command as { name?: unknown } | null)?.name;
    if (typeof name !== 'string' || !(COMMAND_NAMES as string[]).includes(name)) {
      throw new Rejection(400, 'validation_failed', `Unknown command ${String(name)}.`, { errors: [{ path: 'name', message: 'unknown command' }] });
    }
    const commandName = name as CommandName;
    // shared/DOMAIN.md "Actors": each command has exactly the role(s) of shared/API.md; admin none.
    if (!actor || !(ROLES as readonly string[]).includes(actor.role) || !(COMMAND_ROLES[commandName] as readonly string[]).includes(actor.role)) {
      throw new Rejection(403, 'forbidden', `Role ${String(actor?.role)} may not ${COMMAND_ACTIONS[commandName]}.`);
    }
    // A department acts on its own department's projects only.
    if (actor.role === 'department' && actor.department !== draft.input.department) {
      throw new Rejection(403, 'forbidden', `Project ${draft.input.id} belongs to another department.`);
    }
    const ctx = new Ctx(draft, actor, now);
    if (TERMINAL_STAGES.has(draft.stage)) throw ctx.invalidTransition(`The project is ${draft.stage}.`);
    (HANDLERS[commandName] as (ctx: Ctx, payload: unknown) => void)(ctx, command.payload);
    // Art. 24-25: one audit entry per accepted command, first.
    return [
      { type: 'audit', action: COMMAND_ACTIONS[commandName], actor, at: now, detail: { payload: cloneState(command.payload) } },
      ...ctx.effects,
    ];
  }

  private commit(draft: ProjectState, now: string): void {
    draft.version = this.s.version + 1;
    draft.lastNow = laterInstant(draft.lastNow, now);
    this.s = draft;
  }

  // --- deadlines ------------------------------------------------------------------------------

  /** Records the instants the calendar activity computed for a started deadline. */
  setDeadlineDates(id: string, dates: { dueAt: string; remindAt?: string | null }): void {
    if (!isInstant(dates.dueAt) || (dates.remindAt != null && !isInstant(dates.remindAt))) {
      throw new Rejection(400, 'validation_failed', 'dueAt and remindAt must be ISO instants.');
    }
    const draft = cloneState(this.s);
    const d = draft.deadlines.find((x) => x.id === id);
    if (!d) throw new Rejection(404, 'not_found', `No deadline ${id}.`);
    d.dueAt = dates.dueAt;
    d.remindAt = dates.remindAt ?? null;
    draft.version = this.s.version + 1;
    this.s = draft;
  }

  /** Open deadlines with their next wake instant (reminder, else due), earliest first. */
  deadlineEvents(): DeadlineEvent[] {
    const events: DeadlineEvent[] = [];
    for (const d of this.s.deadlines) {
      if (d.status !== 'open' || d.dueAt === null) continue;
      const remindFirst = d.remindAt !== null && !d.reminded && isBefore(d.remindAt, d.dueAt);
      const e: DeadlineEvent = { deadlineId: d.id, kind: d.kind, event: remindFirst ? 'remind' : 'due', at: remindFirst ? d.remindAt! : d.dueAt };
      if (d.ref !== null) e.ref = d.ref;
      events.push(e);
    }
    return events.sort((a, b) => Date.parse(a.at) - Date.parse(b.at));
  }

  /** Deadlines still waiting for their dates (e.g. after a restart before the activity answered). */
  unscheduledDeadlines(): DeadlineStart[] {
    return this.s.deadlines
      .filter((d) => d.dueAt === null && d.status !== 'cancelled')
      .map((d) => {
        const start: DeadlineStart = { id: d.id, kind: d.kind, startsOn: d.startsOn, rule: { ...d.rule }, reminder: d.reminder ? { ...d.reminder } : null };
        if (d.ref !== null) start.ref = d.ref;
        return start;
      });
  }

  /**
   * A deadline timer fired. Idempotent: an unknown, closed or unscheduled deadline, an early
   * fire, or a reminder already sent changes nothing and returns no effects.
   */
  fire(deadlineId: string, event: 'remind' | 'due', now: string): Effect[] {
    assertInstant(now);
    const current = this.s.deadlines.find((x) => x.id === deadlineId);
    if (!current || current.status !== 'open' || current.dueAt === null) return [];
    if (event === 'remind' && (current.reminded || current.remindAt === null || isBefore(now, current.remindAt))) return [];
    if (event === 'due' && isBefore(now, current.dueAt)) return [];
    const draft = cloneState(this.s);
    const d = draft.deadlines.find((x) => x.id === deadlineId)!;
    const ctx = new Ctx(draft, SYSTEM_ACTOR, now);
    if (event === 'remind') remind(ctx, d);
    else expire(ctx, d);
    this.commit(draft, now);
    return ctx.effects;
  }

  /**
   * Fires every reminder and due event whose instant is not after `now`, earliest first, until
   * none is left (convenience for the workflow's timer loop).
   */
  fireDue(now: string): Effect[] {
    const effects: Effect[] = [];
    const nowMs = Date.parse(now);
    for (let guard = 0; guard < 10_000; guard++) {
      const next = this.deadlineEvents().find((e) => Date.parse(e.at) <= nowMs);
      if (!next) break;
      effects.push(...this.fire(next.deadlineId, next.event, now));
    }
    return effects;
  }

  /** The earliest instant a deadline needs the workflow awake (reminder or due), or null. */
  nextWakeAt(): string | null {
    return this.deadlineEvents()[0]?.at ?? null;
  }

  // --- workflow conveniences ------------------------------------------------------------------

  /**
   * The application's own effects, once per project (audit of the application, the BDB notified
   * that a technical review awaits it); later calls return [].
   */
  start(now: string): Effect[] {
    assertInstant(now);
    if (this.s.started) return [];
    this.s.started = true;
    const i = this.s.input;
    return [
      {
        type: 'audit',
        action: 'application',
        actor: i.createdBy,
        at: i.createdAt,
        detail: { title: i.title, kind: i.kind, department: i.department, jurisdiction: i.jurisdiction, year: i.year, annualPlanItem: i.annualPlanItem, estimate: i.estimate, policy: { jurisdiction: i.policy.jurisdiction, version: i.policy.version } },
      },
      { type: 'notify', recipient: { role: 'bdb' }, kind: 'technical-review', detail: `New application ${i.id}: ${i.title} (Art. 7 technical review).` },
    ];
  }

  /** A fresh number for audit/notification event ids, kept in the state across continue-as-new. */
  nextEventNumber(): number {
    this.s.seq.event += 1;
    return this.s.seq.event;
  }

  /**
   * True once when `now` lies in a later Asia/Shanghai year than the one last reported (the year
   * is remembered in the state, so a run continued-as-new with it does not report it again).
   */
  yearEnded(now: string): boolean {
    assertInstant(now);
    const year = Number(shanghaiDate(now).slice(0, 4));
    if (year <= this.s.runYear) return false;
    this.s.runYear = year;
    return true;
  }

  // --- read side ------------------------------------------------------------------------------

  /** Who must act next, with due dates; overdue against the last event's `now`. */
  pendingActions(): PendingAction[] {
    return pendingActions(this.s);
  }

  view(): ProjectView {
    return projectView(this.s);
  }

  readModel(): ProjectReadModel {
    return readModel(this.s);
  }
}
