/** 系统管理 (admin): personal accounts, API keys, the working-day calendar, deadline policies. */
import { Alert, Button, Card, Descriptions, Popconfirm, Table, Tabs, Tag, Typography } from 'antd';
import { useState } from 'react';
import { api, ok } from '../api.ts';
import type { components } from '../api-types.ts';
import { dateOrDash, formatDateTime } from '../format.ts';
import forms from '../forms.generated.json';
import { useLoad } from '../hooks.ts';
import { ACCOUNT_EVENT_LABELS, ACCOUNT_OUTCOME_LABELS, ACCOUNT_REASON_LABELS, roleLabel } from '../labels.ts';
import { ProblemAlert } from '../Problem.tsx';
import { SchemaForm, type JsonSchema } from '../SchemaForm.tsx';

const BODIES = forms.bodies as unknown as Record<string, JsonSchema>;

type AccountRow = components['schemas']['Account'];
type AccountEvent = components['schemas']['AccountEvent'];

const OUTCOME_COLORS: Record<AccountEvent['outcome'], string> = { success: 'green', failure: 'red', refused: 'orange' };

/** Art. 22 (measures; GB/T 39786 logs): the account's security trail, newest first, 20 a page. */
function AccountEvents({ account }: { account: AccountRow }) {
  const [cursor, setCursor] = useState<string | null>(null);
  const [more, setMore] = useState<AccountEvent[]>([]);
  const first = useLoad(() => ok(api.GET('/v1/admin/accounts/{id}/events', { params: { path: { id: account.id }, query: { limit: 20 } } })), [account.id]);
  const next = cursor ?? first.data?.nextCursor ?? null;
  const loadMore = async () => {
    if (!next) return;
    const page = await ok(api.GET('/v1/admin/accounts/{id}/events', { params: { path: { id: account.id }, query: { limit: 20, cursor: next } } }));
    setMore((m) => [...m, ...page.items]);
    setCursor(page.nextCursor ?? '');
  };
  const rows = [...(first.data?.items ?? []), ...more];
  const reason = (e: AccountEvent) => {
    const r = (e.detail as { reason?: string }).reason;
    return r ? `（${ACCOUNT_REASON_LABELS[r] ?? r}）` : '';
  };
  return (
    <div data-testid={`account-events-${account.loginName}`}>
      {first.problem && <ProblemAlert problem={first.problem} />}
      <Typography.Text strong>账户安全记录：{account.displayName}（{account.loginName}）</Typography.Text>
      <Table
        size="small"
        rowKey="seq"
        loading={first.loading}
        dataSource={rows}
        pagination={false}
        locale={{ emptyText: '暂无记录' }}
        columns={[
          { title: '时间', dataIndex: 'at', render: (d: string) => formatDateTime(d) },
          { title: '事件', render: (_: unknown, e: AccountEvent) => `${ACCOUNT_EVENT_LABELS[e.event]}${reason(e)}` },
          { title: '结果', dataIndex: 'outcome', render: (o: AccountEvent['outcome']) => <Tag color={OUTCOME_COLORS[o]}>{ACCOUNT_OUTCOME_LABELS[o]}</Tag> },
          { title: 'IP', dataIndex: 'ip', render: (ip: string | null) => ip ?? '—' },
          { title: '操作人', render: (_: unknown, e: AccountEvent) => e.actorName ?? e.actor ?? '—' },
        ]}
      />
      {next ? (
        <Button size="small" style={{ marginTop: 8 }} onClick={() => void loadMore()}>
          加载更早的记录
        </Button>
      ) : null}
    </div>
  );
}

