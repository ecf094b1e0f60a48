/** 资金 (finance, bdb): totals per jurisdiction and fund type, suspended projects (GET /v1/funds), Excel export. */
import { Button, Card, Checkbox, Space, Table, Tag, Typography } from 'antd';
import { useState } from 'react';
import { api, ok } from '../api.ts';
import { formatYuan, label } from '../format.ts';
import { useLoad } from '../hooks.ts';
import { useNames } from '../names.tsx';
import { JurisdictionSelect } from '../selects.tsx';
import { ProblemAlert } from '../Problem.tsx';
import { Link } from '../router.tsx';

const BUCKETS = [
  ['allocatedFen', '已安排'],
  ['heldFen', '待公示'],
  ['availableFen', '可拨付'],
  ['disbursedFen', '已拨付'],
  ['frozenFen', '冻结'],
] as const;

type Balance = Record<(typeof BUCKETS)[number][0], number | string>;

export default function Funds() {
  const names = useNames();
  const [jurisdiction, setJurisdiction] = useState('');
  const [suspended, setSuspended] = useState(false);
  const query = {
    ...(jurisdiction.trim() ? { jurisdiction: jurisdiction.trim() } : {}),
    ...(suspended ? { suspended: 'true' } : {}),
  };
  const { data, problem, loading } = useLoad(
    () => ok(api.GET('/v1/funds', { params: { query: query as never } })),
    [jurisdiction, suspended],
  );
  // Totals per jurisdiction and fund type, from the per-project balances.
  const byJurisdiction = new Map<string, { construction: Record<string, number>; om: Record<string, number> }>();
  for (const p of data?.items ?? []) {
    const row = byJurisdiction.get(p.jurisdiction) ?? { construction: {}, om: {} };
    for (const t of ['construction', 'om'] as const)
      for (const [k] of BUCKETS) row[t][k] = (row[t][k] ?? 0) + Number((p[t] as Balance)[k]);
    byJurisdiction.set(p.jurisdiction, row);
  }
  const totals = [...byJurisdiction].flatMap(([j, r]) =>
    (['construction', 'om'] as const).map((t) => ({ key: `${j}-${t}`, jurisdiction: j, type: t, ...r[t] })),
  );
  return (
    <>
      <Typography.Title level={3} className="page-title">
        资金
      </Typography.Title>
      <Card style={{ marginBottom: 16 }}>
        <Space wrap>
          <label htmlFor="funds-jurisdiction">辖区</label>
          <JurisdictionSelect
            id="funds-jurisdiction"
            allowClear
            style={{ width: 140 }}
            placeholder="全部"
            value={jurisdiction || undefined}
            onChange={(v) => setJurisdiction(v ?? '')}
          />
          <Checkbox checked={suspended} onChange={(e) => setSuspended(e.target.checked)}>
            仅看资金暂停的项目
          </Checkbox>
          <Button href={`/v1/funds/export.xlsx?${new URLSearchParams(query).toString()}`} download>
            导出电子表格
          </Button>
        </Space>
      </Card>
      {problem && <ProblemAlert problem={problem} />}
      <Card title="按辖区和资金类型汇总" style={{ marginBottom: 16 }}>
        <Table
          size="small"
          pagination={false}
          loading={loading}
          dataSource={totals}
          scroll={{ x: 'max-content' }}
          locale={{ emptyText: '暂无资金' }}
          columns={[
            { title: '辖区', dataIndex: 'jurisdiction', render: (j: string) => names.jurisdiction(j) },
            { title: '资金类型', dataIndex: 'type', render: (t: string) => label('fundType', t) },
            ...BUCKETS.map(([k, l]) => ({
              title: l,
              dataIndex: k,
              align: 'right' as const,
              render: (f: number) => formatYuan(f ?? 0),
            })),
          ]}
        />
      </Card>
      <Card title="项目资金">
        <Table
          size="small"
          rowKey="projectId"
          loading={loading}
          dataSource={data?.items ?? []}
          pagination={{ pageSize: 20, hideOnSinglePage: true }}
          scroll={{ x: 'max-content' }}
          columns={[
            {
              title: '项目',
              dataIndex: 'title',
              width: 240,
              render: (t: string, r) => <Link to={`/projects/${encodeURIComponent(r.projectId)}`}>{t}</Link>,
            },
            { title: '部门', dataIndex: 'department', render: (d: string) => names.department(d) },
            { title: '辖区', dataIndex: 'jurisdiction', render: (j: string) => names.jurisdiction(j) },
            {
              title: '建设资金已安排',
              dataIndex: ['construction', 'allocatedFen'],
              align: 'right',
              render: (f: number) => formatYuan(f),
            },
            {
              title: '建设资金已拨付',
              dataIndex: ['construction', 'disbursedFen'],
              align: 'right',
              render: (f: number) => formatYuan(f),
            },
            {
              title: '运维资金已安排',
              dataIndex: ['om', 'allocatedFen'],
              align: 'right',
              render: (f: number) => formatYuan(f),
            },
            {
              title: '状态',
              dataIndex: 'fundsSuspended',
              render: (s: boolean) => (s ? <Tag color="red">暂停拨付</Tag> : <Tag color="green">正常</Tag>),
            },
          ]}
        />
      </Card>
    </>
  );
}
