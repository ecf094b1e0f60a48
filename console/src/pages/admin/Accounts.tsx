/**
 * 安全管理 › 个人账户: the accounts, each with its security trail; a new account's department and
 * jurisdiction are chosen from the registries; its one-time password (and an administrator's
 * authenticator secret as a QR code) are shown once in a dialog, and the form is cleared. The
 * auditor (三员分立) sees the list and the trails only; the roles offered are those the person may
 * give (domain/admin-roles.ts assignmentRefusal).
 */
import { Button, Card, Form, Input, Popconfirm, Select, Table, Tag, Typography } from 'antd';
import { useState } from 'react';
import { ASSIGNABLE_ROLES, assignmentRefusal, mayAdminister } from '../../../../domain/admin-roles.ts';
import type { Role } from '../../../../domain/vocabulary.ts';
import { api, ok } from '../../api.ts';
import type { components } from '../../api-types.ts';
import { formatDateTime } from '../../format.ts';
import { useCursorPages, useLoad } from '../../hooks.ts';
import { ACCOUNT_EVENT_LABELS, ACCOUNT_OUTCOME_LABELS, ACCOUNT_REASON_LABELS, roleLabel } from '../../labels.ts';
import { useNames } from '../../names.tsx';
import { DepartmentSelect, JurisdictionSelect } from '../../selects.tsx';
import { useSession } from '../../session.tsx';
import { ProblemAlert } from '../../Problem.tsx';
import { CreatedAccountDialog, type CreatedAccountSecrets } from './OneTimeSecrets.tsx';
import { LoadEarlier, patternRule, useSubmit } from './shared.tsx';

type AccountRow = components['schemas']['Account'];
type AccountEvent = components['schemas']['AccountEvent'];
type NewAccount = components['schemas']['CreateAccount'];

const OUTCOME_COLORS: Record<AccountEvent['outcome'], string> = { success: 'green', failure: 'red', refused: 'orange' };

/** Art. 22 (measures; GB/T 39786 logs): the account's security trail, newest first, 20 a page. */
function AccountEvents({ account }: { account: AccountRow }) {
  const { first, rows, next, loadMore } = useCursorPages(
    (cursor) =>
      ok(
        api.GET('/v1/admin/accounts/{id}/events', {
          params: { path: { id: account.id }, query: { limit: 20, ...(cursor ? { cursor } : {}) } },
        }),
      ),
    [account.id],
  );
  const reason = (e: AccountEvent) => {
    const r = (e.detail as { reason?: string }).reason;
    return r ? `（${ACCOUNT_REASON_LABELS[r] ?? r}）` : '';
  };
  return (
    <div data-testid={`account-events-${account.loginName}`}>
      {first.problem && <ProblemAlert problem={first.problem} />}
      <Typography.Text strong>
        账户安全记录：{account.displayName}（{account.loginName}）
      </Typography.Text>
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
          {
            title: '结果',
            dataIndex: 'outcome',
            render: (o: AccountEvent['outcome']) => <Tag color={OUTCOME_COLORS[o]}>{ACCOUNT_OUTCOME_LABELS[o]}</Tag>,
          },
          { title: '来源地址', dataIndex: 'ip', render: (ip: string | null) => ip ?? '—' },
          { title: '操作人', render: (_: unknown, e: AccountEvent) => e.actorName ?? e.actor ?? '—' },
        ]}
      />
      <LoadEarlier next={next} loadMore={loadMore} />
    </div>
  );
}

interface AccountForm {
  loginName: string;
  displayName: string;
  role: NewAccount['role'];
  department?: string;
  jurisdiction?: string;
  phone?: string;
}

const BODY = 'POST /v1/admin/accounts';