function Accounts() {
  const [created, setCreated] = useState<Record<string, unknown>>();
  const list = useLoad(async () => (await ok(api.GET('/v1/admin/accounts', {}))).items as AccountRow[], []);
  const schema = BODIES['POST /v1/admin/accounts'];
  return (
    <>
      {list.problem && <ProblemAlert problem={list.problem} />}
      <Table
        size="small"
        rowKey="id"
        loading={list.loading}
        dataSource={list.data ?? []}
        pagination={false}
        locale={{ emptyText: '暂无账户' }}
        expandable={{ expandedRowRender: (a: AccountRow) => <AccountEvents account={a} />, expandRowByClick: false, columnTitle: '详情' }}
        columns={[
          { title: '登录名', dataIndex: 'loginName' },
          { title: '姓名', dataIndex: 'displayName' },
          { title: '角色', dataIndex: 'role', render: (r: string) => roleLabel(r) },
          { title: '部门/辖区', render: (_: unknown, a: AccountRow) => a.department ?? a.jurisdiction ?? '—' },
          { title: '动态验证码', dataIndex: 'totpEnabled', render: (t: boolean) => (t ? '已启用' : '—') },
          { title: '上次登录', dataIndex: 'lastSignInAt', render: (d: string | null) => (d ? formatDateTime(d) : '—') },
          { title: '状态', render: (_: unknown, a: AccountRow) => (a.revokedAt ? <Tag>已停用</Tag> : a.mustChangePassword ? <Tag color="orange">待修改初始密码</Tag> : <Tag color="green">正常</Tag>) },
          {
            title: '操作',
            render: (_: unknown, a: AccountRow) =>
              a.revokedAt ? null : (
                <Popconfirm title={`停用账户 ${a.loginName}？其会话立即失效。`} okText="停用" cancelText="取消" onConfirm={async () => { await api.DELETE('/v1/admin/accounts/{id}', { params: { path: { id: a.id } } }); await list.reload(); }}>
                  <Button size="small" danger>
                    停用
                  </Button>
                </Popconfirm>
              ),
          },
        ]}
      />
      {schema ? (
        <Card size="small" title="新建账户" style={{ marginTop: 16 }}>
          {created && <Alert type="success" showIcon style={{ marginBottom: 12 }} message="账户已创建；初始密码只显示这一次，请当面交给本人，首次登录须修改。" description={<pre style={{ margin: 0 }}>{JSON.stringify(created, null, 2)}</pre>} />}
          <SchemaForm schema={schema} testId="account-form" submitLabel="创建账户" onSubmit={(body) => ok(api.POST('/v1/admin/accounts', { body: body as never }))} onDone={(r) => { setCreated(r as Record<string, unknown>); void list.reload(); }} />
        </Card>
      ) : (
        <Alert type="info" style={{ marginTop: 16 }} message="API 文档中暂无 POST /v1/admin/accounts。" />
      )}
    </>
  );
}

function Keys() {
  const [created, setCreated] = useState<{ id: string; key: string }>();
  const list = useLoad(() => ok(api.GET('/v1/admin/api-keys', {})), []);
  const schema = BODIES['POST /v1/admin/api-keys'];
  return (
    <>
      {list.problem && <ProblemAlert problem={list.problem} />}
      <Table
        size="small"
        rowKey="id"
        loading={list.loading}
        dataSource={list.data?.items ?? []}
        pagination={{ pageSize: 10, hideOnSinglePage: true }}
        columns={[
          { title: '编号', dataIndex: 'id' },
          { title: '名称', dataIndex: 'name' },
          { title: '角色', dataIndex: 'role', render: (r: string) => roleLabel(r) },
          { title: '部门', dataIndex: 'department', render: (d: string | null) => d ?? '—' },
          { title: '创建', dataIndex: 'createdAt', render: (d: string) => formatDateTime(d) },
          { title: '状态', dataIndex: 'revokedAt', render: (d: string | null) => (d ? <Tag>已吊销 {dateOrDash(d)}</Tag> : <Tag color="green">有效</Tag>) },
          {
            title: '操作',
            render: (_: unknown, k: { id: string; revokedAt: string | null }) =>
              k.revokedAt ? null : (
                <Popconfirm title="吊销该密钥？" okText="吊销" cancelText="取消" onConfirm={async () => { await api.DELETE('/v1/admin/api-keys/{id}', { params: { path: { id: k.id } } }); await list.reload(); }}>
                  <Button size="small" danger>
                    吊销
                  </Button>
                </Popconfirm>
              ),
          },
        ]}
      />
      {schema && (
        <Card size="small" title="新建 API 密钥（供系统对接使用）" style={{ marginTop: 16 }}>
          {created && <Alert type="success" showIcon style={{ marginBottom: 12 }} message={`密钥只显示这一次：${created.key}`} />}
          <SchemaForm schema={schema} submitLabel="创建密钥" onSubmit={(body) => ok(api.POST('/v1/admin/api-keys', { body: body as never }))} onDone={(r) => { setCreated(r as { id: string; key: string }); void list.reload(); }} />
        </Card>
      )}
    </>
  );
}

