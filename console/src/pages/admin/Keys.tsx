/**
 * 安全管理 › 接口密钥 (for systems): the keys; a new key's department and jurisdiction from the
 * registries; the key shown once in a dialog. The auditor (三员分立) sees the list only; the roles
 * offered are those the person may issue (domain/admin-roles.ts assignmentRefusal).
 */
import { Button, Card, Form, Input, Popconfirm, Select, Table, Tag } from 'antd';
import { useState } from 'react';
import { ASSIGNABLE_ROLES, assignmentRefusal, mayAdminister } from '../../../../domain/admin-roles.ts';
import type { Role } from '../../../../domain/vocabulary.ts';
import { api, ok } from '../../api.ts';
import type { components } from '../../api-types.ts';
import { dateOrDash, formatDateTime } from '../../format.ts';
import { useLoad } from '../../hooks.ts';
import { roleLabel } from '../../labels.ts';
import { useNames } from '../../names.tsx';
import { DepartmentSelect, JurisdictionSelect } from '../../selects.tsx';
import { useSession } from '../../session.tsx';
import { ProblemAlert } from '../../Problem.tsx';
import { CreatedKeyDialog } from './OneTimeSecrets.tsx';
import { useSubmit } from './shared.tsx';

type NewKey = components['schemas']['CreateApiKey'];
interface KeyForm {
  name: string;
  role: NewKey['role'];
  department?: string;
  jurisdiction?: string;
}

function NewKeyForm({
  myRole,
  onCreated,
}: {
  myRole: Role;
  onCreated: (created: { name: string; key: string }) => void;
}) {
  const [form] = Form.useForm<KeyForm>();
  const names = useNames();
  const role = Form.useWatch('role', form);
  const { problem, busy, run } = useSubmit();
  const submit = async (v: KeyForm) => {
    const body: NewKey = {
      name: v.name.trim(),
      role: v.role,
      ...(v.role === 'department' && v.department ? { department: v.department } : {}),
      ...(v.jurisdiction ? { jurisdiction: v.jurisdiction } : {}),
    };
    const created = await run(() => ok(api.POST('/v1/admin/api-keys', { body })));
    if (!created) return;
    form.resetFields();
    onCreated({ name: created.name, key: created.key });
  };
  return (
    <Form form={form} layout="vertical" onFinish={submit} data-testid="key-form" style={{ maxWidth: 560 }}>
      <Form.Item
        name="name"
        label="名称"
        htmlFor="key-name"
        extra="对接的系统，例如“市卫健委业务系统”"
        rules={[{ required: true, whitespace: true, message: '请填写名称' }]}
      >
        <Input id="key-name" maxLength={200} />
      </Form.Item>
      <Form.Item name="role" label="角色" htmlFor="key-role" rules={[{ required: true, message: '请选择角色' }]}>
        <Select
          id="key-role"
          placeholder="选择角色"
          options={ASSIGNABLE_ROLES.filter((r) => !assignmentRefusal(myRole, 'key', r)).map((r) => ({
            value: r,
            label: roleLabel(r),
          }))}
          onChange={() => form.setFieldsValue({ department: undefined })}
        />
      </Form.Item>
      {role === 'department' && (
        <Form.Item
          name="department"
          label="部门（项目实施单位）"
          htmlFor="key-department"
          rules={[{ required: true, message: '请选择部门' }]}
        >
          <DepartmentSelect
            id="key-department"
            onChange={(code: string) =>
              form.setFieldsValue({ jurisdiction: names.departments.find((d) => d.code === code)?.jurisdiction })
            }
          />
        </Form.Item>
      )}
      <Form.Item name="jurisdiction" label="辖区" htmlFor="key-jurisdiction" extra="不选即晋城市（市本级）">
        <JurisdictionSelect id="key-jurisdiction" allowClear disabled={role === 'department'} />
      </Form.Item>
      {problem && <ProblemAlert problem={problem} />}
      <Button type="primary" htmlType="submit" loading={busy}>
        创建密钥
      </Button>
    </Form>
  );
}

export default function Keys() {
  const { account } = useSession();
  const mayChange = account !== null && mayAdminister('accounts', account.role);
  const [created, setCreated] = useState<{ name: string; key: string }>();
  const names = useNames();
  const list = useLoad(() => ok(api.GET('/v1/admin/api-keys', {})), []);
  return (
    <>
      {list.problem && <ProblemAlert problem={list.problem} />}
      <Table
        size="small"
        rowKey="id"
        loading={list.loading}
        dataSource={list.data?.items ?? []}
        pagination={{ pageSize: 10, hideOnSinglePage: true }}
        locale={{ emptyText: '暂无密钥' }}
        columns={[
          { title: '编号', dataIndex: 'id' },
          { title: '名称', dataIndex: 'name' },
          { title: '角色', dataIndex: 'role', render: (r: string) => roleLabel(r) },
          { title: '部门', dataIndex: 'department', render: (d: string | null) => (d ? names.department(d) : '—') },
          { title: '辖区', dataIndex: 'jurisdiction', render: (j: string) => names.jurisdiction(j) },
          { title: '创建', dataIndex: 'createdAt', render: (d: string) => formatDateTime(d) },
          {
            title: '状态',
            dataIndex: 'revokedAt',
            render: (d: string | null) => (d ? <Tag>已吊销 {dateOrDash(d)}</Tag> : <Tag color="green">有效</Tag>),
          },
          {
            title: '操作',
            render: (_: unknown, k: { id: string; revokedAt: string | null }) =>
              k.revokedAt || !mayChange ? null : (
                <Popconfirm
                  title="吊销该密钥？"
                  okText="吊销"
                  cancelText="取消"
                  onConfirm={async () => {
                    await api.DELETE('/v1/admin/api-keys/{id}', { params: { path: { id: k.id } } });
                    await list.reload();
                  }}
                >
                  <Button size="small" danger>
                    吊销
                  </Button>
                </Popconfirm>
              ),
          },
        ]}
      />
      {mayChange && account && (
        <Card size="small" title="新建接口密钥（供系统对接使用）" style={{ marginTop: 16 }}>
          <NewKeyForm
            myRole={account.role}
            onCreated={(k) => {
              setCreated(k);
              void list.reload();
            }}
          />
        </Card>
      )}
      <CreatedKeyDialog created={created} onClose={() => setCreated(undefined)} />
    </>
  );
}