function NewAccountForm({ myRole, onCreated }: { myRole: Role; onCreated: (created: CreatedAccountSecrets) => void }) {
  const [form] = Form.useForm<AccountForm>();
  const names = useNames();
  const role = Form.useWatch('role', form);
  const { problem, busy, run } = useSubmit();
  const submit = async (v: AccountForm) => {
    const body: NewAccount = {
      loginName: v.loginName.trim(),
      displayName: v.displayName.trim(),
      role: v.role,
      ...(v.role === 'department' && v.department ? { department: v.department } : {}),
      ...(v.jurisdiction ? { jurisdiction: v.jurisdiction } : {}),
      ...(v.phone?.trim() ? { phone: v.phone.trim() } : {}),
    };
    const created = await run(() => ok(api.POST('/v1/admin/accounts', { body })));
    if (!created) return;
    form.resetFields();
    onCreated({
      displayName: created.displayName,
      loginName: created.loginName,
      initialPassword: created.initialPassword,
      totpEnrolment: created.totpEnrolment ?? null,
    });
  };
  return (
    <Form form={form} layout="vertical" onFinish={submit} data-testid="account-form" style={{ maxWidth: 560 }}>
      <Form.Item
        name="displayName"
        label="姓名"
        htmlFor="acc-name"
        rules={[{ required: true, whitespace: true, message: '请填写姓名' }]}
      >
        <Input id="acc-name" maxLength={100} />
      </Form.Item>
      <Form.Item
        name="loginName"
        label="登录名"
        htmlFor="acc-login"
        extra={
          <>
            3-64 位小写字母、数字、点、下划线或短横线，以字母或数字开头，例如 <span translate="no">zhang.wei</span>
          </>
        }
        rules={[
          { required: true, message: '请填写登录名' },
          patternRule(BODY, 'loginName', '登录名须为 3-64 位小写字母、数字、点、下划线或短横线，以字母或数字开头'),
        ]}
      >
        <Input id="acc-login" autoComplete="off" />
      </Form.Item>
      <Form.Item name="role" label="角色" htmlFor="acc-role" rules={[{ required: true, message: '请选择角色' }]}>
        <Select
          id="acc-role"
          placeholder="选择角色"
          options={ASSIGNABLE_ROLES.filter((r) => !assignmentRefusal(myRole, 'account', r)).map((r) => ({
            value: r,
            label: roleLabel(r),
          }))}
          onChange={(r: string) =>
            form.setFieldsValue({
              department: undefined,
              jurisdiction: r === 'department' ? undefined : (form.getFieldValue('jurisdiction') as string | undefined),
            })
          }
        />
      </Form.Item>
      {role === 'department' && (
        <Form.Item
          name="department"
          label="部门（项目实施单位）"
          htmlFor="acc-department"
          rules={[{ required: true, message: '请选择部门' }]}
        >
          <DepartmentSelect
            id="acc-department"
            onChange={(code: string) =>
              form.setFieldsValue({ jurisdiction: names.departments.find((d) => d.code === code)?.jurisdiction })
            }
          />
        </Form.Item>
      )}
      <Form.Item
        name="jurisdiction"
        label="辖区"
        htmlFor="acc-jurisdiction"
        extra={
          role === 'department'
            ? '随所选部门；县（市、区）财政部门的账户请选择该县（市、区）'
            : '不选即晋城市（市本级）；县（市、区）财政部门的账户请选择该县（市、区）（第十二条）'
        }
      >
        <JurisdictionSelect id="acc-jurisdiction" allowClear disabled={role === 'department'} />
      </Form.Item>
      <Form.Item
        name="phone"
        label="电话"
        htmlFor="acc-phone"
        rules={[patternRule(BODY, 'phone', '电话须为 5-20 位数字，可含空格、短横线和开头的加号')]}
      >
        <Input id="acc-phone" />
      </Form.Item>
      {problem && <ProblemAlert problem={problem} />}
      <Button type="primary" htmlType="submit" loading={busy}>
        创建账户
      </Button>
    </Form>
  );
}

export default function Accounts() {
  const { account } = useSession();
  const mayChange = account !== null && mayAdminister('accounts', account.role);
  const [created, setCreated] = useState<CreatedAccountSecrets>();
  const names = useNames();
  const list = useLoad(async () => (await ok(api.GET('/v1/admin/accounts', {}))).items, []);
  const organisation = (a: AccountRow) =>
    [
      a.department ? names.department(a.department) : null,
      a.jurisdiction && a.jurisdiction !== 'city' ? names.jurisdiction(a.jurisdiction) : null,
    ]
      .filter(Boolean)
      .join(' · ') || '—';
  return (
    <>
      {list.problem && <ProblemAlert problem={list.problem} />}
      <Table
        size="small"
        rowKey="id"
        loading={list.loading}
        dataSource={list.data ?? []}
        pagination={{ pageSize: 20, hideOnSinglePage: true }}
        locale={{ emptyText: '暂无账户' }}
        expandable={{
          expandedRowRender: (a: AccountRow) => <AccountEvents account={a} />,
          expandRowByClick: false,
          columnTitle: '详情',
        }}
        columns={[
          { title: '登录名', dataIndex: 'loginName' },
          { title: '姓名', dataIndex: 'displayName' },
          { title: '角色', dataIndex: 'role', render: (r: string) => roleLabel(r) },
          { title: '部门/辖区', render: (_: unknown, a: AccountRow) => organisation(a) },
          { title: '动态验证码', dataIndex: 'totpEnabled', render: (t: boolean) => (t ? '已启用' : '—') },
          { title: '上次登录', dataIndex: 'lastSignInAt', render: (d: string | null) => (d ? formatDateTime(d) : '—') },
          {
            title: '状态',
            render: (_: unknown, a: AccountRow) =>
              a.revokedAt ? (
                <Tag>已停用</Tag>
              ) : a.mustChangePassword ? (
                <Tag color="orange">待修改初始密码</Tag>
              ) : (
                <Tag color="green">正常</Tag>
              ),
          },
          {
            title: '操作',
            render: (_: unknown, a: AccountRow) =>
              a.revokedAt || !mayChange ? null : (
                <Popconfirm
                  title={`停用账户 ${a.loginName}？其会话立即失效。`}
                  okText="停用"
                  cancelText="取消"
                  onConfirm={async () => {
                    await api.DELETE('/v1/admin/accounts/{id}', { params: { path: { id: a.id } } });
                    await list.reload();
                  }}
                >
                  <Button size="small" danger>
                    停用
                  </Button>
                </Popconfirm>
              ),
          },
        ]}
      />
      {mayChange && account && (
        <Card size="small" title="新建账户" style={{ marginTop: 16 }}>
          <NewAccountForm
            myRole={account.role}
            onCreated={(c) => {
              setCreated(c);
              void list.reload();
            }}
          />
        </Card>
      )}
      <CreatedAccountDialog created={created} onClose={() => setCreated(undefined)} />
    </>
  );
}
