/**
 * The HTTP contract of docs/API.md as a whole: the OpenAPI document is valid OpenAPI 3.1 and lists
 * every endpoint; an authorisation matrix of every route × every role (and another department's key),
 * each once with an API key and once with a personal account's session (issue 16), lets exactly the
 * allowed callers past auth; an Idempotency-Key replays a command without a second
 * effect; and two conflicting decisions sent at once → exactly one wins.
 */
import { Validator } from '@seriousme/openapi-schema-validator';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { COMMAND_ROUTES } from '../../api/routes/commands.ts';
import { auditLog, fundMovements, projects } from '../../db/schema.ts';
import { COMMAND_ROLES } from '../../domain/commands.ts';
import { DEFAULT_CITY_POLICY } from '../../domain/policy-defaults.ts';
import {
  addPlanItems,
  ADMIN_KEY,
  createKey,
  eventually,
  sampleApplication,
  startSystem,
  type TestSystem,
} from '../support/system.ts';
import { NEW_PASSWORD, signedIn, type Session } from '../support/accounts.ts';

/** `admin`: the start-up key ADMIN_API_KEY (no account can hold its role); the three administrators of 三员分立 (domain/admin-roles.ts). */
type Caller =
  | 'none'
  | 'bdb'
  | 'approval'
  | 'finance'
  | 'department'
  | 'otherDepartment'
  | 'sysadmin'
  | 'secadmin'
  | 'auditadmin'
  | 'admin';
const KEYED: Caller[] = [
  'bdb',
  'approval',
  'finance',
  'department',
  'otherDepartment',
  'sysadmin',
  'secadmin',
  'auditadmin',
  'admin',
];
/** The callers with a personal account: every role but the start-up key's. */
const SESSIONS: Caller[] = KEYED.filter((c) => c !== 'admin');
const ANY_ON_PROJECT: Caller[] = [
  'bdb',
  'approval',
  'finance',
  'department',
  'sysadmin',
  'secadmin',
  'auditadmin',
  'admin',
];
/** 三员分立 (policy): the auditor changes nothing — every write but the person's own /v1/auth/* is refused. */
const WRITERS: Caller[] = KEYED.filter((c) => c !== 'auditadmin');
/** 三员分立 (policy): configuration is the system administrator's; accounts and keys the security administrator's, read by the auditor too; the administrators' trail the auditor's. */
const CONFIGURATION: Caller[] = ['sysadmin', 'admin'];
const ACCOUNTS: Caller[] = ['secadmin', 'admin'];
const ACCOUNT_READS: Caller[] = ['secadmin', 'auditadmin', 'admin'];
const TRAIL: Caller[] = ['auditadmin', 'admin'];

/**
 * docs/API.md "Endpoints": every route with the callers that may use it — with their API key, and
 * (`sessionAllowed`, when it differs) signed in with a personal account of the same role.
 */
