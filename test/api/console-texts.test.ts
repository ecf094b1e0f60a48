/**
 * Issue 26: what a person reads when the API refuses is Chinese (zh-CN by default, English on
 * `Accept-Language: en`): each field error of a 400 validation_failed (zod's issues and the schemas'
 * own rules, e.g. an application without its documents), the refusals of an upload (type, size —
 * the configured limit, not the JSON body's 256 KiB), and the invalid-transition detail. Also the
 * project's filed documents as the project page lists them, and inline display for PDF and images.
 * Real API, database and Temporal (time-skipping server); nothing mocked.
 */
import { randomBytes } from 'node:crypto';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { addPlanItems, createKey, sampleApplication, startSystem, type TestSystem } from '../support/system.ts';
import { registerSearchAttributes } from '../workflow/support.ts';

type Json = Record<string, any>;
const MAX = 64 * 1024;
let env: TestWorkflowEnvironment;
let system: TestSystem;
let dept: string, otherDept: string, bdb: string;

beforeAll(async () => {
  env = await TestWorkflowEnvironment.createTimeSkipping({ server: { executable: inject('testServerExecutable') } });
  await registerSearchAttributes(env);
  system = await startSystem('pglite', env.address, { documentMaxBytes: MAX });
  [dept, otherDept, bdb] = await Promise.all([
    createKey(system, 'department', 'health'),
    createKey(system, 'department', 'education'),
    createKey(system, 'bdb'),
  ]);
  await addPlanItems(system, [{ department: 'health' }]);
}, 120_000);
afterAll(async () => {
  await system?.stop();
  await env?.teardown();
});

/** Latin words a person should not meet in a Chinese message (identifiers like 2026Q3 or PDF are not words). */
const LATIN_WORD =
  /\b(?!PDF\b|OFD\b|DOCX\b|XLSX\b|PNG\b|JPEG\b|Word\b|Excel\b|JSON\b|KiB\b|MiB\b|ASCII\b|ISO\b)[A-Za-z]{3,}\b/;
const pdf = () =>
  Buffer.from(`%PDF-1.7\n% ${randomBytes(8).toString('hex')}\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n`);
const png = () => Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), randomBytes(32)]);

async function send(
  method: string,
  p: string,
  key: string,
  body?: unknown,
  lang?: string,
): Promise<{ status: number; json: Json }> {
  const res = await system.request(method, p, {
    key,
    ...(body === undefined ? {} : { body }),
    headers: lang ? { 'accept-language': lang } : {},
  });
  return { status: res.status, json: (await res.json()) as Json };
}
async function upload(key: string, body: Uint8Array, contentType: string, fileName: string, lang?: string) {
  const res = await system.request('POST', '/v1/documents', {
    key,
    body,
    headers: {
      'content-type': contentType,
      'x-file-name': encodeURIComponent(fileName),
      'content-length': String(body.length),
      ...(lang ? { 'accept-language': lang } : {}),
    },
  });
  return { status: res.status, json: (await res.json()) as Json };
}

