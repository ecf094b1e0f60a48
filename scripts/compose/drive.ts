/**
 * Step 5 of `npm run compose:test` (scripts/compose-up.ts): through the proxy only — readiness,
 * the console, the Temporal UI, a document, two projects around a kill -9 of one API and one
 * worker, then the counts.
 */
import { randomBytes } from 'node:crypto';
import { request as httpsRequest } from 'node:https';
import { log, run, sleep } from './shell.ts';
import { containersOf } from './topology.ts';

// --- 5. through the proxy -------------------------------------------------------------------------

interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
  json: any;
}

function https(
  ca: Buffer,
  port: number,
  method: string,
  p: string,
  opts: { key?: string; body?: unknown; raw?: Buffer; headers?: Record<string, string> } = {},
): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string> = { ...opts.headers };
    if (opts.key) headers.authorization = `Bearer ${opts.key}`;
    let payload: Buffer | undefined;
    if (opts.raw) payload = opts.raw;
    else if (opts.body !== undefined) {
      payload = Buffer.from(JSON.stringify(opts.body));
      headers['content-type'] ??= 'application/json';
    }
    if (payload) headers['content-length'] = String(payload.length);
    const req = httpsRequest(
      { host: '127.0.0.1', servername: 'localhost', port, method, path: p, ca, headers, timeout: 60_000 },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const body = Buffer.concat(chunks);
          let json: unknown;
          try {
            json = JSON.parse(body.toString('utf8'));
          } catch {
            json = undefined;
          }
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body, json });
        });
      },
    );
    req.on('timeout', () => req.destroy(new Error(`${method} ${p}: timed out`)));
    req.on('error', reject);
    req.end(payload);
  });
}

const expectStatus = (what: string, a: Answer, ...ok: number[]) => {
  if (!ok.includes(a.status)) throw new Error(`${what}: ${a.status} ${a.body.toString('utf8').slice(0, 500)}`);
  return a;
};

