/**
 * The one catalogue of texts shown to people (docs/API.md "Language": problem texts are zh-CN by
 * default, English with `Accept-Language: en`; code values stay English).
 *
 * - Notifications: the core emits a machine-readable `kind` and `params`; `renderNotification`
 *   turns them into zh-CN (default) or English. The outbox keeps kind, params and the zh-CN text.
 * - Problems: a title per code (fallback per HTTP status) and, for the codes in PROBLEM_DETAILS, a
 *   zh-CN detail rendered from the refusal's details. English details are the refusal's own English
 *   message (the core's Rejection message, the API's ApiError detail), which is also what is logged.
 *
 * Pure and deterministic (the workflow sandbox runs it): no Intl, no clock, no I/O.
 * Amounts: integer fen → "1,200,000.00 元"; dates: "2026年11月25日" (Asia/Shanghai).
 */
import { SHANGHAI_OFFSET_MS, dueDate, shanghaiDate } from './dates.ts';

export type Language = 'zh-CN' | 'en';
export const DEFAULT_LANGUAGE: Language = 'zh-CN';

/** The measures' own title (晋市政办〔2019〕44号), wherever a text names them in full. */
export const MEASURES_TITLE = '《晋城市政务大数据项目建设应用管理办法》';

/** What a notification carries besides its kind: plain JSON values only (stored as jsonb). */
export type NotificationParams = Record<string, string | number | boolean | null>;

// --- formatting -------------------------------------------------------------------------------

/** Integer fen as yuan with two decimals and thousands separators: 120000000 → "1,200,000.00". */
export function formatYuanNumber(fen: number): string {
  const negative = fen < 0;
  const abs = Math.abs(Math.trunc(fen));
  const yuan = Math.floor(abs / 100);
  const cents = abs % 100;
  const grouped = String(yuan).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return `${negative ? '-' : ''}${grouped}.${String(cents).padStart(2, '0')}`;
}

/** "1,200,000.00 元" (zh-CN) or "1,200,000.00 yuan" (en). */
export const formatYuan = (fen: number, lang: Language = DEFAULT_LANGUAGE): string =>
  `${formatYuanNumber(fen)} ${lang === 'en' ? 'yuan' : '元'}`;

/** A calendar date (YYYY-MM-DD) or an instant (its Asia/Shanghai day): "2026年11月25日" or "2026-11-25". */
export function formatDate(value: string, lang: Language = DEFAULT_LANGUAGE): string {
  const date = /^\d{4}-\d{2}-\d{2}$/.test(value) ? value : /^\d{4}-\d{2}-\d{2}T/.test(value) ? shanghaiDate(value) : null;
  if (date === null) return value;
  if (lang === 'en') return date;
  const [y, m, d] = date.split('-');
  return `${y}年${Number(m)}月${Number(d)}日`;
}

/**
 * The day a deadline ends, from its due instant (`dueAt`, 24:00 Asia/Shanghai of that day):
 * "2026年12月11日" for 2026-12-11T16:00:00Z. Every due date a person reads goes through this.
 */
export const formatDue = (dueAt: string, lang: Language = DEFAULT_LANGUAGE): string => formatDate(dueDate(dueAt), lang);

/** An instant as Asia/Shanghai wall time to the minute: "2026-11-25 14:30" (UTC+8, no daylight saving). */
export function formatInstant(value: string | Date): string {
  const ms = typeof value === 'string' ? Date.parse(value) : value.getTime();
  return new Date(ms + SHANGHAI_OFFSET_MS).toISOString().slice(0, 16).replace('T', ' ');
}

/** "2026Q3" → "2026年第3季度" / "2026 Q3". */
export function formatPeriod(period: string, lang: Language = DEFAULT_LANGUAGE): string {
  const m = /^(\d{4})Q([1-4])$/.exec(period);
  if (!m) return period;
  return lang === 'en' ? `${m[1]} Q${m[2]}` : `${m[1]}年第${m[2]}季度`;
}

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
    // Violations that are no rectification ground (domain/rules.ts ctx.violation).
    'late-completion-report': ['竣工验收报告逾期备案', 'late completion report'],
    'rectification-failed': ['整改未通过', 'rectification failed'],
  },
  severity: { low: ['低', 'low'], medium: ['中', 'medium'], high: ['高', 'high'], critical: ['严重', 'critical'] },
  changeKind: { scope: ['建设内容', 'scope'], budget: ['预算', 'budget'], schedule: ['工期', 'schedule'], contractor: ['承建单位', 'contractor'] },
  changeStatus: { approved: ['批准', 'approved'], rejected: ['驳回', 'rejected'] },
  acceptance: { technical: ['技术验收', 'technical acceptance'], completion: ['竣工验收', 'completion acceptance'] },
  why: { 'response rejected': ['整改答复被驳回', 'response rejected'], 'deadline passed': ['整改期限已过', 'deadline passed'] },
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
  kind: { new: ['新建', 'new'], expansion: ['扩建', 'expansion'], upgrade: ['改造升级', 'upgrade'], om: ['运维', 'O&M'], existing: ['原有系统', 'existing system'] },
  checklist: {
    resourceCatalog: ['信息资源目录', 'resource catalogue'],
    dataSharing: ['数据共享', 'data sharing'],
    intensiveConstruction: ['集约建设', 'intensive construction'],
    cloudDeployment: ['迁云上云', 'cloud deployment'],
    securityControllable: ['安全可控', 'security controllable'],
  },
  // Art. 9 (measures): the grounds of domain/types.ts ART9_GROUNDS, in the text's words.
  art9Ground: {
    'against-sharing-policy': ['与国家和省市政务资源共享和集约化建设相关政策相违背', 'against the sharing and intensive-construction policies'],
    'no-interconnection': ['无法实现互联互通、信息共享、业务协同', 'cannot interconnect, share or cooperate'],
    'disguised-packaging': ['将政务大数据项目变相包装或纳入其他项目进行建设', 'packaged in disguise or inside another project'],
  },
  // Art. 13 (measures): the procurement methods of domain/types.ts PROCUREMENT_METHODS.
  procurementMethod: {
    'open-tender': ['公开招标', 'open tender'],
    'invited-tender': ['邀请招标', 'invited tender'],
    'competitive-negotiation': ['竞争性谈判', 'competitive negotiation'],
    'competitive-consultation': ['竞争性磋商', 'competitive consultation'],
    'price-inquiry': ['询价', 'price inquiry'],
    'single-source': ['单一来源', 'single source'],
    'state-enterprise-self-build': ['市属企业自主建设', 'self-build by a city-owned enterprise'],
  },
  // docs/MEASURES.md "Working days": where a calendar day comes from (db/schema.ts CALENDAR_SOURCES).
  calendarSource: {
    law: ['法定节假日（暂定）', 'holiday law (provisional)'],
    notice: ['国务院通知', 'State Council notice'],
    admin: ['管理员调整', 'admin override'],
  },
  // Art. 6 (measures): a plan version's status (db/queries/plans.ts PlanVersionStatus).
  planVersionStatus: { draft: ['草稿', 'draft'], 'in-force': ['已批准', 'approved'], superseded: ['已被取代', 'superseded'] },
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
  deadlineStatus: { open: ['进行中', 'open'], met: ['按期完成', 'met'], missed: ['已逾期', 'missed'], cancelled: ['已取消', 'cancelled'] },
  allocationStatus: {
    'awaiting-county': ['待县级财政确认', 'awaiting county'],
    held: ['待公示', 'held'],
    publicity: ['公示中', 'under publicity'],
    'awaiting-objection': ['异议待处理', 'awaiting objection'],
    published: ['已公示', 'published'],
    cancelled: ['已取消', 'cancelled'],
  },
  objectionStatus: { open: ['待处理', 'open'], upheld: ['异议成立', 'upheld'], dismissed: ['异议不成立', 'dismissed'], moot: ['已失效', 'moot'] },
  changeRequestStatus: { pending: ['待审核', 'pending'], approved: ['已同意', 'approved'], rejected: ['不同意', 'rejected'], closed: ['已关闭', 'closed'] },
  rectificationStatus: {
    'awaiting-response': ['待整改', 'awaiting response'],
    'awaiting-review': ['整改待审核', 'awaiting review'],
    accepted: ['整改通过', 'accepted'],
    failed: ['整改未通过', 'failed'],
    closed: ['已关闭', 'closed'],
  },
  delayReasonStatus: { pending: ['待审核', 'pending'], accepted: ['已接受', 'accepted'], rejected: ['不予接受', 'rejected'] },
  sharingType: { unconditional: ['无条件共享', 'unconditional'], conditional: ['有条件共享', 'conditional'], 'not-shared': ['不予共享', 'not shared'] },
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
  bucket: { held: ['待公示', 'held'], available: ['可拨付', 'available'], frozen: ['冻结', 'frozen'], disbursed: ['已拨付', 'disbursed'], cancelled: ['已取消', 'cancelled'] },
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

