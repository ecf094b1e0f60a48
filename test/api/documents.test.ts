/**
 * Issue 18: the document store through HTTP. Upload → filing → download round trip (bytes and SM3
 * equal, the audit entry carries the digest), the refusals of an upload (wrong type, oversize with a
 * small configured limit, empty, truncated, unauthorised) leaving nothing behind, downloads by role
 * and department, and a tampered object detected on read (409, never the wrong bytes).
 */
import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { documents } from '../../db/schema.ts';
import { createKey, eventually, sampleApplication, startSystem, type TestSystem } from '../support/system.ts';
import { registerSearchAttributes } from '../workflow/support.ts';
import { createTimeSkipping } from '../support/time-skipping.ts';

type Json = Record<string, any>;
const MAX = 64 * 1024;
let env: TestWorkflowEnvironment;
let system: TestSystem;
let dept: string, otherDept: string, bdb: string, approval: string, finance: string, admin: string;

beforeAll(async () => {
  env = await createTimeSkipping(inject('testServerExecutable'));
  await registerSearchAttributes(env);
  system = await startSystem('pglite', env.address, { documentMaxBytes: MAX });
  [dept, otherDept, bdb, approval, finance, admin] = await Promise.all([
    createKey(system, 'department', 'health'),
    createKey(system, 'department', 'education'),
    createKey(system, 'bdb'),
    createKey(system, 'approval'),
    createKey(system, 'finance'),
    createKey(system, 'sysadmin'),
  ]);
});
afterAll(async () => {
  await system?.stop();
  await env?.teardown();
});

const sm3 = (bytes: Uint8Array) => createHash('sm3').update(bytes).digest('hex');
const pdf = (text = randomBytes(16).toString('hex')) =>
  Buffer.from(`%PDF-1.7\n% ${text}\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n`);
/** A minimal zip (stored entries) with these entry names. */
function zip(names: string[]): Buffer {
  return Buffer.concat(
    names.map((name) => {
      const data = Buffer.from(`<x>${randomBytes(8).toString('hex')}</x>`);
      const header = Buffer.alloc(30);
      header.write('PK\x03\x04', 0, 'latin1');
      header.writeUInt16LE(20, 4);
      header.writeUInt32LE(data.length, 18);
      header.writeUInt32LE(data.length, 22);
      header.writeUInt16LE(Buffer.byteLength(name), 26);
      return Buffer.concat([header, Buffer.from(name), data]);
    }),
  );
}
const DOCX = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';

async function upload(
  key: string | undefined,
  body: Uint8Array,
  contentType: string,
  fileName = '合同.pdf',
  extra: Record<string, string> = {},
) {
  return system.request('POST', '/v1/documents', {
    ...(key ? { key } : {}),
    body,
    headers: {
      'content-type': contentType,
      'x-file-name': encodeURIComponent(fileName),
      'content-length': String(body.length),
      ...extra,
    },
  });
}
async function uploaded(key: string, body: Uint8Array, contentType: string, fileName?: string): Promise<Json> {
  const res = await upload(key, body, contentType, fileName);
  const json = (await res.json()) as Json;
  expect(res.status, JSON.stringify(json)).toBe(201);
  return json;
}
/** Every object and temporary file the folder backend holds. */
const storedFiles = () =>
  fs.existsSync(system.documentsDir)
    ? (fs.readdirSync(system.documentsDir, { recursive: true }) as string[]).filter((f) =>
        fs.statSync(path.join(system.documentsDir, f)).isFile(),
      )
    : [];