const ENDPOINTS: Array<{ method: string; path: string; allowed: Caller[]; sessionAllowed?: Caller[] }> = [
  { method: 'GET', path: '/healthz', allowed: ['none', ...KEYED] },
  { method: 'GET', path: '/readyz', allowed: ['none', ...KEYED] },
  { method: 'GET', path: '/openapi.json', allowed: ['none', ...KEYED] },
  { method: 'GET', path: '/metrics', allowed: ['none', ...KEYED] },
  { method: 'POST', path: '/v1/projects', allowed: ['department', 'otherDepartment'] },
  { method: 'GET', path: '/v1/projects', allowed: KEYED },
  { method: 'GET', path: '/v1/projects/{id}', allowed: ANY_ON_PROJECT },
  { method: 'GET', path: '/v1/projects/{id}/history', allowed: ANY_ON_PROJECT },
  { method: 'GET', path: '/v1/projects/{id}/ledger', allowed: ['finance', 'bdb', 'department'] },
  ...COMMAND_ROUTES.map((r) => ({
    method: 'POST',
    path: `/v1/projects/{id}${r.path}`,
    allowed: [...COMMAND_ROLES[r.command]] as Caller[],
  })),
  { method: 'GET', path: '/v1/public/allocations', allowed: ['none', ...KEYED] },
  { method: 'POST', path: '/v1/allocation-plans', allowed: ['bdb'] },
  { method: 'GET', path: '/v1/allocation-plans', allowed: KEYED },
  { method: 'GET', path: '/v1/allocation-plans/{id}', allowed: KEYED },
  { method: 'GET', path: '/v1/public/allocation-plans', allowed: ['none', ...KEYED] },
  { method: 'GET', path: '/v1/public/allocation-plans/{id}', allowed: ['none', ...KEYED] },
  { method: 'POST', path: '/v1/existing-systems', allowed: ['department', 'otherDepartment'] },
  { method: 'GET', path: '/v1/inbox', allowed: KEYED },
  // Issue 26: the inbox's notices, read per person; 统计分析 (money only for ledger readers, inside the answer).
  { method: 'GET', path: '/v1/notifications', allowed: KEYED },
  { method: 'POST', path: '/v1/notifications/{id}/read', allowed: WRITERS },
  { method: 'POST', path: '/v1/notifications/read-all', allowed: WRITERS },
  { method: 'GET', path: '/v1/statistics', allowed: KEYED },
  { method: 'GET', path: '/v1/statistics/export.xlsx', allowed: KEYED },
  { method: 'GET', path: '/v1/funds', allowed: ['finance', 'bdb'] },
  { method: 'PUT', path: '/v1/annual-plans/{year}', allowed: ['bdb'] },
  { method: 'GET', path: '/v1/annual-plans/{year}', allowed: KEYED },
  { method: 'GET', path: '/v1/calendar/{year}', allowed: KEYED },
  { method: 'PUT', path: '/v1/calendar/{year}', allowed: CONFIGURATION },
  { method: 'GET', path: '/v1/policies', allowed: KEYED },
  { method: 'PUT', path: '/v1/policies/{jurisdiction}', allowed: CONFIGURATION },
  { method: 'POST', path: '/v1/admin/api-keys', allowed: ACCOUNTS },
  { method: 'GET', path: '/v1/admin/api-keys', allowed: ACCOUNT_READS },
  { method: 'DELETE', path: '/v1/admin/api-keys/{id}', allowed: ACCOUNTS },
  // Art. 6 (measures): plan versions, approval, trail, filings.
  { method: 'POST', path: '/v1/annual-plans/{year}/approval', allowed: ['bdb'] },
  { method: 'GET', path: '/v1/annual-plans/{year}/versions', allowed: KEYED },
  { method: 'GET', path: '/v1/annual-plans/{year}/versions/{version}', allowed: KEYED },
  { method: 'GET', path: '/v1/annual-plans/{year}/history', allowed: KEYED },
  { method: 'POST', path: '/v1/plan-filings', allowed: ['department', 'otherDepartment'] },
  { method: 'GET', path: '/v1/plan-filings', allowed: ['bdb', 'department', 'otherDepartment'] },
  // Art. 5, 12, 30 (measures): the jurisdictions registry.
  { method: 'GET', path: '/v1/admin/jurisdictions', allowed: CONFIGURATION },
  { method: 'POST', path: '/v1/admin/jurisdictions', allowed: CONFIGURATION },
  { method: 'PATCH', path: '/v1/admin/jurisdictions/{code}', allowed: CONFIGURATION },
  { method: 'DELETE', path: '/v1/admin/jurisdictions/{code}', allowed: CONFIGURATION },
  { method: 'GET', path: '/v1/jurisdictions', allowed: KEYED },
  // Art. 4; Art. 5, 12, 30: the departments registry (names for every role, changes for the admin).
  { method: 'GET', path: '/v1/departments', allowed: KEYED },
  { method: 'POST', path: '/v1/admin/departments', allowed: CONFIGURATION },
  { method: 'PATCH', path: '/v1/admin/departments/{code}', allowed: CONFIGURATION },
  // Art. 23 (issue 15): the city cloud platform's evaluations.
  { method: 'POST', path: '/v1/cloud-platform/evaluations', allowed: ['bdb'] },
  { method: 'GET', path: '/v1/cloud-platform/evaluations', allowed: KEYED },
  { method: 'GET', path: '/v1/cloud-platform/history', allowed: KEYED },
  { method: 'POST', path: '/v1/admin/accounts', allowed: ACCOUNTS },
  { method: 'GET', path: '/v1/admin/accounts', allowed: ACCOUNT_READS },
  { method: 'DELETE', path: '/v1/admin/accounts/{id}', allowed: ACCOUNTS },
  { method: 'GET', path: '/v1/admin/accounts/{id}/events', allowed: ACCOUNT_READS },
  // Issue 28: the administrators' trail.
  { method: 'GET', path: '/v1/admin/trail', allowed: TRAIL },
  { method: 'GET', path: '/v1/admin/trail/verification', allowed: TRAIL },
  // Issue 16: the session's own endpoints refuse API keys (403 session_required); every session may (the auditor too).
  { method: 'GET', path: '/v1/auth/me', allowed: [], sessionAllowed: SESSIONS },
  { method: 'POST', path: '/v1/auth/password', allowed: [], sessionAllowed: SESSIONS },
  { method: 'POST', path: '/v1/auth/totp', allowed: [], sessionAllowed: SESSIONS },
  // Last: it ends the sessions the rows above used.
  { method: 'POST', path: '/v1/auth/logout', allowed: [], sessionAllowed: SESSIONS },
];

