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
 * The annual plan is never taken from anyone (Art. 6): the demo's items are added to the version in
 * force — every item a person made stays as it is — and only when they are missing; a draft someone
 * is editing is left alone (the run stops and says why).
 */
import fs from 'node:fs';
import path from 'node:path';
import { label } from '../domain/labels/values.ts';

const apiUrl = (process.env.API_URL ?? `http://localhost:${process.env.PORT ?? 3000}`).replace(/\/$/, '');
const dataDir = process.env.DATA_DIR ?? '.data';

function adminKey(): string {
  if (process.env.ADMIN_API_KEY) return process.env.ADMIN_API_KEY;
  const file = path.join(dataDir, 'admin-api-key');
  if (fs.existsSync(file)) return fs.readFileSync(file, 'utf8').trim();
  throw new Error(`No admin key: set ADMIN_API_KEY or start the system once so ${file} exists.`);
}

type Json = Record<string, any>;

async function call(
  method: string,
  route: string,
  key: string | undefined,
  body?: unknown,
  idempotencyKey?: string,
): Promise<{ status: number; json: Json }> {
  const headers: Record<string, string> = {};
  if (key) headers.authorization = `Bearer ${key}`;
  if (body !== undefined) headers['content-type'] = 'application/json';
  if (idempotencyKey) headers['idempotency-key'] = idempotencyKey;
  const res = await fetch(`${apiUrl}${route}`, {
    method,
    headers,
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await res.text();
  return { status: res.status, json: text ? (JSON.parse(text) as Json) : {} };
}

async function must(
  method: string,
  route: string,
  key: string,
  body?: unknown,
  idempotencyKey?: string,
): Promise<Json> {
  const { status, json } = await call(method, route, key, body, idempotencyKey);
  if (status >= 300) throw new Error(`${method} ${route} answered ${status}: ${json.detail ?? JSON.stringify(json)}`);
  return json;
}

const DEPARTMENTS = [
  { code: 'health', name: '市卫生健康委员会', jurisdiction: 'city' },
  { code: 'transport', name: '市交通运输局', jurisdiction: 'city' },
  { code: 'education', name: '市教育局', jurisdiction: 'city' },
  { code: 'zezhou-civil', name: '泽州县民政局', jurisdiction: 'zezhou' },
] as const;

const ROLE_NAMES = { bdb: '市大数据应用局', approval: '市行政审批服务管理局', finance: '市财政局' } as const;

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
  for (const role of ROLES)
    keys[role] = (await must('POST', '/v1/admin/api-keys', admin, { role, name: `演示：${ROLE_NAMES[role]}` })).key;
  // Art. 5, 12, 30: each department key belongs to its jurisdiction; its projects are that jurisdiction's.
  for (const d of DEPARTMENTS) {
    keys[d.code] = (
      await must('POST', '/v1/admin/api-keys', admin, {
        role: 'department',
        name: `演示：${d.name}`,
        department: d.code,
        jurisdiction: d.jurisdiction,
      })
    ).key;
  }
  keys[COUNTY_FINANCE] = (
    await must('POST', '/v1/admin/api-keys', admin, {
      role: 'finance',
      name: '演示：泽州县财政局',
      jurisdiction: 'zezhou',
    })
  ).key;
  fs.mkdirSync(dataDir, { recursive: true });
  fs.writeFileSync(file, `${JSON.stringify(keys, null, 2)}\n`, { mode: 0o600 });
  return keys;
}

/** The demo departments in the registry by their Chinese names (an unnamed code of theirs gets its name; a named one is left alone). */
async function demoDepartments(admin: string) {
  const registry = await must('GET', '/v1/departments', admin);
  for (const d of DEPARTMENTS) {
    const known = (registry.items as Json[]).find((r) => r.code === d.code);
    if (!known)
      await must('POST', '/v1/admin/departments', admin, { code: d.code, name: d.name, jurisdiction: d.jurisdiction });
    else if (known.name === d.code) await must('PATCH', `/v1/admin/departments/${d.code}`, admin, { name: d.name });
  }
}

/**
 * Art. 6: the demo items in the approved version in force of the year, never at a person's expense:
 * when some are missing, a new version = the version in force (every item as it is) + the missing
 * demo items, approved. A draft someone else is editing is never replaced or approved.
 */
async function demoPlanItems(
  year: number,
  items: Array<{ code: string; title: string; department: string; ceilingFen: number }>,
  bdb: string,
) {
  const versions = (await must('GET', `/v1/annual-plans/${year}/versions`, bdb)).items as Json[];
  const inForce = versions.find((v) => v.status === 'in-force');
  const draft = versions.find((v) => v.status === 'draft');
  const current = inForce
    ? ((await must('GET', `/v1/annual-plans/${year}/versions/${inForce.version}`, bdb)).items as Json[])
    : [];
  const missing = items.filter((i) => !current.some((c) => c.code === i.code));
  if (missing.length === 0) return;
  const demoKeyId = /^bdp_([0-9a-f]{12})_/.exec(bdb)?.[1];
  if (draft && draft.createdBy !== demoKeyId) {
    throw new Error(
      `${year}年度计划有一份尚未批准的草案（第 ${draft.version} 版，${draft.createdByName ?? '他人'}起草）。演示数据不改动他人编辑中的计划：` +
        '请先在“年度计划”中录入该草案的批准（或由起草人处理）后再运行 npm run seed:demo。',
    );
  }
  const kept = current.map((c) => ({
    code: c.code,
    title: c.title,
    department: c.department,
    ceilingFen: c.ceilingFen,
  }));
  await must('PUT', `/v1/annual-plans/${year}`, bdb, { items: [...kept, ...missing] });
  const today = new Date().toLocaleDateString('en-CA', { timeZone: 'Asia/Shanghai' });
  await must('POST', `/v1/annual-plans/${year}/approval`, bdb, {
    approvedOn: inForce ? today : `${year}-01-10`,
    documentNo: `晋市政函〔${year}〕演示${inForce ? Number(inForce.version) + 1 : 1}号`,
  });
  console.log(
    `${year}年度计划：新增 ${missing.length} 个演示项目，经批准为第 ${inForce ? Number(inForce.version) + 1 : 1} 版；原有的 ${kept.length} 个项目保持不变。`,
  );
}

const CHECKLIST = {
  resourceCatalog: true,
  dataSharing: true,
  intensiveConstruction: true,
  cloudDeployment: true,
  securityControllable: true,
};

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

const TITLES = ['智慧医疗数据平台', '城市交通一网通', '教育资源共享平台', '社会救助信息系统', '电子证照库'];

async function main() {
  const admin = adminKey();
  const health = await call('GET', '/readyz', undefined);
  if (health.status !== 200) throw new Error(`${apiUrl}/readyz answered ${health.status}: is \`npm start\` running?`);
  const keys = await demoKeys(admin);
  const year = Number(new Date().toLocaleDateString('en-CA', { timeZone: 'Asia/Shanghai' }).slice(0, 4));
  await demoDepartments(admin);
  // Art. 6: the BDB's annual plan, one item per project so every application is in the plan.
  const count = 20;
  const items = Array.from({ length: count }, (_, i) => {
    const d = DEPARTMENTS[i % DEPARTMENTS.length]!;
    return {
      code: `${year}-DEMO-${String(i + 1).padStart(2, '0')}`,
      title: TITLES[i % TITLES.length]!,
      department: d.code,
      ceilingFen: 3_000_000_00,
    };
  });
  await demoPlanItems(year, items, keys.bdb);

  const summary: Array<{ id: string; department: string; stage: string; note: string }> = [];
  for (let i = 0; i < count; i++) {
    const d = DEPARTMENTS[i % DEPARTMENTS.length]!;
    const plan = PLANS[i % PLANS.length]!;
    const dept = keys[d.code];
    // v2: the Chinese demo (its requests differ from the first demo's under the same Idempotency-Key).
    const tag = `demo-v2-${year}-${i + 1}`;
    const total = (i + 2) * 25_000_00;
    const county = d.jurisdiction === 'city' ? 0 : Math.floor(total / 2);
    const created = await must(
      'POST',
      '/v1/projects',
      dept,
      {
        title: `${TITLES[i % TITLES.length]}（演示 ${i + 1}）`,
        summary: '演示项目（由 npm run seed:demo 创建）。',
        kind: (['new', 'expansion', 'upgrade', 'om'] as const)[i % 4],
        year,
        annualPlanItem: items[i]!.code,
        estimate: { totalFen: total, cityShareFen: total - county, countyShareFen: county },
        plannedCompletionDate: `${year + 1}-06-30`,
        documents: {
          proposal: `sha256:${tag}-p`,
          feasibilityStudy: `sha256:${tag}-f`,
          preliminaryDesign: `sha256:${tag}-d`,
          investmentEstimate: `sha256:${tag}-e`,
        },
        classified: false,
        // Art. 14 (measures): the 项目负责人
        leader: {
          name: ['张伟', '王芳', '李娜', '刘洋', '陈静'][i % 5]!,
          post: '信息科科长',
          contact: `0356-20200${String(i + 1).padStart(2, '0')}`,
        },
      },
      `${tag}-create`,
    );
    const id = created.id as string;
    const cmd = (route: string, key: string, body: unknown, step: string) =>
      must('POST', `/v1/projects/${id}${route}`, key, body, `${tag}-${step}`);
    let view: Json = created;
    let note = '';
    const toBudgeting = async () => {
      await cmd(
        '/technical-review',
        keys.bdb,
        { decision: 'pass', opinion: '审查项齐全，符合集约建设和数据共享要求（第七条）。', checklist: CHECKLIST },
        'review',
      );
      return cmd(
        '/establishment',
        keys.approval,
        {
          decision: 'approve',
          approvalNo: `晋审批〔${year}〕${i + 1}号`,
          opinion: '同意立项（第八条）。',
          approvedEstimateFen: total,
        },
        'establish',
      );
    };
    const toPublicity = async () => {
      await toBudgeting();
      // Art. 10-11: finance determines the budget (money held), then the BDB publishes the allocation plan.
      await cmd(
        '/budget',
        keys.finance,
        { fundType: 'construction', year, amountFen: total, cityShareFen: total - county, countyShareFen: county },
        'budget',
      );
      // Art. 12: the county's finance puts the county share in its own budget before anything is held.
      if (county > 0)
        await cmd(
          '/county-share-confirmations',
          keys[COUNTY_FINANCE],
          { allocationId: 'alloc-1', budgetRef: `泽财预〔${year}〕${i + 1}号` },
          'county-share',
        );
      await must(
        'POST',
        '/v1/allocation-plans',
        keys.bdb,
        {
          year,
          title: `${year}年资金拟分配计划（演示 ${i + 1}）`,
          allocations: [{ projectId: id, allocationId: 'alloc-1' }],
        },
        `${tag}-plan`,
      );
      return must('GET', `/v1/projects/${id}`, keys.bdb);
    };
    switch (plan) {
      case 'technical_review':
        note = '等待市大数据应用局技术审核';
        break;
      case 'revise':
        view = await cmd(
          '/technical-review',
          keys.bdb,
          {
            decision: 'revise',
            opinion: '缺少迁云上云方案，请补充后重新报送。',
            checklist: { ...CHECKLIST, cloudDeployment: false },
          },
          'revise',
        );
        note = '退回项目单位修改';
        break;
      case 'establishment_review':
        view = await cmd(
          '/technical-review',
          keys.bdb,
          { decision: 'pass', opinion: '审查项齐全。', checklist: CHECKLIST },
          'review',
        );
        note = '等待审批立项';
        break;
      case 'budgeting':
        view = await toBudgeting();
        note = '等待财政部门安排资金';
        break;
      case 'publicity':
        view = await toPublicity();
        note = '建设资金公示中（5 个工作日）';
        break;
      case 'publicity-objection':
        await toPublicity();
        view = await cmd(
          '/publicity-objections',
          keys.bdb,
          { summary: '有市民反映该项目可能与已有系统重复建设。' },
          'objection',
        );
        note = '公示期间有待处理的异议';
        break;
      case 'rejected':
        await cmd(
          '/technical-review',
          keys.bdb,
          { decision: 'pass', opinion: '审查项齐全。', checklist: CHECKLIST },
          'review',
        );
        view = await cmd(
          '/establishment',
          keys.approval,
          {
            decision: 'reject',
            approvalNo: `晋审批〔${year}〕驳${i + 1}号`,
            opinion: '无法与市级平台互联互通，不予立项（第九条）。',
          },
          'reject',
        );
        note = '立项被驳回';
        break;
      case 'withdrawn':
        await toBudgeting();
        view = await cmd('/withdrawal', dept, { reason: '已并入省级项目建设。' }, 'withdraw');
        note = '项目单位已撤回';
        break;
      case 'rectification-open':
        await toPublicity();
        view = await cmd(
          '/rectification-orders',
          keys.bdb,
          { reason: 'sharing-noncompliance', description: '请将计划采集的数据资源登记到政务信息资源目录。' },
          'order',
        );
        note = '整改通知待项目单位答复（第二十二条）';
        break;
      case 'suspended': {
        await toPublicity();
        const ordered = await cmd(
          '/rectification-orders',
          keys.approval,
          { reason: 'unapproved-construction', description: '立项批复前已开工建设。' },
          'order',
        );
        const rid = (ordered.rectifications as Json[]).at(-1)!.id as string;
        await cmd(
          `/rectification-orders/${rid}/response`,
          dept,
          { description: '已停工并补办手续。', evidenceRef: `sha256:${tag}-evidence` },
          'respond',
        );
        view = await cmd(
          `/rectification-orders/${rid}/review`,
          keys.approval,
          { decision: 'reject', opinion: '佐证材料不足，整改不合格。' },
          'review-reject',
        );
        note = '整改不合格，资金暂停拨付；待市大数据应用局延期或终止';
        break;
      }
    }
    summary.push({
      id,
      department: d.name,
      stage: `${label('stage', view.stage)}${view.funds?.suspended ? '（资金暂停拨付）' : ''}`,
      note,
    });
  }

  // Art. 23: the BDB's evaluation of the city cloud platform for last year (one per year:
  // a year evaluated already answers 409, which is fine for a re-run).
  const cloud = await call(
    'POST',
    '/v1/cloud-platform/evaluations',
    keys.bdb,
    {
      year: year - 1,
      score: 86,
      result: '良好',
      opinion: '运行稳定，资源利用率有提升空间。',
      documentRef: `sha256:demo-${year - 1}-cloud-platform`,
    },
    `demo-${year}-cloud-platform`,
  );
  if (cloud.status >= 300 && cloud.status !== 409)
    throw new Error(
      `POST /v1/cloud-platform/evaluations answered ${cloud.status}: ${cloud.json.detail ?? JSON.stringify(cloud.json)}`,
    );

  console.log(`已在 ${apiUrl} 准备 ${summary.length} 个演示项目：`);
  for (const s of summary) console.log(`  ${s.id}  ${s.department}  ${s.stage}  ${s.note}`);
  console.log(`\n演示用 API 密钥（也保存在 ${path.join(dataDir, 'demo-keys.json')}，请勿外传）：`);
  for (const [name, key] of Object.entries(keys)) console.log(`  ${name.padEnd(13)} ${key}`);
  console.log('\n公示期（5 个工作日）结束后，公示中的项目自动进入合同签订阶段。');
}

main().catch((err) => {
  console.error(`seed:demo: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