describe('upload and download', () => {
  it('stores a PDF under its SM3 encrypted, and streams it back with its name to the department and the bureaus', async () => {
    const bytes = pdf();
    const doc = await uploaded(dept, bytes, 'application/pdf', '智慧医疗合同 (终稿).pdf');
    expect(doc).toMatchObject({
      sm3: sm3(bytes),
      size: bytes.length,
      contentType: 'application/pdf',
      fileName: '智慧医疗合同 (终稿).pdf',
      uploadedBy: { role: 'department', department: 'health' },
    });
    expect(doc.id).toMatch(/^doc_[0-9a-f]{24}$/);
    // Encrypted at rest: the object holds no plaintext.
    const object = fs.readFileSync(path.join(system.documentsDir, doc.sm3.slice(0, 2), doc.sm3));
    expect(object.includes(bytes.subarray(0, 12))).toBe(false);
    for (const key of [dept, bdb, approval, finance]) {
      const res = await system.request('GET', `/v1/documents/${doc.id}`, { key });
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toBe('application/pdf');
      expect(res.headers.get('content-disposition')).toBe(
        `attachment; filename*=UTF-8''${encodeURIComponent('智慧医疗合同 ').replace(/'/g, '%27')}%28${encodeURIComponent('终稿')}%29.pdf`,
      );
      const back = Buffer.from(await res.arrayBuffer());
      expect(back.equals(bytes)).toBe(true);
      expect(sm3(back)).toBe(doc.sm3);
    }
    expect((await system.request('GET', `/v1/documents/${doc.id}`, { key: otherDept })).status).toBe(403);
    expect((await system.request('GET', `/v1/documents/${doc.id}`, { key: admin })).status).toBe(403);
    expect((await system.request('GET', `/v1/documents/${doc.id}`)).status).toBe(401);
    expect((await system.request('GET', '/v1/documents/doc_000000000000000000000000', { key: bdb })).status).toBe(404);
  });

  it('accepts OFD, DOCX, XLSX, PNG and JPEG by their bytes, and RFC 5987 names', async () => {
    await uploaded(bdb, zip(['Doc_0/Content.xml', 'OFD.xml']), 'application/ofd', '验收报告.ofd');
    await uploaded(approval, zip(['[Content_Types].xml', 'word/document.xml']), DOCX, 'report.docx');
    await uploaded(
      finance,
      zip(['[Content_Types].xml', 'xl/workbook.xml']),
      'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
      'funds.xlsx',
    );
    await uploaded(
      dept,
      Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), randomBytes(32)]),
      'image/png',
      'scan.png',
    );
    const res = await upload(
      dept,
      Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), randomBytes(32)]),
      'image/jpeg',
      'x',
      { 'x-file-name': `UTF-8''${encodeURIComponent('现场照片.jpg')}` },
    );
    expect(res.status).toBe(201);
    expect(((await res.json()) as Json).fileName).toBe('现场照片.jpg');
  });

  it('refuses a wrong type, an oversize, an empty or truncated body and the wrong callers, storing nothing', async () => {
    const before = storedFiles().length;
    const rows = async () => (await system.database.db.select().from(documents)).length;
    const rowsBefore = await rows();
    const problem = async (res: Response, status: number, code: string) => {
      const json = (await res.json()) as Json;
      expect(res.status, JSON.stringify(json)).toBe(status);
      expect(json.code).toBe(code);
      return res;
    };
    // Declared type not accepted, and bytes that are not what Content-Type says.
    await problem(await upload(dept, pdf(), 'text/html'), 415, 'unsupported_document_type');
    await problem(
      await upload(dept, Buffer.from('MZ not a pdf at all'), 'application/pdf'),
      415,
      'unsupported_document_type',
    );
    await problem(await upload(dept, zip(['word/document.xml']), 'application/ofd'), 415, 'unsupported_document_type');
    // Over the configured limit: announced, and streamed without Content-Length.
    const big = Buffer.concat([pdf(), randomBytes(MAX)]);
    const announced = await problem(await upload(dept, big, 'application/pdf'), 413, 'payload_too_large');
    expect(announced.headers.get('connection')).toBe('close');
    const streamed = await system.app.request('/v1/documents', {
      method: 'POST',
      headers: { authorization: `Bearer ${dept}`, 'content-type': 'application/pdf', 'x-file-name': 'big.pdf' },
      body: new ReadableStream({
        start(c) {
          for (let i = 0; i < 4; i++) c.enqueue(i === 0 ? pdf() : randomBytes(MAX / 2));
          c.close();
        },
      }),
      duplex: 'half',
    });
    await problem(streamed, 413, 'payload_too_large');
    expect(streamed.headers.get('connection')).toBe('close');
    // Empty, and shorter than its Content-Length.
    await problem(await upload(dept, Buffer.alloc(0), 'application/pdf'), 400, 'document_empty');
    const short = pdf();
    await problem(
      await upload(dept, short, 'application/pdf', 'a.pdf', { 'content-length': String(short.length + 10) }),
      400,
      'document_truncated',
    );
    // No file name; the admin and no key at all.
    await problem(
      await system.request('POST', '/v1/documents', {
        key: dept,
        body: pdf(),
        headers: { 'content-type': 'application/pdf' },
      }),
      400,
      'validation_failed',
    );
    await problem(await upload(admin, pdf(), 'application/pdf'), 403, 'forbidden');
    await problem(await upload(undefined, pdf(), 'application/pdf'), 401, 'unauthenticated');
    expect(storedFiles().length).toBe(before);
    expect(await rows()).toBe(rowsBefore);
  });

  it('detects a tampered object on read: 409 document_corrupted naming the document, no bytes', async () => {
    const doc = await uploaded(dept, pdf('tamper me'), 'application/pdf', 'x.pdf');
    const file = path.join(system.documentsDir, doc.sm3.slice(0, 2), doc.sm3);
    const object = fs.readFileSync(file);
    object[object.length - 40] = object[object.length - 40]! ^ 0x01;
    fs.writeFileSync(file, object);
    const res = await system.request('GET', `/v1/documents/${doc.id}`, { key: dept });
    const json = (await res.json()) as Json;
    expect(res.status).toBe(409);
    expect(json).toMatchObject({ code: 'document_corrupted', documentId: doc.id });
    expect(json.detail).toContain(doc.id);
    fs.rmSync(file);
    const gone = await system.request('GET', `/v1/documents/${doc.id}`, { key: bdb });
    expect(gone.status).toBe(409);
  });
});

