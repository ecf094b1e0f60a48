/**
 * The project's records as tabs: every opinion and decision with who and when; deadlines (their
 * last day); funds and ledger; allocations under publicity and the objections' text; contracts
 * (procurement method, document, filing), 对照分析 and change requests with the related units'
 * opinions (Art. 17); rectification orders with their responses, reviews and extensions (Art. 22);
 * acceptance, catalogue, 竣工验收报告, O&M reviews and evaluations; risk assessment, emergency plan,
 * incidents and drills (Art. 28-29); the audit trail.
 */
import { Card, Descriptions, Tabs, Tag, Typography } from 'antd';
import { SYSTEM_ACTOR } from '../../../../domain/effects.ts';
import { articleLabel, automaticRequirement } from '../../../../domain/labels/values.ts';
import { dateOrDash, dueOrDash, formatDate, formatDateTime, formatPeriod, formatYuan, label } from '../../format.ts';
import { actionLabel, actorName, deadlineLabel, roleLabel } from '../../labels.ts';
import { AuditTab } from './AuditTab.tsx';
import { DocumentLink, type DocumentIndex } from './Documents.tsx';
import { FundsTab } from './FundsTab.tsx';
import { table } from './table.tsx';
import type { ProjectView, Role } from './types.ts';

type Decision = ProjectView['decisions'][number];

/** A decision's outcome in words (the record keeps an amount for an O&M review, a date for an extension). */
function outcome(d: Decision): string {
  if (d.decision === undefined) return '—';
  if (d.action === 'om-review') return `核定 ${formatYuan(Number(d.decision))}`;
  if (d.action === 'rectification-extension') return `延至 ${formatDate(d.decision)}`;
  if (d.action === 'establishment') return d.decision === 'approve' ? '批准立项' : '不予立项';
  // Art. 22: an order keeps its ground as the decision.
  if (d.action === 'rectification-order') return label('reason', d.decision);
  return label('decision', d.decision);
}
/** Filings record their document's reference as the opinion; it is shown with the filing instead. */
const opinionOf = (d: Decision) =>
  !d.opinion
    ? '—'
    : /^(sm3|sha256):/.test(d.opinion)
      ? '（见所附文件）'
      : d.action === 'rectification-order' && d.by === SYSTEM_ACTOR.name
        ? automaticRequirement(d.decision) // an order the system issued: its record keeps an English note
        : d.opinion;

const by = (name: string | null | undefined, at: string | null | undefined) =>
  name ? `${actorName(name)}${at ? `，${formatDateTime(at)}` : ''}` : '—';

type Rectification = ProjectView['rectifications'][number];
const requirement = (r: Rectification) => (r.automatic ? automaticRequirement(r.reason) : r.description);