/** Sign-in itself is open to everyone (its refusals are wrong credentials, tested in test/api/accounts.test.ts). */
const OPEN_AUTH_ENDPOINTS = [{ method: 'POST', path: '/v1/auth/login' }];

/** A valid body for every command, so another department's key reaches the workflow's own check. */
const COMMAND_BODIES: Record<string, unknown> = {
  technicalReview: {
    decision: 'revise',
    opinion: 'more detail',
    checklist: {
      resourceCatalog: true,
      dataSharing: true,
      intensiveConstruction: true,
      cloudDeployment: true,
      securityControllable: false,
    },
  },
  resubmission: {
    documents: { proposal: 'a', feasibilityStudy: 'b', preliminaryDesign: 'c', investmentEstimate: 'd' },
    note: 'n',
  },
  establishment: { decision: 'approve', approvalNo: 'A-1', opinion: 'ok', approvedEstimateFen: 1_200_000_00 },
  budget: { fundType: 'construction', year: 2026, amountFen: 100, cityShareFen: 100, countyShareFen: 0 },
  publicityObjection: { summary: 's' },
  publicityObjectionResolution: { upheld: false, note: 'n' },
  contract: {
    contractNo: 'HT-9',
    contractor: 'c',
    amountFen: 1,
    signedOn: '2026-01-05',
    procurement: { method: 'open-tender' },
  },
  contractFiling: { documentRef: 'sha256:x' },
  progressReport: { period: '2026Q1', spentFen: 0, progressPercent: 1, summary: 's' },
  disbursement: { fundType: 'construction', amountFen: 1, note: 'n' },
  changeRequest: { kind: 'scope', description: 'd' },
  changeRequestDecision: { decision: 'reject', opinion: 'o' },
  rectificationOrder: { reason: 'other', description: 'd' },
  rectificationResponse: { description: 'd', evidenceRef: 'e' },
  rectificationReview: { decision: 'accept', opinion: 'o' },
  rectificationExtension: { dueOn: '2099-01-01', reason: 'r' },
  termination: { reason: 'r' },
  withdrawal: { reason: 'r' },
  catalogEntries: { entries: [{ code: 'C', name: 'n', sharingType: 'conditional', updateCycle: 'daily' }] },
  preliminaryAcceptance: { reportRef: 'r', completedOn: '2026-01-05' },
  technicalAcceptance: {
    decision: 'fail',
    opinion: 'o',
    securityControllable: true,
    mlpsLevel: 3,
    cryptoAssessmentPassed: true,
  },
  completionAcceptance: { decision: 'fail', opinion: 'o' },
  completionReport: { reportRef: 'r' },
  omReview: { year: 2026, approvedFen: 1, opinion: 'o' },
  evaluation: {
    year: 2026,
    fundUseScore: 1,
    outputScore: 1,
    effectScore: 1,
    satisfactionScore: 1,
    sharingCompliant: true,
    dataStoredOnPlatform: true,
    summary: 's',
  },
  securityIncident: { occurredAt: '2026-01-05T00:00:00Z', severity: 'low', description: 'd', handling: 'h' },
  securityDrill: { heldOn: '2026-01-05', scenario: 's', summary: 's' },
  decommission: { reason: 'r' },
  acceptanceDelayReason: { reason: 'r' },
  acceptanceDelayReasonDecision: { decision: 'accept', opinion: 'o' },
  accountabilityReferral: { reference: 'REF-1', description: 'd' },
  leaderChange: { name: '李娜', post: '副局长', contact: '0356-2020002' },
  changeRequestOpinion: { opinion: 'o', agrees: true },
  countyShareConfirmation: { allocationId: 'alloc-1', budgetRef: 'b' },
  riskAssessment: { assessedOn: '2026-01-05', result: 'acceptable', documentRef: 'sha256:r', bdbParticipant: 'BDB' },
  emergencyPlan: { adoptedOn: '2026-01-05', documentRef: 'sha256:p', contractor: 'c' },
};