/** The label groups (domain/texts.ts LABELS). */
export type LabelGroup = keyof typeof LABELS;

/**
 * An action's name: a command, a pending action or an audit entry. A refused signal's entry
 * (`<action>-rejected`) reads "<name>（未受理）".
 */
export function actionLabel(action: string, lang: Language = DEFAULT_LANGUAGE): string {
  const refused = /^(.+)-rejected$/.exec(action);
  if (refused && (LABELS.action as Labels)[refused[1]!]) return `${label('action', refused[1], lang)}${lang === 'en' ? ' (refused)' : '（未受理）'}`;
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
    .map((part) => part.split('-').map((n) => `第${chineseNumber(Number(n))}条`).join('至'))
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
  'late-filing': ['合同未在签订后规定期限内报市大数据应用局备案，请尽快备案（第十五条）', 'File the contract with the BDB (Art. 15)'],
  'missing-report': ['未按期报送对照分析，请尽快报送（第十六条）', 'Submit the comparative analysis (Art. 16)'],
  'acceptance-delay': ['计划完成后长期未验收，请组织验收或说明原因（第二十二条）', 'Carry out the acceptance or state the reason (Art. 22)'],
  'unapproved-construction': ['合同签订早于立项批复（未批先建，第九条）', 'Contract signed before the establishment approval (Art. 9)'],
};
export const automaticRequirement = (reason: unknown, lang: Language = DEFAULT_LANGUAGE): string => {
  const entry = AUTOMATIC_REQUIREMENTS[String(reason)];
  return entry ? entry[lang === 'en' ? 1 : 0] : label('reason', reason, lang);
};

// --- notifications ------------------------------------------------------------------------------

type P = NotificationParams;
/** A template: the params and the recipient role (some kinds read differently for each recipient). */
type Template = (p: P, role: string) => string;
interface Texts {
  zh: Template;
  en: Template;
}

const s = (v: unknown): string => (v === null || v === undefined ? '' : String(v));
const yuan = (v: unknown, lang: Language) => formatYuan(Number(v), lang);
/** 52428800 → "50 MiB"; 1536 → "1.5 KiB"; 100 → "100 字节". */
const bytesText = (n: number) =>
  n >= 1024 ** 3 ? `${+(n / 1024 ** 3).toFixed(2)} GiB` : n >= 1024 ** 2 ? `${+(n / 1024 ** 2).toFixed(2)} MiB` : n >= 1024 ? `${+(n / 1024).toFixed(2)} KiB` : `${n} 字节`;
const date = (v: unknown, lang: Language) => formatDate(s(v), lang);
const alloc = (p: P, lang: Language) =>
  lang === 'en'
    ? `Allocation ${s(p.allocationId)} (${label('fundType', p.fundType, 'en')}, ${yuan(p.amountFen, 'en')})`
    : `资金分配 ${s(p.allocationId)}（${label('fundType', p.fundType)}，${yuan(p.amountFen, 'zh-CN')}）`;
const art = (p: P, zh: string) => (p.article ? `（${zh}）` : '');
/** Art. 9 (measures): the grounds a review cites (comma-separated codes in `grounds`). */
const grounds = (p: P, lang: Language) => {
  if (!p.grounds) return '';
  const names = String(p.grounds).split(',').map((g) => label('art9Ground', g, lang));
  return lang === 'en' ? ` (Art. 9: ${names.join('; ')})` : `（第九条：${names.join('；')}）`;
};
/**
 * Art. 15, 21, 30: the period a late filing missed, as the deadline had it: the text's (measures), a
 * county's own measures (Art. 30), or a city policy period stored before the text's were fixed.
 */
const filingPeriod = (p: P, lang: Language) => {
  if (p.periodAmount === undefined) return '';
  const n = s(p.periodAmount);
  if (lang === 'en') return ` within ${n} ${p.periodUnit === 'calendarDays' ? 'calendar' : 'working'} days of signing`;
  return `签订后 ${n} 个${p.periodUnit === 'calendarDays' ? '自然日' : '工作日'}内`;
};
const periodSource = (p: P, lang: Language, article: [zh: string, en: string]) => {
  if (p.basis !== 'policy') return lang === 'en' ? ` (${article[1]})` : `（${article[0]}）`;
  if (p.jurisdiction) return lang === 'en' ? ` (${article[1]}; the period of the county's own measures, Art. 30)` : `（${article[0]}；期限依县级管理办法，第三十条，本地政策）`;
  return lang === 'en' ? ` (${article[1]}; the period is local policy)` : `（${article[0]}；期限为本地政策）`;
};

// --- Art. 5, 6, 12, 30 (measures): plans, jurisdictions, county shares (issue 15 part A) ----------

const countyAlloc = (p: P, lang: Language) =>
  lang === 'en'
    ? `${alloc(p, 'en')}: county share ${yuan(p.countyShareFen, 'en')} of ${s(p.jurisdiction)}`
    : `${alloc(p, 'zh-CN')}：${s(p.jurisdiction)} 县级承担 ${yuan(p.countyShareFen, 'zh-CN')}`;

const JURISDICTION_NOTIFICATIONS: Record<string, Texts> = {
  'county-share-confirmation': {
    zh: (p) => `${countyAlloc(p, 'zh-CN')}，须由该县（市、区）财政部门确认列入同级财政预算（第十二条）。`,
    en: (p) => `${countyAlloc(p, 'en')}, to be confirmed by that county's finance as part of its budget (Art. 12).`,
  },
};

const JURISDICTION_PROBLEM_TITLES: Record<string, readonly [zh: string, en: string]> = {
  unknown_jurisdiction: ['辖区不存在', 'Unknown jurisdiction'],
  jurisdiction_mismatch: ['不是密钥所属辖区', "Not the key's jurisdiction"],
  jurisdiction_in_use: ['辖区仍在使用', 'Jurisdiction in use'],
  no_draft_plan: ['没有年度计划草案', 'No draft plan'],
  empty_plan: ['年度计划草案为空', 'Empty plan'],
  county_share_unconfirmed: ['县级份额尚未确认', 'County share not confirmed'],
  county_share_without_county: ['市本级项目没有县级份额', 'No county share for a city project'],
  county_finance_only: ['仅限该县财政部门', "Only the county's finance"],
  city_finance_only: ['仅限市财政局', 'Only the city finance bureau'],
  other_jurisdiction_finance: ['不是本级财政的资金', "Not this finance's jurisdiction"],
  insufficient_share: ['本级份额不足', 'Share exhausted'],
};