export function RecordTabs({ view, docs, role }: { view: ProjectView; docs: DocumentIndex; role: Role }) {
  const doc = (id: string | undefined | null, reference: string | null | undefined, testId?: string) => (
    <DocumentLink id={id} reference={reference} docs={docs} testId={testId} />
  );
  const tabs = [
    {
      key: 'decisions',
      label: '意见与决定',
      children: table(
        view.decisions,
        [
          { title: '事项', render: (d) => actionLabel(d.action) },
          { title: '结论', render: (d) => outcome(d) },
          { title: '意见', render: (d) => opinionOf(d) },
          { title: '办理人', render: (d) => `${actorName(d.by)}（${roleLabel(d.role)}）` },
          { title: '时间', render: (d) => formatDateTime(d.at) },
        ],
        '暂无意见与决定',
        'decisions',
      ),
    },
    {
      key: 'deadlines',
      label: '期限',
      children: table(
        view.deadlines,
        [
          {
            title: '期限',
            render: (d) =>
              `${deadlineLabel(d.kind)}${d.ref ? `（${d.kind === 'progress-report' ? formatPeriod(d.ref) : d.ref}）` : ''}`,
          },
          { title: '起算', render: (d) => dateOrDash(d.startsAt) },
          { title: '截止', render: (d) => dueOrDash(d.dueAt) },
          {
            title: '状态',
            render: (d) => (
              <Tag color={d.status === 'missed' ? 'red' : d.status === 'open' ? 'blue' : undefined}>
                {label('deadlineStatus', d.status)}
              </Tag>
            ),
          },
          { title: '依据', render: (d) => (d.basis === 'policy' ? '本地政策' : '《管理办法》') },
        ],
        '暂无期限',
        'deadlines',
      ),
    },
    { key: 'funds', label: '资金', children: <FundsTab view={view} role={role} /> },
    {
      key: 'publicity',
      label: '公示与异议',
      children: table(
        view.publicityObjections,
        [
          { title: '资金安排', render: (o) => o.allocationId },
          { title: '异议内容', render: (o) => o.summary },
          { title: '登记', render: (o) => by(o.recordedBy, o.recordedAt) },
          {
            title: '处理结果',
            render: (o) => (
              <Tag color={o.status === 'upheld' ? 'red' : o.status === 'open' ? 'orange' : undefined}>
                {label('objectionStatus', o.status)}
              </Tag>
            ),
          },
          { title: '处理说明', render: (o) => o.note || '—' },
          { title: '处理', render: (o) => by(o.resolvedBy, o.resolvedAt) },
        ],
        '暂无公示异议',
        'objections',
      ),
    },
    {
      key: 'contracts',
      label: '合同与调整',
      children: (
        <>
          {table(
            view.contracts,
            [
              { title: '合同编号', render: (c) => c.contractNo },
              { title: '项目建设单位', render: (c) => c.contractor },
              {
                title: '采购方式',
                render: (c) =>
                  c.procurement
                    ? `${label('procurementMethod', c.procurement.method)}${c.procurement.reason ? `（${c.procurement.reason}）` : ''}`
                    : '—',
              },
              { title: '工程监理单位', render: (c) => c.supervisor ?? '—' },
              { title: '金额', render: (c) => formatYuan(c.amountFen) },
              { title: '签订日期', render: (c) => dateOrDash(c.signedOn) },
              { title: '合同文本', render: (c) => doc(c.documentId, c.documentRef, `contract-${c.contractNo}`) },
              {
                title: '备案',
                render: (c) => (c.filedAt ? `${dateOrDash(c.filedAt)}${c.filedLate ? '（逾期）' : ''}` : '未备案'),
              },
            ],
            '暂无合同',
            'contracts',
          )}
          <Typography.Title level={5} style={{ marginTop: 16 }}>
            对照分析（第十六条）
          </Typography.Title>
          {table(
            view.progressReports,
            [
              { title: '报告期', render: (p) => formatPeriod(p.period) },
              { title: '完成进度', render: (p) => `${p.progressPercent}%` },
              { title: '资金使用', render: (p) => formatYuan(p.spentFen) },
              { title: '分析说明', render: (p) => p.summary || '—' },
              { title: '报送', render: (p) => `${by(p.reportedBy, p.reportedAt)}${p.late ? '（逾期）' : ''}` },
            ],
            '暂无对照分析',
          )}
          <Typography.Title level={5} style={{ marginTop: 16 }}>
            调整申请（第十七条）
          </Typography.Title>
          {table(
            view.changeRequests,
            [
              { title: '编号', render: (c) => c.id },
              { title: '类型', render: (c) => label('changeKind', c.kind) },
              { title: '说明', render: (c) => c.description },
              { title: '预算调整', render: (c) => (c.budgetDeltaFen === null ? '—' : formatYuan(c.budgetDeltaFen)) },
              { title: '申请', render: (c) => by(c.requestedBy, c.requestedAt) },
              {
                title: '相关单位意见',
                render: (c) =>
                  c.consulted.length === 0
                    ? '—'
                    : c.consulted.map((r) => {
                        const o = c.opinions.find((x) => x.role === r);
                        return (
                          <div key={r}>
                            {roleLabel(r)}：
                            {o
                              ? `${o.agrees === true ? '同意' : o.agrees === false ? '不同意' : ''}${o.agrees === null ? '' : '，'}${o.opinion}（${by(o.by, o.at)}）`
                              : '尚未答复'}
                          </div>
                        );
                      }),
              },
              { title: '状态', render: (c) => label('changeRequestStatus', c.status) },
              {
                title: '市大数据应用局意见',
                render: (c) => (c.decidedBy ? `${c.opinion || '—'}（${by(c.decidedBy, c.decidedAt)}）` : '—'),
              },
            ],
            '暂无调整申请',
            'change-requests',
          )}
        </>
      ),
    },
    {
      key: 'rectifications',
      label: '整改',
      children: (
        <>
          {view.rectifications.length === 0 && <Typography.Text type="secondary">暂无整改</Typography.Text>}
          {view.rectifications.map((r) => (
            <Card
              key={r.id}
              size="small"
              style={{ marginBottom: 12 }}
              title={`整改通知 ${r.id}：${label('reason', r.reason)}`}
              extra={<Tag color={r.hasFailed ? 'red' : undefined}>{label('rectificationStatus', r.status)}</Tag>}
              data-testid={`rectification-${r.id}`}
            >
              <Descriptions size="small" column={1}>
                <Descriptions.Item label="整改要求">{requirement(r)}</Descriptions.Item>
                <Descriptions.Item label="下达">
                  {r.automatic
                    ? `系统依本地政策自动下达（${formatDateTime(r.issuedAt)}）`
                    : `${r.issuedBy}（${roleLabel(r.issuedByRole)}），${formatDateTime(r.issuedAt)}`}
                </Descriptions.Item>
                <Descriptions.Item label="整改期限">{dateOrDash(r.dueOn)}</Descriptions.Item>
                {r.extensions.map((e, i) => (
                  <Descriptions.Item
                    key={`e${i}`}
                    label="延长期限"
                  >{`延至 ${formatDate(e.dueOn)}：${e.reason}（${by(e.by, e.at)}）`}</Descriptions.Item>
                ))}
              </Descriptions>
              {r.responses.map((x, i) => (
                <Card
                  key={i}
                  size="small"
                  type="inner"
                  title={`整改情况 ${i + 1}（${by(x.by, x.at)}）`}
                  style={{ marginTop: 8 }}
                >
                  <p>{x.description}</p>
                  <div>佐证材料：{doc(x.documentId, x.evidenceRef)}</div>
                  <div>
                    审核：
                    {x.review
                      ? `${label('decision', x.review.decision)}${x.review.opinion ? `，${x.review.opinion}` : ''}（${by(x.review.by, x.review.at)}）`
                      : '尚未审核'}
                  </div>
                </Card>
              ))}
            </Card>
          ))}
          {view.acceptanceDelayReasons.length > 0 && (
            <>
              <Typography.Title level={5}>验收延期原因（第二十二条）</Typography.Title>
              {table(view.acceptanceDelayReasons, [
                { title: '原因', render: (d) => d.reason },
                { title: '说明', render: (d) => by(d.statedBy, d.statedAt) },
                {
                  title: '审核',
                  render: (d) => `${label('delayReasonStatus', d.status)}${d.opinion ? `：${d.opinion}` : ''}`,
                },
                { title: '审核人', render: (d) => by(d.decidedBy, d.decidedAt) },
              ])}
            </>
          )}
          {view.accountabilityReferrals.length > 0 && (
            <>
              <Typography.Title level={5}>追究责任移送</Typography.Title>
              {table(view.accountabilityReferrals, [
                { title: '文号', render: (a) => a.reference },
                { title: '说明', render: (a) => a.description },
                { title: '记录', render: (a) => by(a.recordedBy, a.recordedAt) },
              ])}
            </>
          )}
          {view.violations.length > 0 && (
            <>
              <Typography.Title level={5}>违规记录</Typography.Title>
              {table(view.violations, [
                { title: '事项', render: (v) => label('reason', v.kind) },
                {
                  title: '依据',
                  render: (v) => `${articleLabel(v.article)}${v.basis === 'policy' ? '（本地政策）' : ''}`,
                },
                { title: '时间', render: (v) => formatDateTime(v.at) },
              ])}
            </>
          )}
        </>
      ),
    },
    {
      key: 'acceptance',
      label: '验收与评估',
      children: (
        <>
          <Descriptions size="small" bordered column={1} style={{ marginBottom: 16 }}>
            <Descriptions.Item label="初步验收">
              {view.acceptance.preliminary ? (
                <>
                  完成于 {formatDate(view.acceptance.preliminary.completedOn)}（
                  {by(view.acceptance.preliminary.by, view.acceptance.preliminary.at)}）；报告：
                  {doc(view.acceptance.preliminary.documentId, view.acceptance.preliminary.reportRef)}
                </>
              ) : (
                '—'
              )}
            </Descriptions.Item>
            <Descriptions.Item label="技术验收">
              {view.acceptance.technical
                ? `${label('decision', view.acceptance.technical.decision)}；安全可控${view.acceptance.technical.securityControllable ? '' : '（否）'}，等级保护第${view.acceptance.technical.mlpsLevel ?? '—'}级，密码应用安全性评估${view.acceptance.technical.cryptoAssessmentPassed ? '通过' : '未通过'}；${view.acceptance.technical.opinion || '—'}（${by(view.acceptance.technical.by, view.acceptance.technical.at)}）`
                : '—'}
            </Descriptions.Item>
            <Descriptions.Item label="竣工验收">
              {view.acceptance.completion
                ? `${label('decision', view.acceptance.completion.decision)}；${view.acceptance.completion.opinion || '—'}（${by(view.acceptance.completion.by, view.acceptance.completion.at)}）`
                : '—'}
            </Descriptions.Item>
            <Descriptions.Item label="竣工验收报告备案">
              {view.completionReport ? (
                <>
                  {by(view.completionReport.filedBy, view.completionReport.filedAt)}
                  {view.completionReport.late ? '（逾期）' : ''}；
                  {doc(view.completionReport.documentId, view.completionReport.reportRef, 'completion-report')}
                </>
              ) : (
                '—'
              )}
            </Descriptions.Item>
          </Descriptions>
          <Typography.Title level={5}>信息资源目录（第十九条）</Typography.Title>
          {table(
            view.catalogEntries,
            [
              { title: '编码', render: (e) => e.code },
              { title: '名称', render: (e) => e.name },
              { title: '共享类型', render: (e) => label('sharingType', e.sharingType) },
              { title: '更新周期', render: (e) => e.updateCycle },
              { title: '登记', render: (e) => by(e.registeredBy, e.registeredAt) },
            ],
            '暂未登记',
          )}
          <Typography.Title level={5} style={{ marginTop: 16 }}>
            运维经费审核（第二十一条）
          </Typography.Title>
          {table(
            view.omReviews,
            [
              { title: '年度', render: (r) => r.year },
              { title: '核定金额', render: (r) => formatYuan(r.approvedFen) },
              { title: '意见', render: (r) => r.opinion || '—' },
              { title: '审核', render: (r) => by(r.reviewedBy, r.reviewedAt) },
            ],
            '暂无运维经费审核',
          )}
          <Typography.Title level={5} style={{ marginTop: 16 }}>
            年度评估（第二十三条）
          </Typography.Title>
          {table(
            view.evaluations,
            [
              { title: '年度', render: (e) => e.year },
              { title: '资金使用', render: (e) => e.fundUseScore },
              { title: '产出', render: (e) => e.outputScore },
              { title: '效果', render: (e) => e.effectScore },
              { title: '满意度', render: (e) => e.satisfactionScore },
              { title: '数据共享', render: (e) => (e.sharingCompliant ? '符合' : '不符合') },
              { title: '评估意见', render: (e) => e.summary || '—' },
              { title: '评估', render: (e) => by(e.evaluatedBy, e.evaluatedAt) },
            ],
            '暂无评估',
          )}
        </>
      ),
    },
    {
      key: 'security',
      label: '安全',
      children: (
        <>
          <Typography.Title level={5}>网络与信息安全风险评估（第二十八条）</Typography.Title>
          {table(
            view.riskAssessments,
            [
              { title: '评估日期', render: (r) => dateOrDash(r.assessedOn) },
              { title: '结论', render: (r) => r.result },
              { title: '市大数据应用局参加人', render: (r) => r.bdbParticipant },
              { title: '报告', render: (r) => doc(r.documentId, r.documentRef) },
              { title: '登记', render: (r) => by(r.recordedBy, r.recordedAt) },
            ],
            '暂无风险评估',
          )}
          <Typography.Title level={5} style={{ marginTop: 16 }}>
            应急预案（第二十九条）
          </Typography.Title>
          {table(
            view.emergencyPlans,
            [
              { title: '制定日期', render: (p) => dateOrDash(p.adoptedOn) },
              { title: '项目建设单位', render: (p) => p.contractor },
              { title: '预案', render: (p) => doc(p.documentId, p.documentRef) },
              { title: '登记', render: (p) => by(p.recordedBy, p.recordedAt) },
            ],
            '暂无应急预案',
          )}
          <Typography.Title level={5} style={{ marginTop: 16 }}>
            安全事件
          </Typography.Title>
          {table(
            view.incidents,
            [
              { title: '发生时间', render: (i) => formatDateTime(i.occurredAt) },
              { title: '严重程度', render: (i) => label('severity', i.severity) },
              { title: '经过', render: (i) => i.description },
              { title: '处置', render: (i) => i.handling },
              {
                title: '报告',
                render: (i) => `${i.reportedTo ? `向${i.reportedTo}报告，` : ''}${formatDateTime(i.reportedAt)}`,
              },
            ],
            '暂无安全事件',
          )}
          <Typography.Title level={5} style={{ marginTop: 16 }}>
            应急演练
          </Typography.Title>
          {table(
            view.drills,
            [
              { title: '演练日期', render: (d) => dateOrDash(d.heldOn) },
              { title: '场景', render: (d) => d.scenario },
              { title: '总结', render: (d) => d.summary },
              { title: '登记', render: (d) => by(d.recordedBy, d.recordedAt) },
            ],
            '暂无应急演练',
          )}
        </>
      ),
    },
    { key: 'audit', label: '审计记录', children: <AuditTab view={view} /> },
  ];
  return <Tabs items={tabs} data-testid="record-tabs" />;
}
