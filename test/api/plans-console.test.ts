/**
 * Art. 6 as the console does it, with personal accounts' sessions (cookie + CSRF token): the BDB's
 * officers draft the plan and record the city government's approval; the plan names them, not
 * `account:…` ids; a version's status reads draft / in force / superseded; departments file their own
 * plans (备案) and the BDB lists them all. Art. 15, 21, 30: the deadline policy form cannot change
 * the periods the measures fix in the city's policy; a county's own measures may.
 */
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { DEFAULT_CITY_POLICY } from '../../domain/policy-defaults.ts';
import { signedIn, type Session } from '../support/accounts.ts';
import { startSystem, type TestSystem } from '../support/system.ts';

type Json = Record<string, any>;

let system: TestSystem;
let wang: Session;
let li: Session;
let zhang: Session;
let zhao: Session;
let admin: Session;

async function call(session: Session, method: string, path: string, body?: unknown) {
  const res = await session.request(method, path, body === undefined ? {} : { body });
  const text = await res.text();
  return {
    status: res.status,
    type: res.headers.get('content-type') ?? '',
    body: (text ? JSON.parse(text) : null) as Json,
  };
}
async function ok(session: Session, method: string, path: string, body?: unknown, expected = 200) {
  const res = await call(session, method, path, body);
  expect(res.status, `${method} ${path}: ${JSON.stringify(res.body)}`).toBe(expected);
  return res.body;
}

const YEAR = 2031;
const item = (code: string, title: string, department = 'wjw', ceilingFen = 500_000_00) => ({
  code,
  title,
  department,
  ceilingFen,
});

beforeAll(async () => {
  system = await startSystem('pglite', inject('temporalAddress'));
  wang = await signedIn(system, { role: 'bdb', displayName: '王芳' });
  li = await signedIn(system, { role: 'bdb', displayName: '李强' });
  zhang = await signedIn(system, { role: 'department', department: 'wjw', displayName: '张伟' });
  zhao = await signedIn(system, { role: 'department', department: 'jtj', displayName: '赵磊' });
  admin = await signedIn(system, { role: 'sysadmin', displayName: '周敏' });
});
afterAll(async () => {
  await system?.stop();
});

