/**
 * 规划备案 (Art. 6: 市直部门及各县（市、区）编制的各类规划涉及政务信息系统建设的，应报市大数据应用局备案):
 * a department files its own plan (POST /v1/plan-filings) and sees its filings; the BDB sees every
 * department's and county's filings (GET /v1/plan-filings), by year.
 */
import { Alert, Button, Card, Form, Input, InputNumber, Space, Table, Typography } from 'antd';
import { useState } from 'react';
import { shanghaiDate } from '../../../domain/calendar/dates.ts';
import { api, ok } from '../api.ts';
import type { components } from '../api-types.ts';
import { dateOrDash, formatDateTime } from '../format.ts';
import { useLoad } from '../hooks.ts';
import { useNames } from '../names.tsx';
import { ProblemAlert } from '../Problem.tsx';
import { useSession } from '../session.tsx';
import { useSubmit } from './admin/shared.tsx';

type Filing = components['schemas']['PlanFiling'];
interface FilingForm {
  title: string;
  documentRef: string;
  filedOn: string;
  year?: number;
}

function FileForm({ onFiled }: { onFiled: () => void }) {
  const [form] = Form.useForm<FilingForm>();
  const { problem, busy, run } = useSubmit();
  const [filed, setFiled] = useState<string>();
  const submit = async (v: FilingForm) => {
    const body = {
      title: v.title.trim(),
      documentRef: v.documentRef.trim(),
      filedOn: v.filedOn,
      ...(v.year ? { year: v.year } : {}),
    };
    const row = await run(() => ok(api.POST('/v1/plan-filings', { body })));
    if (!row) return;
    form.resetFields();
    setFiled(`已报市大数据应用局备案：${row.title}`);
    onFiled();
  };
  const today = shanghaiDate(new Date().toISOString());
  return (
    <Form
      form={form}
      layout="vertical"
      onFinish={submit}
      initialValues={{ filedOn: today }}
      onValuesChange={() => setFiled(undefined)}
      data-testid="filing-form"
      style={{ maxWidth: 560 }}
    >
      <Form.Item
        name="title"
        label="规划名称"
        htmlFor="filing-title"
        rules={[
          { required: true, whitespace: true, message: '请填写规划名称' },
          { max: 200, message: '不超过 200 个字符' },
        ]}
      >
        <Input id="filing-title" placeholder="市卫生健康委员会“十五五”信息化建设规划" />
      </Form.Item>
      <Form.Item
        name="documentRef"
        label="规划文件"
        htmlFor="filing-doc"
        extra="规划的文号，或文件的存放位置"
        rules={[{ required: true, whitespace: true, message: '请填写规划文件' }]}
      >
        <Input id="filing-doc" placeholder="晋卫发〔2026〕15号" />
      </Form.Item>
      <Space wrap>
        <Form.Item
          name="filedOn"
          label="报送日期"
          htmlFor="filing-date"
          rules={[{ required: true, message: '请填写报送日期' }]}
        >
          <Input id="filing-date" type="date" style={{ width: 170 }} />
        </Form.Item>
        <Form.Item name="year" label="涉及的计划年度（可不填）" htmlFor="filing-year">
          <InputNumber id="filing-year" min={2019} max={2100} precision={0} style={{ width: 140 }} />
        </Form.Item>
      </Space>
      {problem && <ProblemAlert problem={problem} />}
      {filed && <Alert type="success" showIcon style={{ marginBottom: 12 }} message={filed} />}
      <Button type="primary" htmlType="submit" loading={busy}>
        报送备案
      </Button>
    </Form>
  );
}

export default function PlanFilings() {
  const { account } = useSession();
  const names = useNames();
  const department = account?.role === 'department';
  const [year, setYear] = useState<number | null>(null);
  const list = useLoad(() => ok(api.GET('/v1/plan-filings', { params: { query: year ? { year } : {} } })), [year]);
  return (
    <>
      <Typography.Title level={3} className="page-title">
        规划备案
      </Typography.Title>
      <Typography.Paragraph type="secondary">
        第六条：市直部门及各县（市、区）编制的各类规划涉及政务信息系统建设的，应报市大数据应用局备案。
      </Typography.Paragraph>
      {department && (
        <Card title={`报送本单位规划（${names.department(account?.department)}）`} style={{ marginBottom: 16 }}>
          <FileForm onFiled={() => void list.reload()} />
        </Card>
      )}
      <Card
        title={department ? '本单位已备案的规划' : '各部门、各县（市、区）已备案的规划'}
        extra={
          <Space>
            <label htmlFor="filing-filter-year">年度</label>
            <InputNumber
              id="filing-filter-year"
              min={2019}
              max={2100}
              precision={0}
              placeholder="全部"
              value={year}
              onChange={(v) => setYear(v === null || (v >= 2019 && v <= 2100) ? v : year)}
              style={{ width: 110 }}
            />
          </Space>
        }
      >
        {list.problem && <ProblemAlert problem={list.problem} />}
        <Table
          size="small"
          rowKey="id"
          loading={list.loading}
          dataSource={list.data?.items ?? []}
          pagination={{ pageSize: 20, hideOnSinglePage: true }}
          locale={{ emptyText: '暂无备案' }}
          data-testid="filings"
          columns={[
            { title: '规划名称', dataIndex: 'title' },
            { title: '部门', dataIndex: 'department', render: (d: string | null) => (d ? names.department(d) : '—') },
            { title: '辖区', dataIndex: 'jurisdiction', render: (j: string) => names.jurisdiction(j) },
            { title: '规划文件', dataIndex: 'documentRef' },
            { title: '计划年度', dataIndex: 'year', render: (y: number | null) => (y ? `${y}年` : '—') },
            { title: '报送日期', dataIndex: 'filedOn', render: (d: string) => dateOrDash(d) },
            { title: '报送人', render: (_: unknown, f: Filing) => `${f.filedBy}（${formatDateTime(f.createdAt)}）` },
          ]}
        />
      </Card>
    </>
  );
}
