/**
 * 年度计划 (Art. 6): the version in force beside the BDB's draft — version, status (草稿 / 已批准 /
 * 已被取代), who drafted and who recorded the approval, when — and every version with its items.
 * The BDB edits the draft (PUT /v1/annual-plans/:year; the first edit after an approval opens a new
 * version) and records the city government's approval of it (POST …/approval: date and document
 * number), which puts it in force. People are shown by name, departments by their Chinese name.
 */
import {
  Alert,
  Button,
  Card,
  Descriptions,
  Empty,
  Form,
  Input,
  InputNumber,
  Space,
  Table,
  Tag,
  Typography,
} from 'antd';
import { useState } from 'react';
import { api, ok } from '../api.ts';
import type { components } from '../api-types.ts';
import { dateOrDash, formatDateTime, formatYuan, label } from '../format.ts';
import { useLoad } from '../hooks.ts';
import { useNames } from '../names.tsx';
import { DepartmentSelect } from '../selects.tsx';
import { ProblemAlert } from '../Problem.tsx';
import { useSession } from '../session.tsx';
import { useSubmit } from './admin/shared.tsx';

type Plan = components['schemas']['AnnualPlan'];
type Item = Plan['items'][number];
type VersionInfo = components['schemas']['AnnualPlanVersionInfo'];
type PlanEvent = components['schemas']['AnnualPlanEvent'];

const STATUS_COLORS: Record<VersionInfo['status'], string> = {
  draft: 'orange',
  'in-force': 'green',
  superseded: 'default',
};
const statusTag = (s: VersionInfo['status']) => <Tag color={STATUS_COLORS[s]}>{label('planVersionStatus', s)}</Tag>;
const who = (name: string | null | undefined, at: string | null | undefined) =>
  at ? `${name ?? '—'}（${formatDateTime(at)}）` : '—';

function ItemsTable({
  items,
  loading,
  compare,
  testId,
}: {
  items: Item[];
  loading?: boolean;
  compare?: Item[];
  testId?: string;
}) {
  const names = useNames();
  const before = compare ? new Map(compare.map((i) => [i.code, i])) : undefined;
  const change = (i: Item) => {
    if (!before) return null;
    const b = before.get(i.code);
    if (!b) return <Tag color="green">新增</Tag>;
    return b.title !== i.title || b.department !== i.department || b.ceilingFen !== i.ceilingFen ? (
      <Tag color="orange">修改</Tag>
    ) : null;
  };
  const removed = before ? [...before.values()].filter((b) => !items.some((i) => i.code === b.code)) : [];
  return (
    <>
      <Table
        size="small"
        rowKey="code"
        loading={loading}
        dataSource={items}
        pagination={items.length > 20 ? { pageSize: 20 } : false}
        locale={{ emptyText: '没有计划项目' }}
        data-testid={testId}
        columns={[
          {
            title: '编号',
            dataIndex: 'code',
            render: (c: string, i: Item) => (
              <span>
                {c} {change(i)}
              </span>
            ),
          },
          { title: '项目', dataIndex: 'title' },
          { title: '部门', dataIndex: 'department', render: (d: string) => names.department(d) },
          { title: '投资上限', dataIndex: 'ceilingFen', align: 'right', render: (f: number) => formatYuan(f) },
          { title: '最后修改', dataIndex: 'updatedAt', render: (d: string, i: Item) => who(i.updatedByName, d) },
        ]}
      />
      {removed.length > 0 && (
        <Typography.Paragraph type="secondary" style={{ marginTop: 8 }}>
          较现行版本删除：{removed.map((r) => `${r.code} ${r.title}`).join('；')}
        </Typography.Paragraph>
      )}
    </>
  );
}

function VersionFacts({ v }: { v: Omit<VersionInfo, 'status'> & { status: VersionInfo['status'] | null } }) {
  return (
    <Descriptions size="small" column={{ xs: 1, sm: 2, lg: 3 }} style={{ marginBottom: 12 }}>
      <Descriptions.Item label="版本">
        第 {v.version} 版 {v.status && statusTag(v.status)}
      </Descriptions.Item>
      <Descriptions.Item label="起草">{who(v.createdByName, v.createdAt)}</Descriptions.Item>
      {v.approvedOn && <Descriptions.Item label="市人民政府批准">{dateOrDash(v.approvedOn)}</Descriptions.Item>}
      {v.documentNo && <Descriptions.Item label="批准文号">{v.documentNo}</Descriptions.Item>}
      {v.approvedAt && <Descriptions.Item label="录入批准">{who(v.approvedByName, v.approvedAt)}</Descriptions.Item>}
    </Descriptions>
  );
}

