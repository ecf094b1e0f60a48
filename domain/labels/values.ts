/**
 * The names of code values in zh-CN and English (LABELS: stages, roles, actions, reasons, the Art. 9
 * grounds, the Art. 13 procurement methods, …) and of the articles records cite ("Art. 10" →
 * 第十条).
 * Pure and deterministic (the workflow sandbox runs it): no Intl, no clock, no I/O.
 */
import { DEFAULT_LANGUAGE, type Language } from './language.ts';

// --- labels -------------------------------------------------------------------------------------

type Labels = Record<string, readonly [zh: string, en: string]>;

const LABELS = {
  fundType: { construction: ['建设资金', 'construction'], om: ['运维资金', 'O&M'] },
  reason: {
    'unapproved-construction': ['未批先建', 'unapproved construction'],
    'unauthorized-change': ['擅自变更', 'unauthorised change'],
    'acceptance-delay': ['验收延期', 'acceptance delay'],
    'late-filing': ['逾期备案', 'late filing'],
    'missing-report': ['未按期开展对照分析', 'missing report'],
    'sharing-noncompliance': ['未按要求共享数据', 'sharing non-compliance'],
    'disguised-packaging': ['变相包装', 'disguised packaging'],
    other: ['其他', 'other'],
    // Violations that are no rectification ground (domain/rules/deadlines.ts ctx.violation).
    'late-completion-report': ['竣工验收报告逾期备案', 'late completion report'],
    'rectification-failed': ['整改未通过', 'rectification failed'],
  },
  severity: { low: ['低', 'low'], medium: ['中', 'medium'], high: ['高', 'high'], critical: ['严重', 'critical'] },
  changeKind: {
    scope: ['建设内容', 'scope'],
    budget: ['预算', 'budget'],
    schedule: ['工期', 'schedule'],
    contractor: ['承建单位', 'contractor'],
  },
  changeStatus: { approved: ['批准', 'approved'], rejected: ['驳回', 'rejected'] },
  acceptance: { technical: ['技术验收', 'technical acceptance'], completion: ['竣工验收', 'completion acceptance'] },
  why: {
    'response rejected': ['整改答复被驳回', 'response rejected'],
    'deadline passed': ['整改期限已过', 'deadline passed'],
  },
  stage: {
    // Art. 7: the BDB returned the application for revision; the department resubmits.
    submitted: ['退回修改', 'returned for revision'],
    technical_review: ['技术审核', 'technical review'],
    establishment_review: ['审批立项', 'establishment review'],
    budgeting: ['资金安排', 'budgeting'],
    publicity: ['公示', 'publicity'],
    contracting: ['合同签订', 'contracting'],
    construction: ['建设', 'construction'],
    joint_acceptance: ['联合验收', 'joint acceptance'],
    completion_filing: ['竣工验收报告备案', 'completion report filing'],
    operating: ['运行', 'operating'],
    decommissioned: ['已下线', 'decommissioned'],
    rejected: ['已驳回', 'rejected'],
    withdrawn: ['已撤回', 'withdrawn'],
    terminated: ['已终止', 'terminated'],
  },
  role: {
    bdb: ['市大数据应用局', 'BDB'],
    approval: ['审批部门', 'approval'],
    finance: ['财政部门', 'finance'],
    department: ['项目单位', 'department'],
    sysadmin: ['系统管理员', 'system administrator'],
    secadmin: ['安全管理员', 'security administrator'],
    auditadmin: ['审计管理员', 'audit administrator'],
    admin: ['管理员密钥（启动配置）', 'start-up admin key'],
  },
  kind: {
    new: ['新建', 'new'],
    expansion: ['扩建', 'expansion'],
    upgrade: ['改造升级', 'upgrade'],
    om: ['运维', 'O&M'],
    existing: ['原有系统', 'existing system'],
  },
  checklist: {
    resourceCatalog: ['信息资源目录', 'resource catalogue'],
    dataSharing: ['数据共享', 'data sharing'],
    intensiveConstruction: ['集约建设', 'intensive construction'],
    cloudDeployment: ['迁云上云', 'cloud deployment'],
    securityControllable: ['安全可控', 'security controllable'],
  },
  // Art. 9 (measures): the grounds of domain/records.ts ART9_GROUNDS, in the text's words.
  art9Ground: {
    'against-sharing-policy': [
      '与国家和省市政务资源共享和集约化建设相关政策相违背',
      'against the sharing and intensive-construction policies',
    ],
    'no-interconnection': ['无法实现互联互通、信息共享、业务协同', 'cannot interconnect, share or cooperate'],
    'disguised-packaging': [
      '将政务大数据项目变相包装或纳入其他项目进行建设',
      'packaged in disguise or inside another project',
    ],
  },
  // Art. 13 (measures): the procurement methods of domain/records.ts PROCUREMENT_METHODS.
  procurementMethod: {
    'open-tender': ['公开招标', 'open tender'],
    'invited-tender': ['邀请招标', 'invited tender'],
    'competitive-negotiation': ['竞争性谈判', 'competitive negotiation'],
    'competitive-consultation': ['竞争性磋商', 'competitive consultation'],
    'price-inquiry': ['询价', 'price inquiry'],
    'single-source': ['单一来源', 'single source'],
    'state-enterprise-self-build': ['市属企业自主建设', 'self-build by a city-owned enterprise'],
  },
  // docs/MEASURES.md "Working days": where a calendar day comes from (db/schema/registries.ts CALENDAR_SOURCES).
  calendarSource: {
    law: ['法定节假日（暂定）', 'holiday law (provisional)'],
    notice: ['国务院通知', 'State Council notice'],
    admin: ['管理员调整', 'admin override'],
  },
  // Art. 6 (measures): a plan version's status (db/queries/plans.ts PlanVersionStatus).
  planVersionStatus: {
    draft: ['草稿', 'draft'],
    'in-force': ['已批准', 'approved'],
    superseded: ['已被取代', 'superseded'],
  },
  // Art. 30: a policy's units of time.
  durationUnit: { workingDays: ['工作日', 'working days'], calendarDays: ['自然日', 'calendar days'] },
  // docs/MEASURES.md "Two kinds of rule".
  ruleBasis: { measures: ['法定', 'measures'], policy: ['本地政策', 'local policy'] },
  // What a person can do or did: the commands, the pending actions and the audit trail's entries.
  action: {
    application: ['申报项目', 'application'],
    'existing-system': ['登记原有信息化项目', 'existing system registration'],
    'technical-review': ['技术审核', 'technical review'],
    resubmission: ['修改后重新报送', 'resubmission'],
    establishment: ['审批立项', 'establishment approval'],
    budget: ['安排资金', 'budget'],
    'county-share-confirmation': ['确认县级资金份额', 'county share confirmation'],
    'allocation-publication': ['资金拟分配计划公示', 'allocation plan publication'],
    'publicity-objection': ['登记公示异议', 'publicity objection'],
    'publicity-objection-resolution': ['处理公示异议', 'objection resolution'],
    'publicity-ended': ['公示期满', 'publicity ended'],
    contract: ['登记合同', 'contract'],
    'contract-filing': ['合同备案', 'contract filing'],
    'progress-report': ['报送对照分析', 'comparative analysis'],
    disbursement: ['拨付资金', 'disbursement'],
    'change-request': ['提交调整申请', 'change request'],
    'change-request-opinion': ['对调整申请提出意见', 'opinion on a change request'],
    'change-request-decision': ['审核调整申请', 'change request decision'],
    'leader-change': ['变更项目负责人', 'leader change'],
    'rectification-order': ['责令限期整改', 'rectification order'],
    'rectification-response': ['报送整改情况', 'rectification response'],
    'rectification-review': ['审核整改情况', 'rectification review'],
    'rectification-extension': ['延长整改期限', 'rectification extension'],
    'rectification-decision': ['处理整改未通过（延期或终止）', 'decide after a failed rectification'],
    termination: ['终止项目', 'termination'],
    withdrawal: ['撤回项目', 'withdrawal'],
    'accountability-referral': ['追究责任移送', 'accountability referral'],
    'acceptance-delay-reason': ['说明验收延期原因', 'acceptance delay reason'],
    'acceptance-delay-reason-decision': ['审核验收延期原因', 'acceptance delay reason decision'],
    'catalog-entries': ['登记信息资源目录', 'resource catalogue'],
    'risk-assessment': ['登记网络与信息安全风险评估', 'risk assessment'],
    'emergency-plan': ['登记应急预案', 'emergency plan'],
    'preliminary-acceptance': ['初步验收', 'preliminary acceptance'],
    'technical-acceptance': ['技术验收', 'technical acceptance'],
    'completion-acceptance': ['竣工验收', 'completion acceptance'],
    'completion-report': ['竣工验收报告备案', 'completion report filing'],
    'om-review': ['审核运维经费', 'O&M cost review'],
    evaluation: ['年度评估', 'evaluation'],
    'cloud-platform-evaluation': ['城市云平台评估', 'cloud platform evaluation'],
    'security-incident': ['报告安全事件', 'security incident'],
    'security-drill': ['记录应急演练', 'security drill'],
    decommission: ['系统下线', 'decommissioning'],
    'deadline-rescheduling': ['按工作日历重新计算期限', 'deadline rescheduling'],
    'deadline-rescheduled': ['按工作日历重新计算期限', 'deadline rescheduled'],
    'deadline-reminder': ['期限提醒', 'deadline reminder'],
    'deadline-missed': ['期限已过', 'deadline missed'],
  },
  /** The ProjectView's deadlines by kind (those not named after their action use this group first). */
  deadline: {
    publicity: ['公示期', 'publicity period'],
    'acceptance-delay': ['验收期限', 'acceptance period'],
    rectification: ['整改期限', 'rectification period'],
    'annual-evaluation': ['年度评估', 'annual evaluation'],
    'security-drill': ['应急演练', 'emergency drill'],
    'contract-filing': ['合同备案（5 个工作日）', 'contract filing'],
    'progress-report': ['对照分析', 'comparative analysis'],
    'completion-report': ['竣工验收报告备案（7 个工作日）', 'completion report filing'],
  },
  /** Decisions of the ProjectView's `decisions` and the forms' choices. */
  decision: {
    pass: ['通过', 'pass'],
    revise: ['退回修改', 'revise'],
    reject: ['不通过', 'reject'],
    approve: ['同意', 'approve'],
    accept: ['接受', 'accept'],
    fail: ['不通过', 'fail'],
    upheld: ['异议成立', 'upheld'],
    dismissed: ['异议不成立', 'dismissed'],
    terminate: ['终止', 'terminate'],
    withdraw: ['撤回', 'withdraw'],
    completed: ['已完成', 'completed'],
    filed: ['已备案', 'filed'],
    'filed-late': ['逾期备案', 'filed late'],
    'sharing-compliant': ['按要求共享数据', 'sharing compliant'],
    'sharing-noncompliant': ['未按要求共享数据', 'sharing non-compliant'],
    decommission: ['下线', 'decommission'],
  },
  deadlineStatus: {
    open: ['进行中', 'open'],
    met: ['按期完成', 'met'],
    missed: ['已逾期', 'missed'],
    cancelled: ['已取消', 'cancelled'],
  },
  allocationStatus: {
    'awaiting-county': ['待县级财政确认', 'awaiting county'],
    held: ['待公示', 'held'],
    publicity: ['公示中', 'under publicity'],
    'awaiting-objection': ['异议待处理', 'awaiting objection'],
    published: ['已公示', 'published'],
    cancelled: ['已取消', 'cancelled'],
  },
  objectionStatus: {
    open: ['待处理', 'open'],
    upheld: ['异议成立', 'upheld'],
    dismissed: ['异议不成立', 'dismissed'],
    moot: ['已失效', 'moot'],
  },
  changeRequestStatus: {
    pending: ['待审核', 'pending'],
    approved: ['已同意', 'approved'],
    rejected: ['不同意', 'rejected'],
    closed: ['已关闭', 'closed'],
  },
  rectificationStatus: {
    'awaiting-response': ['待整改', 'awaiting response'],
    'awaiting-review': ['整改待审核', 'awaiting review'],
    accepted: ['整改通过', 'accepted'],
    failed: ['整改未通过', 'failed'],
    closed: ['已关闭', 'closed'],
  },
  delayReasonStatus: {
    pending: ['待审核', 'pending'],
    accepted: ['已接受', 'accepted'],
    rejected: ['不予接受', 'rejected'],
  },
  sharingType: {
    unconditional: ['无条件共享', 'unconditional'],
    conditional: ['有条件共享', 'conditional'],
    'not-shared': ['不予共享', 'not shared'],
  },
  /** Art. 8: the four application documents. */
  documentKind: {
    proposal: ['项目建议书', 'project proposal'],
    feasibilityStudy: ['可行性研究报告', 'feasibility study'],
    preliminaryDesign: ['初步设计方案', 'preliminary design'],
    investmentEstimate: ['投资概算', 'investment estimate'],
  },
  /** The ledger (资金台账): movements, their buckets and the reasons of freezes and cancellations. */
  movementKind: {
    allocate: ['安排资金', 'allocate'],
    publish: ['公示期满转为可拨付', 'publish'],
    disburse: ['拨付', 'disburse'],
    freeze: ['冻结', 'freeze'],
    unfreeze: ['解冻', 'unfreeze'],
    cancel: ['取消', 'cancel'],
  },
  bucket: {
    held: ['待公示', 'held'],
    available: ['可拨付', 'available'],
    frozen: ['冻结', 'frozen'],
    disbursed: ['已拨付', 'disbursed'],
    cancelled: ['已取消', 'cancelled'],
  },
  /** Names of actors that are not people (domain/effects.ts SYSTEM_ACTOR). */
  actorName: { 'system (deadline)': ['系统（期限到期自动处理）', 'system (deadline)'] },
  movementReason: {
    suspension: ['暂停拨付', 'suspension'],
    'completion-report': ['竣工验收报告未备案', 'completion report not filed'],
    'objection-upheld': ['公示异议成立', 'objection upheld'],
    termination: ['项目终止', 'termination'],
    withdrawal: ['项目撤回', 'withdrawal'],
    decommission: ['系统下线', 'decommissioning'],
  },
} satisfies Record<string, Labels>;

