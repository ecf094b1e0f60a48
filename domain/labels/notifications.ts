/**
 * Notifications: the core emits a machine-readable `kind` and `params`; `renderNotification`
 * turns them into zh-CN (default) or English. The outbox keeps kind, params and the zh-CN text.
 * Pure and deterministic (the workflow sandbox runs it): no Intl, no clock, no I/O.
 */
import { formatPeriod, type Language, type NotificationParams } from './language.ts';
import { automaticRequirement, label } from './values.ts';
import {
  alloc,
  art,
  date,
  filingPeriod,
  grounds,
  periodSource,
  s,
  yuan,
  type P,
  type Texts,
} from './notification-format.ts';

// --- Art. 5, 6, 12, 30 (measures): plans, jurisdictions, county shares  ----------

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
/** zh-CN and English per notification kind. */
export const NOTIFICATION_TEXTS: Record<string, Texts> = {
  ...JURISDICTION_NOTIFICATIONS,
  'technical-review': {
    zh: (p) =>
      p.resubmitted
        ? '项目单位已重新报送申报材料。'
        : `新申报项目 ${s(p.projectId)}：${s(p.title)}（第七条 技术审核）。`,
    en: (p) =>
      p.resubmitted
        ? 'The department resubmitted the application.'
        : `New application ${s(p.projectId)}: ${s(p.title)} (Art. 7 technical review).`,
  },
  'om-review': {
    zh: (p) =>
      p.year !== undefined
        ? `${s(p.year)}年运维经费已审核：${yuan(p.approvedFen, 'zh-CN')}。`
        : `原有系统 ${s(p.projectId)} 已登记：${s(p.title)}（第二十一条 运维经费审核）。`,
    en: (p) =>
      p.year !== undefined
        ? `O&M cost for ${s(p.year)} reviewed: ${yuan(p.approvedFen, 'en')}.`
        : `Existing system ${s(p.projectId)} registered: ${s(p.title)} (Art. 21 O&M cost review).`,
  },
  'establishment-review': {
    zh: () => '技术审核已通过：待审批立项。',
    en: () => 'Technical review passed: establishment approval awaited.',
  },
  revise: {
    zh: (p) => `技术审核要求修改：${s(p.opinion)}${grounds(p, 'zh-CN')}`,
    en: (p) => `Technical review asks for revision: ${s(p.opinion)}${grounds(p, 'en')}`,
  },
  rejected: {
    zh: (p) =>
      p.by === 'establishment'
        ? `立项未获批准：${s(p.opinion)}`
        : `技术审核未通过，项目被驳回：${s(p.opinion)}${grounds(p, 'zh-CN')}`,
    en: (p) =>
      p.by === 'establishment'
        ? `Establishment refused: ${s(p.opinion)}`
        : `Technical review rejected the project: ${s(p.opinion)}${grounds(p, 'en')}`,
  },
  budget: {
    zh: (p) =>
      `项目已立项（${s(p.approvalNo)}${p.approvedEstimateFen !== undefined ? `，批复概算 ${yuan(p.approvedEstimateFen, 'zh-CN')}` : ''}）：待安排建设资金。`,
    en: (p) =>
      `Project established (${s(p.approvalNo)}${p.approvedEstimateFen !== undefined ? `, approved estimate ${yuan(p.approvedEstimateFen, 'en')}` : ''}): construction budget awaited.`,
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
    zh: (p) =>
      p.planId ? `${alloc(p, 'zh-CN')}已列入拟分配计划 ${s(p.planId)} 公示。` : `${alloc(p, 'zh-CN')}正在公示。`,
    en: (p) =>
      p.planId
        ? `${alloc(p, 'en')} is publicised in allocation plan ${s(p.planId)}.`
        : `${alloc(p, 'en')} is under publicity.`,
  },
  'allocation-published': {
    zh: (p) =>
      `资金分配 ${s(p.allocationId)}（${yuan(p.amountFen, 'zh-CN')}）公示期满（公示期限为本地政策），已可拨付。`,
    en: (p) => `Allocation ${s(p.allocationId)} (${yuan(p.amountFen, 'en')}) published.`,
  },
  'contracting-open': {
    zh: () => '建设资金已公示：可以签订合同。',
    en: () => 'Construction budget published: contracts may be signed.',
  },
  'allocation-cancelled': {
    zh: (p) => `资金分配 ${s(p.allocationId)} 已取消（${label('movementReason', p.reason)}）。`,
    en: (p) => `Allocation ${s(p.allocationId)} cancelled (${s(p.reason)}).`,
  },
  'publicity-objection': {
    zh: (p) => `资金分配 ${s(p.allocationId)} 收到公示异议 ${s(p.objectionId)}。`,
    en: (p) => `Objection ${s(p.objectionId)} against allocation ${s(p.allocationId)}.`,
  },
  'publicity-objection-resolution': {
    zh: (p) => `资金分配 ${s(p.allocationId)} 公示期满时仍有未处理的异议：请处理。`,
    en: (p) => `Publicity of ${s(p.allocationId)} ended with an open objection: resolve it.`,
  },
  'unapproved-construction': {
    zh: (p) =>
      `合同 ${s(p.contractNo)} 于 ${date(p.signedOn, 'zh-CN')} 签订，早于 ${date(p.approvedOn, 'zh-CN')} 的立项批复（未批先建，第九条）。`,
    en: (p) =>
      `Contract ${s(p.contractNo)} was signed ${date(p.signedOn, 'en')}, before the establishment approval of ${date(p.approvedOn, 'en')} (未批先建).`,
  },
  contract: {
    zh: (p) => `合同 ${s(p.contractNo)}（${s(p.contractor)}）于 ${date(p.signedOn, 'zh-CN')} 签订。`,
    en: (p) => `Contract ${s(p.contractNo)} with ${s(p.contractor)} signed ${date(p.signedOn, 'en')}.`,
  },
  'contract-filing': {
    zh: (p) =>
      p.contractor !== undefined
        ? `合同 ${s(p.contractNo)}（${s(p.contractor)}）于 ${date(p.signedOn, 'zh-CN')} 签订并备案。`
        : `合同 ${s(p.contractNo)} 已备案${p.late ? '（逾期）' : ''}。`,
    en: (p) =>
      p.contractor !== undefined
        ? `Contract ${s(p.contractNo)} with ${s(p.contractor)} signed ${date(p.signedOn, 'en')}.`
        : `Contract ${s(p.contractNo)} filed${p.late ? ' late' : ''}.`,
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
    zh: (p) =>
      `整改 ${s(p.rectificationId)} 的答复已在期限内提交，尚待审核：请审核（本地政策提醒）。答复未经审核不属于拒不整改，不暂停拨付（第二十二条）。`,
    en: (p) =>
      `Rectification ${s(p.rectificationId)} was answered in time and awaits your review (a policy reminder). An unreviewed response is not a refusal: nothing is suspended (Art. 22).`,
  },
  'rectification-review': {
    zh: (p) => `整改 ${s(p.rectificationId)} 已答复：请审核。`,
    en: (p) => `Rectification ${s(p.rectificationId)} answered: review it.`,
  },
  'rectification-accepted': {
    zh: (p) => `整改 ${s(p.rectificationId)} 已通过。`,
    en: (p) => `Rectification ${s(p.rectificationId)} accepted.`,
  },
  'rectification-rejected': {
    zh: (p) => `整改 ${s(p.rectificationId)}：答复被驳回。`,
    en: (p) => `Rectification ${s(p.rectificationId)}: response rejected.`,
  },
  'rectification-extended': {
    zh: (p) => `整改 ${s(p.rectificationId)} 期限延长至 ${date(p.dueOn, 'zh-CN')}。`,
    en: (p) => `Rectification ${s(p.rectificationId)} extended to ${date(p.dueOn, 'en')}.`,
  },
  'rectification-reminder': {
    zh: (p) => `整改 ${s(p.rectificationId)} 即将到期（本地政策提醒）。`,
    en: (p) => `Rectification ${s(p.rectificationId)} is due (a policy reminder).`,
  },
  'funds-suspended': {
    zh: (p) => `整改 ${s(p.rectificationId)} 未通过：建设和运维资金暂停拨付（第二十二条）。`,
    en: (p) =>
      `Disbursement of construction and O&M money suspended: rectification ${s(p.rectificationId)} failed (Art. 22).`,
  },
  'rectification-decision': {
    zh: (p) =>
      `整改 ${s(p.rectificationId)} 未通过（${label('why', p.why)}）：请延长期限、接受后续整改或终止项目（第二十二条）。`,
    en: (p) =>
      `Rectification ${s(p.rectificationId)} failed (${s(p.why)}): extend the deadline, accept a later rectification or terminate (Art. 22).`,
  },
  'rectification-failed': {
    zh: (p) => `整改 ${s(p.rectificationId)} 未通过（${label('why', p.why)}）；资金暂停拨付（第二十二条）。`,
    en: (p) => `Rectification ${s(p.rectificationId)} failed (${s(p.why)}); disbursement is suspended (Art. 22).`,
  },
  'funds-unsuspended': { zh: () => '整改已通过：资金恢复拨付。', en: () => 'Rectification accepted: funds released.' },
  withdrawal: {
    zh: (p) => `项目单位已撤回项目：${s(p.reason)}`,
    en: (p) => `The department withdrew the project: ${s(p.reason)}`,
  },
  'catalog-entries': {
    zh: (p) => `已登记 ${s(p.count)} 条政务信息资源目录。`,
    en: (p) => `${s(p.count)} resource catalogue entries registered.`,
  },
  'technical-acceptance': {
    zh: () => '初步验收已完成：待技术验收。',
    en: () => 'Preliminary acceptance done: technical acceptance awaited.',
  },
  'completion-acceptance': {
    zh: () => '初步验收已完成：待竣工验收。',
    en: () => 'Preliminary acceptance done: completion acceptance awaited.',
  },
  'joint-acceptance-failed': {
    zh: (p) => `${label('acceptance', p.by)}未通过：${s(p.opinion)}`,
    en: (p) => `The ${s(p.by)} acceptance failed: ${s(p.opinion)}`,
  },
  'joint-acceptance-passed': {
    zh: () => '技术验收和竣工验收均已通过。',
    en: () => 'Technical and completion acceptance both passed.',
  },
  'completion-report-due': {
    zh: (p) =>
      p.after === 'joint'
        ? `联合验收已通过：请报送竣工验收报告（${s(p.deadlineId)}）。`
        : `竣工验收已通过：请将竣工验收报告报市大数据应用局备案（${s(p.deadlineId)}，第二十一条）。`,
    en: (p) =>
      p.after === 'joint'
        ? `Joint acceptance passed: file the completion acceptance report (${s(p.deadlineId)}).`
        : `Completion acceptance passed: file the completion acceptance report with the BDB (${s(p.deadlineId)}, Art. 21).`,
  },
  'completion-report': {
    zh: (p) => `竣工验收报告已报送备案${p.late ? '（逾期）' : ''}。`,
    en: (p) => `Completion acceptance report filed${p.late ? ' late' : ''}.`,
  },
  'completion-report-reminder': {
    zh: () => '竣工验收报告备案即将到期（本地政策提醒）。',
    en: () => 'The completion acceptance report is due (a policy reminder).',
  },
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
  operating: {
    zh: () => '项目已进入运行：运维经费经市大数据应用局审核后安排（第二十一条）。',
    en: () => 'The project is in operation: O&M budgets after BDB review (Art. 21).',
  },
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
    en: (p) =>
      `Reason ${s(p.reasonId)} for the delayed acceptance accepted: no rectification order for the delay (Art. 22).`,
  },
  'acceptance-delay-reason-rejected': {
    zh: (p, role) =>
      role === 'department'
        ? `验收延期理由 ${s(p.reasonId)} 未被接受：${s(p.opinion)}`
        : `验收延期理由 ${s(p.reasonId)} 未被接受：可下达整改通知（第二十二条）。`,
    en: (p, role) =>
      role === 'department'
        ? `Reason ${s(p.reasonId)} for the delayed acceptance rejected: ${s(p.opinion)}`
        : `Reason ${s(p.reasonId)} rejected: the BDB may order rectification (Art. 22).`,
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
    zh: (p) =>
      `变更申请 ${s(p.changeRequestId)}（${label('changeKind', p.kind)}）征求意见：${s(p.description)}（第十七条）`,
    en: (p) =>
      `Your opinion is asked on change request ${s(p.changeRequestId)} (${s(p.kind)}): ${s(p.description)} (Art. 17)`,
  },
  'change-request-opinion': {
    zh: (p) =>
      `${label('role', p.role)}已对变更申请 ${s(p.changeRequestId)} 提出意见${p.agrees === true ? '（同意）' : p.agrees === false ? '（不同意）' : ''}` +
      (Number(p.remaining) > 0 ? `，尚待 ${s(p.remaining)} 个单位答复。` : '，可以作出决定。'),
    en: (p) =>
      `The ${label('role', p.role, 'en')} opinion on change request ${s(p.changeRequestId)} is in${p.agrees === true ? ' (agrees)' : p.agrees === false ? ' (disagrees)' : ''}` +
      (Number(p.remaining) > 0 ? `; ${s(p.remaining)} still to answer.` : '; the request can be decided.'),
  },
  'contract-filing-reminder': {
    zh: (p) => `请向市大数据应用局备案合同 ${s(p.contractNo)}（本地政策提醒）。`,
    en: (p) => `File contract ${s(p.contractNo)} with the BDB (a policy reminder).`,
  },
  'progress-report-reminder': {
    zh: (p) => `${formatPeriod(s(p.period))}对照分析即将到期（报送周期为本地政策）。`,
    en: (p) => `Comparative analysis ${s(p.period)} is due (the period is local policy).`,
  },
  'acceptance-delay-reminder': {
    zh: () => '本地政策规定的验收期限即将届满：请组织初步验收。',
    en: () => 'The acceptance period of local policy ends soon: carry out the preliminary acceptance.',
  },
  'annual-evaluation-reminder': {
    zh: (p) => `${s(p.year)}年度评估即将到期（到期日为本地政策；第二十三条）。`,
    en: (p) => `The evaluation of ${s(p.year)} is due (the due date is local policy; Art. 23).`,
  },
  'late-filing': {
    zh: (p) =>
      p.periodAmount !== undefined
        ? `合同 ${s(p.contractNo)} 未在${filingPeriod(p, 'zh-CN')}报市大数据应用局备案${periodSource(p, 'zh-CN', ['第十五条', 'Art. 15'])}。`
        : `合同 ${s(p.contractNo)} 未按期备案${art(p, '第十五条')}。`,
    en: (p) =>
      p.periodAmount !== undefined
        ? `Contract ${s(p.contractNo)} was not filed with the BDB${filingPeriod(p, 'en')}${periodSource(p, 'en', ['第十五条', 'Art. 15'])}.`
        : `Contract ${s(p.contractNo)} was not filed in time${p.article ? ' (Art. 15)' : ''}.`,
  },
  'missing-report': {
    zh: (p) =>
      `${formatPeriod(s(p.period))}对照分析未按期报送（本地政策规定的周期和期限${p.article ? '；第十六条要求定期开展对照分析' : ''}）。`,
    en: (p) =>
      `Comparative analysis ${s(p.period)} is overdue (the period and due days are local policy${p.article ? '; Art. 16 asks for it periodically' : ''}).`,
  },
  'acceptance-delay-excused': {
    zh: () => '本地政策规定的验收期限已过；延期理由已被接受，不属于第二十二条所称无合理原因长期拖延不验收。',
    en: () =>
      'The acceptance period of local policy passed; the delay has an accepted reason, so it is no ground under Art. 22.',
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
    zh: () =>
      '竣工验收已通过，项目尚未记录与项目建设单位共同制定的应急预案（第二十九条）：已列为项目实施单位的待办事项。',
    en: () =>
      'Completion acceptance passed and no emergency plan made with the contractor is recorded (Art. 29): it is pending with the department.',
  },
  // --- Art. 28-29 ---------------------------------------------------------------------
  'risk-assessment': {
    zh: (p) =>
      `项目单位已记录与市大数据应用局（${s(p.bdbParticipant)}）共同开展的网络与信息安全风险评估（${date(p.assessedOn, 'zh-CN')}，第二十八条）。`,
    en: (p) =>
      `The department recorded the joint risk assessment with the BDB (${s(p.bdbParticipant)}) of ${date(p.assessedOn, 'en')} (Art. 28).`,
  },
  'emergency-plan': {
    zh: (p) =>
      `项目单位已记录与项目建设单位 ${s(p.contractor)} 共同制定的应急预案（${date(p.adoptedOn, 'zh-CN')}，第二十九条）。`,
    en: (p) =>
      `The department recorded the emergency plan made with the contractor ${s(p.contractor)} on ${date(p.adoptedOn, 'en')} (Art. 29).`,
  },
  // docs/MEASURES.md "Working days": a system notice to the admins (db/calendar.ts warnCalendarCoverage).
  'calendar-notice-missing': {
    zh: (p) =>
      `${s(p.year)}年国务院办公厅节假日安排通知尚未录入：该年工作日暂按法定节假日推算（暂定）。请在“系统管理 › 工作日历”中录入。`,
    en: (p) =>
      `The State Council's holiday notice for ${s(p.year)} is not entered: its working days are provisional (holiday law only). Enter it under 系统管理 › 工作日历 (PUT /v1/calendar/${s(p.year)}).`,
  },
  'security-drill-reminder': {
    zh: () => '应急演练即将到期：请组织演练并记录（第二十九条，本地政策的演练周期）。',
    en: () => 'An emergency drill is due: hold and record it (Art. 29; the drill period is policy).',
  },
  'security-drill-overdue': {
    zh: (p, role) =>
      role === 'department'
        ? `自 ${date(p.since, 'zh-CN')} 起的演练周期内未记录应急演练，请尽快组织（第二十九条，本地政策）。`
        : `项目自 ${date(p.since, 'zh-CN')} 起的演练周期内未记录应急演练（第二十九条，本地政策）。`,
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