describe('Art. 6: the annual plan from the console', () => {
  it('a draft, its approval, a second draft beside the version in force, and the versions — each naming the person who acted', async () => {
    const draft = await ok(wang, 'PUT', `/v1/annual-plans/${YEAR}`, {
      items: [item(`${YEAR}-WJW-01`, '全民健康信息平台'), item(`${YEAR}-WJW-02`, '医疗影像云')],
    });
    expect(draft).toMatchObject({ version: 1, status: 'draft', createdByName: '王芳', approvedByName: null });
    expect(draft.items.map((i: Json) => i.updatedByName)).toEqual(['王芳', '王芳']);
    expect(draft.createdBy).toMatch(/^account:/);

    // Bad input changes nothing and is refused in Chinese.
    const missing = await call(wang, 'POST', `/v1/annual-plans/${YEAR}/approval`, { approvedOn: `${YEAR}-01-15` });
    expect([missing.status, missing.body.code, missing.body.title]).toEqual([400, 'validation_failed', '请求不合法']);
    expect(missing.type).toContain('application/problem+json');
    const wrongRole = await call(zhang, 'POST', `/v1/annual-plans/${YEAR}/approval`, {
      approvedOn: `${YEAR}-01-15`,
      documentNo: '晋市政函〔2031〕1号',
    });
    expect([wrongRole.status, wrongRole.body.code]).toEqual([403, 'forbidden']);
    expect((await ok(wang, 'GET', `/v1/annual-plans/${YEAR}/versions`)).items.map((v: Json) => v.status)).toEqual([
      'draft',
    ]);

    const approved = await ok(wang, 'POST', `/v1/annual-plans/${YEAR}/approval`, {
      approvedOn: `${YEAR}-01-15`,
      documentNo: `晋市政函〔${YEAR}〕1号`,
    });
    expect(approved).toMatchObject({
      version: 1,
      status: 'in-force',
      approvedOn: `${YEAR}-01-15`,
      documentNo: `晋市政函〔${YEAR}〕1号`,
      approvedByName: '王芳',
      createdByName: '王芳',
    });

    // A second officer edits one item: a new draft; the version in force stays in force meanwhile.
    const second = await ok(li, 'PUT', `/v1/annual-plans/${YEAR}`, {
      items: [item(`${YEAR}-WJW-01`, '全民健康信息平台'), item(`${YEAR}-WJW-02`, '医疗影像云（二期）')],
    });
    expect(second).toMatchObject({ version: 2, status: 'draft', createdByName: '李强' });
    // The unchanged item keeps who last changed it; the changed one names the second officer.
    expect(second.items.map((i: Json) => [i.code, i.updatedByName])).toEqual([
      [`${YEAR}-WJW-01`, '王芳'],
      [`${YEAR}-WJW-02`, '李强'],
    ]);
    expect((await ok(zhang, 'GET', `/v1/annual-plans/${YEAR}`)).items.map((i: Json) => i.title)).toEqual([
      '全民健康信息平台',
      '医疗影像云',
    ]);
    expect(
      (await ok(zhang, 'GET', `/v1/annual-plans/${YEAR}/versions`)).items.map((v: Json) => [v.version, v.status]),
    ).toEqual([
      [1, 'in-force'],
      [2, 'draft'],
    ]);

    await ok(li, 'POST', `/v1/annual-plans/${YEAR}/approval`, {
      approvedOn: `${YEAR}-03-01`,
      documentNo: `晋市政函〔${YEAR}〕9号`,
    });
    const versions = (await ok(zhang, 'GET', `/v1/annual-plans/${YEAR}/versions`)).items as Json[];
    expect(versions.map((v) => [v.version, v.status, v.createdByName, v.approvedByName])).toEqual([
      [1, 'superseded', '王芳', '王芳'],
      [2, 'in-force', '李强', '李强'],
    ]);
    // Each version keeps its items.
    expect((await ok(zhang, 'GET', `/v1/annual-plans/${YEAR}/versions/1`)).items.map((i: Json) => i.title)).toEqual([
      '全民健康信息平台',
      '医疗影像云',
    ]);

    // Nothing left to approve: 409 in Chinese.
    const again = await call(li, 'POST', `/v1/annual-plans/${YEAR}/approval`, {
      approvedOn: `${YEAR}-03-02`,
      documentNo: 'x',
    });
    expect([again.status, again.body.code, again.body.detail]).toEqual([
      409,
      'no_draft_plan',
      `第六条：${YEAR}年度计划没有待批准的草案。`,
    ]);

    // The trail names both officers.
    const trail = (await ok(zhang, 'GET', `/v1/annual-plans/${YEAR}/history`)).items as Json[];
    expect(trail.map((e) => [e.action, e.actor.name])).toEqual([
      ['draft-edit', '王芳'],
      ['approval', '王芳'],
      ['draft-edit', '李强'],
      ['approval', '李强'],
    ]);
  });

  it('备案: a department files its own plan and sees its own; another department sees none of it; the BDB lists all; on the plan trail of its year', async () => {
    const body = {
      title: '市卫生健康委员会“十五五”信息化建设规划',
      documentRef: '晋卫发〔2031〕15号',
      filedOn: `${YEAR}-02-01`,
      year: YEAR,
    };
    const filed = await ok(zhang, 'POST', '/v1/plan-filings', body, 201);
    expect(filed).toMatchObject({ ...body, department: 'wjw', jurisdiction: 'city', filedBy: '张伟' });

    const before = (await ok(wang, 'GET', '/v1/plan-filings')).items.length;
    const refusals = [
      await call(zhang, 'POST', '/v1/plan-filings', { documentRef: 'x', filedOn: `${YEAR}-02-01` }),
      await call(zhang, 'POST', '/v1/plan-filings', { ...body, filedOn: '2031-02-30' }),
    ];
    for (const r of refusals)
      expect([r.status, r.body.code, r.body.title]).toEqual([400, 'validation_failed', '请求不合法']);
    const bdbFiles = await call(wang, 'POST', '/v1/plan-filings', body);
    expect([bdbFiles.status, bdbFiles.body.code]).toEqual([403, 'forbidden']);
    expect((await ok(wang, 'GET', '/v1/plan-filings')).items.length).toBe(before);

    await ok(
      zhao,
      'POST',
      '/v1/plan-filings',
      { title: '市交通运输局智慧交通规划', documentRef: '晋交发〔2031〕3号', filedOn: `${YEAR}-02-03` },
      201,
    );
    expect((await ok(zhang, 'GET', '/v1/plan-filings')).items.map((f: Json) => f.title)).toEqual([body.title]);
    expect((await ok(zhao, 'GET', '/v1/plan-filings')).items.map((f: Json) => f.department)).toEqual(['jtj']);
    const all = (await ok(wang, 'GET', '/v1/plan-filings')).items as Json[];
    expect(all.map((f) => f.department).sort()).toEqual(['jtj', 'wjw']);
    expect((await ok(wang, 'GET', `/v1/plan-filings?year=${YEAR}`)).items.map((f: Json) => f.department)).toEqual([
      'wjw',
    ]);
    expect((await ok(wang, 'GET', `/v1/annual-plans/${YEAR}/history`)).items.at(-1)).toMatchObject({
      action: 'filing',
      actor: { name: '张伟', department: 'wjw' },
    });
  });
});

describe('Art. 15, 21, 30: the deadline policy form', () => {
  it('the city policy keeps the periods the measures fix (422 period_fixed_by_measures, nothing stored); a county may set its own; versions name who issued them', async () => {
    const city = (await ok(admin, 'GET', '/v1/policies?jurisdiction=city')).items as Json[];
    const longer = {
      ...structuredClone(DEFAULT_CITY_POLICY.deadlines),
      contractFiling: { duration: { unit: 'workingDays', amount: 10 }, reminder: null },
    };
    const refused = await call(admin, 'PUT', '/v1/policies/city', { deadlines: longer });
    expect([refused.status, refused.body.code, refused.body.field]).toEqual([
      422,
      'period_fixed_by_measures',
      'contractFiling',
    ]);
    expect(refused.body.detail).toContain('第十五条');
    expect((await ok(admin, 'GET', '/v1/policies?jurisdiction=city')).items).toEqual(city);

    // Local policy changes are fine, and reminders of a fixed period too.
    const publicity = {
      ...structuredClone(DEFAULT_CITY_POLICY.deadlines),
      publicity: { duration: { unit: 'workingDays', amount: 7 }, reminder: null },
      contractFiling: { duration: { unit: 'workingDays', amount: 5 }, reminder: { unit: 'workingDays', amount: 1 } },
    };
    const v2 = await ok(admin, 'PUT', '/v1/policies/city', { deadlines: publicity }, 201);
    expect(v2).toMatchObject({ jurisdiction: 'city', version: city.length + 1, createdByName: '周敏' });
    // Art. 30: a county issuing its own measures may set them.
    expect(await ok(admin, 'PUT', '/v1/policies/zezhou', { deadlines: longer }, 201)).toMatchObject({
      jurisdiction: 'zezhou',
      version: 1,
    });
    expect((await ok(admin, 'GET', '/v1/policies?jurisdiction=city')).items.at(-1).createdByName).toBe('周敏');
  });
});
