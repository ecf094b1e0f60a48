/**
 * 待办工作台: the person's pending actions (GET /v1/inbox, earliest due first) with traffic lights:
 * red overdue, yellow due within 3 working days (the API's working-day calendar, GET /v1/calendar/:year),
 * green otherwise; counts per light; unread notifications below.
 */
import { Card, Col, List, Row, Statistic, Table, Tag, Typography } from 'antd';
import { api, ok } from '../api.ts';
import { dueDate, shanghaiDate } from '../../../domain/dates.ts';
import { dueOrDash, formatDateTime } from '../format.ts';
import { useLoad } from '../hooks.ts';
import { actionLabel } from '../labels.ts';
import { ProblemAlert } from '../Problem.tsx';
import { Link } from '../router.tsx';

type Light = 'red' | 'yellow' | 'green';
const LIGHT_TEXT: Record<Light, string> = { red: '已逾期', yellow: '3 个工作日内到期', green: '正常' };

/**
 * Working days after `from` up to and including `to` (YYYY-MM-DD), with the calendar's overrides,
 * counted up to `atMost` (the lights need "≤ 3" only: a reviewer's 25,000 pending actions at 100,000
 * projects would otherwise walk every day to every due date — BENCHMARKS.md, console).
 */
export function workingDaysBetween(from: string, to: string, overrides: Map<string, boolean>, atMost = 400): number {
  let n = 0;
  const d = new Date(`${from}T00:00:00Z`);
  const end = new Date(`${to}T00:00:00Z`).getTime();
  while (d.getTime() < end && n < atMost) {
    d.setUTCDate(d.getUTCDate() + 1);
    const key = d.toISOString().slice(0, 10);
    const weekday = d.getUTCDay() !== 0 && d.getUTCDay() !== 6;
    if (overrides.get(key) ?? weekday) n++;
  }
  return n;
}

export function lightOf(item: { dueAt?: string | null; overdue: boolean }, today: string, overrides: Map<string, boolean>): Light {
  if (item.overdue) return 'red';
  if (!item.dueAt) return 'green';
  const due = dueDate(item.dueAt);
  if (due < today) return 'red';
  return workingDaysBetween(today, due, overrides, 4) <= 3 ? 'yellow' : 'green';
}

export default function Inbox() {
  const { data, problem, loading } = useLoad(async () => {
    const today = shanghaiDate(new Date().toISOString());
    const year = Number(today.slice(0, 4));
    const [inbox, ...calendars] = await Promise.all([
      ok(api.GET('/v1/inbox', {})),
      ...[year, year + 1].map((y) => api.GET('/v1/calendar/{year}', { params: { path: { year: y } } }).then((r) => r.data?.days ?? [])),
    ]);
    const overrides = new Map(calendars.flat().map((d) => [d.date, d.workday] as const));
    const items = inbox.items.map((i) => ({ ...i, light: lightOf(i, today, overrides) }));
    return { items, notifications: inbox.notifications };
  }, []);
  const counts = { red: 0, yellow: 0, green: 0 };
  for (const i of data?.items ?? []) counts[i.light]++;
  return (
    <>
      <Typography.Title level={3} className="page-title">
        待办工作台
      </Typography.Title>
      {problem && <ProblemAlert problem={problem} />}
      <Row gutter={16} style={{ marginBottom: 16 }}>
        <Col span={6}>
          <Card>
            <Statistic title="待办总数" value={data?.items.length ?? 0} data-testid="count-total" />
          </Card>
        </Col>
        {(['red', 'yellow', 'green'] as const).map((l) => (
          <Col span={6} key={l}>
            <Card>
              <Statistic title={<><span className={`light ${l}`} aria-hidden="true" />{LIGHT_TEXT[l]}</>} value={counts[l]} data-testid={`count-${l}`} />
            </Card>
          </Col>
        ))}
      </Row>
      <Card title="待办事项（最早到期在前）" style={{ marginBottom: 16 }}>
        <Table
          rowKey={(r) => `${r.projectId}-${r.action}-${r.dueAt ?? ''}`}
          loading={loading}
          dataSource={data?.items ?? []}
          pagination={{ pageSize: 20, hideOnSinglePage: true }}
          size="middle"
          locale={{ emptyText: '暂无待办事项' }}
          columns={[
            { title: '状态', dataIndex: 'light', width: 170, render: (l: Light) => <span><span className={`light ${l}`} aria-hidden="true" />{LIGHT_TEXT[l]}</span> },
            { title: '待办事项', dataIndex: 'action', render: (a: string) => actionLabel(a) },
            { title: '项目', dataIndex: 'title', render: (t: string, r) => <Link to={`/projects/${encodeURIComponent(r.projectId)}`}>{t}</Link> },
            { title: '项目编号', dataIndex: 'projectId' },
            { title: '部门', dataIndex: 'department' },
            { title: '到期日', dataIndex: 'dueAt', render: (d: string | null) => dueOrDash(d) },
          ]}
        />
      </Card>
      <Card title={<>未读通知 <Tag>{data?.notifications.length ?? 0}</Tag></>}>
        <List
          dataSource={data?.notifications ?? []}
          locale={{ emptyText: '暂无通知' }}
          renderItem={(n) => (
            <List.Item>
              <List.Item.Meta title={<Link to={`/projects/${encodeURIComponent(n.projectId)}`}>{n.projectId}</Link>} description={`${n.detail}（${formatDateTime(n.createdAt)}${n.dueAt ? `，到期 ${dueOrDash(n.dueAt)}` : ''}）`} />
            </List.Item>
          )}
        />
      </Card>
    </>
  );
}