describe('validation details in Chinese', () => {
  it('an application without its documents: every missing document named in Chinese, no code in the words; English on request', async () => {
    const { status, json } = await send('POST', '/v1/projects', dept, sampleApplication({ documents: {} }));
    expect(status).toBe(400);
    expect(json.code).toBe('validation_failed');
    expect(json.detail).toBe('请求体有 4 处不符合要求，逐项说明如下。');
    expect(json.errors.map((e: Json) => e.path)).toEqual([
      'json.documentIds.proposal',
      'json.documentIds.feasibilityStudy',
      'json.documentIds.preliminaryDesign',
      'json.documentIds.investmentEstimate',
    ]);
    expect(json.errors.map((e: Json) => e.message.split('：')[0])).toEqual([
      '缺少项目建议书',
      '缺少可行性研究报告',
      '缺少初步设计方案',
      '缺少投资概算',
    ]);
    for (const e of json.errors) expect(e.message).not.toMatch(LATIN_WORD);
    const en = await send('POST', '/v1/projects', dept, sampleApplication({ documents: {} }), 'en');
    expect(en.json.errors[0].message).toBe(
      'send documentIds.proposal (an uploaded document) or documents.proposal (legacy free text), exactly one',
    );
  });

  it("zod's own issues: a missing field, a wrong type, too long, out of range, an unknown field, a value not in the list", async () => {
    const { title: _t, ...noTitle } = sampleApplication();
    const body = {
      ...noTitle,
      summary: 'x'.repeat(4001),
      year: 1990,
      kind: 'rebuild',
      estimate: { totalFen: '100', cityShareFen: 0, countyShareFen: 0 },
      colour: 'red',
    };
    const { status, json } = await send('POST', '/v1/projects', dept, body);
    expect(status).toBe(400);
    // The path names the field as sent (the request body is `body` or `json`, as the validator calls it).
    const byPath = Object.fromEntries(json.errors.map((e: Json) => [e.path.replace(/^(body|json)\.?/, ''), e.message]));
    expect(byPath.title).toBe('必填');
    expect(byPath.summary).toBe('不能超过 4000 个字符');
    expect(byPath.year).toBe('不能小于 2019');
    expect(byPath.kind).toBe('应为以下之一：new、expansion、upgrade、om');
    expect(byPath['estimate.totalFen']).toBe('应为数字');
    expect(byPath['']).toBe('不接受的字段：colour');
    for (const e of json.errors) expect(e.message).not.toMatch(/Invalid|expected|received|must/);
  });

  it('a filing without its document: Chinese, the upload named', async () => {
    const { json: view } = await send('POST', '/v1/projects', dept, sampleApplication(), undefined);
    expect(view.id).toBeTruthy();
    const { status, json } = await send('POST', `/v1/projects/${view.id}/completion-report`, dept, {});
    expect(status).toBe(400);
    expect(json.errors[0]).toEqual({
      path: 'json.documentId',
      message: '缺少文件：请上传文件（或填写原有的文件引用），二者只能选一',
    });
    // Not allowed now: the stage and who must act, in words.
    const wrong = await send('POST', `/v1/projects/${view.id}/establishment`, dept, {
      decision: 'approve',
      approvalNo: 'X-1',
    });
    expect(wrong.status).toBe(403);
    const early = await send('POST', `/v1/projects/${view.id}/preliminary-acceptance`, dept, {
      documentId: 'doc_000000000000000000000000',
      completedOn: '2026-01-05',
    });
    expect([409, 422]).toContain(early.status);
    expect(early.json.detail).not.toMatch(LATIN_WORD);
  });
});

describe('upload refusals in Chinese', () => {
  it('a file whose bytes are not its declared type: says what it is and what is accepted; nothing stored', async () => {
    const notPdf = await upload(
      dept,
      Buffer.from('MZ this is an executable, not a pdf'),
      'application/pdf',
      '合同.pdf',
    );
    expect(notPdf.status).toBe(415);
    expect(notPdf.json.title).toBe('文件类型不被接受');
    expect(notPdf.json.detail).toBe(
      '文件内容不是可接受的类型（声明为 PDF）。只接受 PDF、OFD 版式文件、文字文档（DOCX）、电子表格（XLSX）、PNG 图片、JPEG 图片。',
    );
    const pngAsPdf = await upload(dept, png(), 'application/pdf', '扫描件.pdf');
    expect(pngAsPdf.json.detail).toBe('文件内容是 PNG 图片，与声明的类型 PDF 不符，未保存。');
    const text = await upload(dept, Buffer.from('hello'), 'text/plain', 'a.txt');
    expect(text.status).toBe(415);
    expect(text.json.detail).toBe(
      '不接受该类型的文件（text/plain）。只接受 PDF、OFD 版式文件、文字文档（DOCX）、电子表格（XLSX）、PNG 图片、JPEG 图片。',
    );
    expect((await upload(dept, Buffer.from('hello'), 'text/plain', 'a.txt', 'en')).json.detail).toMatch(
      /^Send one of application\/pdf/,
    );
  });

  it('a file over the upload limit names the limit (here 64 KiB), not the JSON body limit', async () => {
    const big = Buffer.concat([pdf(), Buffer.alloc(MAX + 1)]);
    const res = await upload(dept, big, 'application/pdf', '大文件.pdf');
    expect(res.status).toBe(413);
    expect(res.json.detail).toBe('文件超过大小上限 64 千字节，未保存。');
    const json = await system.request('POST', '/v1/projects', {
      key: dept,
      body: JSON.stringify({ title: 'x'.repeat(300 * 1024) }),
    });
    expect(json.status).toBe(413);
    expect(((await json.json()) as Json).detail).toBe('请求体不得超过 256 千字节。');
  });

  it('an empty file', async () => {
    const res = await upload(dept, Buffer.alloc(0), 'application/pdf', '空.pdf');
    expect(res.status).toBe(400);
    expect(res.json.detail).toBe('文件是空的，未保存。');
  });
});

