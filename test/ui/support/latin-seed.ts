/**
 * The data of test/ui/latin-text.e2e.ts, made through the API with a key of each role: projects in
 * every stage and with every kind of record, the people of each role, plans, filings and a
 * cloud-platform evaluation (the list in the test's header).
 */
import { typed } from './latin-scan.ts';
import { admin, call, createPerson, day, env, P, people, until, upload } from './latin-system.ts';

const DEPT = 'wjw';
const DEPT_NAME = '市卫生健康委员会';
const COUNTY = 'zezhou';
const COUNTY_DEPT = 'zzzwfw';
const COUNTY_DEPT_NAME = '泽州县政务服务中心';

export async function seed(): Promise<void> {
  const year = Number((await day()).slice(0, 4));
  // Departments by name (the registry), a county's too (Art. 5, 12, 30).
  await call('POST', '/v1/admin/departments', admin, { code: DEPT, name: DEPT_NAME });
  await call('POST', '/v1/admin/departments', admin, {
    code: COUNTY_DEPT,
    name: COUNTY_DEPT_NAME,
    jurisdiction: COUNTY,
  });
  // Local policy: the orders the system issues itself are on (Art. 9, 15: an English note in the record).
  const policy = (await call('GET', '/v1/policies', admin)) as {
    items: Array<{ jurisdiction: string; deadlines: unknown }>;
  };
  const city = policy.items.find((p) => p.jurisdiction === 'city')!;
  await call('PUT', '/v1/policies/city', admin, {
    deadlines: city.deadlines,
    switches: { unapprovedConstructionRectification: true, lateFilingRectification: true },
  });

  const KEY_NAMES: Record<string, string> = {
    bdb: '市大数据应用局业务系统',
    approval: '审批服务系统',
    finance: '财政一体化系统',
    department: '卫健委业务系统',
  };
  const key = async (role: string, extra: Record<string, string> = {}) =>
    (await call('POST', '/v1/admin/api-keys', admin, { role, name: KEY_NAMES[role], ...extra })).key as string;
  const bdb = await key('bdb');
  const approval = await key('approval');
  const finance = await key('finance');
  const dept = await key('department', { department: DEPT });
  const countyDept = await key('department', { department: COUNTY_DEPT, jurisdiction: COUNTY });

  // Art. 6: the plan in force (approved by the city government) and a draft of the next version.
  const names = [
    '技术审核',
    '退回修改',
    '审批立项',
    '资金安排',
    '公示异议',
    '公示期满异议',
    '合同签订',
    '建设',
    '联合验收',
    '竣工验收报告',
    '运行',
    '下线',
    '终止',
    '暂停拨付',
    '驳回',
    '撤回',
  ];
  const items = names.map((n, i) => ({
    code: typed(`${year}-WJW-${String(i + 1).padStart(2, '0')}`),
    title: `全民健康信息平台（${n}）`,
    department: DEPT,
    ceilingFen: 900_000_00,
  }));
  items.push({
    code: typed(`${year}-ZZ-01`),
    title: '泽州县政务服务一体化平台（市县共建）',
    department: COUNTY_DEPT,
    ceilingFen: 900_000_00,
  });
  await call('PUT', `/v1/annual-plans/${year}`, bdb, { items });
  await call('POST', `/v1/annual-plans/${year}/approval`, bdb, {
    approvedOn: `${year}-01-10`,
    documentNo: `晋市政函〔${year}〕1号`,
  });
  await call('PUT', `/v1/annual-plans/${year}`, bdb, {
    items: [
      ...items,
      { code: typed(`${year}-WJW-99`), title: '医疗影像云（草案新增）', department: DEPT, ceilingFen: 300_000_00 },
    ],
  });
  await call('POST', '/v1/plan-filings', dept, {
    title: '市卫生健康委员会“十五五”信息化规划',
    documentRef: typed('卫健委规划〔2026〕3号'),
    filedOn: await day(),
    year,
  });
  await call('POST', '/v1/cloud-platform/evaluations', bdb, {
    year: year - 1,
    score: 88,
    result: '良好',
    opinion: '资源利用率有待提高。',
    documentId: await upload(bdb, typed('城市云平台评估报告.pdf')),
  });

  const checklist = {
    resourceCatalog: true,
    dataSharing: true,
    intensiveConstruction: true,
    cloudDeployment: true,
    securityControllable: true,
  };
  let n = 0;
  const apply = async (name: string, k = dept, extra: Record<string, unknown> = {}) => {
    n++;
    const item =
      name === 'county' ? `${year}-ZZ-01` : `${year}-WJW-${String(names.indexOf(name) + 1).padStart(2, '0')}`;
    const documentIds = {
      proposal: await upload(k, typed(`项目建议书-${n}.pdf`)),
      feasibilityStudy: await upload(k, typed(`可行性研究报告-${n}.pdf`)),
      preliminaryDesign: await upload(k, typed(`初步设计方案-${n}.pdf`)),
      investmentEstimate: await upload(k, typed(`投资概算-${n}.pdf`)),
    };
    const v = await call('POST', '/v1/projects', k, {
      title: `全民健康信息平台（${name}）建设项目`,
      summary: '汇聚医疗机构诊疗数据，向共享平台开放。',
      kind: 'new',
      year,
      annualPlanItem: item,
      estimate: { totalFen: 800_000_00, cityShareFen: 800_000_00, countyShareFen: 0 },
      plannedCompletionDate: `${year + 1}-06-30`,
      documentIds,
      classified: false,
      leader: { name: '周敏', post: '信息中心主任', contact: '0356-2058866' },
      ...extra,
    });
    P[name] = v.id as string;
    return v.id as string;
  };
  const established = async (name: string) => {
    const id = await apply(name);
    await call('POST', `/v1/projects/${id}/technical-review`, bdb, {
      decision: 'pass',
      opinion: '符合集约建设要求。',
      checklist,
    });
    await call('POST', `/v1/projects/${id}/establishment`, approval, {
      decision: 'approve',
      approvalNo: `晋审批〔${year}〕${n}号`,
      opinion: '同意立项。',
      approvedEstimateFen: 750_000_00,
    });
    return id;
  };
  const budgeted = async (name: string) => {
    const id = await established(name);
    await call('POST', `/v1/projects/${id}/budget`, finance, {
      fundType: 'construction',
      year,
      amountFen: 600_000_00,
      cityShareFen: 600_000_00,
      countyShareFen: 0,
    });
    return id;
  };
  const published = async (name: string) => {
    const id = await budgeted(name);
    await call('POST', '/v1/allocation-plans', bdb, {
      year,
      title: `${year}年政务大数据项目资金拟分配计划（${name}）`,
      allocations: [{ projectId: id, allocationId: 'alloc-1' }],
    });
    return id;
  };

  // Projects whose publicity must end (Art. 11): published now, then the days skipped.
  for (const name of ['合同签订', '建设', '联合验收', '竣工验收报告', '运行', '下线', '终止', '暂停拨付'])
    await published(name);
  const awaitingObjection = await published('公示期满异议');
  await call('POST', `/v1/projects/${awaitingObjection}/publicity-objections`, bdb, {
    summary: '有群众反映该项目与已建系统重复。',
    allocationId: 'alloc-1',
  });
  const view = await call('GET', `/v1/projects/${P['建设']}`, bdb);
  const publicity = (view.deadlines as Array<{ kind: string; status: string; dueAt: string }>).find(
    (d) => d.kind === 'publicity' && d.status === 'open',
  )!;
  await env.sleep(Date.parse(publicity.dueAt) - (await env.currentTimeMs()) + 3_600_000);
  for (const name of ['合同签订', '建设', '联合验收', '竣工验收报告', '运行', '下线', '终止', '暂停拨付']) {
    await until(`${name} contracting`, async () =>
      (await call('GET', `/v1/projects/${P[name]}`, bdb)).stage === 'contracting' ? true : undefined,
    );
  }

  // Construction: contracts (one signed before the approval: 未批先建, an automatic order), a
  // disbursement, a budget change awaiting the related units' opinions, an order awaiting its answer,
  // a leader change, an 对照分析, an acceptance-delay reason.
  const contract = async (id: string, no: string, signedOn: string, extra: Record<string, unknown> = {}) =>
    call('POST', `/v1/projects/${id}/contracts`, dept, {
      contractNo: typed(no),
      contractor: '晋城市数字科技有限公司',
      amountFen: 200_000_00,
      signedOn,
      documentId: await upload(dept, typed(`${no}.pdf`)),
      procurement: { method: 'open-tender' },
      supervisor: '山西信息工程监理有限公司',
      ...extra,
    });
  let contracts = 0;
  const contractNo = () => `HT-${year}-${String(++contracts).padStart(2, '0')}`;
  const build = async (name: string) => {
    const id = P[name]!;
    await contract(id, contractNo(), await day(-1));
    return id;
  };
  const built = await build('建设');
  await contract(built, contractNo(), `${year - 1}-12-01`, {
    procurement: { method: 'single-source', reason: '原系统建设单位' },
  });
  await call('POST', `/v1/projects/${built}/disbursements`, finance, {
    fundType: 'construction',
    amountFen: 100_000_00,
    note: '第一期进度款',
  });
  await call('POST', `/v1/projects/${built}/change-requests`, dept, {
    kind: 'budget',
    description: '追加存储设备',
    budgetDeltaFen: 50_000_00,
  });
  await call('POST', `/v1/projects/${built}/change-requests`, dept, {
    kind: 'schedule',
    description: '数据接口联调延后',
    newPlannedCompletionDate: `${year + 1}-09-30`,
  });
  await call('POST', `/v1/projects/${built}/rectification-orders`, bdb, {
    reason: 'unauthorized-change',
    description: '请说明擅自调整建设内容的情况。',
  });
  await call('POST', `/v1/projects/${built}/leader`, dept, { name: '李娜', post: '副主任', contact: '0356-2020002' });
  await call('POST', `/v1/projects/${built}/acceptance-delay-reason`, dept, { reason: '主要设备到货延迟。' });
  await call('POST', `/v1/projects/${built}/accountability-referrals`, bdb, {
    reference: typed('晋纪〔2026〕5号'),
    description: '擅自调整建设内容，移送纪检监察机关。',
  });

  // Rectification answered (awaiting the BDB's review).
  const suspended = await build('暂停拨付');
  await call('POST', `/v1/projects/${suspended}/rectification-orders`, bdb, {
    reason: 'other',
    description: '请补充监理日志。',
  });
  await call('POST', `/v1/projects/${suspended}/rectification-orders/rect-1/response`, dept, {
    description: '已补充监理日志。',
    documentId: await upload(dept, typed('监理日志.pdf')),
  });
  await call('POST', `/v1/projects/${suspended}/rectification-orders/rect-1/review`, bdb, {
    decision: 'reject',
    opinion: '监理日志不完整。',
  });
  await call('POST', `/v1/projects/${suspended}/rectification-orders`, approval, {
    reason: 'unauthorized-change',
    description: '请说明调整建设内容的审批情况。',
  });
  await call('POST', `/v1/projects/${suspended}/rectification-orders/rect-2/response`, dept, {
    description: '已说明。',
    documentId: await upload(dept, typed('情况说明.pdf')),
  });

  const terminated = await build('终止');
  await call('POST', `/v1/projects/${terminated}/rectification-orders`, bdb, {
    reason: 'disguised-packaging',
    description: '项目内容与已建系统重复。',
  });
  await call('POST', `/v1/projects/${terminated}/rectification-orders/rect-1/response`, dept, {
    description: '已调整。',
    documentId: await upload(dept, typed('整改报告.pdf')),
  });
  await call('POST', `/v1/projects/${terminated}/rectification-orders/rect-1/review`, bdb, {
    decision: 'reject',
    opinion: '仍属重复建设。',
  });
  await call('POST', `/v1/projects/${terminated}/termination`, bdb, { reason: '整改后仍属重复建设（第二十二条）。' });

  // Joint acceptance, completion filing, operating, decommissioned.
  const accepted = async (name: string, steps: number) => {
    const id = await build(name);
    await call('POST', `/v1/projects/${id}/catalog-entries`, dept, {
      entries: [
        {
          code: typed(`WJW-${Object.keys(P).indexOf(name)}-001`),
          name: '门诊诊疗记录',
          sharingType: 'conditional',
          updateCycle: '每日',
        },
      ],
    });
    const today = await day();
    await call('POST', `/v1/projects/${id}/progress-reports`, dept, {
      period: `${today.slice(0, 4)}Q${Math.ceil(Number(today.slice(5, 7)) / 3)}`,
      spentFen: 100_000_00,
      progressPercent: 60,
      summary: '按计划推进。',
    });
    await call('POST', `/v1/projects/${id}/preliminary-acceptance`, dept, {
      completedOn: await day(),
      documentId: await upload(dept, typed(`初步验收报告-${name}.pdf`)),
    });
    if (steps < 2) return id;
    await call('POST', `/v1/projects/${id}/risk-assessments`, dept, {
      assessedOn: await day(),
      result: '风险可控',
      bdbParticipant: '市大数据应用局安全科',
      documentId: await upload(dept, typed(`风险评估报告-${name}.pdf`)),
    });
    await call('POST', `/v1/projects/${id}/technical-acceptance`, bdb, {
      decision: 'pass',
      opinion: '安全可控。',
      securityControllable: true,
      mlpsLevel: 3,
      cryptoAssessmentPassed: true,
    });
    await call('POST', `/v1/projects/${id}/completion-acceptance`, approval, {
      decision: 'pass',
      opinion: '同意通过竣工验收。',
    });
    if (steps < 3) return id;
    await call('POST', `/v1/projects/${id}/emergency-plans`, dept, {
      adoptedOn: await day(),
      contractor: '晋城市数字科技有限公司',
      documentId: await upload(dept, typed(`应急预案-${name}.pdf`)),
    });
    await call('POST', `/v1/projects/${id}/completion-report`, dept, {
      documentId: await upload(dept, typed(`竣工验收报告-${name}.pdf`)),
    });
    await call('POST', `/v1/projects/${id}/evaluations`, bdb, {
      year,
      fundUseScore: 90,
      outputScore: 85,
      effectScore: 80,
      satisfactionScore: 95,
      sharingCompliant: true,
      dataStoredOnPlatform: true,
      summary: '良好',
    });
    await call('POST', `/v1/projects/${id}/om-review`, bdb, {
      year: year + 1,
      approvedFen: 50_000_00,
      opinion: '运维经费核定。',
    });
    const at = new Date((await env.currentTimeMs()) - 3_600_000).toISOString();
    await call('POST', `/v1/projects/${id}/security-incidents`, dept, {
      occurredAt: at,
      severity: 'medium',
      description: '异常登录',
      handling: '已封禁来源地址',
      reportedTo: '市委网信办',
      reportedAt: at,
    });
    await call('POST', `/v1/projects/${id}/security-drills`, dept, {
      heldOn: await day(),
      scenario: '数据库故障切换',
      summary: '切换用时 5 分钟。',
    });
    if (steps < 4) return id;
    await call('POST', `/v1/projects/${id}/decommission`, bdb, { reason: '功能并入全民健康信息平台二期。' });
    return id;
  };
  await accepted('联合验收', 1);
  await accepted('竣工验收报告', 2);
  await accepted('运行', 3);
  await accepted('下线', 4);

  // After the skip: publicity with an open objection, held money, the early stages and the ends.
  const open = await published('公示异议');
  await call('POST', `/v1/projects/${open}/publicity-objections`, bdb, {
    summary: '该项目预算偏高。',
    allocationId: 'alloc-1',
  });
  await budgeted('资金安排');
  await established('审批立项');
  await apply('技术审核');
  const returned = await apply('退回修改');
  await call('POST', `/v1/projects/${returned}/technical-review`, bdb, {
    decision: 'revise',
    opinion: '请补充数据共享清单。',
    checklist: { ...checklist, dataSharing: false },
    grounds: ['no-interconnection'],
  });
  const rejected = await apply('驳回');
  await call('POST', `/v1/projects/${rejected}/technical-review`, bdb, {
    decision: 'reject',
    opinion: '与已建系统重复建设。',
    checklist: { ...checklist, intensiveConstruction: false },
    grounds: ['disguised-packaging'],
  });
  const withdrawn = await apply('撤回');
  await call('POST', `/v1/projects/${withdrawn}/withdrawal`, dept, { reason: '并入市级平台统一建设。' });

  // Art. 5, 12: a city–county project; finance allocates a county share, the county's finance confirms it.
  const county = await apply('county', countyDept, {
    title: '泽州县政务服务一体化平台（市县共建）',
    estimate: { totalFen: 800_000_00, cityShareFen: 500_000_00, countyShareFen: 300_000_00 },
  });
  await call('POST', `/v1/projects/${county}/technical-review`, bdb, {
    decision: 'pass',
    opinion: '同意。',
    checklist,
  });
  await call('POST', `/v1/projects/${county}/establishment`, approval, {
    decision: 'approve',
    approvalNo: `晋审批〔${year}〕99号`,
    opinion: '同意立项。',
    approvedEstimateFen: 800_000_00,
  });
  await call('POST', `/v1/projects/${county}/budget`, finance, {
    fundType: 'construction',
    year,
    amountFen: 400_000_00,
    cityShareFen: 250_000_00,
    countyShareFen: 150_000_00,
  });

  // Art. 21: an existing system awaiting its O&M review.
  const existing = await call('POST', '/v1/existing-systems', dept, {
    name: '医院信息共享系统',
    summary: '医院之间的检验检查结果互认',
    goLiveYear: year - 3,
  });
  P['原有系统'] = existing.id as string;

  people.department = await createPerson('latin.dept', '周敏', 'department', { department: DEPT });
  people.bdb = await createPerson('latin.bdb', '吴刚', 'bdb');
  people.approval = await createPerson('latin.approval', '刘洋', 'approval');
  people.finance = await createPerson('latin.finance', '陈静', 'finance');
  // 三员分立: the three administrators, each with their own page.
  people.sysadmin = await createPerson('latin.sysadmin', '赵磊', 'sysadmin');
  people.secadmin = await createPerson('latin.secadmin', '钱进', 'secadmin');
  people.auditadmin = await createPerson('latin.auditadmin', '郑洁', 'auditadmin');
  people.countyFinance = await createPerson('latin.zzfinance', '孙丽', 'finance', { jurisdiction: COUNTY });
}