const OTHER_BODIES: Record<string, unknown> = {
  'POST /v1/projects': sampleApplication(),
  // The ceiling of addPlanItems: later applications for this item stay within it (Art. 6, 8, 10).
  'PUT /v1/annual-plans/{year}': {
    items: [{ code: '2026-HEALTH-01', title: 'Health', department: 'health', ceilingFen: 5_000_000_00 }],
  },
  'POST /v1/allocation-plans': {
    year: 2026,
    title: 'matrix',
    allocations: [{ projectId: 'JC2026-NOSUCH01', allocationId: 'alloc-1' }],
  },
  'POST /v1/existing-systems': { name: 'Old registry', summary: 'in use since 2015', goLiveYear: 2015 },
  'PUT /v1/calendar/{year}': { days: [{ date: '2026-12-28', workday: true, name: 'test' }] },
  'PUT /v1/policies/{jurisdiction}': { deadlines: DEFAULT_CITY_POLICY.deadlines },
  'POST /v1/admin/api-keys': { role: 'bdb', name: 'matrix' },
  'POST /v1/annual-plans/{year}/approval': { approvedOn: '2026-01-10', documentNo: '晋市政函〔2026〕1号' },
  'POST /v1/plan-filings': { title: 'Health informatisation plan', documentRef: 'sha256:plan', filedOn: '2026-01-12' },
  'POST /v1/admin/jurisdictions': { code: 'matrix-county', name: 'Matrix' },
  'PATCH /v1/admin/jurisdictions/{code}': { name: 'Matrix' },
  'POST /v1/admin/departments': { code: 'matrix-dep', name: '矩阵部门' },
  'PATCH /v1/admin/departments/{code}': { name: '矩阵部门' },
  'POST /v1/cloud-platform/evaluations': {
    year: 2026,
    score: 88,
    result: '良好',
    opinion: 'stable',
    documentRef: 'sha256:cloud',
  },
  // A login name per call: the session row follows the key row.
  'POST /v1/admin/accounts': () => ({
    loginName: `matrix.${Math.random().toString(36).slice(2, 10)}`,
    displayName: '矩阵',
    role: 'bdb',
  }),
  // The current password, and a new one that is it again: 422 `weak_password` (reused), past auth, nothing changed.
  'POST /v1/auth/password': { currentPassword: NEW_PASSWORD, newPassword: NEW_PASSWORD },
  'POST /v1/auth/totp': { code: '000000' }, // confirming: no enrolment started (409) for a session, 403 for a key
  'POST /v1/auth/logout': {},
};

let system: TestSystem;
let keys: Record<Exclude<Caller, 'none'>, string>;
let sessions: Record<Exclude<Caller, 'none' | 'admin'>, Session>;
beforeAll(async () => {
  system = await startSystem('pglite', inject('temporalAddress'));
  await addPlanItems(system, [{ department: 'health' }]);
  keys = {
    bdb: await createKey(system, 'bdb'),
    approval: await createKey(system, 'approval'),
    finance: await createKey(system, 'finance'),
    department: await createKey(system, 'department', 'health'),
    otherDepartment: await createKey(system, 'department', 'transport'),
    sysadmin: await createKey(system, 'sysadmin'),
    secadmin: await createKey(system, 'secadmin'),
    auditadmin: await createKey(system, 'auditadmin'),
    admin: ADMIN_KEY,
  };
  sessions = {
    bdb: await signedIn(system, { role: 'bdb' }),
    approval: await signedIn(system, { role: 'approval' }),
    finance: await signedIn(system, { role: 'finance' }),
    department: await signedIn(system, { role: 'department', department: 'health' }),
    otherDepartment: await signedIn(system, { role: 'department', department: 'transport' }),
    sysadmin: await signedIn(system, { role: 'sysadmin' }),
    secadmin: await signedIn(system, { role: 'secadmin' }),
    auditadmin: await signedIn(system, { role: 'auditadmin' }),
  };
});
afterAll(async () => {
  await system?.stop();
});

async function newProject(): Promise<string> {
  const res = await system.request('POST', '/v1/projects', { key: keys.department, body: sampleApplication() });
  expect(res.status).toBe(201);
  const { id } = (await res.json()) as { id: string };
  // The read model (history, ledger, lists) is written by an activity right after the start.
  await eventually(async () =>
    (await system.database.db.select().from(projects).where(eq(projects.id, id))).length ? true : undefined,
  );
  return id;
}

