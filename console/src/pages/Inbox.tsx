/**
 * 待办工作台: the person's pending actions (GET /v1/inbox), earliest due first, a page at a time,
 * each with its due date and traffic light (red overdue, yellow due within 3 working days, green
 * later; the API decides them on the working-day calendar); the counts per light from the API; the
 * notices addressed to the person (GET /v1/notifications), marked read when opened, and 全部已读.
 */
import { Button, Card, Col, Empty, List, Radio, Row, Segmented, Space, Statistic, Table, Tag, Typography } from 'antd';
import { useState, type ReactNode } from 'react';
import { api, ok } from '../api.ts';
import { LIGHT_TEXTS, type Light } from '../../../domain/inbox.ts';
import { dueOrDash, formatDateTime } from '../format.ts';
import { useLoad } from '../hooks.ts';
import { actionLabel, refText } from '../labels.ts';
import { useNames } from '../names.tsx';
import { ProblemAlert } from '../Problem.tsx';
import { Link, navigate } from '../router.tsx';

const PAGE = 20;
const NOTICES_PAGE = 10;
type LightFilter = Light | 'none' | 'all';

/** A light's dot and its words; an item without a due date has none. */
export function LightMark({ light }: { light: Light | null }) {
  if (!light) return <span>—</span>;
  return (
    <span>
      <span className={`light ${light}`} aria-hidden="true" />
      {LIGHT_TEXTS[light]}
    </span>
  );
}

/** Where a notice leads: its project, or the page of a system notice's subject (`calendar`: 工作日历). */
const noticeTarget = (projectId: string) =>
  projectId === 'calendar' ? '/admin' : `/projects/${encodeURIComponent(projectId)}`;

function Notices() {
  const [unreadOnly, setUnreadOnly] = useState(true);
  const [marking, setMarking] = useState(false);
  const { data, problem, loading, reload, setData } = useLoad(async () => {
    const first = await ok(
      api.GET('/v1/notifications', {
        params: { query: { limit: NOTICES_PAGE, ...(unreadOnly ? { unread: 'true' as const } : {}) } },
      }),
    );
    return { ...first, all: first.items };
  }, [unreadOnly]);
  const more = async () => {
    if (!data?.nextCursor) return;
    const next = await ok(
      api.GET('/v1/notifications', {
        params: {
          query: { limit: NOTICES_PAGE, cursor: data.nextCursor, ...(unreadOnly ? { unread: 'true' as const } : {}) },
        },
      }),
    );
    setData({ ...next, all: [...data.all, ...next.items] });
  };
  // Opening a notice marks it read (for this person only), then shows its project.
  const open = async (id: number, projectId: string, read: boolean) => {
    if (!read) await api.POST('/v1/notifications/{id}/read', { params: { path: { id } } });
    navigate(noticeTarget(projectId));
  };
  const readAll = async () => {
    setMarking(true);
    try {
      await ok(api.POST('/v1/notifications/read-all', {}));
      await reload();
    } finally {
      setMarking(false);
    }
  };
  const unread = data?.unreadCount ?? 0;
  return (
    <Card
      title={
        <Space wrap>
          通知{' '}
          <Tag color={unread ? 'red' : undefined} data-testid="unread-count">
            {unread} 条未读
          </Tag>
        </Space>
      }
      extra={
        <Button onClick={() => void readAll()} loading={marking} disabled={unread === 0}>
          全部已读
        </Button>
      }
    >
      <Segmented
        aria-label="显示哪些通知"
        style={{ marginBottom: 12 }}
        value={unreadOnly ? 'unread' : 'all'}
        onChange={(v) => {
          setUnreadOnly(v === 'unread');
        }}
        options={[
          { value: 'unread', label: '未读' },
          { value: 'all', label: '全部' },
        ]}
      />
      {problem && <ProblemAlert problem={problem} />}
      <List
        loading={loading}
        dataSource={data?.all ?? []}
        locale={{
          emptyText: (
            <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={unreadOnly ? '没有未读通知' : '暂无通知'} />
          ),
        }}
        renderItem={(n) => (
          <List.Item
            className={n.readAt ? 'inbox-notice read' : 'inbox-notice'}
            data-testid="notice"
            extra={n.readAt ? <Tag>已读</Tag> : <Tag color="blue">未读</Tag>}
          >
            <List.Item.Meta
              title={
                <a
                  href={noticeTarget(n.projectId)}
                  onClick={(e) => {
                    e.preventDefault();
                    void open(n.id, n.projectId, n.readAt !== null);
                  }}
                >
                  {n.projectId === 'calendar' ? '工作日历' : n.projectId}
                </a>
              }
              description={
                <>
                  <div>{n.detail}</div>
                  <Space wrap size={[12, 0]}>
                    <span>{formatDateTime(n.createdAt)}</span>
                    {n.dueAt && <span>到期 {dueOrDash(n.dueAt)}</span>}
                    {n.dueAt && <LightMark light={n.light} />}
                    {n.basis === 'policy' && <Tag>本地政策</Tag>}
                  </Space>
                </>
              }
            />
          </List.Item>
        )}
      />
      {data?.nextCursor && (
        <Button block style={{ marginTop: 12 }} onClick={() => void more()}>
          加载更多
        </Button>
      )}
    </Card>
  );
}

