/**
 * Problems (application/problem+json): a title per code (fallback per HTTP status) and, for the codes
 * in PROBLEM_DETAILS, a zh-CN detail rendered from the refusal's details. English details are the
 * refusal's own English message (the core's Rejection message, the API's ApiError detail), which is
 * also what is logged.
 * Pure and deterministic (the workflow sandbox runs it): no Intl, no clock, no I/O.
 */
import { formatInstant, formatYuan, type Language, MEASURES_TITLE } from './language.ts';
import { s, yuan } from './notification-format.ts';
import { actionLabel, label } from './values.ts';

// --- Art. 5, 6, 12, 30 (measures): plans, jurisdictions, county shares ------------------------------

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
  jurisdiction_mismatch: (d) =>
    `第五条、第十二条、第三十条：该密钥属于辖区 ${s(d.keyJurisdiction)}，不能以辖区 ${s(d.jurisdiction)} 申报。`,
  jurisdiction_in_use: (d) =>
    `辖区 ${s(d.jurisdiction)} 仍被 ${s(d.keys)} 个密钥、${s(d.projects)} 个项目、${s(d.policies)} 个政策版本、${s(d.children)} 个下级辖区${d.departments !== undefined ? `、${s(d.departments)} 个部门` : ''}引用，不能删除。`,
  no_draft_plan: (d) => `第六条：${s(d.year)}年度计划没有待批准的草案。`,
  empty_plan: (d) => `第六条：${s(d.year)}年度计划草案（版本 ${s(d.version)}）没有项目。`,
  county_share_unconfirmed: (d) =>
    `第十一条、第十二条：资金分配 ${s(d.allocationId)} 的县级份额尚未经 ${s(d.jurisdiction)} 财政部门确认，不能公示。`,
  county_share_without_county: () => '第十二条：市本级项目没有县级份额，请全部列为市级承担。',
  county_finance_only: (d) =>
    `第十二条：县级份额只能由 ${s(d.jurisdiction)} 财政部门确认（该密钥属于 ${s(d.actorJurisdiction)}）。`,
  city_finance_only: () => '第十二条：资金由市财政局安排；县级财政部门只确认县级份额。',
  other_jurisdiction_finance: (d) =>
    `第十二条：${s(d.actorJurisdiction)} 财政部门只办理和查看本县（市、区）项目的县级份额，不能办理或查看 ${s(d.jurisdiction)} 的项目。`,
  insufficient_share: (d) =>
    `第十二条：本项目${d.share === 'county' ? '县级' : '市级'}份额中尚可拨付的${label('fundType', d.fundType)}只有 ${yuan(d.availableFen, 'zh-CN')}。`,
};

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
  exceeds_plan_ceiling: [
    '投资概算超过年度计划项目上限（本地政策）',
    'Estimate above the annual plan ceiling (local policy)',
  ],
  checklist_incomplete: ['审查项未全部合格（本地政策）', 'Checklist incomplete (local policy)'],
  risk_assessment_missing: ['须先记录风险评估（本地政策）', 'Risk assessment first (local policy)'],
  emergency_plan_missing: ['须先记录应急预案（本地政策）', 'Emergency plan first (local policy)'],
  period_fixed_by_measures: ['期限由《管理办法》规定', 'Period fixed by the measures'],
  opinions_missing: ['相关单位意见尚未齐备', 'Opinions still missing'],
  opinion_not_requested: ['未征求该单位意见', 'Opinion not requested'],
  // Personal accounts and sign-in (api/sessions.ts).
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
  validation_failed: (d) =>
    `${d.where ? s(d.where) : '请求'}${typeof d.count === 'number' && d.count > 0 ? `有 ${d.count} 处` : ''}不符合要求${typeof d.count === 'number' && d.count > 0 ? '，逐项说明如下' : ''}。`,
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
  already_exists: (d) =>
    d.kind === 'account'
      ? '该登录名已被使用。'
      : d.kind === 'department'
        ? `部门编码 ${s(d.department)} 已登记为“${s(d.name)}”。`
        : '该对象已存在。',
  already_revoked: (d) => (d.kind === 'account' ? '该账号此前已被停用。' : '该 API 密钥此前已被吊销。'),
  funds_suspended: () => '第二十二条：整改通过前，建设和运维资金暂停拨付。',
  idempotency_conflict: () => '同一个 Idempotency-Key 已用于不同的请求。',
  idempotency_in_progress: () => '使用同一个 Idempotency-Key 的请求仍在处理中，请稍后重试。',
  payload_too_large: (d) =>
    typeof d.maxBytes === 'number'
      ? `文件超过大小上限 ${formatBytes(d.maxBytes)}，未保存。`
      : `请求体不得超过 ${formatBytes(typeof d.limitBytes === 'number' ? d.limitBytes : 256 * 1024)}。`,
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
  read_only_role: () =>
    '三员分立（本地政策，GB/T 22239-2019 第三级）：审计管理员只能查阅审计记录，不能作任何变更；本人的密码和身份验证器除外。',
  reserved_role: (d) =>
    d.kind === 'key'
      ? `三员分立（本地政策）：不能通过接口签发“${label('role', d.role)}”角色的 API 密钥；管理员角色的密钥由服务器运维人员用启动配置的管理员密钥或 npm run keys 签发。`
      : `三员分立（本地政策）：安全管理员不能创建“${label('role', d.role)}”账户；安全管理员账户由服务器运维人员用启动配置的管理员密钥或 npm run accounts 创建。`,
  cannot_revoke_self: (d) =>
    d.kind === 'account'
      ? '不能停用发出本请求的账号，请由另一位管理员停用。'
      : '不能吊销发出本请求的 API 密钥，请用另一个管理员密钥或账号吊销。',
  request_aborted: () => '文件未传完即中断，未保存任何内容。',
  password_change_locked: () => '本地政策：本会话连续 5 次输入的当前密码错误，会话已结束，请重新登录。',
  unsupported_media_type: () => '请求体须为 application/json。',
  rate_limited: () => '提交过于频繁，请稍后重试。',
  webhook_address_refused: (d) =>
    `该地址${d.address ? `（解析为 ${s(d.address)}）` : ''}不能作为接收地址：${({ loopback: '本机回环地址', 'link-local': '链路本地地址（含云元数据服务）', unspecified: '未指定地址', multicast: '组播或广播地址', 'own-address': '本机地址', 'system-endpoint': '本系统自身的服务端口', private: '内网地址，未列入管理员允许的网段 WEBHOOK_ALLOWED_NETWORKS', unresolvable: '无法解析的主机名' } as Record<string, string>)[String(d.reason)] ?? s(d.reason)}。`,
  sign_in_rate_limited: (d) => `（本地政策）来自同一地址的登录尝试每分钟不得超过 ${String(d.limit)} 次，请稍后重试。`,
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
    (Number(d.unagreedIncreasesFen ?? 0) > 0
      ? `已批准的预算调增中 ${fen(d, 'unagreedIncreasesFen')} 未经批复概算的审批部门同意，未计入（本地政策）。`
      : ''),
  exceeds_approved_change: (d) => `第十七条：已批准的预算调增中尚未安排的只有 ${fen(d, 'availableFen')}。`,
  exceeds_om_review: (d) => `第二十一条：该年度经审核的运维经费只剩 ${fen(d, 'availableFen')}。`,
  insufficient_funds: (d) => `可拨付资金只有 ${fen(d, 'availableFen')}。`,
  checklist_incomplete: (d) =>
    `本地政策：技术审核通过须全部审查项合格（审查内容见第七条）；缺少：${(Array.isArray(d.missing) ? d.missing : []).map((m) => label('checklist', m)).join('、')}。`,
  allocation_not_held: (d) =>
    `第十一条：资金分配 ${s(d.allocationId)} 当前状态为“${label('allocationStatus', d.status)}”，不是待公示的已安排资金。`,
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
  // --- Art. 23, 28-29 -------------------------------------------------------------------
  risk_assessment_missing: () =>
    '本地政策：技术验收前须登记项目实施单位会同市大数据应用局开展的网络与信息安全风险评估；第二十八条要求开展风险评估，未规定先后。',
  emergency_plan_missing: () =>
    '本地政策：报送竣工验收报告前须登记与项目建设单位共同制定的应急预案；第二十九条要求制定应急预案，未规定先后。',
  contractor_unknown: (d) =>
    `第二十九条：应急预案须与项目建设单位共同制定；${s(d.contractor)} 不是本项目合同上的建设单位（${s(d.contractors)}）。`,
  reported_before_occurred: () => '第二十九条：报告时间不能早于事件发生时间。',
  date_in_future: () => '所填日期不能晚于今天。',
  // Personal accounts and sign-in: an unknown login name and a wrong password read alike.
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