const JURISDICTION_PROBLEM_DETAILS: Record<string, (d: Record<string, unknown>) => string> = {
  unknown_jurisdiction: (d) => `第五条、第十二条、第三十条：辖区 ${s(d.jurisdiction)} 不在辖区登记表中。`,
  jurisdiction_mismatch: (d) => `第五条、第十二条、第三十条：该密钥属于辖区 ${s(d.keyJurisdiction)}，不能以辖区 ${s(d.jurisdiction)} 申报。`,
  jurisdiction_in_use: (d) =>
    `辖区 ${s(d.jurisdiction)} 仍被 ${s(d.keys)} 个密钥、${s(d.projects)} 个项目、${s(d.policies)} 个政策版本、${s(d.children)} 个下级辖区${d.departments !== undefined ? `、${s(d.departments)} 个部门` : ''}引用，不能删除。`,
  no_draft_plan: (d) => `第六条：${s(d.year)}年度计划没有待批准的草案。`,
  empty_plan: (d) => `第六条：${s(d.year)}年度计划草案（版本 ${s(d.version)}）没有项目。`,
  county_share_unconfirmed: (d) => `第十一条、第十二条：资金分配 ${s(d.allocationId)} 的县级份额尚未经 ${s(d.jurisdiction)} 财政部门确认，不能公示。`,
  county_share_without_county: () => '第十二条：市本级项目没有县级份额，请全部列为市级承担。',
  county_finance_only: (d) => `第十二条：县级份额只能由 ${s(d.jurisdiction)} 财政部门确认（该密钥属于 ${s(d.actorJurisdiction)}）。`,
  city_finance_only: () => '第十二条：资金由市财政局安排；县级财政部门只确认县级份额。',
  other_jurisdiction_finance: (d) => `第十二条：${s(d.actorJurisdiction)} 财政部门只办理和查看本县（市、区）项目的县级份额，不能办理或查看 ${s(d.jurisdiction)} 的项目。`,
  insufficient_share: (d) => `第十二条：本项目${d.share === 'county' ? '县级' : '市级'}份额中尚可拨付的${label('fundType', d.fundType)}只有 ${yuan(d.availableFen, 'zh-CN')}。`,
};

