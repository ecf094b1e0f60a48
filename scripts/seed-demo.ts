/**
 * `npm run seed:demo`: a living city for newcomers, created through the HTTP API only (like a
 * bureau's system would): demo keys for every role, this year's annual plan, and twenty projects
 * spread over every stage that needs no waiting — technical review, revise (back with the
 * department), establishment review, budgeting, publicity with held money (finance's budget, then
 * the BDB's allocation plan, Art. 11), rejected, withdrawn,
 * open rectification orders and one project whose funds are suspended (Art. 22), and last year's
 * evaluation of the city cloud platform (Art. 23).
 *
 * Stages after publicity (contracting, construction, acceptance, operation) need the 5-working-day
 * publicity period to pass on the real calendar; run the script again after a week and the publicity
 * projects will have moved on to contracting.
 *
 *   API_URL=http://localhost:3000 npm run seed:demo      (admin key: ADMIN_API_KEY or DATA_DIR/admin-api-key)
 *
 * Re-running is safe: the demo keys are kept in DATA_DIR/demo-keys.json and every request carries an
 * Idempotency-Key, so a second run replays the first one's answers instead of creating duplicates.
 */
import fs from 'node:fs';
import path from 'node:path';

const apiUrl = (process.env.API_URL ?? `http://localhost:${process.env.PORT ?? 3000}`).replace(/\/$/, '');
const dataDir = process.env.DATA_DIR ?? '.data';

function adminKey(): string {
  if (process.env.ADMIN_API_KEY) return process.env.ADMIN_API_KEY;
  const file = path.join(dataDir, 'admin-api-key');
  if (fs.existsSync(file)) return fs.readFileSync(file, 'utf8').trim();
  throw new Error(`No admin key: set ADMIN_API_KEY or start the system once so ${file} exists.`);
}

type Json = Record<string, any>;