it('Art. 15, 21, 28, 29: a contract, the completion report, the risk assessment and the emergency plan filed by documentId carry its SM3 through the workflow and the audit trail; free strings stay valid', async () => {
  const call = async (method: string, p: string, key: string, body?: unknown, expected = 200): Promise<Json> => {
    const res = await system.request(method, p, { key, ...(body === undefined ? {} : { body }) });
    const json = (await res.json()) as Json;
    expect(res.status, `${method} ${p}: ${JSON.stringify(json)}`).toBe(expected);
    return json;
  };
  await call('PUT', '/v1/annual-plans/2026', bdb, {
    items: [{ code: '2026-HEALTH-01', title: 'Smart health', department: 'health', ceilingFen: 2_000_000_00 }],
  });
  await call('POST', '/v1/annual-plans/2026/approval', bdb, {
    approvedOn: '2026-01-10',
    documentNo: '晋市政函〔2026〕1号',
  }); // Art. 6
  const id = (await call('POST', '/v1/projects', dept, sampleApplication(), 201)).id as string;
  const checklist = {
    resourceCatalog: true,
    dataSharing: true,
    intensiveConstruction: true,
    cloudDeployment: true,
    securityControllable: true,
  };
  await call('POST', `/v1/projects/${id}/technical-review`, bdb, { decision: 'pass', opinion: 'complete', checklist });
  await call('POST', `/v1/projects/${id}/establishment`, approval, {
    decision: 'approve',
    approvalNo: 'JSP-2026-010',
    opinion: 'approved',
    approvedEstimateFen: 1_200_000_00,
  });
  await call('POST', `/v1/projects/${id}/budget`, finance, {
    fundType: 'construction',
    year: 2026,
    amountFen: 1_000_000_00,
    cityShareFen: 1_000_000_00,
    countyShareFen: 0,
  });
  const plan = await call(
    'POST',
    '/v1/allocation-plans',
    bdb,
    { year: 2026, title: '2026年资金拟分配计划', allocations: [{ projectId: id, allocationId: 'alloc-1' }] },
    201,
  );
  await env.sleep(Date.parse(plan.allocations[0].noticeDueAt) - (await env.currentTimeMs()) + 3_600_000);
  await eventually(async () =>
    (await call('GET', `/v1/projects/${id}`, dept)).stage === 'contracting' ? true : undefined,
  );
  const signedOn = new Date(await env.currentTimeMs()).toISOString().slice(0, 10);

  const contractBytes = pdf('contract HT-2026-02');
  const contract = await uploaded(dept, contractBytes, 'application/pdf', '建设合同.pdf');
  const foreign = await uploaded(otherDept, pdf('education'), 'application/pdf', 'edu.pdf');
  const body = {
    contractNo: 'HT-2026-02',
    contractor: '晋城软件',
    amountFen: 80_000_00,
    signedOn,
    procurement: { method: 'open-tender' },
  };
  // Unknown, or another department's document: refused before the command is sent.
  expect(
    (
      await call(
        'POST',
        `/v1/projects/${id}/contracts`,
        dept,
        { ...body, documentId: 'doc_000000000000000000000000' },
        422,
      )
    ).code,
  ).toBe('document_unknown');
  expect(
    (await call('POST', `/v1/projects/${id}/contracts`, dept, { ...body, documentId: foreign.id }, 422)).code,
  ).toBe('document_unknown');
  const view = await call('POST', `/v1/projects/${id}/contracts`, dept, { ...body, documentId: contract.id });
  expect(view.stage).toBe('construction');
  expect(view.contracts[0]).toMatchObject({ documentRef: `sm3:${sm3(contractBytes)}`, documentId: contract.id });
  expect(view.contracts[0].filedAt).not.toBeNull();
  // The second contract is recorded first and filed later, by documentId (contractFiling).
  await call('POST', `/v1/projects/${id}/contracts`, dept, { ...body, contractNo: 'HT-2026-03' });
  expect((await call('POST', `/v1/projects/${id}/contracts/HT-2026-03/filing`, dept, {}, 400)).code).toBe(
    'validation_failed',
  );
  const filingBytes = zip(['[Content_Types].xml', 'word/document.xml']);
  const filing = await uploaded(dept, filingBytes, DOCX, '补充合同.docx');
  const filed = await call('POST', `/v1/projects/${id}/contracts/HT-2026-03/filing`, dept, { documentId: filing.id });
  expect(filed.contracts[1]).toMatchObject({ documentRef: `sm3:${sm3(filingBytes)}`, documentId: filing.id });

  // Legacy free-text references still work (projects filed before the document store).
  await call('POST', `/v1/projects/${id}/catalog-entries`, dept, {
    entries: [{ code: 'HLT-002', name: '住院记录', sharingType: 'conditional', updateCycle: 'daily' }],
  });
  await call('POST', `/v1/projects/${id}/preliminary-acceptance`, dept, {
    reportRef: 'sha256:legacy-report',
    completedOn: signedOn,
  });
  // Art. 28-29 (issue 15): the risk assessment and the emergency plan are filed by documentId too.
  const riskBytes = pdf('网络与信息安全风险评估报告');
  const riskDoc = await uploaded(dept, riskBytes, 'application/pdf', '风险评估报告.pdf');
  const risk = { assessedOn: signedOn, result: '风险可控', bdbParticipant: '市大数据应用局安全科' };
  expect(
    (await call('POST', `/v1/projects/${id}/risk-assessments`, dept, { ...risk, documentId: foreign.id }, 422)).code,
  ).toBe('document_unknown');
  const assessed = await call('POST', `/v1/projects/${id}/risk-assessments`, dept, { ...risk, documentId: riskDoc.id });
  expect(assessed.riskAssessments[0]).toMatchObject({ documentRef: `sm3:${sm3(riskBytes)}`, documentId: riskDoc.id });
  const planBytes = pdf('应急预案');
  const planDoc = await uploaded(dept, planBytes, 'application/pdf', '应急预案.pdf');
  expect(
    (
      await call(
        'POST',
        `/v1/projects/${id}/emergency-plans`,
        dept,
        { adoptedOn: signedOn, contractor: '晋城软件' },
        400,
      )
    ).code,
  ).toBe('validation_failed');
  const planned = await call('POST', `/v1/projects/${id}/emergency-plans`, dept, {
    adoptedOn: signedOn,
    contractor: '晋城软件',
    documentId: planDoc.id,
  });
  expect(planned.emergencyPlans[0]).toMatchObject({ documentRef: `sm3:${sm3(planBytes)}`, documentId: planDoc.id });
  await call('POST', `/v1/projects/${id}/technical-acceptance`, bdb, {
    decision: 'pass',
    opinion: 'secure',
    securityControllable: true,
    mlpsLevel: 3,
    cryptoAssessmentPassed: true,
  });
  await call('POST', `/v1/projects/${id}/completion-acceptance`, approval, { decision: 'pass', opinion: 'accepted' });
  const reportBytes = pdf('竣工验收报告');
  const report = await uploaded(dept, reportBytes, 'application/pdf', '竣工验收报告.pdf');
  const done = await call('POST', `/v1/projects/${id}/completion-report`, dept, { documentId: report.id });
  expect(done.stage).toBe('operating');
  expect(done.completionReport).toMatchObject({ reportRef: `sm3:${sm3(reportBytes)}`, documentId: report.id });

  // The audit entries carry the digest and the id; the documents are marked as filed with the project.
  const history = await call('GET', `/v1/projects/${id}/history`, dept);
  const entries = (history.items ?? history.entries ?? history) as Json[];
  const reportEntry = entries.find((e) => e.action === 'completion-report')!;
  expect(JSON.stringify(reportEntry)).toContain(`sm3:${sm3(reportBytes)}`);
  expect(JSON.stringify(entries.find((e) => e.action === 'contract')!)).toContain(contract.id);
  const [row] = await system.database.db.select().from(documents).where(eq(documents.id, report.id));
  expect(row!.projectId).toBe(id);
  const [riskRow] = await system.database.db.select().from(documents).where(eq(documents.id, riskDoc.id));
  expect(riskRow!.projectId).toBe(id);

  // Round trip: the filed document downloads with the same bytes and SM3 as the reference.
  const res = await system.request('GET', `/v1/documents/${report.id}`, { key: bdb });
  const back = Buffer.from(await res.arrayBuffer());
  expect(back.equals(reportBytes)).toBe(true);
  expect(`sm3:${sm3(back)}`).toBe(done.completionReport.reportRef);
  expect(res.headers.get('x-content-sm3')).toBe(sm3(reportBytes));
});
