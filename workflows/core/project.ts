/**
 * The lifecycle core: a project's state and the rules that change it, as plain data and functions
 * (no @temporalio/* imports), so it is unit-testable without a server and the workflow stays a
 * thin shell. Each rule cites its article of the measures (晋市政办〔2019〕44号).
 */
import {
  TERMINAL_STAGES,
  type FundBalance,
  type PendingAction,
  type ProjectInput,
  type ProjectReadModel,
  type ProjectView,
  type Stage,
} from './types.ts';

const emptyBalance = (): FundBalance => ({
  allocatedFen: 0,
  heldFen: 0,
  availableFen: 0,
  frozenFen: 0,
  disbursedFen: 0,
  cancelledFen: 0,
});

export class Project {
  private stage: Stage = 'submitted';
  /** Counts accepted changes; the read model keeps only the newest version. */
  private version = 1;
  private readonly funds = { suspended: false, construction: emptyBalance(), om: emptyBalance() };

  constructor(readonly input: ProjectInput) {}

  get currentStage(): Stage {
    return this.stage;
  }

  isTerminal(): boolean {
    return TERMINAL_STAGES.has(this.stage);
  }

  /** Who must act next. Art. 7: a submitted application waits for the BDB's technical review. */
  pendingActions(): PendingAction[] {
    switch (this.stage) {
      case 'submitted':
        return [{ role: 'bdb', action: 'technical-review', overdue: false }];
      default:
        return [];
    }
  }

  view(): ProjectView {
    const i = this.input;
    return {
      id: i.id,
      title: i.title,
      summary: i.summary,
      department: i.department,
      jurisdiction: i.jurisdiction,
      kind: i.kind,
      year: i.year,
      annualPlanItem: i.annualPlanItem,
      estimate: i.estimate,
      stage: this.stage,
      createdAt: i.createdAt,
      policy: i.policy,
      plannedCompletionDate: i.plannedCompletionDate,
      pendingActions: this.pendingActions(),
      deadlines: [],
      funds: {
        suspended: this.funds.suspended,
        construction: { ...this.funds.construction },
        om: { ...this.funds.om },
      },
      contracts: [],
      changeRequests: [],
      rectifications: [],
      catalogEntries: [],
      evaluations: [],
      incidents: [],
      drills: [],
      violations: [],
      decisions: [
        { action: 'application', role: i.createdBy.role, by: i.createdBy.name, at: i.createdAt },
      ],
    };
  }

  readModel(): ProjectReadModel {
    const pending = this.pendingActions();
    return {
      view: this.view(),
      version: this.version,
      awaitingRoles: [...new Set(pending.map((p) => p.role))],
      nextDeadline: null,
      overdue: pending.some((p) => p.overdue),
    };
  }
}