interface EditedItem {
  code: string;
  title: string;
  department: string;
  ceilingYuan: number;
}

/** The BDB's editor of the draft (a new draft from the version in force when there is none). */
function DraftEditor({ year, start, onSaved }: { year: number; start: Item[]; onSaved: () => void }) {
  const [form] = Form.useForm<{ items: EditedItem[] }>();
  const { problem, busy, run } = useSubmit();
  const [saved, setSaved] = useState<string>();
  const submit = async (v: { items: EditedItem[] }) => {
    const items = (v.items ?? []).map((i) => ({
      code: i.code.trim(),
      title: i.title.trim(),
      department: i.department,
      ceilingFen: Math.round(Number(i.ceilingYuan) * 100),
    }));
    const draft = await run(() =>
      ok(api.PUT('/v1/annual-plans/{year}', { params: { path: { year } }, body: { items } })),
    );
    if (!draft) return;
    setSaved(`已保存为草案第 ${draft.version} 版（${draft.items.length} 项）；市人民政府批准并录入后生效。`);
    onSaved();
  };
  const uniqueCode = ({ getFieldValue }: { getFieldValue: (n: unknown) => unknown }) => ({
    validator: async (_r: unknown, v: string) => {
      const codes = ((getFieldValue('items') as EditedItem[] | undefined) ?? []).map((i) => i?.code?.trim());
      if (v && codes.filter((c) => c === v.trim()).length > 1) throw new Error('同一年度的项目编号不能重复');
    },
  });
  return (
    <Form
      form={form}
      layout="vertical"
      onFinish={submit}
      onValuesChange={() => setSaved(undefined)}
      initialValues={{
        items: start.map((i) => ({
          code: i.code,
          title: i.title,
          department: i.department,
          ceilingYuan: i.ceilingFen / 100,
        })),
      }}
      data-testid="plan-form"
    >
      <Form.List name="items">
        {(fields, { add, remove }) => (
          <>
            {fields.map((f, i) => (
              <Space key={f.key} wrap align="baseline" style={{ display: 'flex' }} data-testid={`plan-item-${i}`}>
                <Form.Item
                  name={[f.name, 'code']}
                  label="编号"
                  htmlFor={`f-${i}-code`}
                  rules={[
                    { required: true, whitespace: true, message: '请填写编号' },
                    { max: 64, message: '编号不超过 64 个字符' },
                    uniqueCode,
                  ]}
                >
                  <Input id={`f-${i}-code`} style={{ width: 150 }} placeholder={`${year}-WJW-01`} />
                </Form.Item>
                <Form.Item
                  name={[f.name, 'title']}
                  label="项目名称"
                  htmlFor={`f-${i}-title`}
                  rules={[
                    { required: true, whitespace: true, message: '请填写项目名称' },
                    { max: 200, message: '项目名称不超过 200 个字符' },
                  ]}
                >
                  <Input id={`f-${i}-title`} style={{ width: 260 }} />
                </Form.Item>
                <Form.Item
                  name={[f.name, 'department']}
                  label="部门"
                  htmlFor={`f-${i}-department`}
                  rules={[{ required: true, message: '请选择部门' }]}
                >
                  <DepartmentSelect id={`f-${i}-department`} style={{ width: 220 }} />
                </Form.Item>
                <Form.Item
                  name={[f.name, 'ceilingYuan']}
                  label="投资上限"
                  htmlFor={`f-${i}-ceilingFen`}
                  rules={[{ required: true, message: '请填写投资上限' }]}
                >
                  <InputNumber
                    id={`f-${i}-ceilingFen`}
                    min={0}
                    max={10_000_000_000}
                    precision={2}
                    suffix="元"
                    style={{ width: 200 }}
                  />
                </Form.Item>
                <Button onClick={() => remove(f.name)} aria-label={`删除计划项目 ${i + 1}`}>
                  删除
                </Button>
              </Space>
            ))}
            <Button onClick={() => add({ code: '', title: '', ceilingYuan: 0 })} style={{ marginBottom: 16 }}>
              添加计划项目
            </Button>
          </>
        )}
      </Form.List>
      {problem && <ProblemAlert problem={problem} />}
      {saved && <Alert type="success" showIcon style={{ marginBottom: 12 }} message={saved} />}
      <Button type="primary" htmlType="submit" loading={busy}>
        保存年度计划
      </Button>
    </Form>
  );
}