export default function Inbox() {
  const names = useNames();
  const [light, setLight] = useState<LightFilter>('all');
  const [cursors, setCursors] = useState<(string | undefined)[]>([undefined]);
  const cursor = cursors[cursors.length - 1];
  const { data, problem, loading } = useLoad(
    () =>
      ok(
        api.GET('/v1/inbox', {
          params: {
            query: {
              limit: PAGE,
              notificationLimit: 0,
              ...(light === 'all' ? {} : { light }),
              ...(cursor ? { cursor } : {}),
            },
          },
        }),
      ),
    [light, cursor],
  );
  const counts = data?.counts;
  const card = (testId: string, title: ReactNode, value: number | undefined) => (
    <Col xs={12} sm={8} lg={6} xl={4}>
      <Card size="small">
        <Statistic title={title} value={value ?? 0} data-testid={testId} />
      </Card>
    </Col>
  );
  const choose = (l: LightFilter) => {
    setLight(l);
    setCursors([undefined]);
  };
  return (
    <>
      <Typography.Title level={3} className="page-title">
        待办工作台
      </Typography.Title>
      {problem && <ProblemAlert problem={problem} />}
      <Row gutter={[12, 12]} style={{ marginBottom: 16 }}>
        {card('count-total', '待办总数', counts?.total)}
        {(['red', 'yellow', 'green'] as const).map((l) => card(`count-${l}`, <LightMark light={l} />, counts?.[l]))}
        {card('count-none', '无期限', counts?.none)}
      </Row>
      <Card title="待办事项（最早到期在前）" style={{ marginBottom: 16 }}>
        <Radio.Group
          style={{ marginBottom: 12 }}
          optionType="button"
          value={light}
          onChange={(e) => choose(e.target.value as LightFilter)}
          options={[
            { value: 'all', label: '全部' },
            { value: 'red', label: LIGHT_TEXTS.red },
            { value: 'yellow', label: LIGHT_TEXTS.yellow },
            { value: 'green', label: LIGHT_TEXTS.green },
            { value: 'none', label: '无期限' },
          ]}
        />
        <Table
          rowKey={(r) => `${r.projectId}-${r.action}-${r.ref ?? ''}`}
          loading={loading}
          dataSource={data?.items ?? []}
          pagination={false}
          size="middle"
          scroll={{ x: 'max-content' }}
          locale={{ emptyText: '暂无待办事项' }}
          columns={[
            { title: '状态', dataIndex: 'light', render: (l: Light | null) => <LightMark light={l} /> },
            {
              title: '待办事项',
              dataIndex: 'action',
              render: (a: string, r) => `${actionLabel(a)}${r.ref ? `（${refText(a, r.ref)}）` : ''}`,
            },
            {
              title: '项目',
              dataIndex: 'title',
              width: 260,
              render: (t: string, r) => <Link to={`/projects/${encodeURIComponent(r.projectId)}`}>{t}</Link>,
            },
            { title: '项目编号', dataIndex: 'projectId' },
            { title: '部门', dataIndex: 'department', render: (d: string) => names.department(d) },
            { title: '到期日', dataIndex: 'dueAt', render: (d: string | null) => dueOrDash(d) },
          ]}
        />
        <Space style={{ marginTop: 16 }} wrap>
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
      <Notices />
    </>
  );
}