/** zh-CN and English per notification kind. */
export const NOTIFICATION_TEXTS: Record<string, Texts> = {
  ...JURISDICTION_NOTIFICATIONS,
  'technical-review': {
    zh: (p) => (p.resubmitted ? '项目单位已重新报送申报材料。' : `新申报项目 ${s(p.projectId)}：${s(p.title)}（第七条 技术审核）。`),
    en: (p) => (p.resubmitted ? 'The department resubmitted the application.' : `New application ${s(p.projectId)}: ${s(p.title)} (Art. 7 technical review).`),
  },
  'om-review': {
    zh: (p) => (p.year !== undefined ? `${s(p.year)}年运维经费已审核：${yuan(p.approvedFen, 'zh-CN')}。` : `原有系统 ${s(p.projectId)} 已登记：${s(p.title)}（第二十一条 运维经费审核）。`),
    en: (p) => (p.year !== undefined ? `O&M cost for ${s(p.year)} reviewed: ${yuan(p.approvedFen, 'en')}.` : `Existing system ${s(p.projectId)} registered: ${s(p.title)} (Art. 21 O&M cost review).`),
  },
  'establishment-review': { zh: () => '技术审核已通过：待审批立项。', en: () => 'Technical review passed: establishment approval awaited.' },
  revise: { zh: (p) => `技术审核要求修改：${s(p.opinion)}${grounds(p, 'zh-CN')}`, en: (p) => `Technical review asks for revision: ${s(p.opinion)}${grounds(p, 'en')}` },
  rejected: {
    zh: (p) => (p.by === 'establishment' ? `立项未获批准：${s(p.opinion)}` : `技术审核未通过，项目被驳回：${s(p.opinion)}${grounds(p, 'zh-CN')}`),
    en: (p) => (p.by === 'establishment' ? `Establishment refused: ${s(p.opinion)}` : `Technical review rejected the project: ${s(p.opinion)}${grounds(p, 'en')}`),
  },
  budget: {
    zh: (p) => `项目已立项（${s(p.approvalNo)}${p.approvedEstimateFen !== undefined ? `，批复概算 ${yuan(p.approvedEstimateFen, 'zh-CN')}` : ''}）：待安排建设资金。`,
    en: (p) => `Project established (${s(p.approvalNo)}${p.approvedEstimateFen !== undefined ? `, approved estimate ${yuan(p.approvedEstimateFen, 'en')}` : ''}): construction budget awaited.`,
  },
  'allocation-publication': {
    zh: (p) => `${alloc(p, 'zh-CN')}已安排：请列入拟分配计划公示（第十一条）。`,
    en: (p) => `${alloc(p, 'en')} is budgeted: publish it in an allocation plan.`,
  },
  allocation: {
    zh: (p) =>
      p.status === 'awaiting-county'
        ? `${countyAlloc(p, 'zh-CN')}，待县级财政部门确认（第十二条）。`
        : p.status === 'held'
          ? `${alloc(p, 'zh-CN')}已安排，待市大数据应用局拟分配计划公示后可用。`
          : `${alloc(p, 'zh-CN')}正在公示。`,
    en: (p) =>
      p.status === 'awaiting-county'
        ? `${countyAlloc(p, 'en')}, awaiting the county finance's confirmation (Art. 12).`
        : p.status === 'held'
          ? `${alloc(p, 'en')} is budgeted and held until the BDB's allocation plan has been publicised.`
          : `${alloc(p, 'en')} is under publicity.`,
  },
  publicity: {
    zh: (p) => (p.planId ? `${alloc(p, 'zh-CN')}已列入拟分配计划 ${s(p.planId)} 公示。` : `${alloc(p, 'zh-CN')}正在公示。`),
    en: (p) => (p.planId ? `${alloc(p, 'en')} is publicised in allocation plan ${s(p.planId)}.` : `${alloc(p, 'en')} is under publicity.`),
  },
  'allocation-published': {
    zh: (p) => `资金分配 ${s(p.allocationId)}（${yuan(p.amountFen, 'zh-CN')}）公示期满（公示期限为本地政策），已可拨付。`,
    en: (p) => `Allocation ${s(p.allocationId)} (${yuan(p.amountFen, 'en')}) published.`,
  },
  'contracting-open': { zh: () => '建设资金已公示：可以签订合同。', en: () => 'Construction budget published: contracts may be signed.' },
  'allocation-cancelled': { zh: (p) => `资金分配 ${s(p.allocationId)} 已取消（${label('movementReason', p.reason)}）。`, en: (p) => `Allocation ${s(p.allocationId)} cancelled (${s(p.reason)}).` },
  'publicity-objection': {
    zh: (p) => `资金分配 ${s(p.allocationId)} 收到公示异议 ${s(p.objectionId)}。`,
    en: (p) => `Objection ${s(p.objectionId)} against allocation ${s(p.allocationId)}.`,
  },
  'publicity-objection-resolution': {
    zh: (p) => `资金分配 ${s(p.allocationId)} 公示期满时仍有未处理的异议：请处理。`,
    en: (p) => `Publicity of ${s(p.allocationId)} ended with an open objection: resolve it.`,
  },
  'unapproved-construction': {
    zh: (p) => `合同 ${s(p.contractNo)} 于 ${date(p.signedOn, 'zh-CN')} 签订，早于 ${date(p.approvedOn, 'zh-CN')} 的立项批复（未批先建，第九条）。`,
    en: (p) => `Contract ${s(p.contractNo)} was signed ${date(p.signedOn, 'en')}, before the establishment approval of ${date(p.approvedOn, 'en')} (未批先建).`,
  },
  contract: {
    zh: (p) => `合同 ${s(p.contractNo)}（${s(p.contractor)}）于 ${date(p.signedOn, 'zh-CN')} 签订。`,
    en: (p) => `Contract ${s(p.contractNo)} with ${s(p.contractor)} signed ${date(p.signedOn, 'en')}.`,
  },
  'contract-filing': {
    zh: (p) => (p.contractor !== undefined ? `合同 ${s(p.contractNo)}（${s(p.contractor)}）于 ${date(p.signedOn, 'zh-CN')} 签订并备案。` : `合同 ${s(p.contractNo)} 已备案${p.late ? '（逾期）' : ''}。`),
    en: (p) => (p.contractor !== undefined ? `Contract ${s(p.contractNo)} with ${s(p.contractor)} signed ${date(p.signedOn, 'en')}.` : `Contract ${s(p.contractNo)} filed${p.late ? ' late' : ''}.`),
  },
  'progress-report': {
    zh: (p) => `${formatPeriod(s(p.period))}对照分析：已完成 ${s(p.progressPercent)}%（第十六条）。`,
    en: (p) => `Comparative analysis ${s(p.period)}: ${s(p.progressPercent)}% (Art. 16).`,
  },
  'change-request': {
    zh: (p) => `变更申请 ${s(p.changeRequestId)}（${label('changeKind', p.kind)}）：${s(p.description)}`,
    en: (p) => `Change request ${s(p.changeRequestId)} (${s(p.kind)}): ${s(p.description)}`,
  },
  'budget-increase': {
    zh: (p) =>
      `预算${Number(p.budgetDeltaFen) < 0 ? '调减' : '调增'}申请 ${s(p.changeRequestId)}（${yuan(p.budgetDeltaFen, 'zh-CN')}）已批准` +
      (p.capUnchanged ? '；批复概算的审批部门未同意，建设资金上限不变（本地政策）。' : '。'),
    en: (p) =>
      `Budget ${Number(p.budgetDeltaFen) < 0 ? 'decrease' : 'increase'} ${s(p.changeRequestId)} of ${yuan(p.budgetDeltaFen, 'en')} approved` +
      (p.capUnchanged ? "; without the approval bureau's agreement the construction cap stays (local policy)." : '.'),
  },
  'change-request-decision': {
    zh: (p) => `变更申请 ${s(p.changeRequestId)} 已${label('changeStatus', p.status)}：${s(p.opinion)}`,
    en: (p) => `Change request ${s(p.changeRequestId)} ${s(p.status)}: ${s(p.opinion)}`,
  },
  'rectification-order': {
    zh: (p, role) =>
      role === 'department'
        ? `整改通知 ${s(p.rectificationId)}（${label('reason', p.reason)}${p.automatic ? '，依本地政策自动下达' : ''}）：${p.automatic ? automaticRequirement(p.reason) : s(p.description)}`
        : `已依本地政策自动下达整改通知 ${s(p.rectificationId)}（${label('reason', p.reason)}）。`,
    en: (p, role) =>
      role === 'department'
        ? `Rectification ${s(p.rectificationId)} (${s(p.reason)}${p.automatic ? ', issued automatically by local policy' : ''}): ${s(p.description)}`
        : `Automatic rectification ${s(p.rectificationId)} (${s(p.reason)}) issued by local policy.`,
  },
  'rectification-review-pending': {
    zh: (p) => `整改 ${s(p.rectificationId)} 的答复已在期限内提交，尚待审核：请审核（本地政策提醒）。答复未经审核不属于拒不整改，不暂停拨付（第二十二条）。`,
    en: (p) => `Rectification ${s(p.rectificationId)} was answered in time and awaits your review (a policy reminder). An unreviewed response is not a refusal: nothing is suspended (Art. 22).`,
  },
  'rectification-review': { zh: (p) => `整改 ${s(p.rectificationId)} 已答复：请审核。`, en: (p) => `Rectification ${s(p.rectificationId)} answered: review it.` },
  'rectification-accepted': { zh: (p) => `整改 ${s(p.rectificationId)} 已通过。`, en: (p) => `Rectification ${s(p.rectificationId)} accepted.` },
  'rectification-rejected': { zh: (p) => `整改 ${s(p.rectificationId)}：答复被驳回。`, en: (p) => `Rectification ${s(p.rectificationId)}: response rejected.` },
  'rectification-extended': {
    zh: (p) => `整改 ${s(p.rectificationId)} 期限延长至 ${date(p.dueOn, 'zh-CN')}。`,
    en: (p) => `Rectification ${s(p.rectificationId)} extended to ${date(p.dueOn, 'en')}.`,
  },
  'rectification-reminder': { zh: (p) => `整改 ${s(p.rectificationId)} 即将到期（本地政策提醒）。`, en: (p) => `Rectification ${s(p.rectificationId)} is due (a policy reminder).` },
  'funds-suspended': {
    zh: (p) => `整改 ${s(p.rectificationId)} 未通过：建设和运维资金暂停拨付（第二十二条）。`,
    en: (p) => `Disbursement of construction and O&M money suspended: rectification ${s(p.rectificationId)} failed (Art. 22).`,
  },
  'rectification-decision': {
    zh: (p) => `整改 ${s(p.rectificationId)} 未通过（${label('why', p.why)}）：请延长期限、接受后续整改或终止项目（第二十二条）。`,
    en: (p) => `Rectification ${s(p.rectificationId)} failed (${s(p.why)}): extend the deadline, accept a later rectification or terminate (Art. 22).`,
  },
  'rectification-failed': {
    zh: (p) => `整改 ${s(p.rectificationId)} 未通过（${label('why', p.why)}）；资金暂停拨付（第二十二条）。`,
    en: (p) => `Rectification ${s(p.rectificationId)} failed (${s(p.why)}); disbursement is suspended (Art. 22).`,
  },
  'funds-unsuspended': { zh: () => '整改已通过：资金恢复拨付。', en: () => 'Rectification accepted: funds released.' },
  withdrawal: { zh: (p) => `项目单位已撤回项目：${s(p.reason)}`, en: (p) => `The department withdrew the project: ${s(p.reason)}` },
  'catalog-entries': { zh: (p) => `已登记 ${s(p.count)} 条政务信息资源目录。`, en: (p) => `${s(p.count)} resource catalogue entries registered.` },
  'technical-acceptance': { zh: () => '初步验收已完成：待技术验收。', en: () => 'Preliminary acceptance done: technical acceptance awaited.' },
  'completion-acceptance': { zh: () => '初步验收已完成：待竣工验收。', en: () => 'Preliminary acceptance done: completion acceptance awaited.' },
  'joint-acceptance-failed': {
    zh: (p) => `${label('acceptance', p.by)}未通过：${s(p.opinion)}`,
    en: (p) => `The ${s(p.by)} acceptance failed: ${s(p.opinion)}`,
  },
  'joint-acceptance-passed': { zh: () => '技术验收和竣工验收均已通过。', en: () => 'Technical and completion acceptance both passed.' },
  'completion-report-due': {
    zh: (p) => (p.after === 'joint' ? `联合验收已通过：请报送竣工验收报告（${s(p.deadlineId)}）。` : `竣工验收已通过：请将竣工验收报告报市大数据应用局备案（${s(p.deadlineId)}，第二十一条）。`),
    en: (p) => (p.after === 'joint' ? `Joint acceptance passed: file the completion acceptance report (${s(p.deadlineId)}).` : `Completion acceptance passed: file the completion acceptance report with the BDB (${s(p.deadlineId)}, Art. 21).`),
  },
  'completion-report': { zh: (p) => `竣工验收报告已报送备案${p.late ? '（逾期）' : ''}。`, en: (p) => `Completion acceptance report filed${p.late ? ' late' : ''}.` },
  'completion-report-reminder': { zh: () => '竣工验收报告备案即将到期（本地政策提醒）。', en: () => 'The completion acceptance report is due (a policy reminder).' },
  'completion-report-overdue': {
    // `frozen`: projects recorded before the measures as written (legacy) froze construction money.
    zh: (p, role) =>
      p.frozen
        ? role === 'finance'
          ? '建设资金已冻结；不安排运维资金（第二十一条）。'
          : `竣工验收报告备案已逾期${role === 'department' ? '：建设资金已冻结' : ''}。`
        : role === 'bdb'
          ? '竣工验收报告备案已逾期（第二十一条）。'
          : '竣工验收报告未备案：财政不再将后续建设资金和运行维护费用列入预算（第二十一条）。',
    en: (p, role) =>
      p.frozen
        ? role === 'finance'
          ? 'Construction funds frozen; no O&M budget (Art. 21).'
          : `The completion report is overdue${role === 'department' ? ': construction funds frozen' : ''}.`
        : role === 'bdb'
          ? 'The completion report is overdue (Art. 21).'
          : role === 'finance'
            ? 'Completion report overdue: no further construction or O&M allocations (Art. 21).'
            : 'The completion report is overdue: no further construction or O&M money is budgeted (Art. 21).',
  },
  'completion-report-freeze': {
    zh: () => '竣工验收报告备案前，未拨付的建设资金已冻结（本地政策）。',
    en: () => 'Undisbursed construction money frozen until the report is filed (policy).',
  },
  'annual-evaluation-overdue': {
    zh: (p) => `${s(p.year)}年度评估已逾期（到期日为本地政策；第二十三条）。`,
    en: (p) => `The evaluation of ${s(p.year)} is overdue (the due date is local policy; Art. 23).`,
  },
  operating: { zh: () => '项目已进入运行：运维经费经市大数据应用局审核后安排（第二十一条）。', en: () => 'The project is in operation: O&M budgets after BDB review (Art. 21).' },
  'sharing-noncompliant': {
    zh: (p, role) =>
      `${s(p.year)}年度评估：${p.notStored && !p.notShared ? '数据未落盘（第十九条）' : p.notStored ? '未按要求共享数据、数据未落盘（第十九条）' : '未按要求共享数据'}，${role === 'finance' ? '不安排运维资金' : '停止拨付运维资金'}（第九条）。`,
    en: (p, role) =>
      `Evaluation ${s(p.year)}: ${p.notStored && !p.notShared ? 'data not stored on the platform (Art. 19)' : p.notStored ? 'not sharing data, data not stored on the platform (Art. 19)' : 'not sharing data'}; ${role === 'finance' ? 'no O&M allocation' : 'O&M funds stop'} (Art. 9).`,
  },
  'security-incident': {
    zh: (p) => `安全事件 ${s(p.incidentId)}（${label('severity', p.severity)}）：${s(p.description)}`,
    en: (p) => `Security incident ${s(p.incidentId)} (${s(p.severity)}): ${s(p.description)}`,
  },
  'acceptance-delay-reason': {
    zh: (p) => `项目单位说明验收延期理由（${s(p.reasonId)}）：${s(p.reason)}`,
    en: (p) => `The department states a reason for the delayed acceptance (${s(p.reasonId)}): ${s(p.reason)}`,
  },
  'acceptance-delay-reason-accepted': {
    zh: (p) => `验收延期理由 ${s(p.reasonId)} 已接受：不因延期下达整改通知（第二十二条）。`,
    en: (p) => `Reason ${s(p.reasonId)} for the delayed acceptance accepted: no rectification order for the delay (Art. 22).`,
  },
  'acceptance-delay-reason-rejected': {
    zh: (p, role) => (role === 'department' ? `验收延期理由 ${s(p.reasonId)} 未被接受：${s(p.opinion)}` : `验收延期理由 ${s(p.reasonId)} 未被接受：可下达整改通知（第二十二条）。`),
    en: (p, role) =>
      role === 'department' ? `Reason ${s(p.reasonId)} for the delayed acceptance rejected: ${s(p.opinion)}` : `Reason ${s(p.reasonId)} rejected: the BDB may order rectification (Art. 22).`,
  },
  'accountability-referral': {
    zh: (p) => `问责移送 ${s(p.referralId)}（${s(p.reference)}）已记录（第二十二条）。`,
    en: (p) => `Accountability referral ${s(p.referralId)} (${s(p.reference)}) recorded (Art. 22).`,
  },
  // Art. 14, 17 (measures)
  'leader-change': {
    zh: (p) => `项目负责人已变更为 ${s(p.name)}（${s(p.post)}）（第十四条）。`,
    en: (p) => `Project leader changed to ${s(p.name)} (${s(p.post)}) (Art. 14).`,
  },
  'change-request-consultation': {
    zh: (p) => `变更申请 ${s(p.changeRequestId)}（${label('changeKind', p.kind)}）征求意见：${s(p.description)}（第十七条）`,
    en: (p) => `Your opinion is asked on change request ${s(p.changeRequestId)} (${s(p.kind)}): ${s(p.description)} (Art. 17)`,
  },
  'change-request-opinion': {
    zh: (p) =>
      `${label('role', p.role)}已对变更申请 ${s(p.changeRequestId)} 提出意见${p.agrees === true ? '（同意）' : p.agrees === false ? '（不同意）' : ''}` +
      (Number(p.remaining) > 0 ? `，尚待 ${s(p.remaining)} 个单位答复。` : '，可以作出决定。'),
    en: (p) =>
      `The ${label('role', p.role, 'en')} opinion on change request ${s(p.changeRequestId)} is in${p.agrees === true ? ' (agrees)' : p.agrees === false ? ' (disagrees)' : ''}` +
      (Number(p.remaining) > 0 ? `; ${s(p.remaining)} still to answer.` : '; the request can be decided.'),
  },
  'contract-filing-reminder': { zh: (p) => `请向市大数据应用局备案合同 ${s(p.contractNo)}（本地政策提醒）。`, en: (p) => `File contract ${s(p.contractNo)} with the BDB (a policy reminder).` },
  'progress-report-reminder': { zh: (p) => `${formatPeriod(s(p.period))}对照分析即将到期（报送周期为本地政策）。`, en: (p) => `Comparative analysis ${s(p.period)} is due (the period is local policy).` },
  'acceptance-delay-reminder': { zh: () => '本地政策规定的验收期限即将届满：请组织初步验收。', en: () => 'The acceptance period of local policy ends soon: carry out the preliminary acceptance.' },
  'annual-evaluation-reminder': { zh: (p) => `${s(p.year)}年度评估即将到期（到期日为本地政策；第二十三条）。`, en: (p) => `The evaluation of ${s(p.year)} is due (the due date is local policy; Art. 23).` },
  'late-filing': {
    zh: (p) => (p.periodAmount !== undefined ? `合同 ${s(p.contractNo)} 未在${filingPeriod(p, 'zh-CN')}报市大数据应用局备案${periodSource(p, 'zh-CN', ['第十五条', 'Art. 15'])}。` : `合同 ${s(p.contractNo)} 未按期备案${art(p, '第十五条')}。`),
    en: (p) => (p.periodAmount !== undefined ? `Contract ${s(p.contractNo)} was not filed with the BDB${filingPeriod(p, 'en')}${periodSource(p, 'en', ['第十五条', 'Art. 15'])}.` : `Contract ${s(p.contractNo)} was not filed in time${p.article ? ' (Art. 15)' : ''}.`),
  },
  'missing-report': {
    zh: (p) => `${formatPeriod(s(p.period))}对照分析未按期报送（本地政策规定的周期和期限${p.article ? '；第十六条要求定期开展对照分析' : ''}）。`,
    en: (p) => `Comparative analysis ${s(p.period)} is overdue (the period and due days are local policy${p.article ? '; Art. 16 asks for it periodically' : ''}).`,
  },
  'acceptance-delay-excused': {
    zh: () => '本地政策规定的验收期限已过；延期理由已被接受，不属于第二十二条所称无合理原因长期拖延不验收。',
    en: () => 'The acceptance period of local policy passed; the delay has an accepted reason, so it is no ground under Art. 22.',
  },
  'acceptance-delay': {
    zh: (p, role) =>
      role === 'department'
        ? '已超过本地政策规定的验收期限：请说明延期理由或组织验收（第二十二条：无合理原因长期拖延不验收的，责令限期整改）。'
        : `计划完成日期 ${date(p.plannedCompletionDate, 'zh-CN')} 后本地政策规定的期限内未进行验收：请判断是否属于无合理原因长期拖延不验收，决定是否下达整改通知（第二十二条）。`,
    en: (p, role) =>
      role === 'department'
        ? 'The acceptance period of local policy has passed: state a reason or carry out the acceptance (Art. 22: a long delay without good reason is a ground for rectification).'
        : `No acceptance within the local-policy period after the planned completion date ${date(p.plannedCompletionDate, 'en')}: judge whether it is a delay without good reason and decide on a rectification order (Art. 22).`,
  },
  'emergency-plan-missing': {
    zh: () => '竣工验收已通过，项目尚未记录与项目建设单位共同制定的应急预案（第二十九条）：已列为项目实施单位的待办事项。',
    en: () => 'Completion acceptance passed and no emergency plan made with the contractor is recorded (Art. 29): it is pending with the department.',
  },
  // --- Art. 28-29 (issue 15) ---------------------------------------------------------------------
  'risk-assessment': {
    zh: (p) => `项目单位已记录与市大数据应用局（${s(p.bdbParticipant)}）共同开展的网络与信息安全风险评估（${date(p.assessedOn, 'zh-CN')}，第二十八条）。`,
    en: (p) => `The department recorded the joint risk assessment with the BDB (${s(p.bdbParticipant)}) of ${date(p.assessedOn, 'en')} (Art. 28).`,
  },
  'emergency-plan': {
    zh: (p) => `项目单位已记录与项目建设单位 ${s(p.contractor)} 共同制定的应急预案（${date(p.adoptedOn, 'zh-CN')}，第二十九条）。`,
    en: (p) => `The department recorded the emergency plan made with the contractor ${s(p.contractor)} on ${date(p.adoptedOn, 'en')} (Art. 29).`,
  },
  // docs/MEASURES.md "Working days": a system notice to the admins (db/calendar.ts warnCalendarCoverage).
  'calendar-notice-missing': {
    zh: (p) => `${s(p.year)}年国务院办公厅节假日安排通知尚未录入：该年工作日暂按法定节假日推算（暂定）。请在“系统管理 › 工作日历”中录入。`,
    en: (p) => `The State Council's holiday notice for ${s(p.year)} is not entered: its working days are provisional (holiday law only). Enter it under 系统管理 › 工作日历 (PUT /v1/calendar/${s(p.year)}).`,
  },
  'security-drill-reminder': {
    zh: () => '应急演练即将到期：请组织演练并记录（第二十九条，本地政策的演练周期）。',
    en: () => 'An emergency drill is due: hold and record it (Art. 29; the drill period is policy).',
  },
  'security-drill-overdue': {
    zh: (p, role) => (role === 'department' ? `自 ${date(p.since, 'zh-CN')} 起的演练周期内未记录应急演练，请尽快组织（第二十九条，本地政策）。` : `项目自 ${date(p.since, 'zh-CN')} 起的演练周期内未记录应急演练（第二十九条，本地政策）。`),
    en: (p) => `No emergency drill recorded in the drill period since ${date(p.since, 'en')} (Art. 29; policy).`,
  },
};