describe('OpenAPI document', () => {
  it('is a valid OpenAPI 3.1 document that lists every endpoint of docs/API.md', async () => {
    const res = await system.request('GET', '/openapi.json');
    expect(res.status).toBe(200);
    const doc = (await res.json()) as { openapi: string; paths: Record<string, Record<string, unknown>> };
    expect(doc.openapi).toMatch(/^3\.1\./);
    const validator = new Validator();
    const result = await validator.validate(doc);
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
    const documented = new Set(
      Object.entries(doc.paths).flatMap(([path, ops]) => Object.keys(ops).map((m) => `${m.toUpperCase()} ${path}`)),
    );
    // /docs is the Swagger UI page itself (HTML), not an API operation.
    for (const e of [...ENDPOINTS, ...OPEN_AUTH_ENDPOINTS].filter(
      (x) => x.path !== '/openapi.json' && x.path !== '/metrics',
    ))
      expect(documented, `${e.method} ${e.path}`).toContain(`${e.method} ${e.path}`);
    expect((await system.request('GET', '/docs')).status).toBe(200);
  });
});

describe('authorisation matrix (docs/MEASURES.md "Actors")', () => {
  it('every route × every role, by API key and by personal session: exactly the allowed callers get past auth, the others 401/403', async () => {
    const failures: string[] = [];
    let checked = 0;
    for (const endpoint of ENDPOINTS) {
      // A fresh project per route, so one command's effect never changes another route's answer.
      const id =
        endpoint.path.includes('{id}') && endpoint.path.startsWith('/v1/projects') ? await newProject() : 'unused';
      const command = COMMAND_ROUTES.find((r) => endpoint.path === `/v1/projects/{id}${r.path}`)?.command;
      const bodyOf = command ? COMMAND_BODIES[command] : OTHER_BODIES[`${endpoint.method} ${endpoint.path}`];
      const path = endpoint.path
        .replace(
          '{id}',
          endpoint.path.startsWith('/v1/admin')
            ? 'nosuchkey000'
            : endpoint.path.includes('/allocation-plans/')
              ? 'AP2026-0000000000'
              : id,
        )
        .replace('{year}', '2026')
        .replace('{code}', 'nosuchcounty')
        .replace('{version}', '1')
        .replace('{jurisdiction}', 'gaoping')
        .replace('{oid}', 'obj-1')
        .replace('{contractNo}', 'HT-9')
        .replace('{cid}', 'cr-1')
        .replace('{rid}', 'rect-1');
      // Refused callers first: an allowed command may end the project (e.g. withdrawal).
      const callers = [
        ...(['none', ...KEYED] as Caller[]).map((caller) => ({
          caller,
          via: 'key' as const,
          allowed: endpoint.allowed.includes(caller),
        })),
        ...SESSIONS.map((caller) => ({
          caller,
          via: 'session' as const,
          allowed: (endpoint.sessionAllowed ?? endpoint.allowed).includes(caller),
        })),
      ].sort((a, b) => Number(a.allowed) - Number(b.allowed));
      for (const { caller, via, allowed } of callers) {
        const body = typeof bodyOf === 'function' ? (bodyOf as () => unknown)() : bodyOf;
        const options = body === undefined ? {} : { body };
        const res =
          caller === 'none'
            ? await system.request(endpoint.method, path, options)
            : via === 'key'
              ? await system.request(endpoint.method, path, { key: keys[caller], ...options })
              : await sessions[caller as keyof typeof sessions].request(endpoint.method, path, options);
        checked++;
        const refused = res.status === 401 || res.status === 403;
        if (allowed === refused || res.status >= 500)
          failures.push(
            `${endpoint.method} ${endpoint.path} as ${caller} (${via}): ${res.status} ${allowed ? '(allowed)' : '(should be refused)'}`,
          );
        if (refused) {
          expect(res.headers.get('content-type')).toContain('application/problem+json');
          expect(res.status).toBe(caller === 'none' ? 401 : 403);
        }
      }
    }
    expect(failures).toEqual([]);
    expect(checked).toBe(ENDPOINTS.length * (1 + KEYED.length + SESSIONS.length));
  }, 600_000); // ~100 endpoints × 18 callers: ~30 s on a quiet machine, far more beside other test files
});