/** Art. 6: the BDB records the city government's approval of the draft (date, document number). */
function ApprovalForm({ year, draft, onApproved }: { year: number; draft: VersionInfo; onApproved: () => void }) {
  const [form] = Form.useForm<{ approvedOn: string; documentNo: string }>();
  const { problem, busy, run } = useSubmit();
  const submit = async (v: { approvedOn: string; documentNo: string }) => {
    const plan = await run(() =>
      ok(
        api.POST('/v1/annual-plans/{year}/approval', {
          params: { path: { year } },
          body: { approvedOn: v.approvedOn, documentNo: v.documentNo.trim() },
        }),
      ),
    );
    if (!plan) return;
    form.resetFields();
    onApproved();
  };
  return (
    <Form form={form} layout="inline" onFinish={submit} data-testid="plan-approval-form">
      <Form.Item
        name="approvedOn"
        label="批准日期"
        htmlFor="approval-date"
        rules={[{ required: true, message: '请填写市人民政府批准的日期' }]}
      >
        <Input id="approval-date" type="date" style={{ width: 170 }} />
      </Form.Item>
      <Form.Item
        name="documentNo"
        label="批准文号"
        htmlFor="approval-no"
        rules={[
          { required: true, whitespace: true, message: '请填写批准文号' },
          { max: 100, message: '文号不超过 100 个字符' },
        ]}
      >
        <Input id="approval-no" placeholder={`晋市政函〔${year}〕12号`} style={{ width: 220 }} />
      </Form.Item>
      <Button type="primary" htmlType="submit" loading={busy}>
        记录批准（第 {draft.version} 版生效）
      </Button>
      <div style={{ flexBasis: '100%', marginTop: 8 }}>{problem && <ProblemAlert problem={problem} />}</div>
    </Form>
  );
}

function VersionItems({ year, version }: { year: number; version: number }) {
  const one = useLoad(
    () => ok(api.GET('/v1/annual-plans/{year}/versions/{version}', { params: { path: { year, version } } })),
    [year, version],
  );
  if (one.problem) return <ProblemAlert problem={one.problem} />;
  return <ItemsTable items={one.data?.items ?? []} loading={one.loading} testId={`plan-version-${version}-items`} />;
}

const ACTION_LABELS: Record<PlanEvent['action'], string> = {
  'draft-edit': '修改草案',
  approval: '录入批准',
  filing: '规划备案',
};

function eventSummary(e: PlanEvent): string {
  const d = e.detail as Record<string, unknown>;
  const n = (k: string) => (Array.isArray(d[k]) ? (d[k] as unknown[]).length : 0);
  if (e.action === 'draft-edit')
    return `草案第 ${e.version} 版：共 ${String((d.itemCount as number | undefined) ?? 0)} 项（新增 ${n('added')}、删除 ${n('removed')}、修改 ${n('changed')}）`;
  if (e.action === 'approval')
    return `第 ${e.version} 版经市人民政府批准（${dateOrDash(String((d.approvedOn as string | undefined) ?? ''))}，${String((d.documentNo as string | undefined) ?? '')}）${d.supersedes ? `，取代第 ${d.supersedes as number} 版` : ''}`;
  return `备案：${String((d.title as string | undefined) ?? '')}（${dateOrDash(String((d.filedOn as string | undefined) ?? ''))}）`;
}