export async function drive(
  ca: Buffer,
  ports: { api: number; ui: number },
  secrets: { admin: string; uiUser: string; uiPassword: string },
) {
  const answers = new Map<string, number>();
  /**
   * A request as a client sends it: a 502 (the proxy found a replica dead; the request reached none)
   * or a 503 is retried after a second, a few times.
   */
  const call = async (method: string, p: string, opts: Parameters<typeof https>[4] = {}) => {
    for (let i = 0; ; i++) {
      const a = await https(ca, ports.api, method, p, opts);
      if (i >= 10 || (a.status !== 502 && a.status !== 503)) return a;
      answers.set(`${a.status} (${method} retried)`, (answers.get(`${a.status} (${method} retried)`) ?? 0) + 1);
      await sleep(1_000);
    }
  };
  /** A client's retry loop: the same Idempotency-Key until an answer that is not 503/409-in-progress. */
  const command = async (what: string, p: string, key: string, body: unknown, idem: string) => {
    for (let i = 0; ; i++) {
      const a = await call('POST', p, { key, body, headers: { 'idempotency-key': idem } }).catch(
        (err: Error): Answer => ({
          status: 0,
          headers: {},
          body: Buffer.from(err.message),
          json: undefined,
        }),
      );
      answers.set(String(a.status), (answers.get(String(a.status)) ?? 0) + 1);
      if (a.status === 200 || a.status === 201) return a.json;
      if (
        i > 40 ||
        !(
          a.status === 0 ||
          a.status === 502 ||
          a.status === 503 ||
          (a.status === 409 && a.json?.code === 'idempotency_in_progress')
        )
      )
        expectStatus(what, a, 200, 201);
      await sleep(Math.min(10, Number(a.headers['retry-after'] ?? 1)) * 1000);
    }
  };

  const ready = expectStatus('/readyz through the proxy', await call('GET', '/readyz'), 200);
  if (ready.json.workers !== 2)
    throw new Error(`/readyz counts ${ready.json.workers} workers, not 2: ${ready.body.toString('utf8')}`);
  log(`/readyz: ${ready.body.toString('utf8')}`);
  if (!/max-age=/.test(String(ready.headers['strict-transport-security'] ?? '')))
    throw new Error('no HSTS header behind the TLS proxy');
  const consolePage = expectStatus('the console at /', await call('GET', '/'), 200);
  if (!String(consolePage.headers['content-type']).includes('text/html')) throw new Error('/ is not the console page');
  log('the console: served at / (text/html)');
  const ui = (auth?: string) =>
    https(ca, ports.ui, 'GET', '/', {
      headers: auth ? { authorization: `Basic ${Buffer.from(auth).toString('base64')}` } : {},
    });
  expectStatus('the Temporal UI without credentials', await ui(), 401);
  expectStatus('the Temporal UI with basic auth', await ui(`${secrets.uiUser}:${secrets.uiPassword}`), 200);
  log('the Temporal UI: 401 without credentials, 200 with them');

  const newKey = async (body: unknown) =>
    expectStatus('an API key', await call('POST', '/v1/admin/api-keys', { key: secrets.admin, body }), 201).json
      .key as string;
  const keys = {
    bdb: await newKey({ role: 'bdb', name: '市大数据应用局' }),
    approval: await newKey({ role: 'approval', name: '市行政审批服务管理局' }),
    finance: await newKey({ role: 'finance', name: '市财政局' }),
    dept: await newKey({ role: 'department', name: '市卫健委', department: 'health' }),
  };
  const year = 2026;
  expectStatus(
    'the annual plan',
    await call('PUT', `/v1/annual-plans/${year}`, {
      key: keys.bdb,
      body: {
        items: [
          { code: `${year}-HEALTH-01`, title: '智慧医疗数据平台', department: 'health', ceilingFen: 500_000_000 },
        ],
      },
    }),
    200,
    201,
  );
  expectStatus(
    'the plan approval',
    await call('POST', `/v1/annual-plans/${year}/approval`, {
      key: keys.bdb,
      body: { approvedOn: `${year}-01-10`, documentNo: '晋市政函〔2026〕1号' },
    }),
    200,
    201,
  );

  // A document through the S3 store: uploaded and read back, each request to whichever replica.
  const pdf = Buffer.concat([Buffer.from('%PDF-1.7\n'), randomBytes(256 * 1024)]);
  const up = expectStatus(
    'an upload',
    await call('POST', '/v1/documents', {
      key: keys.dept,
      raw: pdf,
      headers: { 'content-type': 'application/pdf', 'x-file-name': 'proposal.pdf' },
    }),
    201,
  );
  const reads = await Promise.all(
    [0, 1, 2, 3].map(() => call('GET', `/v1/documents/${up.json.id}`, { key: keys.dept })),
  );
  if (!reads.every((r) => r.status === 200 && r.body.equals(pdf)))
    throw new Error(`the document read back differs: ${reads.map((r) => r.status).join(',')}`);
  log('a document: uploaded and read back 4 times through the proxy (the same bytes)');

  const checklist = {
    resourceCatalog: true,
    dataSharing: true,
    intensiveConstruction: true,
    cloudDeployment: true,
    securityControllable: true,
  };
  const lifecycle = async (n: number) => {
    const application = {
      title: `智慧医疗数据平台 ${n}`,
      summary: 'compose test',
      kind: 'new',
      year,
      annualPlanItem: `${year}-HEALTH-01`,
      estimate: { totalFen: 120_000_000, cityShareFen: 120_000_000, countyShareFen: 0 },
      plannedCompletionDate: '2027-06-30',
      documents: {
        proposal: up.json.id,
        feasibilityStudy: 'sha256:2b',
        preliminaryDesign: 'sha256:3c',
        investmentEstimate: 'sha256:4d',
      },
      classified: false,
      leader: { name: '张伟', post: '信息科科长', contact: '0356-2020001' },
    };
    const created = await command('application', '/v1/projects', keys.dept, application, `compose-create-${n}`);
    const id = created.id as string;
    await command(
      'technical review',
      `/v1/projects/${id}/technical-review`,
      keys.bdb,
      { decision: 'pass', opinion: '通过', checklist },
      `compose-review-${n}`,
    );
    await command(
      'establishment',
      `/v1/projects/${id}/establishment`,
      keys.approval,
      { decision: 'approve', approvalNo: `晋审批〔2026〕${n}号`, opinion: '同意', approvedEstimateFen: 120_000_000 },
      `compose-establishment-${n}`,
    ); // Art. 8: 批复概算
    const budget = await command(
      'budget',
      `/v1/projects/${id}/budget`,
      keys.finance,
      { fundType: 'construction', year, amountFen: 100_000_000, cityShareFen: 100_000_000, countyShareFen: 0 },
      `compose-budget-${n}`,
    );
    // Art. 11: the money is held until the BDB publishes its allocation plan.
    if (budget.stage !== 'budgeting')
      throw new Error(`project ${id} is ${budget.stage} after its budget, not budgeting`);
    return id;
  };
  let t = Date.now();
  const first = await lifecycle(1);
  log(
    `project ${first}: application → review → establishment → budget (held for the BDB's plan) through the proxy, ${((Date.now() - t) / 1000).toFixed(1)} s`,
  );

  // kill -9 of one API and one worker, as a crash would: the process, not a stop.
  const apis = containersOf('api');
  const workers = containersOf('worker');
  for (const victim of [apis[0]!, workers[0]!]) {
    const pid = run('podman', ['inspect', '--format', '{{.State.Pid}}', victim]).stdout.trim();
    run('kill', ['-9', pid]);
    log(`killed ${victim} (kill -9 of pid ${pid})`);
  }
  t = Date.now();
  const second = await lifecycle(2);
  log(
    `project ${second}: the same right after the kills, ${((Date.now() - t) / 1000).toFixed(1)} s (answers on the way: ${[...answers].map(([k, v]) => `${v} × ${k}`).join(', ')})`,
  );

  // The counts.
  for (const id of [first, second]) {
    const history = expectStatus(
      'a history',
      await call('GET', `/v1/projects/${id}/history`, { key: keys.bdb }),
      200,
    ).json;
    const entries = (history.items ?? history.entries ?? history) as Array<{ action: string }>;
    const counts = ['application', 'technical-review', 'establishment', 'budget'].map(
      (a) => entries.filter((e) => e.action === a).length,
    );
    if (counts.join('') !== '1111')
      throw new Error(`project ${id}: audit entries per command ${counts.join('/')} (want 1/1/1/1)`);
    const ledger = expectStatus(
      'a ledger',
      await call('GET', `/v1/projects/${id}/ledger`, { key: keys.finance }),
      200,
    ).json;
    const allocations = (ledger.movements as Array<{ kind: string }>).filter((m) => m.kind === 'allocate').length;
    if (allocations !== 1) throw new Error(`project ${id}: ${allocations} allocations (want 1)`);
  }
  const list = expectStatus('the project list', await call('GET', '/v1/projects', { key: keys.bdb }), 200).json;
  if (list.items.length !== 2) throw new Error(`${list.items.length} projects listed (want 2)`);
  log('counts: 2 projects, each with one audit entry per command and one allocation');
  const survivor = containersOf('api').find((n) => n !== apis[0]) ?? apis[1]!;
  const verify = run('podman', ['exec', survivor, 'npx', 'tsx', 'scripts/audit-verify.ts'], { allowFail: true });
  if (verify.status !== 0)
    throw new Error(`audit:verify in ${survivor}: exit ${verify.status}\n${verify.stdout}${verify.stderr}`);
  log(`audit:verify in ${survivor}: clean (${verify.stdout.trim().split('\n').length} lines)`);
  const after = await call('GET', '/readyz');
  log(`/readyz after the kills: ${after.status} ${after.body.toString('utf8')}`);
  if (after.status !== 200) throw new Error('/readyz is not 200 after the kills');
}
