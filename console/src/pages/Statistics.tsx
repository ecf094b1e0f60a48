/**
 * 统计分析 (GET /v1/statistics): money allocated and disbursed per year, department and fund type
 * (for those who may read the ledger), projects per stage, deadlines met/late/open, violations and
 * rectification orders per article — each as a chart (Chart.tsx, ECharts) with its numbers in a table
 * below, all exportable to Excel (GET /v1/statistics/export.xlsx). The numbers are the API's,
 * counted by the database over the projects the person may see.
 */
import { Button, Card, Col, Row, Space, Table, Typography } from 'antd';
import { useMemo } from 'react';
import { api, ok } from '../api.ts';
import { Chart, type ChartOption } from '../Chart.tsx';
import { DEADLINE_STATUS_TEXTS, DEADLINE_STATUSES, type DeadlineStatus } from '../../../domain/statistics.ts';
import { articleLabel } from '../../../domain/labels/values.ts';
import { formatYuan, label } from '../format.ts';
import { useLoad } from '../hooks.ts';
import { useNames } from '../names.tsx';
import { ProblemAlert } from '../Problem.tsx';

type Fen = number | string;
const yuan = (fen: Fen) => Number(fen) / 100;
/** An axis value in 元 as people read large sums: 万元 / 亿元. */
const axisYuan = (v: number) => (Math.abs(v) >= 1e8 ? `${v / 1e8}亿` : Math.abs(v) >= 1e4 ? `${v / 1e4}万` : String(v));
const STATUS_COLORS: Record<DeadlineStatus, string> = {
  open: '#1677ff',
  met: '#52c41a',
  missed: '#f5222d',
  cancelled: '#bfbfbf',
};

/** Allocated and disbursed side by side per category, in 元. */
function moneyBars(
  categories: string[],
  rows: Array<{ allocatedFen: Fen; disbursedFen: Fen }>,
  horizontal = false,
): ChartOption {
  const category = { type: 'category', data: categories, axisLabel: { interval: 0, width: 96, overflow: 'truncate' } };
  const value = { type: 'value', axisLabel: { formatter: axisYuan } };
  return {
    grid: { left: 8, right: 16, top: 40, bottom: 8, containLabel: true },
    legend: { top: 0 },
    tooltip: { trigger: 'axis', valueFormatter: (v: number) => formatYuan(Math.round(v * 100)) },
    xAxis: horizontal ? value : category,
    yAxis: horizontal ? { ...category, inverse: true } : value,
    series: [
      {
        name: '已分配',
        type: 'bar',
        barMaxWidth: 32,
        data: rows.map((r) => yuan(r.allocatedFen)),
        itemStyle: { color: '#1677ff' },
      },
      {
        name: '已拨付',
        type: 'bar',
        barMaxWidth: 32,
        data: rows.map((r) => yuan(r.disbursedFen)),
        itemStyle: { color: '#52c41a' },
      },
    ],
  };
}

function countBars(categories: string[], series: Array<{ name: string; data: number[]; color: string }>): ChartOption {
  return {
    grid: { left: 8, right: 16, top: series.length > 1 ? 40 : 16, bottom: 8, containLabel: true },
    legend: series.length > 1 ? { top: 0 } : undefined,
    tooltip: { trigger: 'axis' },
    xAxis: { type: 'value', minInterval: 1 },
    yAxis: { type: 'category', data: categories, inverse: true, axisLabel: { width: 120, overflow: 'truncate' } },
    series: series.map((s) => ({
      name: s.name,
      type: 'bar',
      barMaxWidth: 24,
      data: s.data,
      itemStyle: { color: s.color },
    })),
  };
}

const moneyColumns = [
  { title: '已分配', dataIndex: 'allocatedFen', align: 'right' as const, render: (f: Fen) => formatYuan(Number(f)) },
  { title: '已拨付', dataIndex: 'disbursedFen', align: 'right' as const, render: (f: Fen) => formatYuan(Number(f)) },
];