const ending = (stage: string): Texts => ({
  zh: (p) => `项目${label('stage', stage)}：${s(p.reason)}。${p.moneyCancelled ? '未使用的资金已取消。' : ''}`,
  en: (p) => `Project ${stage}: ${s(p.reason)}.${p.moneyCancelled ? ' Unspent money cancelled.' : ''}`,
});
for (const stage of ['terminated', 'decommissioned', 'withdrawn']) NOTIFICATION_TEXTS[stage] = ending(stage);

/** The notification text in a language; a kind without a template shows its kind and params. */
export function renderNotification(lang: Language, kind: string, params: NotificationParams, role: string): string {
  const texts = NOTIFICATION_TEXTS[kind];
  if (!texts) return `${kind} ${JSON.stringify(params)}`;
  return (lang === 'en' ? texts.en : texts.zh)(params, role);
}

// --- problems -----------------------------------------------------------------------------------

type Details = Record<string, unknown>;

/** Titles per problem code (zh-CN, en). */
export const PROBLEM_TITLES: Record<string, readonly [zh: string, en: string]> = {
  validation_failed: ['请求不合法', 'Validation failed'],
  unauthenticated: ['未认证', 'Unauthenticated'],
  forbidden: ['无权操作', 'Forbidden'],
  not_found: ['未找到', 'Not found'],
  method_not_allowed: ['不支持的请求方法', 'Method not allowed'],
  invalid_transition: ['当前阶段不允许', 'Not allowed now'],
  already_exists: ['已存在', 'Already exists'],
  already_revoked: ['已吊销', 'Already revoked'],
  funds_suspended: ['资金暂停拨付', 'Funds suspended'],
  idempotency_conflict: ['幂等键重复使用', 'Idempotency key reused'],
  idempotency_in_progress: ['同一请求正在处理', 'Request in progress'],
  payload_too_large: ['请求体过大', 'Payload too large'],
  cannot_revoke_self: ['不能停用自身', 'Cannot revoke itself'],
  request_aborted: ['请求中断', 'Request aborted'],
  unsupported_document_type: ['文件类型不被接受', 'Unsupported document type'],
  document_empty: ['文件为空', 'Empty document'],
  document_truncated: ['文件不完整', 'Truncated document'],
  document_corrupted: ['文件已损坏', 'Document corrupted'],
  document_unknown: ['文件不存在或不可用', 'Unknown document'],
  password_change_locked: ['当前密码错误次数过多', 'Too many wrong passwords'],
  unsupported_media_type: ['不支持的媒体类型', 'Unsupported media type'],
  bad_request: ['请求错误', 'Bad request'],
  rate_limited: ['请求过于频繁', 'Too many requests'],
  webhook_address_refused: ['接收地址不允许', 'Receiver address refused'],
  sign_in_rate_limited: ['登录尝试过于频繁', 'Too many sign-in attempts'],
  upload_rate_limited: ['上传过于频繁', 'Too many uploads'],
  upload_volume_exceeded: ['今日上传量已达上限', 'Daily upload volume reached'],
  unavailable: ['服务暂不可用', 'Service unavailable'],
  outcome_pending: ['结果尚未确定', 'Outcome pending'],
  persistence_failed: ['未能保存', 'Not stored'],
  internal: ['内部错误', 'Internal error'],
  classified_project: ['涉密项目不在管理范围内', 'Classified projects are out of scope'],
  not_in_annual_plan: ['不在年度计划内', 'Not in the annual plan'],
  exceeds_plan_ceiling: ['投资概算超过年度计划项目上限（本地政策）', 'Estimate above the annual plan ceiling (local policy)'],
  checklist_incomplete: ['审查项未全部合格（本地政策）', 'Checklist incomplete (local policy)'],
  risk_assessment_missing: ['须先记录风险评估（本地政策）', 'Risk assessment first (local policy)'],
  emergency_plan_missing: ['须先记录应急预案（本地政策）', 'Emergency plan first (local policy)'],
  period_fixed_by_measures: ['期限由《管理办法》规定', 'Period fixed by the measures'],
  opinions_missing: ['相关单位意见尚未齐备', 'Opinions still missing'],
  opinion_not_requested: ['未征求该单位意见', 'Opinion not requested'],
  // Personal accounts and sign-in (issue 16; api/sessions.ts).
  invalid_credentials: ['登录失败', 'Sign-in failed'],
  totp_required: ['需要动态验证码', 'Second factor required'],
  totp_invalid: ['动态验证码错误', 'Wrong code'],
  totp_not_enrolling: ['未开始绑定', 'No enrolment'],
  account_locked: ['账号已锁定', 'Locked'],
  sign_in_in_progress: ['登录正在校验', 'Sign-in in progress'],
  weak_password: ['密码不符合要求', 'Password rejected'],
  csrf_failed: ['页面安全校验未通过', 'CSRF check failed'],
  password_change_required: ['须先修改密码', 'Password change required'],
  session_required: ['须以个人账号登录', 'Session required'],
  ...JURISDICTION_PROBLEM_TITLES,
};