function Calendar() {
  const status = useLoad(() => ok(api.GET('/v1/calendar/status', {})), []);
  const [year] = useState(new Date().getFullYear());
  const days = useLoad(() => ok(api.GET('/v1/calendar/{year}', { params: { path: { year } } })), [year]);
  return (
    <>
      {status.problem && <ProblemAlert problem={status.problem} />}
      {status.data?.warning && <Alert type="warning" showIcon style={{ marginBottom: 12 }} message={status.data.warning} />}
      <Descriptions size="small" bordered column={1} style={{ marginBottom: 16 }}>
        {(status.data?.years ?? []).map((y) => (
          <Descriptions.Item key={y.year} label={`${y.year}年`}>
            {y.notice ? `已录入国务院办公厅通知${y.reference ? `（${y.reference}）` : ''}` : '暂按推算安排'}
            {y.provisional ? '（临时）' : ''}
          </Descriptions.Item>
        ))}
      </Descriptions>
      <Table
        size="small"
        rowKey="date"
        loading={days.loading}
        dataSource={days.data?.days ?? []}
        pagination={{ pageSize: 12 }}
        columns={[
          { title: '日期', dataIndex: 'date', render: (d: string) => dateOrDash(d) },
          { title: '名称', dataIndex: 'name' },
          { title: '工作日', dataIndex: 'workday', render: (w: boolean) => (w ? '上班' : '休息') },
          { title: '来源', dataIndex: 'source' },
        ]}
      />
    </>
  );
}

function Policies() {
  const list = useLoad(() => ok(api.GET('/v1/policies', {})), []);
  return (
    <>
      {list.problem && <ProblemAlert problem={list.problem} />}
      <Table
        size="small"
        rowKey={(p) => `${p.jurisdiction}-${p.version}`}
        loading={list.loading}
        dataSource={list.data?.items ?? []}
        pagination={false}
        expandable={{ expandedRowRender: (p) => <pre style={{ margin: 0 }}>{JSON.stringify({ deadlines: p.deadlines, switches: p.switches }, null, 2)}</pre> }}
        columns={[
          { title: '辖区', dataIndex: 'jurisdiction' },
          { title: '版本', dataIndex: 'version' },
          { title: '生效', dataIndex: 'createdAt', render: (d: string) => formatDateTime(d) },
          { title: '设置人', dataIndex: 'createdBy', render: (b: string | null) => b ?? '—' },
        ]}
      />
    </>
  );
}

export default function Admin() {
  return (
    <>
      <Typography.Title level={3} className="page-title">
        系统管理
      </Typography.Title>
      <Card>
        <Tabs
          items={[
            { key: 'accounts', label: '个人账户', children: <Accounts /> },
            { key: 'keys', label: 'API 密钥', children: <Keys /> },
            { key: 'calendar', label: '工作日历', children: <Calendar /> },
            { key: 'policies', label: '期限政策', children: <Policies /> },
          ]}
        />
      </Card>
    </>
  );
}
