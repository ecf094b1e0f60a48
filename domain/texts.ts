/**
 * The one catalogue of texts shown to people (shared/API.md: "Problem texts are zh-CN by default
 * (Accept-Language: en for English); code values stay English").
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
import { SHANGHAI_OFFSET_MS, shanghaiDate } from './dates.ts';

export type Language = 'zh-CN' | 'en';
export const DEFAULT_LANGUAGE: Language = 'zh-CN';

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
    'missing-report': ['未按期报告进度', 'missing report'],
    'sharing-noncompliance': ['未按要求共享数据', 'sharing non-compliance'],
    other: ['其他', 'other'],
  },
  severity: { low: ['低', 'low'], medium: ['中', 'medium'], high: ['高', 'high'], critical: ['严重', 'critical'] },
  changeKind: { scope: ['建设内容', 'scope'], budget: ['预算', 'budget'], schedule: ['工期', 'schedule'], contractor: ['承建单位', 'contractor'] },
  changeStatus: { approved: ['批准', 'approved'], rejected: ['驳回', 'rejected'] },
  acceptance: { technical: ['技术验收', 'technical acceptance'], completion: ['竣工验收', 'completion acceptance'] },
  why: { 'response rejected': ['整改答复被驳回', 'response rejected'], 'deadline passed': ['整改期限已过', 'deadline passed'] },
  stage: {
    submitted: ['已提交', 'submitted'],
    technical_review: ['技术审核', 'technical review'],
    establishment_review: ['审批立项', 'establishment review'],
    budgeting: ['资金安排', 'budgeting'],
    publicity: ['公示', 'publicity'],
    contracting: ['合同签订', 'contracting'],
    construction: ['建设', 'construction'],
    joint_acceptance: ['联合验收', 'joint acceptance'],
    completion_filing: ['竣工备案', 'completion filing'],
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
    admin: ['管理员', 'admin'],
  },
  kind: { new: ['新建', 'new'], expansion: ['扩建', 'expansion'], upgrade: ['升级改造', 'upgrade'], om: ['运维', 'O&M'], existing: ['原有系统', 'existing system'] },
  checklist: {
    resourceCatalog: ['信息资源目录', 'resource catalogue'],
    dataSharing: ['数据共享', 'data sharing'],
    intensiveConstruction: ['集约建设', 'intensive construction'],
    cloudDeployment: ['迁云上云', 'cloud deployment'],
    securityControllable: ['安全可控', 'security controllable'],
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
} satisfies Record<string, Labels>;

/** A label of an enum value (English code values stay as they are when unknown). */
export function label(group: keyof typeof LABELS, value: unknown, lang: Language = DEFAULT_LANGUAGE): string {
  const entry = (LABELS[group] as Labels)[String(value)];
  return entry ? entry[lang === 'en' ? 1 : 0] : String(value);
}

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
const date = (v: unknown, lang: Language) => formatDate(s(v), lang);
const alloc = (p: P, lang: Language) =>
  lang === 'en'
    ? `Allocation ${s(p.allocationId)} (${label('fundType', p.fundType, 'en')}, ${yuan(p.amountFen, 'en')})`
    : `资金分配 ${s(p.allocationId)}（${label('fundType', p.fundType)}，${yuan(p.amountFen, 'zh-CN')}）`;
const art = (p: P, zh: string) => (p.article ? `（${zh}）` : '');

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
};