/** Art. 8, 15, 21, 28, 29: the document types an upload may be (lib/documents.ts DOCUMENT_TYPES), as people call them. */
export const DOCUMENT_TYPE_NAMES: Record<string, string> = {
  'application/pdf': 'PDF',
  'application/ofd': 'OFD 版式文件',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document': '文字文档（DOCX）',
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': '电子表格（XLSX）',
  'image/png': 'PNG 图片',
  'image/jpeg': 'JPEG 图片',
};
const documentTypeName = (type: unknown) => DOCUMENT_TYPE_NAMES[s(type)] ?? s(type);
/** The accepted types as one phrase: "PDF、OFD 版式文件、…" (the refusals, the upload control's hint). */
export const ACCEPTED_DOCUMENTS = Object.values(DOCUMENT_TYPE_NAMES).join('、');

/** A size in bytes as people read it, in binary multiples: "50 兆字节", "256 千字节", "712 字节". */
export function formatBytes(bytes: number): string {
  const units: Array<[number, string]> = [
    [1024 ** 3, '吉字节'],
    [1024 ** 2, '兆字节'],
    [1024, '千字节'],
  ];
  for (const [size, unit] of units) {
    if (bytes >= size) {
      const n = bytes / size;
      return `${Number.isInteger(n) ? n : n.toFixed(1)} ${unit}`;
    }
  }
  return `${bytes} 字节`;
}

