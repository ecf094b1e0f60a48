/**
 * 项目详情: stage progress, the actions this person may take now (forms from the command schemas),
 * deadlines, funds per fund type and bucket, ledger, contracts, change requests, rectifications,
 * acceptance, evaluations, incidents and drills, and the audit trail as a timeline with the chain's
 * link check. Every refusal is the API's problem text.
 */
import { Alert, Button, Card, Col, Descriptions, Empty, Row, Select, Space, Spin, Steps, Table, Tabs, Tag, Timeline, Typography } from 'antd';
import { useMemo, useState, type ReactNode } from 'react';
import { api, ok, type ApiPath } from '../api.ts';
import { dateOrDash, formatDateTime, formatDue, formatPeriod, formatYuan, label } from '../format.ts';
import forms from '../forms.generated.json';
import { useLoad } from '../hooks.ts';
import { actionLabel, deadlineLabel, roleLabel, stageLabel, valueLabel } from '../labels.ts';
import { ProblemAlert } from '../Problem.tsx';
import { SchemaForm, type JsonSchema } from '../SchemaForm.tsx';
import { useSession } from '../session.tsx';

interface CommandForm {
  command: string;
  action: string;
  path: string;
  roles: readonly string[];
  summary: string;
  schema: JsonSchema;
}
const COMMANDS = forms.commands as unknown as Record<string, CommandForm>;
const BODIES = forms.bodies as unknown as Record<string, JsonSchema>;

const MAIN_PATH = ['technical_review', 'establishment_review', 'budgeting', 'publicity', 'contracting', 'construction', 'joint_acceptance', 'completion_filing', 'operating'] as const;
const ENDED = new Set(['decommissioned', 'rejected', 'withdrawn', 'terminated']);
const BUCKETS = [
  ['allocatedFen', '已安排'],
  ['heldFen', '待公示'],
  ['availableFen', '可拨付'],
  ['frozenFen', '冻结'],
  ['disbursedFen', '已拨付'],
  ['cancelledFen', '已取消'],
] as const;

const pathParamsOf = (path: string) => [...path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]!).filter((p) => p !== 'id');

/** One command as a form: its path parameters (from the pending action's ref, or typed in) and its body. */
function CommandCard({ projectId, form, refValue, onDone }: { projectId: string; form: CommandForm; refValue?: string; onDone: () => void }) {
  const params = pathParamsOf(form.path);
  const known = refValue !== undefined && params.length === 1;
  const schema: JsonSchema = known
    ? form.schema
    : { ...form.schema, properties: { ...Object.fromEntries(params.map((p) => [p, { type: 'string', minLength: 1 }])), ...form.schema.properties }, required: [...params, ...(form.schema.required ?? [])] };
  return (
    <Card size="small" title={`${actionLabel(form.action)}${refValue ? `（${refValue}）` : ''}`} style={{ marginBottom: 12 }} data-testid={`action-${form.action}`}>
      <SchemaForm
        schema={schema}
        context={form.action}
        submitLabel={`提交${actionLabel(form.action)}`}
        onSubmit={async (body) => {
          const path: Record<string, string> = { id: projectId };
          const rest = { ...body };
          for (const p of params) {
            path[p] = known ? refValue! : String(rest[p]);
            delete rest[p];
          }
          return ok(api.POST(form.path as ApiPath as never, { params: { path }, body: rest } as never) as never);
        }}
        onDone={onDone}
      />
    </Card>
  );
}

/** Art. 11: the BDB lists a held allocation in an allocation plan (拟分配计划) and its publicity starts. */
function PublicationCard({ projectId, allocationId, onDone }: { projectId: string; allocationId: string; onDone: () => void }) {
  const schema = BODIES['POST /v1/allocation-plans'];
  if (!schema) return null;
  return (
    <Card size="small" title={`${actionLabel('allocation-publication')}（${allocationId}）`} style={{ marginBottom: 12 }} data-testid="action-allocation-publication">
      <SchemaForm
        schema={schema}
        hidden={['allocations']}
        initialValues={{ year: new Date().getFullYear(), title: `${new Date().getFullYear()}年政务大数据项目资金拟分配计划` }}
        submitLabel="发布拟分配计划并公示"
        onSubmit={(body) => ok(api.POST('/v1/allocation-plans', { body: { ...body, allocations: [{ projectId, allocationId }] } as never }))}
        onDone={onDone}
      />
    </Card>
  );
}

const by = (v: string | null | undefined) => v ?? '—';