/** The label groups (LABELS). */
export type LabelGroup = keyof typeof LABELS;

/**
 * An action's name: a command, a pending action or an audit entry. A refused signal's entry
 * (`<action>-rejected`) reads "<name>（未受理）".
 */
export function actionLabel(action: string, lang: Language = DEFAULT_LANGUAGE): string {
  const refused = /^(.+)-rejected$/.exec(action);
  if (refused && (LABELS.action as Labels)[refused[1]!])
    return `${label('action', refused[1], lang)}${lang === 'en' ? ' (refused)' : '（未受理）'}`;
  return label('action', action, lang);
}

const DIGITS = ['零', '一', '二', '三', '四', '五', '六', '七', '八', '九'];
/** 1-99 in Chinese numerals: 10 → 十, 12 → 十二, 21 → 二十一. */
export function chineseNumber(n: number): string {
  if (!Number.isInteger(n) || n < 1 || n > 99) return String(n);
  const tens = Math.floor(n / 10);
  const ones = n % 10;
  return `${tens === 0 ? '' : tens === 1 ? '十' : `${DIGITS[tens]}十`}${ones === 0 ? '' : DIGITS[ones]}`;
}

/** "Art. 10, 12" (how records cite the measures) → "第十条、第十二条"; other text stays as it is. */
export function articleLabel(article: string, lang: Language = DEFAULT_LANGUAGE): string {
  if (lang === 'en') return article;
  const m = /^Art\.\s*([\d,\s-]+)$/.exec(article.trim());
  if (!m) return article;
  return m[1]!
    .split(',')
    .map((part) => part.trim())
    .filter(Boolean)
    .map((part) =>
      part
        .split('-')
        .map((n) => `第${chineseNumber(Number(n))}条`)
        .join('至'),
    )
    .join('、');
}

