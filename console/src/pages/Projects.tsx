/**
 * 项目库: GET /v1/projects with the filters of the API (阶段, 部门, 辖区, 待办角色, 逾期, 资金暂停,
 * 关键词), cursor paging, and the same filters as an Excel download (GET /v1/projects/export.xlsx).
 */
import { Button, Card, Checkbox, Form, Input, Select, Space, Table, Tag, Typography } from 'antd';
import { useState } from 'react';
import { api, ok } from '../api.ts';
import { STAGES, ROLES } from '../../../domain/vocabulary.ts';
import { BUSINESS_ROLES } from '../../../domain/admin-roles.ts';
import { dueOrDash, formatYuan } from '../format.ts';
import { useLoad } from '../hooks.ts';
import { useNames } from '../names.tsx';
import { DepartmentSelect, JurisdictionSelect } from '../selects.tsx';
import { actionLabel, roleLabel, stageLabel } from '../labels.ts';
import { ProblemAlert } from '../Problem.tsx';
import { Link } from '../router.tsx';
import { useSession } from '../session.tsx';

interface Filters {
  stage?: (typeof STAGES)[number];
  department?: string;
  jurisdiction?: string;
  awaiting?: (typeof ROLES)[number];
  overdue?: boolean;
  fundsSuspended?: boolean;
  q?: string;
}

const PAGE = 20;

function queryOf(f: Filters) {
  return {
    ...(f.stage ? { stage: f.stage } : {}),
    ...(f.department?.trim() ? { department: f.department.trim() } : {}),
    ...(f.jurisdiction?.trim() ? { jurisdiction: f.jurisdiction.trim() } : {}),
    ...(f.awaiting ? { awaiting: f.awaiting } : {}),
    ...(f.overdue ? { overdue: 'true' as const } : {}),
    ...(f.fundsSuspended ? { fundsSuspended: 'true' as const } : {}),
    ...(f.q?.trim() ? { q: f.q.trim() } : {}),
  };
}

export default function Projects() {
  const { account } = useSession();
  const names = useNames();
  const [filters, setFilters] = useState<Filters>({});
  const [cursors, setCursors] = useState<(string | undefined)[]>([undefined]);
  const cursor = cursors[cursors.length - 1];
  const { data, problem, loading } = useLoad(
    () =>
      ok(
        api.GET('/v1/projects', {
          params: { query: { ...queryOf(filters), limit: PAGE, ...(cursor ? { cursor } : {}) } as never },
        }),
      ),
    [filters, cursor],
  );
  const exportHref = `/v1/projects/export.xlsx?${new URLSearchParams(queryOf(filters)).toString()}`;
  return (
    <>
      <Typography.Title level={3} className="page-title">
        项目库
      </Typography.Title>
      <Card style={{ marginBottom: 16 }}>
        <Form
          layout="inline"
          onFinish={(v: Filters) => {
            setFilters(v);
            setCursors([undefined]);
          }}
          data-testid="project-filters"
        >
          <Form.Item name="stage" label="阶段" htmlFor="flt-stage">
            <Select
              id="flt-stage"
              allowClear
              style={{ width: 140 }}
              placeholder="全部"
              options={STAGES.map((s) => ({ value: s, label: stageLabel(s) }))}
            />
          </Form.Item>
          {account?.role !== 'department' && (
            <Form.Item name="department" label="部门" htmlFor="flt-department">
              <DepartmentSelect id="flt-department" allowClear style={{ width: 200 }} placeholder="全部" />
            </Form.Item>
          )}
          <Form.Item name="jurisdiction" label="辖区" htmlFor="flt-jurisdiction">
            <JurisdictionSelect id="flt-jurisdiction" allowClear style={{ width: 120 }} placeholder="全部" />
          </Form.Item>
          <Form.Item name="awaiting" label="待办角色" htmlFor="flt-awaiting">
            <Select
              id="flt-awaiting"
              allowClear
              style={{ width: 150 }}
              placeholder="全部"
              options={BUSINESS_ROLES.map((r) => ({ value: r, label: roleLabel(r) }))}
            />
          </Form.Item>
          <Form.Item name="q" label="关键词" htmlFor="flt-q">
            <Input id="flt-q" style={{ width: 150 }} placeholder="标题或编号" />
          </Form.Item>
          <Form.Item name="overdue" valuePropName="checked">
            <Checkbox>逾期</Checkbox>
          </Form.Item>
          <Form.Item name="fundsSuspended" valuePropName="checked">
            <Checkbox>资金暂停</Checkbox>
          </Form.Item>
          <Space>
            <Button type="primary" htmlType="submit">
              查询
            </Button>
            <Button href={exportHref} download>
              导出电子表格
            </Button>
            {account?.role === 'department' && (
              <Link to="/projects/new" className="ant-btn ant-btn-default">
                申报新项目
              </Link>
            )}
          </Space>
        </Form>
      </Card>
      {problem && <ProblemAlert problem={problem} />}
      <Card>
        <Table
          rowKey="id"
          loading={loading}
          dataSource={data?.items ?? []}
          pagination={false}
          size="middle"
          scroll={{ x: 'max-content' }}
          locale={{ emptyText: '没有符合条件的项目' }}
          columns={[
            {
              title: '项目编号',
              dataIndex: 'id',
              render: (id: string) => <Link to={`/projects/${encodeURIComponent(id)}`}>{id}</Link>,
            },
            { title: '项目名称', dataIndex: 'title', width: 260 },
            { title: '部门', dataIndex: 'department', render: (d: string) => names.department(d) },
            { title: '辖区', dataIndex: 'jurisdiction', render: (j: string) => names.jurisdiction(j) },
            { title: '阶段', dataIndex: 'stage', render: (s: string) => <Tag>{stageLabel(s)}</Tag> },
            {
              title: '待办',
              dataIndex: 'pendingActions',
              render: (p: Array<{ role: string; action: string }>) =>
                p.map((a) => `${roleLabel(a.role)}：${actionLabel(a.action)}`).join('；') || '—',
            },
            {
              title: '下一期限',
              dataIndex: 'nextDeadline',
              render: (d: string | null, r) => (
                <span>
                  {dueOrDash(d)} {r.overdue && <Tag color="red">逾期</Tag>}
                </span>
              ),
            },
            {
              title: '已安排建设资金',
              dataIndex: ['funds', 'construction', 'allocatedFen'],
              align: 'right',
              render: (f: number, r) => (
                <span>
                  {formatYuan(f)} {r.fundsSuspended && <Tag color="orange">暂停</Tag>}
                </span>
              ),
            },
          ]}
        />
        <Space style={{ marginTop: 16 }}>
          <Button disabled={cursors.length <= 1} onClick={() => setCursors((c) => c.slice(0, -1))}>
            上一页
          </Button>
          <span aria-live="polite">第 {cursors.length} 页</span>
          <Button
            disabled={!data?.nextCursor}
            onClick={() => data?.nextCursor && setCursors((c) => [...c, data.nextCursor!])}
          >
            下一页
          </Button>
        </Space>
      </Card>
    </>
  );
}
