/**
 * The console's Chinese names for request fields. Actions, stages, roles and enum values are named
 * once, in the API's text catalogue (domain/labels/values.ts LABELS); the helpers below read it. Which
 * fields a form has, which are required and what values they accept come from the OpenAPI schemas
 * (forms.generated.json).
 */
import { formatPeriod } from '../../domain/labels/language.ts';
import { actionLabel as catalogueActionLabel, label, type LabelGroup } from '../../domain/labels/values.ts';

export const FIELD_LABELS: Record<string, string> = {
  decision: '决定',
  opinion: '意见',
  checklist: '审查项',
  documents: '申报材料',
  documentIds: '申报材料',
  proposal: '项目建议书',
  feasibilityStudy: '可行性研究报告',
  preliminaryDesign: '初步设计方案',
  investmentEstimate: '投资概算',
  note: '说明',
  approvalNo: '立项批复文号',
  fundType: '资金类型',
  year: '年度',
  amountFen: '金额',
  cityShareFen: '市级承担',
  countyShareFen: '县级承担',
  summary: '摘要',
  allocationId: '资金分配编号',
  upheld: '异议成立',
  contractNo: '合同编号',
  contractor: '承建单位',
  signedOn: '签订日期',
  documentRef: '文件',
  documentId: '文件',
  period: '报告期',
  spentFen: '已支出',
  progressPercent: '完成进度（%）',
  kind: '类型',
  description: '说明',
  budgetDeltaFen: '预算调整金额',
  newPlannedCompletionDate: '新的计划完成日期',
  reason: '原因',
  dueOn: '整改期限',
  evidenceRef: '佐证材料',
  entries: '目录条目',
  code: '编码',
  name: '名称',
  sharingType: '共享类型',
  updateCycle: '更新周期',
  reportRef: '报告',
  completedOn: '完成日期',
  securityControllable: '安全可控',
  mlpsLevel: '等级保护级别',
  cryptoAssessmentPassed: '密码应用安全性评估通过',
  approvedFen: '审核金额',
  fundUseScore: '资金使用得分',
  outputScore: '产出得分',
  effectScore: '效果得分',
  satisfactionScore: '满意度得分',
  sharingCompliant: '按要求共享数据',
  occurredAt: '发生时间',
  severity: '严重程度',
  handling: '处置情况',
  heldOn: '演练日期',
  scenario: '演练场景',
  reference: '移送文号',
  title: '标题',
  jurisdiction: '辖区',
  annualPlanItem: '年度计划项目编号',
  estimate: '投资概算',
  totalFen: '总投资',
  plannedCompletionDate: '计划完成日期',
  classified: '涉密项目',
  allocations: '资金分配',
  projectId: '项目编号',
  items: '计划项目',
  department: '部门',
  ceilingFen: '投资上限',
  role: '角色',
  loginName: '登录名',
  displayName: '姓名',
  phone: '电话',
  password: '密码',
  totp: '动态验证码',
  currentPassword: '当前密码',
  newPassword: '新密码',
  days: '日期',
  date: '日期',
  workday: '工作日',
  resourceCatalog: '信息资源目录',
  dataSharing: '数据共享',
  intensiveConstruction: '集约建设',
  cloudDeployment: '迁云上云',
  // Art. 13-14, 17 (measures)
  leader: '项目负责人',
  post: '职务',
  contact: '联系方式',
  procurement: '采购',
  method: '采购方式',
  agrees: '是否同意',
  goLiveYear: '投入使用年份',
  // Art. 8, 9, 14, 19 (measures): the approved estimate, the grounds cited, the supervising firm, 落盘.
  approvedEstimateFen: '批复概算',
  supervisor: '工程监理单位',
  dataStoredOnPlatform: '数据已落盘',
  grounds: '第九条理由',
  catalogRegistered: '信息资源目录已纳入共享平台',
  score: '评估得分',
  result: '结论',
  assessedOn: '评估日期',
  bdbParticipant: '市大数据应用局参加人',
  adoptedOn: '制定日期',
  reportedTo: '报告对象',
  reportedAt: '报告时间',
  budgetRef: '县级预算文号',
  documentNo: '文号',
  approvedOn: '批准日期',
};

/** Names that depend on where the field is: the group it is in, or the form (action) it belongs to. */
const FIELD_LABELS_IN: Record<string, string> = {
  'leader.name': '姓名',
  'leader-change.name': '姓名',
  'application.title': '项目名称',
  'existing-system.name': '系统名称',
  'existing-system.summary': '系统简介',
  'cloud-platform-evaluation.year': '评估年度',
  'evaluation.year': '评估年度',
  'evaluation.summary': '评估意见',
  'progress-report.summary': '对照分析说明',
  'progress-report.spentFen': '累计使用资金',
  'rectification-extension.dueOn': '延长至',
  'rectification-order.reason': '整改事由',
  'rectification-order.description': '整改要求',
  'rectification-response.description': '整改情况',
  'change-request.description': '调整内容',
  'security-incident.description': '事件经过',
  'resubmission.note': '修改说明',
  'publicity-objection.summary': '异议内容',
  'publicity-objection-resolution.note': '处理说明',
  'security-drill.summary': '演练总结',
  'technical-acceptance.decision': '技术验收结论',
  'completion-acceptance.decision': '竣工验收结论',
  'progress-report.period': '报告期（季度）',
};

