/**
 * The console's Chinese names for request fields, actions and enum values that the API's text
 * catalogue (domain/texts.ts) does not name. Only names live here: which fields a form has, which
 * are required and what values they accept come from the OpenAPI schemas (forms.generated.json).
 */
import { label } from './format.ts';

export const FIELD_LABELS: Record<string, string> = {
  decision: '决定',
  opinion: '意见',
  checklist: '审查项',
  documents: '申报材料',
  documentIds: '申报材料（已上传文件的编号）',
  proposal: '项目建议书',
  feasibilityStudy: '可行性研究报告',
  preliminaryDesign: '初步设计方案',
  investmentEstimate: '投资概算',
  note: '说明',
  approvalNo: '立项批复文号',
  approvedEstimateFen: '批复概算',
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
  documentRef: '文件引用',
  documentId: '文件编号',
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
  reportRef: '报告引用',
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
  procurement: '采购方式',
  supervisor: '工程监理单位',
  dataStoredOnPlatform: '数据已落盘',
  grounds: '第九条理由',
  method: '方式',
  agrees: '是否同意',
};

export const fieldLabel = (name: string) => FIELD_LABELS[name] ?? name;

/** The actions of pendingActions and the commands (their kebab-case names, domain/commands.ts). */
export const ACTION_LABELS: Record<string, string> = {
  'technical-review': '技术审核',
  resubmission: '重新报送',
  establishment: '审批立项',
  budget: '安排资金',
  'publicity-objection': '登记公示异议',
  'publicity-objection-resolution': '处理公示异议',
  contract: '登记合同',
  'contract-filing': '合同备案',
  'progress-report': '报送对照分析',
  disbursement: '拨付资金',
  'change-request': '申请变更',
  'change-request-decision': '审批变更',
  'rectification-order': '下达整改通知',
  'rectification-response': '答复整改',
  'rectification-review': '审核整改',
  'rectification-extension': '延长整改期限',
  termination: '终止项目',
  withdrawal: '撤回项目',
  'catalog-entries': '登记资源目录',
  'preliminary-acceptance': '初步验收',
  'technical-acceptance': '技术验收',
  'completion-acceptance': '竣工验收',
  'completion-report': '报送竣工验收报告',
  'om-review': '审核运维经费',
  evaluation: '评估',
  'security-incident': '报告安全事件',
  'security-drill': '登记应急演练',
  decommission: '系统下线',
  'acceptance-delay-reason': '说明验收延期理由',
  'acceptance-delay-reason-decision': '审核验收延期理由',
  'accountability-referral': '问责移送',
  'allocation-publication': '列入拟分配计划公示',
  'risk-assessment': '记录风险评估',
  'emergency-plan': '记录应急预案',
  'deadline-rescheduling': '顺延期限',
  application: '申报项目',
  'existing-system': '登记原有系统',
};
export const actionLabel = (action: string) => ACTION_LABELS[action] ?? action;

const VALUE_LABELS: Record<string, string> = {
  pass: '通过',
  revise: '退回修改',
  reject: '驳回',
  approve: '批准',
  accept: '接受',
  fail: '不通过',
  unconditional: '无条件共享',
  conditional: '有条件共享',
  'not-shared': '不予共享',
  city: '市本级',
  open: '进行中',
  met: '已完成',
  missed: '已逾期',
  cancelled: '已取消',
  held: '已安排，待拟分配计划公示',
  publicity: '公示中',
  published: '已公示',
  pending: '待审批',
  approved: '已批准',
  rejected: '已驳回',
  responded: '已答复',
  accepted: '已通过',
  failed: '未通过',
  issued: '已下达',
  available: '可拨付',
  disbursed: '已拨付',
  frozen: '冻结',
  allocated: '已安排',
  suspended: '暂停',
  upheld: '异议成立',
  dismissed: '异议不成立',
};

/** Deadlines of the ProjectView (`kind`) that are not named after an action. */
const DEADLINE_LABELS: Record<string, string> = {
  publicity: '公示期',
  'acceptance-delay': '验收期限',
  rectification: '整改期限',
  'annual-evaluation': '年度评估',
};
export const deadlineLabel = (kind: string) => DEADLINE_LABELS[kind] ?? ACTION_LABELS[kind] ?? kind;

/** Which catalogue group names the values of a field (domain/texts.ts `label`). */
const GROUP_OF: Record<string, Parameters<typeof label>[0]> = {
  fundType: 'fundType',
  reason: 'reason',
  severity: 'severity',
  stage: 'stage',
  role: 'role',
  grounds: 'art9Ground',
};

/** A Chinese name for an enum value of a field; `command` tells a change request's kind from a project's. */
export function valueLabel(field: string, value: unknown, command?: string): string {
  if (field === 'kind') return command === 'change-request' ? label('changeKind', value) : label('kind', value);
  const group = GROUP_OF[field];
  if (group) return label(group, value);
  return VALUE_LABELS[String(value)] ?? String(value);
}

export const stageLabel = (stage: string) => label('stage', stage);
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

export const ACCOUNT_OUTCOME_LABELS: Record<AccountEvent['outcome'], string> = { success: '成功', failure: '失败', refused: '拒绝（已锁定）' };

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