export default function Plans() {
  const { account } = useSession();
  const bdb = account?.role === 'bdb';
  const [year, setYear] = useState(new Date().getFullYear());
  const versions = useLoad(
    () => ok(api.GET('/v1/annual-plans/{year}/versions', { params: { path: { year } } })),
    [year],
  );
  const list = versions.data?.items ?? [];
  const inForce = list.find((v) => v.status === 'in-force');
  const draft = list.find((v) => v.status === 'draft');
  const current = useLoad(
    async () =>
      inForce
        ? ok(
            api.GET('/v1/annual-plans/{year}/versions/{version}', {
              params: { path: { year, version: inForce.version } },
            }),
          )
        : undefined,
    [year, inForce?.version],
  );
  const drafted = useLoad(
    async () =>
      draft
        ? ok(
            api.GET('/v1/annual-plans/{year}/versions/{version}', {
              params: { path: { year, version: draft.version } },
            }),
          )
        : undefined,
    [year, draft?.version, draft?.createdAt],
  );
  const history = useLoad(() => ok(api.GET('/v1/annual-plans/{year}/history', { params: { path: { year } } })), [year]);
  const reload = () => {
    void versions.reload();
    void drafted.reload();
    void history.reload();
  };
  const problem = versions.problem ?? current.problem ?? drafted.problem;
  return (
    <>
      <Typography.Title level={3} className="page-title">
        年度计划
      </Typography.Title>
      <Card style={{ marginBottom: 16 }}>
        <Space wrap>
          <label htmlFor="plan-year">年度</label>
          <InputNumber
            id="plan-year"
            min={2019}
            max={2100}
            value={year}
            onChange={(v) => v && v >= 2019 && v <= 2100 && setYear(v)}
          />
          <Typography.Text type="secondary">
            第六条：市大数据应用局编制年度计划，报市人民政府批准；项目申报须列入经批准的现行版本。
          </Typography.Text>
        </Space>
      </Card>
      {problem && <ProblemAlert problem={problem} />}
      <Card title={`${year}年度政务大数据项目计划 · 现行版本`} style={{ marginBottom: 16 }} data-testid="plan-in-force">
        {inForce ? (
          <>
            <VersionFacts v={inForce} />
            <ItemsTable items={current.data?.items ?? []} loading={current.loading} testId="plan-in-force-items" />
          </>
        ) : (
          !versions.loading && (
            <Alert
              type="info"
              showIcon
              message={`${year}年度计划尚无经市人民政府批准的版本，项目单位暂不能据此申报。`}
            />
          )
        )}
      </Card>
      {(draft || bdb) && (
        <Card
          title={draft ? `草案（第 ${draft.version} 版，待市人民政府批准）` : '草案'}
          style={{ marginBottom: 16 }}
          data-testid="plan-draft"
        >
          {draft ? (
            <>
              <VersionFacts v={draft} />
              <ItemsTable
                items={drafted.data?.items ?? []}
                loading={drafted.loading}
                compare={inForce ? current.data?.items : undefined}
                testId="plan-draft-items"
              />
            </>
          ) : (
            <Empty
              description={
                inForce
                  ? '没有草案：保存下方的修改即起草新版本，现行版本在新版本批准前继续有效。'
                  : '尚无计划：在下方填写计划项目并保存为草案。'
              }
            />
          )}
          {bdb && draft && (drafted.data?.items.length ?? 0) > 0 && (
            <Card size="small" type="inner" title="录入市人民政府的批准" style={{ marginTop: 16 }}>
              <ApprovalForm year={year} draft={draft} onApproved={reload} />
            </Card>
          )}
        </Card>
      )}
      {bdb && !versions.loading && !current.loading && !drafted.loading && (
        <Card
          title={
            draft
              ? `编辑草案（第 ${draft.version} 版）`
              : inForce
                ? `起草新版本（以现行第 ${inForce.version} 版为基础）`
                : '编制年度计划'
          }
          style={{ marginBottom: 16 }}
        >
          <DraftEditor
            key={`${year}-${draft?.version ?? 'new'}-${inForce?.version ?? 0}-${drafted.data?.items.length ?? 0}`}
            year={year}
            start={(draft ? drafted.data?.items : current.data?.items) ?? []}
            onSaved={reload}
          />
        </Card>
      )}
      <Card title="全部版本" style={{ marginBottom: 16 }}>
        <Table
          size="small"
          rowKey="version"
          loading={versions.loading}
          dataSource={[...list].reverse()}
          pagination={false}
          locale={{ emptyText: '该年度尚无计划' }}
          data-testid="plan-versions"
          expandable={{
            expandedRowRender: (v: VersionInfo) => <VersionItems year={year} version={v.version} />,
            columnTitle: '项目',
          }}
          columns={[
            { title: '版本', dataIndex: 'version', render: (v: number) => `第 ${v} 版` },
            { title: '状态', dataIndex: 'status', render: (s: VersionInfo['status']) => statusTag(s) },
            { title: '起草', render: (_: unknown, v: VersionInfo) => who(v.createdByName, v.createdAt) },
            { title: '批准日期', dataIndex: 'approvedOn', render: (d: string | null) => dateOrDash(d) },
            { title: '批准文号', dataIndex: 'documentNo', render: (d: string | null) => d ?? '—' },
            { title: '录入批准', render: (_: unknown, v: VersionInfo) => who(v.approvedByName, v.approvedAt) },
          ]}
        />
      </Card>
      <Card title="变更记录">
        <Table
          size="small"
          rowKey="id"
          loading={history.loading}
          dataSource={[...(history.data?.items ?? [])].reverse()}
          pagination={{ pageSize: 10, hideOnSinglePage: true }}
          locale={{ emptyText: '暂无记录' }}
          columns={[
            { title: '时间', dataIndex: 'at', render: (d: string) => formatDateTime(d) },
            { title: '操作人', render: (_: unknown, e: PlanEvent) => e.actor.name },
            { title: '操作', dataIndex: 'action', render: (a: PlanEvent['action']) => ACTION_LABELS[a] },
            { title: '内容', render: (_: unknown, e: PlanEvent) => eventSummary(e) },
          ]}
        />
      </Card>
    </>
  );
}
