/** 年度计划: everyone reads GET /v1/annual-plans/:year; the BDB edits it (PUT, form from its schema). */
import { Card, InputNumber, Space, Table, Typography } from 'antd';
import { useState } from 'react';
import { api, ok } from '../api.ts';
import { formatDateTime, formatYuan, formatYuanNumber } from '../format.ts';
import forms from '../forms.generated.json';
import { useLoad } from '../hooks.ts';
import { ProblemAlert } from '../Problem.tsx';
import { SchemaForm, type JsonSchema } from '../SchemaForm.tsx';
import { useSession } from '../session.tsx';

export default function Plans() {
  const { account } = useSession();
  const [year, setYear] = useState(new Date().getFullYear());
  const { data, problem, loading, reload } = useLoad(() => ok(api.GET('/v1/annual-plans/{year}', { params: { path: { year } } })), [year]);
  const schema = (forms.bodies as Record<string, unknown>)['PUT /v1/annual-plans/{year}'] as JsonSchema | undefined;
  return (
    <>
      <Typography.Title level={3} className="page-title">
        年度计划
      </Typography.Title>
      <Card style={{ marginBottom: 16 }}>
        <Space>
          <label htmlFor="plan-year">年度</label>
          <InputNumber id="plan-year" min={2019} max={2100} value={year} onChange={(v) => v && setYear(v)} />
        </Space>
      </Card>
      {problem && <ProblemAlert problem={problem} />}
      <Card title={`${year}年度政务大数据项目计划`} style={{ marginBottom: 16 }}>
        <Table
          size="small"
          rowKey="code"
          loading={loading}
          dataSource={data?.items ?? []}
          pagination={false}
          locale={{ emptyText: '该年度尚无计划' }}
          columns={[
            { title: '编号', dataIndex: 'code' },
            { title: '项目', dataIndex: 'title' },
            { title: '部门', dataIndex: 'department' },
            { title: '投资上限', dataIndex: 'ceilingFen', align: 'right', render: (f: number) => formatYuan(f) },
            { title: '更新', dataIndex: 'updatedAt', render: (d: string, r) => `${formatDateTime(d)}${r.updatedBy ? ` · ${r.updatedBy}` : ''}` },
          ]}
        />
      </Card>
      {account?.role === 'bdb' && schema && !loading && (
        <Card title="编辑年度计划（市大数据应用局）">
          <SchemaForm
            key={`${year}-${data?.items.length ?? 0}`}
            schema={schema}
            testId="plan-form"
            initialValues={{ items: (data?.items ?? []).map((i) => ({ code: i.code, title: i.title, department: i.department, ceilingFen: Number(formatYuanNumber(i.ceilingFen).replaceAll(',', '')) })) }}
            submitLabel="保存年度计划"
            onSubmit={(body) => ok(api.PUT('/v1/annual-plans/{year}', { params: { path: { year } }, body: body as never }))}
            onDone={() => void reload()}
          />
        </Card>
      )}
    </>
  );
}
