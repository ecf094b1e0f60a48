/**
 * 系统管理 › 部门与辖区 (Art. 4; Art. 5, 12, 30): the departments registry — code, Chinese name,
 * jurisdiction — and the jurisdictions registry (晋城市 and its counties). Codes never change; names
 * do. A department registered by a key or an account before it had a name shows 未命名.
 */
import { Button, Card, Form, Input, Modal, Space, Table, Tag, Typography } from 'antd';
import { useState } from 'react';
import { api, ok } from '../../api.ts';
import { formatDateTime } from '../../format.ts';
import { reloadNames, useNames, type Department, type Jurisdiction } from '../../names.tsx';
import { JurisdictionSelect } from '../../selects.tsx';
import { ProblemAlert } from '../../Problem.tsx';
import { patternRule, useSubmit } from './shared.tsx';

interface DepartmentForm {
  code: string;
  name: string;
  jurisdiction?: string;
}

function NewDepartmentForm() {
  const [form] = Form.useForm<DepartmentForm>();
  const { problem, busy, run } = useSubmit();
  const [added, setAdded] = useState<string>();
  const submit = async (v: DepartmentForm) => {
    const row = await run(() =>
      ok(
        api.POST('/v1/admin/departments', {
          body: {
            code: v.code.trim(),
            name: v.name.trim(),
            ...(v.jurisdiction ? { jurisdiction: v.jurisdiction } : {}),
          },
        }),
      ),
    );
    if (!row) return;
    form.resetFields();
    setAdded(row.name);
    await reloadNames();
  };
  return (
    <Form
      form={form}
      layout="inline"
      onFinish={submit}
      data-testid="department-form"
      onValuesChange={() => setAdded(undefined)}
    >
      <Form.Item
        name="name"
        label="名称"
        htmlFor="dep-name"
        rules={[{ required: true, whitespace: true, message: '请填写部门名称' }]}
      >
        <Input id="dep-name" placeholder="市卫生健康委员会" maxLength={100} style={{ width: 220 }} />
      </Form.Item>
      <Form.Item
        name="code"
        label="编码"
        htmlFor="dep-code"
        tooltip="系统之间使用的代号，登记后不能修改"
        rules={[
          { required: true, message: '请填写部门编码' },
          patternRule('POST /v1/admin/departments', 'code', '部门编码为 2-64 位英文字母、数字、- 或 _，例如 wjw'),
        ]}
      >
        <Input id="dep-code" placeholder="wjw" translate="no" style={{ width: 140 }} />
      </Form.Item>
      <Form.Item name="jurisdiction" label="辖区" htmlFor="dep-jurisdiction">
        <JurisdictionSelect id="dep-jurisdiction" allowClear placeholder="晋城市" style={{ width: 140 }} />
      </Form.Item>
      <Button type="primary" htmlType="submit" loading={busy}>
        登记部门
      </Button>
      <div style={{ flexBasis: '100%', marginTop: 8 }}>
        {problem && <ProblemAlert problem={problem} />}
        {added && <Typography.Text type="success">已登记：{added}</Typography.Text>}
      </div>
    </Form>
  );
}

function EditDepartment({ department, onClose }: { department: Department | undefined; onClose: () => void }) {
  const [form] = Form.useForm<{ name: string; jurisdiction: string }>();
  const { problem, busy, run, clear } = useSubmit();
  const save = async () => {
    const v = await form.validateFields();
    const row = await run(() =>
      ok(
        api.PATCH('/v1/admin/departments/{code}', {
          params: { path: { code: department!.code } },
          body: { name: v.name.trim(), jurisdiction: v.jurisdiction },
        }),
      ),
    );
    if (!row) return;
    await reloadNames();
    onClose();
  };
  return (
    <Modal
      open={department !== undefined}
      title={
        <>
          修改部门（编码 <span translate="no">{department?.code ?? ''}</span>）
        </>
      }
      okText="保存"
      cancelText="取消"
      confirmLoading={busy}
      onOk={() => void save()}
      onCancel={() => {
        clear();
        onClose();
      }}
      destroyOnHidden
    >
      {department && (
        <Form
          form={form}
          layout="vertical"
          initialValues={{
            name: department.name === department.code ? '' : department.name,
            jurisdiction: department.jurisdiction,
          }}
          data-testid="department-edit"
        >
          <Form.Item
            name="name"
            label="名称"
            htmlFor="dep-edit-name"
            rules={[{ required: true, whitespace: true, message: '请填写部门名称' }]}
          >
            <Input id="dep-edit-name" maxLength={100} />
          </Form.Item>
          <Form.Item
            name="jurisdiction"
            label="辖区"
            htmlFor="dep-edit-jurisdiction"
            extra="已有的账户和密钥保持创建时的辖区"
          >
            <JurisdictionSelect id="dep-edit-jurisdiction" />
          </Form.Item>
          {problem && <ProblemAlert problem={problem} />}
        </Form>
      )}
    </Modal>
  );
}