describe('commands over HTTP on the real dev server', () => {
  it('Idempotency-Key: the same budget twice → one ledger movement and one audit entry, the same response; another body → 422', async () => {
    const id = await newProject();
    const checklist = {
      resourceCatalog: true,
      dataSharing: true,
      intensiveConstruction: true,
      cloudDeployment: true,
      securityControllable: true,
    };
    expect(
      (
        await system.request('POST', `/v1/projects/${id}/technical-review`, {
          key: keys.bdb,
          body: { decision: 'pass', opinion: 'ok', checklist },
        })
      ).status,
    ).toBe(200);
    expect(
      (
        await system.request('POST', `/v1/projects/${id}/establishment`, {
          key: keys.approval,
          body: { decision: 'approve', approvalNo: 'A-7', opinion: 'ok', approvedEstimateFen: 1_200_000_00 },
        })
      ).status,
    ).toBe(200);
    const budget = {
      fundType: 'construction',
      year: 2026,
      amountFen: 5_000_000,
      cityShareFen: 5_000_000,
      countyShareFen: 0,
    };
    const headers = { 'idempotency-key': `budget-${id}` };
    const first = await system.request('POST', `/v1/projects/${id}/budget`, {
      key: keys.finance,
      body: budget,
      headers,
    });
    const second = await system.request('POST', `/v1/projects/${id}/budget`, {
      key: keys.finance,
      body: budget,
      headers,
    });
    expect(first.status).toBe(200);
    expect(second.status).toBe(200);
    expect(second.headers.get('idempotent-replayed')).toBe('true');
    expect(await second.json()).toEqual(await first.json());
    const movements = await system.database.db.select().from(fundMovements).where(eq(fundMovements.projectId, id));
    expect(movements.map((m) => m.kind)).toEqual(['allocate']);
    const budgets = (await system.database.db.select().from(auditLog).where(eq(auditLog.projectId, id))).filter(
      (a) => a.action === 'budget',
    );
    expect(budgets).toHaveLength(1);
    const conflict = await system.request('POST', `/v1/projects/${id}/budget`, {
      key: keys.finance,
      body: { ...budget, amountFen: 1, cityShareFen: 1 },
      headers,
    });
    expect(conflict.status).toBe(422);
    expect(((await conflict.json()) as { code: string }).code).toBe('idempotency_conflict');
    // The held money is in the view, awaiting the BDB's allocation plan (Art. 11): no notice period yet.
    const view = (await (await system.request('GET', `/v1/projects/${id}`, { key: keys.finance })).json()) as {
      stage: string;
      funds: { construction: { heldFen: number } };
      deadlines: Array<{ kind: string; status: string }>;
      allocations: Array<{ status: string }>;
    };
    expect(view.stage).toBe('budgeting'); // Art. 11: 公示 begins with the BDB's plan
    expect(view.funds.construction.heldFen).toBe(5_000_000);
    expect(view.allocations.map((a) => a.status)).toEqual(['held']);
    expect(view.deadlines.find((d) => d.kind === 'publicity')).toBeUndefined();
  });

  it('Art. 7: two conflicting technical reviews sent at once → exactly one 200, the other 409 invalid_transition with stage and pendingActions', async () => {
    const checklist = {
      resourceCatalog: true,
      dataSharing: true,
      intensiveConstruction: true,
      cloudDeployment: true,
      securityControllable: true,
    };
    for (let round = 0; round < 3; round++) {
      const id = await newProject();
      const [a, b] = await Promise.all([
        system.request('POST', `/v1/projects/${id}/technical-review`, {
          key: keys.bdb,
          body: { decision: 'pass', opinion: 'ok', checklist },
        }),
        system.request('POST', `/v1/projects/${id}/technical-review`, {
          key: keys.bdb,
          body: { decision: 'reject', opinion: 'duplicate system', checklist },
        }),
      ]);
      expect([a.status, b.status].sort()).toEqual([200, 409]);
      const loser = (a.status === 409 ? await a.json() : await b.json()) as {
        code: string;
        stage: string;
        pendingActions: unknown[];
      };
      expect(loser.code).toBe('invalid_transition');
      expect(['establishment_review', 'rejected']).toContain(loser.stage);
      expect(Array.isArray(loser.pendingActions)).toBe(true);
      const reviews = (await system.database.db.select().from(auditLog).where(eq(auditLog.projectId, id))).filter(
        (r) => r.action === 'technical-review',
      );
      expect(reviews).toHaveLength(1);
    }
  });
});