const JURISDICTION_PROBLEM_DETAILS: Record<string, (d: Record<string, unknown>) => string> = {
  unknown_jurisdiction: (d) => `第五条、第十二条、第三十条：辖区 ${s(d.jurisdiction)} 不在辖区登记表中。`,
  jurisdiction_mismatch: (d) => `第五条、第十二条、第三十条：该密钥属于辖区 ${s(d.keyJurisdiction)}，不能以辖区 ${s(d.jurisdiction)} 申报。`,
  jurisdiction_in_use: (d) => `辖区 ${s(d.jurisdiction)} 仍被 ${s(d.keys)} 个密钥、${s(d.projects)} 个项目、${s(d.policies)} 个政策版本、${s(d.children)} 个下级辖区引用，不能删除。`,
  no_draft_plan: (d) => `第六条：${s(d.year)}年度计划没有待批准的草案。`,
  empty_plan: (d) => `第六条：${s(d.year)}年度计划草案（版本 ${s(d.version)}）没有项目。`,
  county_share_unconfirmed: (d) => `第十一条、第十二条：资金分配 ${s(d.allocationId)} 的县级份额尚未经 ${s(d.jurisdiction)} 财政部门确认，不能公示。`,
  county_share_without_county: () => '第十二条：市本级项目没有县级份额，请全部列为市级份额 cityShareFen。',
  county_finance_only: (d) => `第十二条：县级份额只能由 ${s(d.jurisdiction)} 财政部门确认（该密钥属于 ${s(d.actorJurisdiction)}）。`,
  city_finance_only: () => '第十二条：资金由市财政局安排；县级财政部门确认县级份额（county-share-confirmations）。',
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
  revise: { zh: (p) => `技术审核要求修改：${s(p.opinion)}`, en: (p) => `Technical review asks for revision: ${s(p.opinion)}` },
  rejected: {
    zh: (p) => (p.by === 'establishment' ? `立项未获批准：${s(p.opinion)}` : `技术审核未通过，项目被驳回：${s(p.opinion)}`),
    en: (p) => (p.by === 'establishment' ? `Establishment refused: ${s(p.opinion)}` : `Technical review rejected the project: ${s(p.opinion)}`),
  },
  budget: { zh: (p) => `项目已立项（${s(p.approvalNo)}）：待安排建设资金。`, en: (p) => `Project established (${s(p.approvalNo)}): construction budget awaited.` },
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
    zh: (p) => `资金分配 ${s(p.allocationId)}（${yuan(p.amountFen, 'zh-CN')}）公示期满，已可拨付。`,
    en: (p) => `Allocation ${s(p.allocationId)} (${yuan(p.amountFen, 'en')}) published.`,
  },
  'contracting-open': { zh: () => '建设资金已公示：可以签订合同。', en: () => 'Construction budget published: contracts may be signed.' },
  'allocation-cancelled': { zh: (p) => `资金分配 ${s(p.allocationId)} 已取消（${s(p.reason)}）。`, en: (p) => `Allocation ${s(p.allocationId)} cancelled (${s(p.reason)}).` },
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
    zh: (p) => `${formatPeriod(s(p.period))}进度报告：已完成 ${s(p.progressPercent)}%。`,
    en: (p) => `Progress report ${s(p.period)}: ${s(p.progressPercent)}%.`,
  },
  'change-request': {
    zh: (p) => `变更申请 ${s(p.changeRequestId)}（${label('changeKind', p.kind)}）：${s(p.description)}`,
    en: (p) => `Change request ${s(p.changeRequestId)} (${s(p.kind)}): ${s(p.description)}`,
  },
  'budget-increase': {
    zh: (p) => `预算${Number(p.budgetDeltaFen) < 0 ? '调减' : '调增'}申请 ${s(p.changeRequestId)}（${yuan(p.budgetDeltaFen, 'zh-CN')}）已批准。`,
    en: (p) => `Budget ${Number(p.budgetDeltaFen) < 0 ? 'decrease' : 'increase'} ${s(p.changeRequestId)} of ${yuan(p.budgetDeltaFen, 'en')} approved.`,
  },
  'change-request-decision': {
    zh: (p) => `变更申请 ${s(p.changeRequestId)} 已${label('changeStatus', p.status)}：${s(p.opinion)}`,
    en: (p) => `Change request ${s(p.changeRequestId)} ${s(p.status)}: ${s(p.opinion)}`,
  },
  'rectification-order': {
    zh: (p, role) =>
      role === 'department'
        ? `整改通知 ${s(p.rectificationId)}（${label('reason', p.reason)}）：${s(p.description)}`
        : `已自动下达整改通知 ${s(p.rectificationId)}（${label('reason', p.reason)}）。`,
    en: (p, role) =>
      role === 'department'
        ? `Rectification ${s(p.rectificationId)} (${s(p.reason)}): ${s(p.description)}`
        : `Automatic rectification ${s(p.rectificationId)} (${s(p.reason)}) issued.`,
  },
  'rectification-review': { zh: (p) => `整改 ${s(p.rectificationId)} 已答复：请审核。`, en: (p) => `Rectification ${s(p.rectificationId)} answered: review it.` },
  'rectification-accepted': { zh: (p) => `整改 ${s(p.rectificationId)} 已通过。`, en: (p) => `Rectification ${s(p.rectificationId)} accepted.` },
  'rectification-rejected': { zh: (p) => `整改 ${s(p.rectificationId)}：答复被驳回。`, en: (p) => `Rectification ${s(p.rectificationId)}: response rejected.` },
  'rectification-extended': {
    zh: (p) => `整改 ${s(p.rectificationId)} 期限延长至 ${date(p.dueOn, 'zh-CN')}。`,
    en: (p) => `Rectification ${s(p.rectificationId)} extended to ${date(p.dueOn, 'en')}.`,
  },
  'rectification-reminder': { zh: (p) => `整改 ${s(p.rectificationId)} 即将到期。`, en: (p) => `Rectification ${s(p.rectificationId)} is due.` },
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
    zh: (p) => (p.after === 'joint' ? `联合验收已通过：请报送竣工报告（${s(p.deadlineId)}）。` : `竣工验收已通过：请报送竣工报告（${s(p.deadlineId)}，第二十一条）。`),
    en: (p) => (p.after === 'joint' ? `Joint acceptance passed: file the completion report (${s(p.deadlineId)}).` : `Completion acceptance passed: file the completion report (${s(p.deadlineId)}, Art. 21).`),
  },
  'completion-report': { zh: (p) => `竣工报告已报送${p.late ? '（逾期）' : ''}。`, en: (p) => `Completion report filed${p.late ? ' late' : ''}.` },
  'completion-report-reminder': { zh: () => '竣工报告即将到期。', en: () => 'The completion report is due.' },
  'completion-report-overdue': {
    // `frozen`: projects recorded before the measures as written (legacy) froze construction money.
    zh: (p, role) =>
      p.frozen
        ? role === 'finance'
          ? '建设资金已冻结；不安排运维资金（第二十一条）。'
          : `竣工报告已逾期${role === 'department' ? '：建设资金已冻结' : ''}。`
        : role === 'bdb'
          ? '竣工报告已逾期（第二十一条）。'
          : '竣工报告已逾期：不再安排建设或运维资金（第二十一条）。',
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
    zh: () => '竣工报告报送前，未拨付的建设资金已冻结（本地政策）。',
    en: () => 'Undisbursed construction money frozen until the report is filed (policy).',
  },
  'annual-evaluation-overdue': { zh: (p) => `${s(p.year)}年度绩效评价已逾期。`, en: (p) => `The evaluation of ${s(p.year)} is overdue.` },
  operating: { zh: () => '项目已进入运行：运维经费经市大数据应用局审核后安排（第二十一条）。', en: () => 'The project is in operation: O&M budgets after BDB review (Art. 21).' },
  'sharing-noncompliant': {
    zh: (p, role) => `${s(p.year)}年度评价：未按要求共享数据，${role === 'finance' ? '不安排运维资金' : '停止拨付运维资金'}（第九条）。`,
    en: (p, role) => `Evaluation ${s(p.year)}: not sharing data; ${role === 'finance' ? 'no O&M allocation' : 'O&M funds stop'} (Art. 9).`,
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
  'contract-filing-reminder': { zh: (p) => `请向市大数据应用局备案合同 ${s(p.contractNo)}。`, en: (p) => `File contract ${s(p.contractNo)} with the BDB.` },
  'progress-report-reminder': { zh: (p) => `${formatPeriod(s(p.period))}进度报告即将到期。`, en: (p) => `Progress report ${s(p.period)} is due.` },
  'acceptance-delay-reminder': { zh: () => '初步验收即将到期。', en: () => 'Preliminary acceptance is due.' },
  'annual-evaluation-reminder': { zh: (p) => `${s(p.year)}年度绩效评价即将到期。`, en: (p) => `The evaluation of ${s(p.year)} is due.` },
  'late-filing': {
    zh: (p) => `合同 ${s(p.contractNo)} 未按期备案${art(p, '第十五条')}。`,
    en: (p) => `Contract ${s(p.contractNo)} was not filed in time${p.article ? ' (Art. 15)' : ''}.`,
  },
  'missing-report': {
    zh: (p) => `${formatPeriod(s(p.period))}进度报告已逾期${art(p, '第十六条')}。`,
    en: (p) => `Progress report ${s(p.period)} is overdue${p.article ? ' (Art. 16)' : ''}.`,
  },
  'acceptance-delay-excused': {
    zh: () => '验收期限已过；延期理由已被接受（第二十二条）。',
    en: () => 'The acceptance period passed; the delay has an accepted reason (Art. 22).',
  },
  'acceptance-delay': {
    zh: (p, role) =>
      role === 'department'
        ? '验收已延期：请说明理由或进行验收（第二十二条）。'
        : `计划完成日期 ${date(p.plannedCompletionDate, 'zh-CN')} 后的期限内未进行验收：请决定是否下达整改通知（第二十二条）。`,
    en: (p, role) =>
      role === 'department'
        ? 'The acceptance is delayed: state a reason or carry out the acceptance (Art. 22).'
        : `No acceptance within the period after the planned completion date ${date(p.plannedCompletionDate, 'en')}: decide on a rectification order (Art. 22).`,
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
  unsupported_media_type: ['不支持的媒体类型', 'Unsupported media type'],
  bad_request: ['请求错误', 'Bad request'],
  rate_limited: ['请求过于频繁', 'Too many requests'],
  upload_rate_limited: ['上传过于频繁', 'Too many uploads'],
  upload_volume_exceeded: ['今日上传量已达上限', 'Daily upload volume reached'],
  unavailable: ['服务暂不可用', 'Service unavailable'],
  persistence_failed: ['未能保存', 'Not stored'],
  internal: ['内部错误', 'Internal error'],
  classified_project: ['涉密项目不在管理范围内', 'Classified projects are out of scope'],
  not_in_annual_plan: ['不在年度计划内', 'Not in the annual plan'],
  exceeds_plan_ceiling: ['投资估算超过年度计划上限', 'Estimate above the annual plan ceiling'],
  opinions_missing: ['相关单位意见尚未齐备', 'Opinions still missing'],
  opinion_not_requested: ['未征求该单位意见', 'Opinion not requested'],
  // Personal accounts and sign-in (issue 16; api/sessions.ts).
  invalid_credentials: ['登录失败', 'Sign-in failed'],
  totp_required: ['需要动态验证码', 'Second factor required'],
  totp_invalid: ['动态验证码错误', 'Wrong code'],
  totp_not_enrolling: ['未开始绑定', 'No enrolment'],
  account_locked: ['账号已锁定', 'Locked'],
  weak_password: ['密码不符合要求', 'Password rejected'],
  csrf_failed: ['CSRF 校验失败', 'CSRF check failed'],
  password_change_required: ['须先修改密码', 'Password change required'],
  session_required: ['须以个人账号登录', 'Session required'],
  ...JURISDICTION_PROBLEM_TITLES,
};

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
  validation_failed: (d) => `${d.where ? s(d.where) : '请求'}不合法，见 errors。`,
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
  method_not_allowed: () => '该路径不支持此请求方法，见 Allow 响应头。',
  invalid_transition: (d) => (d.stage ? `项目当前处于“${label('stage', d.stage)}”阶段，不能执行此操作；待办事项见 pendingActions。` : '当前状态下不能执行此操作。'),
  already_exists: (d) => (d.kind === 'account' ? '该登录名已被使用。' : '该对象已存在。'),
  already_revoked: (d) => (d.kind === 'account' ? '该账号此前已被停用。' : '该 API 密钥此前已被吊销。'),
  funds_suspended: () => '第二十二条：整改通过前，建设和运维资金暂停拨付。',
  idempotency_conflict: () => '同一个 Idempotency-Key 已用于不同的请求。',
  idempotency_in_progress: () => '使用同一个 Idempotency-Key 的请求仍在处理中，请在 Retry-After 所示秒数后重试。',
  payload_too_large: () => '请求体不得超过 256 KiB。',
  unsupported_media_type: () => '请求体须为 application/json。',
  rate_limited: () => '写请求过于频繁，请按 Retry-After 稍后重试。',
  upload_rate_limited: () => '（政策）该密钥每分钟上传文件次数已达上限，请按 Retry-After 稍后重试。',
  upload_volume_exceeded: () => '（政策）该密钥今日上传总量已达上限，请于次日（北京时间）再试，见 Retry-After。',
  unavailable: () => 'Temporal 或数据库暂时无法连接，请稍后重试。',
  persistence_failed: () => '数据库拒绝保存此项变更，未作任何改动；错误已连同项目编号记入日志。',
  internal: () => '请求未能完成。',
  classified_project: () => '第三条：本系统只管理非涉密的政务大数据项目。',
  not_in_annual_plan: (d) =>
    d.approvedVersion === null
      ? `第六条、第八条：${s(d.year)}年度计划尚无经市人民政府批准的版本${d.inDraft ? '（该项目在待批准的草案中）' : ''}。`
      : `第六条、第八条：${s(d.year)}年度计划现行版本${d.approvedVersion !== undefined ? ` ${s(d.approvedVersion)}` : ''}中没有部门 ${s(d.department)} 的项目 ${s(d.annualPlanItem)}${d.inDraft ? '（该项目在待批准的草案中）' : ''}。`,
  exceeds_plan_ceiling: (d) =>
    `第六条、第八条：投资估算 ${fen(d, 'estimateFen')} 超过 ${s(d.year)}年度计划项目 ${s(d.annualPlanItem)} 的上限 ${fen(d, 'ceilingFen')}。`,
  exceeds_approved_estimate: (d) =>
    `第十条：已安排 ${fen(d, 'allocatedFen')}，再安排 ${fen(d, 'amountFen')} 建设资金将超过批复概算 ${fen(d, 'limitFen')}（尚可安排 ${fen(d, 'availableFen')}）。`,
  exceeds_approved_change: (d) => `第十七条：已批准的预算调增中尚未安排的只有 ${fen(d, 'availableFen')}。`,
  exceeds_om_review: (d) => `第二十一条：该年度经审核的运维经费只剩 ${fen(d, 'availableFen')}。`,
  insufficient_funds: (d) => `可拨付资金只有 ${fen(d, 'availableFen')}。`,
  checklist_incomplete: (d) =>
    `第七条：技术审核通过须全部审查项合格；缺少：${(Array.isArray(d.missing) ? d.missing : []).map((m) => label('checklist', m)).join('、')}。`,
  allocation_not_held: (d) => `第十一条：资金分配 ${s(d.allocationId)} 当前状态为 ${s(d.status)}，不是待公示的已安排资金。`,
  sharing_noncompliant: () => '第九条：项目未按要求共享数据，不安排、不拨付运维资金。',
  completion_report_missing: () => '第二十一条：竣工报告未报送，不再安排资金。',
  share_mismatch: () => '第十二条：市级份额与县级份额之和须等于安排金额。',
  no_approved_budget_change: () => '第十七条：追加建设资金须有已批准的预算变更申请。',
  om_review_missing: () => '第二十一条：该年度没有经市大数据应用局审核的运维经费。',
  signed_in_future: () => '合同尚未签订，不能登记。',
  period_not_started: () => '该报告期尚未开始。',
  budget_delta_required: () => '第十七条：预算变更申请须填写预算调整金额 budgetDeltaFen。',
  planned_completion_date_required: () => '第十七条：工期变更申请须填写新的计划完成日期 newPlannedCompletionDate。',
  due_date_past: () => '整改期限已过。',
  completed_in_future: () => '完成日期 completedOn 不能晚于今天。',
  catalog_missing: () => '第十九条：政务信息资源目录尚未在共享平台登记。',
  security_verification_failed: () => '第二十条、第二十八条：验收通过须安全可控、密码应用评估通过并确定等级保护级别。',
  year_not_started: () => '该年度尚未开始。',
  year_not_operating: () => '项目在该年度未处于运行阶段。',
  opinions_missing: (d) =>
    `第十七条：变更申请 ${s(d.changeRequestId)} 尚待${(Array.isArray(d.missing) ? d.missing : []).map((r) => label('role', r)).join('、')}提出意见，意见齐备后方可决定。`,
  opinion_not_requested: (d) => `第十七条：变更申请 ${s(d.changeRequestId)} 未征求${label('role', d.role)}的意见。`,
  ...JURISDICTION_PROBLEM_DETAILS,
  // --- Art. 23, 28-29 (issue 15) -------------------------------------------------------------------
  risk_assessment_missing: () => '第二十八条：技术验收前须记录项目单位会同市大数据应用局开展的网络与信息安全风险评估（POST /v1/projects/:id/risk-assessments）。',
  emergency_plan_missing: () => '第二十九条：项目进入运行前须记录与项目建设单位共同制定的应急预案（POST /v1/projects/:id/emergency-plans），因此须在报送竣工报告之前。',
  contractor_unknown: (d) => `第二十九条：应急预案须与项目建设单位共同制定；${s(d.contractor)} 不是本项目合同上的建设单位（${s(d.contractors)}）。`,
  reported_before_occurred: () => '第二十九条：报告时间 reportedAt 不能早于事件发生时间 occurredAt。',
  date_in_future: (d) => `日期 ${s(d.field)} 不能晚于今天。`,
  // Personal accounts and sign-in (issue 16): an unknown login name and a wrong password read alike.
  invalid_credentials: (d) => (d.current ? '当前密码错误。' : '登录名或密码错误。'),
  totp_required: (d) =>
    d.totpEnrolled === false && d.reason === 'none'
      ? '该管理员账号尚未绑定身份验证器，请运维人员重置账号（npm run accounts -- reset）。'
      : '请输入身份验证器（TOTP）显示的 6 位动态验证码。',
  totp_invalid: () => '动态验证码错误或已使用过。',
  totp_not_enrolling: () => '请先开始绑定：POST /v1/auth/totp，请求体为 {}。',
  account_locked: (d) => `连续登录失败 5 次，账号已锁定 15 分钟，至 ${formatInstant(String(d.lockedUntil))}。`,
  weak_password: (d) =>
    d.rule === 'length'
      ? '新密码至少 12 个字符。'
      : d.rule === 'classes'
        ? '新密码须包含小写字母、大写字母、数字、其他字符中的至少三类。'
        : '新密码不得与最近 5 次使用过的密码相同。',
  csrf_failed: () => '使用登录会话的写请求须带 X-CSRF-Token 请求头，其值为本会话的令牌（见 GET /v1/auth/me）。',
  password_change_required: () => '请先修改初始密码（POST /v1/auth/password）。',
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