describe("a project's filed documents", () => {
  it('lists the four application documents with their names; PDF and images inline on request, other types always attachments; own department and the bureaus only', async () => {
    const kinds = ['proposal', 'feasibilityStudy', 'preliminaryDesign', 'investmentEstimate'] as const;
    const names = ['项目建议书.pdf', '可行性研究报告.pdf', '初步设计方案.png', '投资概算.pdf'];
    const ids: Record<string, string> = {};
    for (const [i, kind] of kinds.entries()) {
      const res = await upload(
        dept,
        names[i]!.endsWith('.png') ? png() : pdf(),
        names[i]!.endsWith('.png') ? 'image/png' : 'application/pdf',
        names[i]!,
      );
      expect(res.status).toBe(201);
      ids[kind] = res.json.id;
    }
    const { status, json: view } = await send(
      'POST',
      '/v1/projects',
      dept,
      sampleApplication({ documents: {}, documentIds: ids }),
    );
    expect(status).toBe(201);
    const list = await send('GET', `/v1/projects/${view.id}/documents`, bdb);
    expect(list.status).toBe(200);
    expect(list.json.items.map((d: Json) => d.fileName).sort()).toEqual([...names].sort());
    expect(list.json.items.map((d: Json) => d.id).sort()).toEqual(Object.values(ids).sort());
    expect(list.json.items[0]).toMatchObject({
      projectId: view.id,
      uploadedBy: { role: 'department', department: 'health' },
    });
    expect((await send('GET', `/v1/projects/${view.id}/documents`, otherDept)).status).toBe(403);

    const inline = await system.request('GET', `/v1/documents/${ids.proposal}?disposition=inline`, { key: bdb });
    expect(inline.headers.get('content-disposition')).toMatch(/^inline; filename\*=UTF-8''/);
    const image = await system.request('GET', `/v1/documents/${ids.preliminaryDesign}?disposition=inline`, {
      key: bdb,
    });
    expect(image.headers.get('content-type')).toBe('image/png');
    expect(image.headers.get('content-disposition')).toMatch(/^inline;/);
    const attachment = await system.request('GET', `/v1/documents/${ids.proposal}`, { key: bdb });
    expect(attachment.headers.get('content-disposition')).toMatch(/^attachment;/);
    const zipBody = Buffer.concat([
      Buffer.from('PK\x03\x04', 'latin1'),
      Buffer.alloc(22),
      Buffer.from([5, 0, 0, 0]),
      Buffer.from('word/'),
      Buffer.from('<x/>'),
    ]);
    const docx = await upload(
      dept,
      zipBody,
      'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
      '说明.docx',
    );
    if (docx.status === 201) {
      const res = await system.request('GET', `/v1/documents/${docx.json.id}?disposition=inline`, { key: dept });
      expect(res.headers.get('content-disposition')).toMatch(/^attachment;/);
    }
  });
});