/** Titles per HTTP status, for codes without their own title. */
export const STATUS_TITLES: Record<number, readonly [zh: string, en: string]> = {
  400: ['请求不合法', 'Validation failed'],
  401: ['未认证', 'Unauthenticated'],
  403: ['无权操作', 'Forbidden'],
  404: ['未找到', 'Not found'],
  409: ['当前不允许', 'Not allowed now'],
  422: ['依《管理办法》不予办理', 'Refused by the measures'],
  500: ['未能保存', 'Not stored'],
  503: ['服务暂不可用', 'Service unavailable'],
};

const fen = (d: Details, key: string) => formatYuan(Number(d[key] ?? 0));

/**
 * zh-CN details per problem code, rendered from the refusal's details. Codes not listed here keep
 * the English message as their detail in both languages (PROBLEM_DETAIL_CODES lists those that have one).
 */
export const PROBLEM_DETAILS: Record<string, (d: Details) => string> = {
  validation_failed: (d) => `${d.where ? s(d.where) : '请求'}${typeof d.count === 'number' && d.count > 0 ? `有 ${d.count} 处` : ''}不符合要求${typeof d.count === 'number' && d.count > 0 ? '，逐项说明如下' : ''}。`,
  unauthenticated: (d) =>
    d.session
      ? d.expiry === 'idle'
        ? '会话已超时（30 分钟无操作），请重新登录。'
        : d.expiry === 'absolute'
          ? '会话已到期（登录满 8 小时），请重新登录。'
          : '会话无效、已退出或账号已被停用，请重新登录。'
      : '需要有效的 API 密钥（Authorization: Bearer <key>）或个人账号的登录会话。',
  forbidden: () => '该密钥或账号的角色或部门无权执行此操作。',
  not_found: () => '未找到所请求的对象。',
  bad_request: () => '请求无法处理，请检查请求的地址、请求头和请求体。',
  method_not_allowed: () => '该路径不支持此请求方法，见 Allow 响应头。',
  invalid_transition: (d) =>
    d.stage
      ? `项目当前处于“${label('stage', d.stage)}”阶段，不能执行此操作${Array.isArray(d.pendingActions) && d.pendingActions.length ? `；当前待办：${(d.pendingActions as Array<{ role?: unknown; action?: unknown }>).map((a) => `${label('role', a.role)}${actionLabel(s(a.action))}`).join('、')}` : ''}。`
      : '当前状态下不能执行此操作。',
  already_exists: (d) => (d.kind === 'account' ? '该登录名已被使用。' : d.kind === 'department' ? `部门编码 ${s(d.department)} 已登记为“${s(d.name)}”。` : '该对象已存在。'),
  already_revoked: (d) => (d.kind === 'account' ? '该账号此前已被停用。' : '该 API 密钥此前已被吊销。'),
  funds_suspended: () => '第二十二条：整改通过前，建设和运维资金暂停拨付。',
  idempotency_conflict: () => '同一个 Idempotency-Key 已用于不同的请求。',
  idempotency_in_progress: () => '使用同一个 Idempotency-Key 的请求仍在处理中，请稍后重试。',
  payload_too_large: (d) =>
    typeof d.maxBytes === 'number' ? `文件超过大小上限 ${formatBytes(d.maxBytes)}，未保存。` : `请求体不得超过 ${formatBytes(typeof d.limitBytes === 'number' ? d.limitBytes : 256 * 1024)}。`,
  unsupported_document_type: (d) =>
    d.found
      ? `文件内容是 ${documentTypeName(d.found)}，与声明的类型 ${documentTypeName(d.declared)} 不符，未保存。`
      : d.declared && DOCUMENT_TYPE_NAMES[s(d.declared)]
        ? `文件内容不是可接受的类型（声明为 ${documentTypeName(d.declared)}）。只接受 ${ACCEPTED_DOCUMENTS}。`
        : `不接受该类型的文件${d.declared ? `（${s(d.declared)}）` : ''}。只接受 ${ACCEPTED_DOCUMENTS}。`,
  document_empty: () => '文件是空的，未保存。',
  document_truncated: () => '文件未传完整（实际长度与声明的不符），未保存，请重新上传。',
  document_unknown: (d) => `文件 ${s(d.documentId)} 不存在、不是本单位上传的，或已用于其他项目，请重新上传。`,
  document_corrupted: (d) => `文件 ${s(d.documentId)} 未通过完整性校验，不予提供；请联系系统管理员。`,
  read_only_role: () => '三员分立（本地政策，GB/T 22239-2019 第三级）：审计管理员只能查阅审计记录，不能作任何变更；本人的密码和身份验证器除外。',
  reserved_role: (d) =>
    d.kind === 'key'
      ? `三员分立（本地政策）：不能通过接口签发“${label('role', d.role)}”角色的 API 密钥；管理员角色的密钥由服务器运维人员用启动配置的管理员密钥或 npm run keys 签发。`
      : `三员分立（本地政策）：安全管理员不能创建“${label('role', d.role)}”账户；安全管理员账户由服务器运维人员用启动配置的管理员密钥或 npm run accounts 创建。`,
  cannot_revoke_self: (d) => (d.kind === 'account' ? '不能停用发出本请求的账号，请由另一位管理员停用。' : '不能吊销发出本请求的 API 密钥，请用另一个管理员密钥或账号吊销。'),
  request_aborted: () => '文件未传完即中断，未保存任何内容。',
  password_change_locked: () => '本地政策：本会话连续 5 次输入的当前密码错误，会话已结束，请重新登录。',
  unsupported_media_type: () => '请求体须为 application/json。',
  rate_limited: () => '提交过于频繁，请稍后重试。',
  webhook_address_refused: (d) =>
    `该地址${d.address ? `（解析为 ${s(d.address)}）` : ''}不能作为接收地址：${({ loopback: '本机回环地址', 'link-local': '链路本地地址（含云元数据服务）', unspecified: '未指定地址', multicast: '组播或广播地址', 'own-address': '本机地址', 'system-endpoint': '本系统自身的服务端口', private: '内网地址，未列入管理员允许的网段 WEBHOOK_ALLOWED_NETWORKS', unresolvable: '无法解析的主机名' } as Record<string, string>)[String(d.reason)] ?? s(d.reason)}。`,
  sign_in_rate_limited: (d) => `（本地政策）来自同一地址的登录尝试每分钟不得超过 ${d.limit} 次，请稍后重试。`,
  upload_rate_limited: () => '（本地政策）每分钟上传文件的次数已达上限，请稍后重试。',
  upload_volume_exceeded: () => '（本地政策）今日上传总量已达上限，请于次日（北京时间）再试。',
  unavailable: () => '工作流服务或数据库暂时无法连接，请稍后重试。',
  outcome_pending: (d) =>
    `${d.kind === 'creation' ? '项目创建请求' : '该操作'}已交给工作流服务，其结果尚未确定：可能仍会生效。请勿不带 Idempotency-Key 重发；请稍后查看 ${s(d.location)}（带同一 Idempotency-Key 重发会得到同一结果）。`,
  persistence_failed: () => '数据库拒绝保存此项变更，未作任何改动；错误已连同项目编号记入日志。',
  internal: () => '请求未能完成。',
  classified_project: () => '第三条：本系统只管理非涉密的政务大数据项目。',
  not_in_annual_plan: (d) =>
    d.approvedVersion === null
      ? `第六条、第八条：${s(d.year)}年度计划尚无经市人民政府批准的版本${d.inDraft ? '（该项目在待批准的草案中）' : ''}。`
      : `第六条、第八条：${s(d.year)}年度计划现行版本${d.approvedVersion !== undefined ? ` ${s(d.approvedVersion)}` : ''}中没有部门 ${s(d.department)} 的项目 ${s(d.annualPlanItem)}${d.inDraft ? '（该项目在待批准的草案中）' : ''}。`,
  exceeds_plan_ceiling: (d) =>
    `本地政策（开关 planCeilingRefusal）：投资概算 ${fen(d, 'estimateFen')} 超过 ${s(d.year)}年度计划项目 ${s(d.annualPlanItem)} 的上限 ${fen(d, 'ceilingFen')}。${MEASURES_TITLE}未规定年度计划项目的投资上限。`,
  exceeds_approved_estimate: (d) =>
    `第十条：已安排 ${fen(d, 'allocatedFen')}，再安排 ${fen(d, 'amountFen')} 建设资金将超过批复概算 ${fen(d, 'limitFen')}（尚可安排 ${fen(d, 'availableFen')}）。` +
    (Number(d.unagreedIncreasesFen ?? 0) > 0 ? `已批准的预算调增中 ${fen(d, 'unagreedIncreasesFen')} 未经批复概算的审批部门同意，未计入（本地政策）。` : ''),
  exceeds_approved_change: (d) => `第十七条：已批准的预算调增中尚未安排的只有 ${fen(d, 'availableFen')}。`,
  exceeds_om_review: (d) => `第二十一条：该年度经审核的运维经费只剩 ${fen(d, 'availableFen')}。`,
  insufficient_funds: (d) => `可拨付资金只有 ${fen(d, 'availableFen')}。`,
  checklist_incomplete: (d) =>
    `本地政策：技术审核通过须全部审查项合格（审查内容见第七条）；缺少：${(Array.isArray(d.missing) ? d.missing : []).map((m) => label('checklist', m)).join('、')}。`,
  allocation_not_held: (d) => `第十一条：资金分配 ${s(d.allocationId)} 当前状态为“${label('allocationStatus', d.status)}”，不是待公示的已安排资金。`,
  sharing_noncompliant: () => '第九条：项目未按要求共享数据或数据未落盘（第十九条），不安排、不拨付运维资金。',
  completion_report_missing: () => '第二十一条：竣工验收报告未按期备案，财政不再将后续建设资金和运行维护费用列入预算。',
  period_fixed_by_measures: (d) =>
    `${s(d.articleZh)}规定的 ${s(d.amount)} 个工作日是${MEASURES_TITLE}的期限，市本级政策不能更改；县（市、区）依第三十条制定本级管理办法的，可规定本级的期限。`,
  share_mismatch: () => '第十二条：市级份额与县级份额之和须等于安排金额。',
  no_approved_budget_change: () => '第十七条：追加建设资金须有已批准的预算变更申请。',
  om_review_missing: () => '第二十一条：该年度没有经市大数据应用局审核的运维经费。',
  signed_in_future: () => '合同尚未签订，不能登记。',
  period_not_started: () => '该报告期尚未开始。',
  budget_delta_required: () => '第十七条：预算调整申请须填写预算调整金额。',
  planned_completion_date_required: () => '第十七条：工期调整申请须填写新的计划完成日期。',
  due_date_past: () => '整改期限已过。',
  completed_in_future: () => '完成日期不能晚于今天。',
  catalog_missing: () => '第十九条：政务信息资源目录尚未在共享平台登记。',
  security_verification_failed: () => '第二十条、第二十八条：验收通过须安全可控、密码应用评估通过并确定等级保护级别。',
  year_not_started: () => '该年度尚未开始。',
  year_not_operating: () => '项目在该年度未处于运行阶段。',
  opinions_missing: (d) =>
    `第十七条：变更申请 ${s(d.changeRequestId)} 尚待${(Array.isArray(d.missing) ? d.missing : []).map((r) => label('role', r)).join('、')}提出意见，意见齐备后方可决定。`,
  opinion_not_requested: (d) => `第十七条：变更申请 ${s(d.changeRequestId)} 未征求${label('role', d.role)}的意见。`,
  ...JURISDICTION_PROBLEM_DETAILS,
  // --- Art. 23, 28-29 (issue 15) -------------------------------------------------------------------
  risk_assessment_missing: () =>
    '本地政策：技术验收前须登记项目实施单位会同市大数据应用局开展的网络与信息安全风险评估；第二十八条要求开展风险评估，未规定先后。',
  emergency_plan_missing: () =>
    '本地政策：报送竣工验收报告前须登记与项目建设单位共同制定的应急预案；第二十九条要求制定应急预案，未规定先后。',
  contractor_unknown: (d) => `第二十九条：应急预案须与项目建设单位共同制定；${s(d.contractor)} 不是本项目合同上的建设单位（${s(d.contractors)}）。`,
  reported_before_occurred: () => '第二十九条：报告时间不能早于事件发生时间。',
  date_in_future: () => '所填日期不能晚于今天。',
  // Personal accounts and sign-in (issue 16): an unknown login name and a wrong password read alike.
  invalid_credentials: (d) => (d.current ? '当前密码错误。' : '登录名或密码错误。'),
  totp_required: (d) =>
    d.totpEnrolled === false && d.reason === 'none'
      ? '该管理员账号尚未绑定身份验证器，请联系运维人员重置账号。'
      : '请输入身份验证器显示的 6 位动态验证码。',
  totp_invalid: () => '动态验证码错误或已使用过。',
  totp_not_enrolling: () => '请先开始绑定：POST /v1/auth/totp，请求体为 {}。',
  sign_in_in_progress: () => '该登录名的其他登录尝试正在校验，请稍后重试。',
  account_locked: (d) =>
    d.scope === 'name'
      ? `（本地政策）该登录名连续登录失败 20 次，未使用动态口令的登录已锁定 15 分钟，至 ${formatInstant(String(d.lockedUntil))}；已启用动态口令的账号可凭密码和动态口令登录。`
      : `（本地政策）从该地址连续登录失败 5 次，该地址已被锁定 15 分钟，至 ${formatInstant(String(d.lockedUntil))}；其他地址不受影响。`,
  weak_password: (d) =>
    d.rule === 'length'
      ? '新密码至少 12 个字符。'
      : d.rule === 'classes'
        ? '新密码须包含小写字母、大写字母、数字、其他字符中的至少三类。'
        : '新密码不得与最近 5 次使用过的密码相同。',
  csrf_failed: () => '页面所带的会话令牌与本次登录不符（可能已在其他窗口重新登录），请刷新页面后重试。',
  password_change_required: () => '请先修改初始密码。',
  session_required: () => '此接口仅供以个人账号登录的会话使用，不接受 API 密钥。',
};