export default function Statistics() {
  const { data, problem, loading } = useLoad(() => ok(api.GET('/v1/statistics', {})), []);
  // Departments and jurisdictions by their names (the registries), in the charts as in the tables.
  const names = useNames();
  const charts = useMemo(() => {
    if (!data) return undefined;
    const funds = data.funds;
    // Violations and rectification orders per article, in the measures' order (the API's).
    const articles = [
      ...new Set([...data.violations.map((v) => v.article), ...data.rectifications.map((r) => r.article)]),
    ];
    const byArticle = articles.map((article) => ({
      article,
      violations: data.violations.find((v) => v.article === article)?.count ?? 0,
      rectifications: data.rectifications.filter((r) => r.article === article).reduce((n, r) => n + r.count, 0),
    }));
    return {
      fundsByYear:
        funds &&
        moneyBars(
          funds.byYear.map((r) => `${r.year}年`),
          funds.byYear,
        ),
      fundsByDepartment:
        funds &&
        moneyBars(
          funds.byDepartment.map((r) => names.department(r.department)),
          funds.byDepartment,
          true,
        ),
      fundsByType:
        funds &&
        moneyBars(
          funds.byFundType.map((r) => label('fundType', r.fundType)),
          funds.byFundType,
        ),
      stages: countBars(
        data.projectsByStage.map((r) => label('stage', r.stage)),
        [{ name: '项目数', data: data.projectsByStage.map((r) => r.count), color: '#1677ff' }],
      ),
      deadlines: {
        tooltip: { trigger: 'item' },
        legend: { bottom: 0 },
        series: [
          {
            name: '期限',
            type: 'pie',
            radius: ['40%', '68%'],
            top: -24,
            label: { formatter: '{b}\n{c}' },
            data: data.deadlines.byStatus
              .filter((r) => r.count > 0)
              .map((r) => ({
                name: DEADLINE_STATUS_TEXTS[r.status],
                value: r.count,
                itemStyle: { color: STATUS_COLORS[r.status] },
              })),
          },
        ],
      } satisfies ChartOption,
      byArticle,
      articles: countBars(
        byArticle.map((r) => articleLabel(r.article)),
        [
          { name: '违规记录', data: byArticle.map((r) => r.violations), color: '#f5222d' },
          { name: '整改通知', data: byArticle.map((r) => r.rectifications), color: '#faad14' },
        ],
      ),
    };
  }, [data, names.ready]);
  const scope = data?.scope.department
    ? `本部门（${names.department(data.scope.department)}）的项目`
    : data?.scope.jurisdiction
      ? `本辖区（${names.jurisdiction(data.scope.jurisdiction)}）的项目`
      : '全部项目';
  const tall = (n: number) => Math.max(220, 48 + n * 36);
  return (
    <>
      <Typography.Title level={3} className="page-title">
        统计分析
      </Typography.Title>
      <Card style={{ marginBottom: 16 }}>
        <Space wrap>
          <span data-testid="statistics-scope">统计范围：{loading ? '…' : scope}</span>
          <Button href="/v1/statistics/export.xlsx" download>
            导出电子表格
          </Button>
        </Space>
      </Card>
      {problem && <ProblemAlert problem={problem} />}
      {data && charts && (
        <Row gutter={[16, 16]}>
          {data.funds && charts.fundsByYear && charts.fundsByDepartment && charts.fundsByType && (
            <>
              <Col xs={24} xl={12}>
                <Card title="资金：按年度" data-testid="funds-by-year">
                  <Chart option={charts.fundsByYear} label="按年度的已分配与已拨付资金" />
                  <Table
                    size="small"
                    pagination={false}
                    rowKey="year"
                    dataSource={data.funds.byYear}
                    locale={{ emptyText: '暂无资金' }}
                    columns={[{ title: '年度', dataIndex: 'year', render: (y: number) => `${y}年` }, ...moneyColumns]}
                  />
                </Card>
              </Col>
              <Col xs={24} xl={12}>
                <Card title="资金：按资金类型" data-testid="funds-by-type">
                  <Chart option={charts.fundsByType} label="按资金类型的已分配与已拨付资金" />
                  <Table
                    size="small"
                    pagination={false}
                    rowKey="fundType"
                    dataSource={[...data.funds.byFundType, { fundType: '合计', ...data.funds.total }]}
                    locale={{ emptyText: '暂无资金' }}
                    columns={[
                      {
                        title: '资金类型',
                        dataIndex: 'fundType',
                        render: (t: string) => (t === '合计' ? '合计' : label('fundType', t)),
                      },
                      ...moneyColumns,
                    ]}
                  />
                </Card>
              </Col>
              <Col xs={24}>
                <Card title="资金：按部门" data-testid="funds-by-department">
                  <Chart
                    option={charts.fundsByDepartment}
                    height={tall(data.funds.byDepartment.length)}
                    label="按部门的已分配与已拨付资金"
                  />
                  <Table
                    size="small"
                    pagination={{ pageSize: 10, hideOnSinglePage: true }}
                    rowKey="department"
                    dataSource={data.funds.byDepartment}
                    locale={{ emptyText: '暂无资金' }}
                    columns={[
                      { title: '部门', dataIndex: 'department', render: (d: string) => names.department(d) },
                      ...moneyColumns,
                    ]}
                  />
                </Card>
              </Col>
            </>
          )}
          <Col xs={24} xl={12}>
            <Card title="项目：按阶段" data-testid="projects-by-stage">
              <Chart option={charts.stages} height={tall(data.projectsByStage.length)} label="各阶段的项目数" />
              <Table
                size="small"
                pagination={false}
                rowKey="stage"
                dataSource={data.projectsByStage}
                locale={{ emptyText: '暂无项目' }}
                columns={[
                  { title: '阶段', dataIndex: 'stage', render: (s: string) => label('stage', s) },
                  { title: '项目数', dataIndex: 'count', align: 'right' },
                ]}
              />
            </Card>
          </Col>
          <Col xs={24} xl={12}>
            <Card title="期限：按期完成、逾期、未到期" data-testid="deadlines">
              <Chart option={charts.deadlines} label="各状态的期限数" />
              <Table
                size="small"
                pagination={{ pageSize: 10, hideOnSinglePage: true }}
                rowKey="department"
                dataSource={[
                  ...data.deadlines.byDepartment,
                  {
                    department: '合计',
                    ...Object.fromEntries(data.deadlines.byStatus.map((r) => [r.status, r.count])),
                  },
                ]}
                columns={[
                  {
                    title: '部门',
                    dataIndex: 'department',
                    render: (d: string) => (d === '合计' ? d : names.department(d)),
                  },
                  ...DEADLINE_STATUSES.map((s) => ({
                    title: DEADLINE_STATUS_TEXTS[s],
                    dataIndex: s,
                    align: 'right' as const,
                  })),
                ]}
              />
            </Card>
          </Col>
          <Col xs={24}>
            <Card title="违规与整改：按条款" data-testid="articles">
              <Chart
                option={charts.articles}
                height={tall(charts.byArticle.length)}
                label="各条款的违规记录与整改通知数"
              />
              <Table
                size="small"
                pagination={false}
                rowKey={(r) => `${r.article}-${r.reason}`}
                dataSource={[
                  ...data.violations.map((v) => ({ article: v.article, reason: '', what: '违规记录', count: v.count })),
                  ...data.rectifications.map((r) => ({
                    article: r.article,
                    reason: r.reason,
                    what: `整改通知：${label('reason', r.reason)}`,
                    count: r.count,
                  })),
                ]}
                locale={{ emptyText: '暂无违规与整改' }}
                columns={[
                  { title: '条款', dataIndex: 'article', render: (a: string) => articleLabel(a) },
                  { title: '记录', dataIndex: 'what' },
                  { title: '数量', dataIndex: 'count', align: 'right' },
                ]}
              />
            </Card>
          </Col>
        </Row>
      )}
    </>
  );
}