async function call(method: string, route: string, key: string | undefined, body?: unknown, idempotencyKey?: string): Promise<{ status: number; json: Json }> {
  const headers: Record<string, string> = {};
  if (key) headers.authorization = `Bearer ${key}`;
  if (body !== undefined) headers['content-type'] = 'application/json';
  if (idempotencyKey) headers['idempotency-key'] = idempotencyKey;
  const res = await fetch(`${apiUrl}${route}`, { method, headers, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
  const text = await res.text();
  return { status: res.status, json: text ? (JSON.parse(text) as Json) : {} };
}

async function must(method: string, route: string, key: string, body?: unknown, idempotencyKey?: string): Promise<Json> {
  const { status, json } = await call(method, route, key, body, idempotencyKey);
  if (status >= 300) throw new Error(`${method} ${route} answered ${status}: ${json.detail ?? JSON.stringify(json)}`);
  return json;
}

const DEPARTMENTS = [
  { code: 'health', name: '市卫生健康委员会 Health Commission', jurisdiction: 'city' },
  { code: 'transport', name: '市交通运输局 Transport Bureau', jurisdiction: 'city' },
  { code: 'education', name: '市教育局 Education Bureau', jurisdiction: 'city' },
  { code: 'zezhou-civil', name: '泽州县民政局 Zezhou Civil Affairs', jurisdiction: 'zezhou' },
] as const;

const ROLES = ['bdb', 'approval', 'finance'] as const;
/** Art. 12: the county finance bureau that confirms the county shares of the Zezhou projects. */
const COUNTY_FINANCE = 'zezhou-finance';
type KeyName = (typeof ROLES)[number] | (typeof DEPARTMENTS)[number]['code'] | typeof COUNTY_FINANCE;

async function demoKeys(admin: string): Promise<Record<KeyName, string>> {
  const file = path.join(dataDir, 'demo-keys.json');
  if (fs.existsSync(file)) {
    const saved = JSON.parse(fs.readFileSync(file, 'utf8')) as Record<KeyName, string>;
    const probe = await call('GET', '/v1/inbox', saved.bdb);
    if (probe.status === 200 && saved[COUNTY_FINANCE]) return saved;
  }
  const keys = {} as Record<KeyName, string>;
  for (const role of ROLES) keys[role] = (await must('POST', '/v1/admin/api-keys', admin, { role, name: `demo ${role}` })).key;
  // Art. 5, 12, 30: each department key belongs to its jurisdiction; its projects are that jurisdiction's.
  for (const d of DEPARTMENTS) {
    keys[d.code] = (await must('POST', '/v1/admin/api-keys', admin, { role: 'department', name: d.name, department: d.code, jurisdiction: d.jurisdiction })).key;
  }
  keys[COUNTY_FINANCE] = (await must('POST', '/v1/admin/api-keys', admin, { role: 'finance', name: '泽州县财政局 Zezhou Finance', jurisdiction: 'zezhou' })).key;
  fs.mkdirSync(dataDir, { recursive: true });
  fs.writeFileSync(file, `${JSON.stringify(keys, null, 2)}\n`, { mode: 0o600 });
  return keys;
}

const CHECKLIST = { resourceCatalog: true, dataSharing: true, intensiveConstruction: true, cloudDeployment: true, securityControllable: true };

/** Where each demo project is driven to, in order; repeated to make twenty. */
const PLANS = [
  'technical_review',
  'revise',
  'establishment_review',
  'budgeting',
  'publicity',
  'publicity-objection',
  'rejected',
  'withdrawn',
  'rectification-open',
  'suspended',
] as const;

const TITLES = [
  '智慧医疗数据平台 Smart health data platform',
  '城市交通一网通 Unified traffic data hub',
  '教育资源共享平台 Education resource sharing',
  '社会救助信息系统 Social assistance information system',
  '电子证照库 Electronic licence repository',
];

async function main() {
  const admin = adminKey();
  const health = await call('GET', '/readyz', undefined);
  if (health.status !== 200) throw new Error(`${apiUrl}/readyz answered ${health.status}: is \`npm start\` running?`);
  const keys = await demoKeys(admin);
  const year = Number(new Date().toLocaleDateString('en-CA', { timeZone: 'Asia/Shanghai' }).slice(0, 4));
  // Art. 6: the BDB's annual plan, one item per project so every application is in the plan.
  const count = 20;
  const items = Array.from({ length: count }, (_, i) => {
    const d = DEPARTMENTS[i % DEPARTMENTS.length]!;
    return { code: `${year}-DEMO-${String(i + 1).padStart(2, '0')}`, title: TITLES[i % TITLES.length]!, department: d.code, ceilingFen: 3_000_000_00 };
  });
  await must('PUT', `/v1/annual-plans/${year}`, keys.bdb, { items });
  // Art. 6: the city government approves the draft; applications reference the version in force.
  await must('POST', `/v1/annual-plans/${year}/approval`, keys.bdb, { approvedOn: `${year}-01-10`, documentNo: `晋市政函〔${year}〕1号` });

  const summary: Array<{ id: string; department: string; stage: string; note: string }> = [];
  for (let i = 0; i < count; i++) {
    const d = DEPARTMENTS[i % DEPARTMENTS.length]!;
    const plan = PLANS[i % PLANS.length]!;
    const dept = keys[d.code];
    const tag = `demo-${year}-${i + 1}`;
    const total = (i + 2) * 25_000_00;
    const county = d.jurisdiction === 'city' ? 0 : Math.floor(total / 2);
    const created = await must(
      'POST',
      '/v1/projects',
      dept,
      {
        title: `${TITLES[i % TITLES.length]} #${i + 1}`,
        summary: 'Demo project created by npm run seed:demo.',
        kind: (['new', 'expansion', 'upgrade', 'om'] as const)[i % 4],
        year,
        annualPlanItem: items[i]!.code,
        estimate: { totalFen: total, cityShareFen: total - county, countyShareFen: county },
        plannedCompletionDate: `${year + 1}-06-30`,
        documents: { proposal: `sha256:${tag}-p`, feasibilityStudy: `sha256:${tag}-f`, preliminaryDesign: `sha256:${tag}-d`, investmentEstimate: `sha256:${tag}-e` },
        classified: false,
        // Art. 14 (measures): the 项目负责人
        leader: { name: `负责人 ${i + 1}`, post: '信息科科长', contact: `0356-20200${String(i + 1).padStart(2, '0')}` },
      },
      `${tag}-create`,
    );
    const id = created.id as string;
    const cmd = (route: string, key: string, body: unknown, step: string) => must('POST', `/v1/projects/${id}${route}`, key, body, `${tag}-${step}`);
    let view: Json = created;
    let note = '';
    const toBudgeting = async () => {
      await cmd('/technical-review', keys.bdb, { decision: 'pass', opinion: 'Checklist complete (Art. 7).', checklist: CHECKLIST }, 'review');
      return cmd('/establishment', keys.approval, { decision: 'approve', approvalNo: `JSP-${year}-${String(i + 1).padStart(3, '0')}`, opinion: 'Approved (Art. 8).', approvedEstimateFen: total }, 'establish');
    };
    const toPublicity = async () => {
      await toBudgeting();
      // Art. 10-11: finance determines the budget (money held), then the BDB publishes the allocation plan.
      await cmd('/budget', keys.finance, { fundType: 'construction', year, amountFen: total, cityShareFen: total - county, countyShareFen: county }, 'budget');
      // Art. 12: the county's finance puts the county share in its own budget before anything is held.
      if (county > 0) await cmd('/county-share-confirmations', keys[COUNTY_FINANCE], { allocationId: 'alloc-1', budgetRef: `泽财预〔${year}〕${i + 1}号` }, 'county-share');
      await must('POST', '/v1/allocation-plans', keys.bdb, { year, title: `${year}年资金拟分配计划（演示 ${i + 1}）`, allocations: [{ projectId: id, allocationId: 'alloc-1' }] }, `${tag}-plan`);
      return must('GET', `/v1/projects/${id}`, keys.bdb);
    };
    switch (plan) {
      case 'technical_review':
        note = 'waits for the BDB technical review';
        break;
      case 'revise':
        view = await cmd('/technical-review', keys.bdb, { decision: 'revise', opinion: 'Cloud deployment plan missing.', checklist: { ...CHECKLIST, cloudDeployment: false } }, 'revise');
        note = 'sent back to the department (revise)';
        break;
      case 'establishment_review':
        view = await cmd('/technical-review', keys.bdb, { decision: 'pass', opinion: 'Checklist complete.', checklist: CHECKLIST }, 'review');
        note = 'waits for establishment approval';
        break;
      case 'budgeting':
        view = await toBudgeting();
        note = 'waits for the finance budget';
        break;
      case 'publicity':
        view = await toPublicity();
        note = 'construction money held during publicity (5 working days)';
        break;
      case 'publicity-objection':
        await toPublicity();
        view = await cmd('/publicity-objections', keys.bdb, { summary: 'A citizen asks whether this duplicates an existing system.' }, 'objection');
        note = 'an objection is open during publicity';
        break;
      case 'rejected':
        await cmd('/technical-review', keys.bdb, { decision: 'pass', opinion: 'ok', checklist: CHECKLIST }, 'review');
        view = await cmd('/establishment', keys.approval, { decision: 'reject', approvalNo: `JSP-${year}-R${i + 1}`, opinion: 'Cannot interconnect with the city platform (Art. 9).' }, 'reject');
        note = 'rejected at establishment';
        break;
      case 'withdrawn':
        await toBudgeting();
        view = await cmd('/withdrawal', dept, { reason: 'Merged into a provincial project.' }, 'withdraw');
        note = 'withdrawn by the department';
        break;
      case 'rectification-open':
        await toPublicity();
        view = await cmd('/rectification-orders', keys.bdb, { reason: 'sharing-noncompliance', description: 'Register the planned data resources in the catalogue.' }, 'order');
        note = 'an open rectification order awaits the department (Art. 22)';
        break;
      case 'suspended': {
        await toPublicity();
        const ordered = await cmd('/rectification-orders', keys.approval, { reason: 'unapproved-construction', description: 'Works started before approval.' }, 'order');
        const rid = (ordered.rectifications as Json[]).at(-1)!.id as string;
        await cmd(`/rectification-orders/${rid}/response`, dept, { description: 'Works stopped.', evidenceRef: `sha256:${tag}-evidence` }, 'respond');
        view = await cmd(`/rectification-orders/${rid}/review`, keys.approval, { decision: 'reject', opinion: 'Evidence insufficient.' }, 'review-reject');
        note = 'funds suspended after a rejected rectification; the BDB must extend or terminate';
        break;
      }
    }
    summary.push({ id, department: d.code, stage: `${view.stage}${view.funds?.suspended ? ' (suspended)' : ''}`, note });
  }

  // Art. 23 (issue 15): the BDB's evaluation of the city cloud platform for last year (one per year:
  // a year evaluated already answers 409, which is fine for a re-run).
  const cloud = await call(
    'POST',
    '/v1/cloud-platform/evaluations',
    keys.bdb,
    { year: year - 1, score: 86, result: '良好', opinion: '运行稳定，资源利用率有提升空间。', documentRef: `sha256:demo-${year - 1}-cloud-platform` },
    `demo-${year}-cloud-platform`,
  );
  if (cloud.status >= 300 && cloud.status !== 409) throw new Error(`POST /v1/cloud-platform/evaluations answered ${cloud.status}: ${cloud.json.detail ?? JSON.stringify(cloud.json)}`);

  console.log(`Seeded ${summary.length} demo projects at ${apiUrl}:`);
  for (const s of summary) console.log(`  ${s.id}  ${s.department.padEnd(13)} ${s.stage.padEnd(24)} ${s.note}`);
  console.log(`\nDemo keys (also in ${path.join(dataDir, 'demo-keys.json')}, keep them private):`);
  for (const [name, key] of Object.entries(keys)) console.log(`  ${name.padEnd(13)} ${key}`);
  console.log('\nAfter publicity (5 working days) the publicity projects move on to contracting by themselves.');
}

main().catch((err) => {
  console.error(`seed:demo: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