/** The codes whose zh-CN detail comes from a template (the rest fall back to the English message). */
export const PROBLEM_DETAIL_CODES = Object.keys(PROBLEM_DETAILS);

/** A problem's title in a language: the code's own, else the status's. */
export function problemTitle(lang: Language, code: string, status: number, fallback: string): string {
  const t = PROBLEM_TITLES[code] ?? STATUS_TITLES[status];
  if (!t) return fallback;
  return lang === 'en' ? (PROBLEM_TITLES[code] ? t[1] : fallback) : t[0];
}

/** A problem's detail in a language: English is the message; zh-CN the template, else the message. */
export function problemDetail(lang: Language, code: string, details: Details, englishMessage: string): string {
  if (lang === 'en') return englishMessage;
  const template = PROBLEM_DETAILS[code];
  return template ? template(details) : englishMessage;
}

/**
 * The language an Accept-Language header asks for: English when an `en` tag outranks every `zh`
 * tag, zh-CN otherwise (also for no header, `*` or languages we do not have).
 */
export function negotiateLanguage(header: string | undefined | null): Language {
  if (!header) return DEFAULT_LANGUAGE;
  let best: { lang: Language; q: number } | null = null;
  for (const part of header.split(',')) {
    const [tag = '', ...attrs] = part.trim().toLowerCase().split(';');
    const qAttr = attrs.map((a) => a.trim()).find((a) => a.startsWith('q='));
    const q = qAttr ? Number(qAttr.slice(2)) : 1;
    if (!Number.isFinite(q) || q <= 0) continue;
    const lang: Language | null = tag === 'en' || tag.startsWith('en-') ? 'en' : tag === 'zh' || tag.startsWith('zh-') ? 'zh-CN' : null;
    if (lang && (!best || q > best.q)) best = { lang, q };
  }
  return best?.lang ?? DEFAULT_LANGUAGE;
}