function Jurisdictions() {
  const names = useNames();
  const [form] = Form.useForm<{ code: string; name: string }>();
  const add = useSubmit();
  const rename = useSubmit();
  const [editing, setEditing] = useState<Jurisdiction>();
  const [newName, setNewName] = useState('');
  const submit = async (v: { code: string; name: string }) => {
    const row = await add.run(() =>
      ok(api.POST('/v1/admin/jurisdictions', { body: { code: v.code.trim(), name: v.name.trim() } })),
    );
    if (!row) return;
    form.resetFields();
    await reloadNames();
  };
  return (
    <>
      <Table
        size="small"
        rowKey="code"
        dataSource={names.jurisdictions}
        pagination={false}
        columns={[
          { title: '名称', dataIndex: 'name' },
          { title: '编码', dataIndex: 'code', render: (c: string) => <span translate="no">{c}</span> }, // an identifier, not a word
          { title: '层级', dataIndex: 'parent', render: (p: string | null) => (p ? '县（市、区）' : '市本级') },
          {
            title: '操作',
            render: (_: unknown, j: Jurisdiction) => (
              <Button
                size="small"
                onClick={() => {
                  setEditing(j);
                  setNewName(j.name);
                }}
              >
                改名
              </Button>
            ),
          },
        ]}
      />
      <Form form={form} layout="inline" onFinish={submit} style={{ marginTop: 12 }} data-testid="jurisdiction-form">
        <Form.Item
          name="name"
          label="名称"
          htmlFor="jur-name"
          rules={[{ required: true, whitespace: true, message: '请填写名称' }]}
        >
          <Input id="jur-name" placeholder="经济技术开发区" style={{ width: 180 }} />
        </Form.Item>
        <Form.Item
          name="code"
          label="编码"
          htmlFor="jur-code"
          rules={[
            { required: true, message: '请填写编码' },
            patternRule('POST /v1/admin/jurisdictions', 'code', '编码为 2-32 位小写字母、数字或 -，例如 kaifaqu'),
          ]}
        >
          <Input id="jur-code" placeholder="kaifaqu" translate="no" style={{ width: 120 }} />
        </Form.Item>
        <Button htmlType="submit" loading={add.busy}>
          增加县（市、区）
        </Button>
      </Form>
      {add.problem && <ProblemAlert problem={add.problem} />}
      <Modal
        open={editing !== undefined}
        title={
          <>
            辖区改名（编码 <span translate="no">{editing?.code ?? ''}</span>）
          </>
        }
        okText="保存"
        cancelText="取消"
        confirmLoading={rename.busy}
        onCancel={() => setEditing(undefined)}
        onOk={async () => {
          const row = await rename.run(() =>
            ok(
              api.PATCH('/v1/admin/jurisdictions/{code}', {
                params: { path: { code: editing!.code } },
                body: { name: newName.trim() },
              }),
            ),
          );
          if (!row) return;
          await reloadNames();
          setEditing(undefined);
        }}
      >
        <Input aria-label="辖区名称" value={newName} onChange={(e) => setNewName(e.target.value)} />
        {rename.problem && <ProblemAlert problem={rename.problem} />}
      </Modal>
    </>
  );
}

export default function Departments() {
  const names = useNames();
  const [editing, setEditing] = useState<Department>();
  return (
    <>
      <Table
        size="small"
        rowKey="code"
        dataSource={names.departments}
        pagination={{ pageSize: 20, hideOnSinglePage: true }}
        locale={{ emptyText: '尚未登记部门' }}
        data-testid="departments"
        columns={[
          {
            title: '名称',
            dataIndex: 'name',
            render: (n: string, d: Department) => (n === d.code ? <Tag color="orange">未命名</Tag> : n),
          },
          { title: '编码', dataIndex: 'code', render: (c: string) => <span translate="no">{c}</span> }, // an identifier, not a word
          { title: '辖区', dataIndex: 'jurisdictionName' },
          { title: '更新', dataIndex: 'updatedAt', render: (t: string) => formatDateTime(t) },
          {
            title: '操作',
            render: (_: unknown, d: Department) => (
              <Button size="small" onClick={() => setEditing(d)}>
                修改
              </Button>
            ),
          },
        ]}
      />
      <Card size="small" title="登记部门" style={{ marginTop: 16 }}>
        <NewDepartmentForm />
      </Card>
      <Card size="small" title="辖区（晋城市及所辖县、市、区）" style={{ marginTop: 16 }}>
        <Space direction="vertical" style={{ width: '100%' }}>
          <Jurisdictions />
        </Space>
      </Card>
      <EditDepartment department={editing} onClose={() => setEditing(undefined)} />
    </>
  );
}