/** A label of an enum value (English code values stay as they are when unknown). */
export function label(group: keyof typeof LABELS, value: unknown, lang: Language = DEFAULT_LANGUAGE): string {
  const entry = (LABELS[group] as Labels)[String(value)];
  return entry ? entry[lang === 'en' ? 1 : 0] : String(value);
}

/**
 * What an order the system issues itself (local policy) asks, by its reason. Its record keeps the
 * English note the workflow wrote (`File contract … (Art. 15).`): people read this instead.
 */
const AUTOMATIC_REQUIREMENTS: Record<string, readonly [zh: string, en: string]> = {
  'late-filing': [
    '合同未在签订后规定期限内报市大数据应用局备案，请尽快备案（第十五条）',
    'File the contract with the BDB (Art. 15)',
  ],
  'missing-report': ['未按期报送对照分析，请尽快报送（第十六条）', 'Submit the comparative analysis (Art. 16)'],
  'acceptance-delay': [
    '计划完成后长期未验收，请组织验收或说明原因（第二十二条）',
    'Carry out the acceptance or state the reason (Art. 22)',
  ],
  'unapproved-construction': [
    '合同签订早于立项批复（未批先建，第九条）',
    'Contract signed before the establishment approval (Art. 9)',
  ],
};
export const automaticRequirement = (reason: unknown, lang: Language = DEFAULT_LANGUAGE): string => {
  const entry = AUTOMATIC_REQUIREMENTS[String(reason)];
  return entry ? entry[lang === 'en' ? 1 : 0] : label('reason', reason, lang);
};