/** A field's name; `parent` (the group) or `context` (the form's action) may give it a more precise one. */
export const fieldLabel = (name: string, parent?: string | number, context?: string) =>
  (parent !== undefined ? FIELD_LABELS_IN[`${parent}.${name}`] : undefined) ??
  (context ? FIELD_LABELS_IN[`${context}.${name}`] : undefined) ??
  FIELD_LABELS[name] ??
  name;

/** What each filing's document is (the `documentId` of the command), by action. */
const FILED_DOCUMENTS: Record<string, string> = {
  contract: '合同文本',
  'contract-filing': '合同文本',
  'preliminary-acceptance': '初步验收报告',
  'completion-report': '竣工验收报告',
  'rectification-response': '整改佐证材料',
  'risk-assessment': '风险评估报告',
  'emergency-plan': '应急预案',
  'cloud-platform-evaluation': '评估报告',
};
export const documentLabel = (action: string | undefined) => FILED_DOCUMENTS[action ?? ''] ?? '文件';

/** An action's Chinese name (domain/labels/values.ts LABELS.action): commands, pending actions, audit entries. */
export const actionLabel = (action: string) => catalogueActionLabel(action);

/** What a pending action's ref is about, in words (the project page, the inbox). */
export function refText(action: string, ref: string | undefined | null): string {
  if (!ref) return '';
  if (action === 'progress-report') return formatPeriod(ref);
  if (/^\d{4}$/.test(ref)) return `${ref}年度`;
  if (ref === 'budget-increase') return '已批准的预算调增';
  const om = /^om-(\d{4})$/.exec(ref);
  if (om) return `${om[1]}年度运维经费`;
  return ref;
}

/** A deadline by kind: its own name, else the action it waits for. */
export const deadlineLabel = (kind: string) =>
  label('deadline', kind) !== kind ? label('deadline', kind) : actionLabel(kind);

/** Which catalogue group names the values of a form field. */
const GROUP_OF: Record<string, LabelGroup> = {
  fundType: 'fundType',
  reason: 'reason',
  severity: 'severity',
  stage: 'stage',
  role: 'role',
  method: 'procurementMethod',
  sharingType: 'sharingType',
  decision: 'decision',
  grounds: 'art9Ground',
};

/** A Chinese name for an enum value of a field; `command` tells a change request's kind from a project's. */
export function valueLabel(field: string, value: unknown, command?: string): string {
  if (field === 'kind') return command === 'change-request' ? label('changeKind', value) : label('kind', value);
  if (field === 'decision' && command === 'establishment')
    return value === 'approve' ? '批准立项' : value === 'reject' ? '不予立项' : label('decision', value);
  const group = GROUP_OF[field];
  return group ? label(group, value) : String(value);
}

export const stageLabel = (stage: string) => label('stage', stage);
/** Who acted: a person's or key's name, or the system's in words. */
export const actorName = (name: string) => label('actorName', name);
export const roleLabel = (role: string) => label('role', role);

type AccountEvent = import('./api-types.ts').components['schemas']['AccountEvent'];

/** 系统管理 › 账户安全记录: the trail's events (the list is the API's, domain/accounts.ts ACCOUNT_EVENTS). */
export const ACCOUNT_EVENT_LABELS: Record<AccountEvent['event'], string> = {
  'sign-in': '登录',
  lockout: '账户锁定',
  'sign-out': '退出登录',
  'sign-out-everywhere': '退出全部会话',
  'session-expired': '会话过期',
  'password-change': '修改密码',
  'totp-enrolment': '开始绑定动态验证码',
  'totp-confirmation': '确认动态验证码',
  'account-create': '创建账户',
  'account-revoke': '停用账户',
  'account-reset': '重置账户',
};

export const ACCOUNT_OUTCOME_LABELS: Record<AccountEvent['outcome'], string> = {
  success: '成功',
  failure: '失败',
  refused: '拒绝（已锁定）',
};

/** The reasons of failures in a trail entry's detail. */
export const ACCOUNT_REASON_LABELS: Record<string, string> = {
  password: '密码错误',
  totp: '动态验证码错误',
  locked: '账户已锁定',
  'current-password': '当前密码错误',
  length: '新密码过短',
  classes: '新密码字符种类不足',
  reused: '新密码与近期密码重复',
  code: '验证码错误',
  idle: '30 分钟无操作',
  absolute: '登录已满 8 小时',
};

/** The administrators' trail's actions (db/queries/admin-trail.ts recordAdminChange), as the auditor reads them. */
export const ADMIN_ACTION_LABELS: Record<string, string> = {
  'api-key.create': '签发接口密钥',
  'api-key.revoke': '吊销接口密钥',
  'calendar.notice': '录入节假日安排通知',
  'calendar.override': '调整工作日',
  'department.create': '登记部门',
  'department.change': '修改部门',
  'jurisdiction.create': '新增辖区',
  'jurisdiction.rename': '辖区更名',
  'jurisdiction.delete': '删除辖区',
  'policy.version': '发布期限政策版本',
  'webhook.create': '新增推送订阅',
  'webhook.delete': '删除推送订阅',
};

/** The administrators' page's title and menu entry for a role (三员分立, console/src/pages/Admin.tsx). */
export const adminPageTitle = (role: string): string =>
  role === 'secadmin' ? '安全管理' : role === 'auditadmin' ? '安全审计' : '系统管理';