export default function ProjectDetail({ id }: { id: string }) {
  const { account } = useSession();
  const role = account?.role ?? 'department';
  const { data: view, problem, loading, reload } = useLoad(() => ok(api.GET('/v1/projects/{id}', { params: { path: { id } } })), [id]);
  const history = useLoad(() => ok(api.GET('/v1/projects/{id}/history', { params: { path: { id } } })), [id, view]);
  const ledger = useLoad(() => ok(api.GET('/v1/projects/{id}/ledger', { params: { path: { id } } })), [id, view]);
  const [other, setOther] = useState<string>();

  const mine = useMemo(() => (view?.pendingActions ?? []).filter((a) => a.role === role), [view, role]);
  const otherCommands = Object.values(COMMANDS).filter((c) => c.roles.includes(role));

  if (loading && !view) return <Spin style={{ display: 'block', margin: 60 }} aria-label="加载中" />;
  if (problem && !view) return <ProblemAlert problem={problem} />;
  if (!view) return null;

  const done = () => void reload();
  const current = MAIN_PATH.indexOf(view.stage as (typeof MAIN_PATH)[number]);
  const chain = (history.data?.items ?? []).map((e, i, all) => ({ ...e, linked: i === 0 ? true : e.prevHash === all[i - 1]!.hash }));
  const chainOk = chain.every((e) => e.linked) && chain.every((e, i) => e.seq === (chain[0]?.seq ?? 0) + i);

  const table = <T extends object>(rows: T[], columns: Array<{ title: string; render: (r: T) => ReactNode }>, empty = '暂无记录') => (
    <Table size="small" pagination={false} rowKey={(_r, i) => String(i)} dataSource={rows} locale={{ emptyText: empty }} columns={columns.map((c, i) => ({ key: i, title: c.title, render: (_: unknown, r: T) => c.render(r) }))} />
  );

  const tabs = [
    {
      key: 'deadlines',
      label: '期限',
      children: table(view.deadlines, [
        { title: '期限', render: (d) => `${deadlineLabel(d.kind)}${d.ref ? `（${d.ref}）` : ''}` },
        { title: '起算', render: (d) => dateOrDash(d.startsAt) },
        { title: '到期', render: (d) => formatDue(d.dueAt) },
        { title: '状态', render: (d) => <Tag color={d.status === 'missed' ? 'red' : d.status === 'open' ? 'blue' : undefined}>{valueLabel('status', d.status)}</Tag> },
        { title: '依据', render: (d) => (d.basis === 'policy' ? '本地政策' : '《管理办法》') },
      ]),
    },
    {
      key: 'funds',
      label: '资金',
      children: (
        <>
          {view.funds.suspended && <Alert type="warning" showIcon style={{ marginBottom: 12 }} message="资金暂停拨付（第二十二条）" />}
          <Table
            size="small"
            pagination={false}
            rowKey="type"
            dataSource={(['construction', 'om'] as const).map((t) => ({ type: t, ...view.funds[t] }))}
            columns={[
              { title: '资金类型', dataIndex: 'type', render: (t: string) => label('fundType', t) },
              ...BUCKETS.map(([k, l]) => ({ title: l, dataIndex: k, align: 'right' as const, render: (f: number) => formatYuan(f) })),
            ]}
          />
          <Typography.Title level={5} style={{ marginTop: 16 }}>
            资金分配
          </Typography.Title>
          {table(view.allocations, [
            { title: '编号', render: (a) => a.id },
            { title: '类型', render: (a) => label('fundType', a.fundType) },
            { title: '年度', render: (a) => a.year },
            { title: '金额', render: (a) => formatYuan(a.amountFen) },
            { title: '状态', render: (a) => valueLabel('status', a.status) },
            { title: '安排人', render: (a) => a.allocatedBy },
            { title: '安排日期', render: (a) => dateOrDash(a.allocatedAt) },
          ])}
          <Typography.Title level={5} style={{ marginTop: 16 }}>
            资金台账
          </Typography.Title>
          {ledger.problem ? (
            <ProblemAlert problem={ledger.problem} />
          ) : (
            table(ledger.data?.movements ?? [], [
              { title: '时间', render: (m) => formatDateTime(m.at) },
              { title: '类型', render: (m) => label('fundType', m.fundType) },
              { title: '变动', render: (m) => `${m.fromBucket ? valueLabel('bucket', m.fromBucket) : '—'} → ${valueLabel('bucket', m.toBucket)}` },
              { title: '金额', render: (m) => formatYuan(m.amountFen) },
              { title: '事由', render: (m) => `${m.reason}${m.article ? `（${m.article}）` : ''}` },
              { title: '经办人', render: (m) => `${m.actorName}（${roleLabel(m.actorRole)}）` },
            ])
          )}
        </>
      ),
    },
    {
      key: 'contracts',
      label: '合同与变更',
      children: (
        <>
          {table(view.contracts, [
            { title: '合同编号', render: (c) => c.contractNo },
            { title: '承建单位', render: (c) => c.contractor },
            { title: '金额', render: (c) => formatYuan(c.amountFen) },
            { title: '签订日期', render: (c) => dateOrDash(c.signedOn) },
            { title: '备案', render: (c) => (c.filedAt ? `${dateOrDash(c.filedAt)}${c.filedLate ? '（逾期）' : ''}` : '未备案') },
          ], '暂无合同')}
          <Typography.Title level={5} style={{ marginTop: 16 }}>
            进度报告
          </Typography.Title>
          {table(view.progressReports, [
            { title: '报告期', render: (p) => formatPeriod(p.period) },
            { title: '进度', render: (p) => `${p.progressPercent}%` },
            { title: '已支出', render: (p) => formatYuan(p.spentFen) },
            { title: '报告人', render: (p) => p.reportedBy },
          ])}
          <Typography.Title level={5} style={{ marginTop: 16 }}>
            变更申请
          </Typography.Title>
          {table(view.changeRequests, [
            { title: '编号', render: (c) => c.id },
            { title: '类型', render: (c) => label('changeKind', c.kind) },
            { title: '说明', render: (c) => c.description },
            { title: '预算调整', render: (c) => (c.budgetDeltaFen === null ? '—' : formatYuan(c.budgetDeltaFen)) },
            { title: '状态', render: (c) => valueLabel('status', c.status) },
            { title: '审批人', render: (c) => by(c.decidedBy) },
          ])}
        </>
      ),
    },
    {
      key: 'rectifications',
      label: '整改',
      children: table(view.rectifications, [
        { title: '编号', render: (r) => r.id },
        { title: '原因', render: (r) => label('reason', r.reason) },
        { title: '说明', render: (r) => r.description },
        { title: '下达', render: (r) => `${r.issuedBy}（${roleLabel(r.issuedByRole)}）${dateOrDash(r.issuedAt)}` },
        { title: '期限', render: (r) => dateOrDash(r.dueOn) },
        { title: '状态', render: (r) => <Tag color={r.hasFailed ? 'red' : undefined}>{valueLabel('status', r.status)}</Tag> },
      ], '暂无整改'),
    },
    {
      key: 'acceptance',
      label: '验收与评价',
      children: (
        <>
          <Descriptions size="small" bordered column={1} style={{ marginBottom: 16 }}>
            {(['preliminary', 'technical', 'completion'] as const).map((k) => {
              const a = view.acceptance[k] as Record<string, unknown> | null;
              return (
                <Descriptions.Item key={k} label={{ preliminary: '初步验收', technical: '技术验收', completion: '竣工验收' }[k]}>
                  {a ? `${a.decision ? valueLabel('decision', a.decision) : '已完成'}${a.at ? ` · ${dateOrDash(String(a.at))}` : ''}${a.by ? ` · ${String(a.by)}` : ''}${a.opinion ? ` · ${String(a.opinion)}` : ''}` : '—'}
                </Descriptions.Item>
              );
            })}
          </Descriptions>
          {table(view.evaluations, [
            { title: '年度', render: (e) => e.year },
            { title: '资金使用', render: (e) => e.fundUseScore },
            { title: '产出', render: (e) => e.outputScore },
            { title: '效果', render: (e) => e.effectScore },
            { title: '满意度', render: (e) => e.satisfactionScore },
            { title: '数据共享', render: (e) => (e.sharingCompliant ? '符合' : '不符合') },
            { title: '评价人', render: (e) => e.evaluatedBy },
          ], '暂无绩效评价')}
        </>
      ),
    },
    {
      key: 'security',
      label: '安全事件与演练',
      children: (
        <>
          {table(view.incidents, [
            { title: '发生时间', render: (i) => formatDateTime(i.occurredAt) },
            { title: '严重程度', render: (i) => label('severity', i.severity) },
            { title: '说明', render: (i) => i.description },
            { title: '处置', render: (i) => i.handling },
          ], '暂无安全事件')}
          <div style={{ height: 16 }} />
          {table(view.drills, [
            { title: '演练日期', render: (d) => dateOrDash(d.heldOn) },
            { title: '场景', render: (d) => d.scenario },
            { title: '总结', render: (d) => d.summary },
          ], '暂无应急演练')}
        </>
      ),
    },
    {
      key: 'audit',
      label: '审计记录',
      children: history.problem ? (
        <ProblemAlert problem={history.problem} />
      ) : (
        <>
          <Alert
            data-testid="chain-status"
            type={chainOk ? 'success' : 'error'}
            showIcon
            style={{ marginBottom: 16 }}
            message={chainOk ? `哈希链校验通过：${chain.length} 条记录首尾相接（SM3）` : '哈希链校验未通过：有记录的前序哈希与上一条不符'}
            description="完整重算每条记录的 SM3 哈希请运行 npm run audit:verify。"
          />
          <Timeline
            data-testid="audit-timeline"
            items={chain.map((e) => ({
              color: e.linked ? 'blue' : 'red',
              children: (
                <div>
                  <strong>{actionLabel(e.action)}</strong> · {e.actor.name}（{roleLabel(e.actor.role)}
                  {e.actor.department ? ` · ${e.actor.department}` : ''}
                  {e.actor.accountId ? '' : ' · API 密钥'}）· {formatDateTime(e.at)}
                  <div style={{ color: '#888', fontSize: 12 }}>
                    #{e.seq} 哈希 {e.hash.slice(0, 16)}…
                  </div>
                </div>
              ),
            }))}
          />
        </>
      ),
    },
  ];

  return (
    <>
      <Typography.Title level={3} className="page-title">
        {view.title} <Tag>{stageLabel(view.stage)}</Tag>
      </Typography.Title>
      {problem && <ProblemAlert problem={problem} />}
      <Card style={{ marginBottom: 16 }}>
        <Steps
          size="small"
          current={current < 0 ? 0 : current}
          status={ENDED.has(view.stage) ? 'error' : view.stage === 'operating' ? 'finish' : 'process'}
          items={MAIN_PATH.map((s) => ({ title: stageLabel(s) }))}
          aria-label="阶段进度"
        />
        <Descriptions size="small" column={3} style={{ marginTop: 16 }}>
          <Descriptions.Item label="项目编号">{view.id}</Descriptions.Item>
          <Descriptions.Item label="部门">{view.department}</Descriptions.Item>
          <Descriptions.Item label="辖区">{view.jurisdiction}</Descriptions.Item>
          <Descriptions.Item label="类型">{label('kind', view.kind)}</Descriptions.Item>
          <Descriptions.Item label="投资估算">{formatYuan(view.estimate.totalFen)}</Descriptions.Item>
          <Descriptions.Item label="计划完成">{dateOrDash(view.plannedCompletionDate)}</Descriptions.Item>
          <Descriptions.Item label="申报日期">{dateOrDash(view.createdAt)}</Descriptions.Item>
          <Descriptions.Item label="年度计划项目">{view.annualPlanItem}</Descriptions.Item>
          <Descriptions.Item label="当前待办">{view.pendingActions.map((a) => `${roleLabel(a.role)}：${actionLabel(a.action)}`).join('；') || '—'}</Descriptions.Item>
        </Descriptions>
      </Card>
      <Row gutter={16}>
        <Col span={10}>
          <Card title="我现在可以办理" style={{ marginBottom: 16 }}>
            {mine.length === 0 && <Empty description="当前没有需要您办理的事项" />}
            {mine.map((a, i) =>
              a.action === 'allocation-publication' ? (
                <PublicationCard key={i} projectId={view.id} allocationId={a.ref ?? ''} onDone={done} />
              ) : COMMANDS[a.action] ? (
                <CommandCard key={i} projectId={view.id} form={COMMANDS[a.action]!} refValue={a.ref} onDone={done} />
              ) : (
                <Alert key={i} type="info" message={actionLabel(a.action)} />
              ),
            )}
            {otherCommands.length > 0 && !ENDED.has(view.stage) && (
              <>
                <Typography.Title level={5}>其他操作</Typography.Title>
                <Space direction="vertical" style={{ width: '100%' }}>
                  <Select
                    aria-label="选择其他操作"
                    placeholder="选择其他操作"
                    style={{ width: '100%' }}
                    allowClear
                    value={other}
                    onChange={setOther}
                    options={otherCommands.map((c) => ({ value: c.action, label: actionLabel(c.action) }))}
                  />
                  {other && COMMANDS[other] && <CommandCard key={other} projectId={view.id} form={COMMANDS[other]!} onDone={done} />}
                </Space>
              </>
            )}
          </Card>
        </Col>
        <Col span={14}>
          <Card>
            <Tabs items={tabs} />
            <Button onClick={done} style={{ marginTop: 8 }}>
              刷新
            </Button>
          </Card>
        </Col>
      </Row>
    </>
  );
}
