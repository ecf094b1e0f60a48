/**
 * 项目详情: the stage, who must act, what this person may do now (办理: the pending actions of their
 * role highlighted, then the other actions of the stage, each a form made from the command's schema),
 * what the decisions rest on (申报内容: summary, documents, leader, estimate, review opinions, prior
 * evaluations) and every record as tabs. Every refusal is the API's problem text, in Chinese.
 * The parts live in pages/project/.
 */
import { Button, Card, Col, Descriptions, Grid, Row, Spin, Steps, Tag, Typography } from 'antd';
import { api, ok } from '../api.ts';
import { dateOrDash, dueOrDash } from '../format.ts';
import { useLoad } from '../hooks.ts';
import { actionLabel, roleLabel, stageLabel } from '../labels.ts';
import { ProblemAlert } from '../Problem.tsx';
import { useSession } from '../session.tsx';
import { ActionPanel } from './project/ActionPanel.tsx';
import { ApplicationCard } from './project/Application.tsx';
import { refText } from './project/CommandCard.tsx';
import { useProjectDocuments } from './project/Documents.tsx';
import { RecordTabs } from './project/Records.tsx';
import { useNames } from '../names.tsx';

const MAIN_PATH = [
  'technical_review',
  'establishment_review',
  'budgeting',
  'publicity',
  'contracting',
  'construction',
  'joint_acceptance',
  'completion_filing',
  'operating',
] as const;
const ENDED = new Set(['decommissioned', 'rejected', 'withdrawn', 'terminated']);

export default function ProjectDetail({ id }: { id: string }) {
  const { account } = useSession();
  const role = account?.role ?? 'department';
  const {
    data: view,
    problem,
    loading,
    reload,
  } = useLoad(() => ok(api.GET('/v1/projects/{id}', { params: { path: { id } } })), [id]);
  const docs = useProjectDocuments(id, view);
  const names = useNames();
  // On a phone the nine steps would be a long vertical list: the current step is named instead.
  const wide = Grid.useBreakpoint().md !== false;

  if (loading && !view) return <Spin style={{ display: 'block', margin: 60 }} aria-label="加载中" />;
  if (problem && !view) return <ProblemAlert problem={problem} />;
  if (!view) return null;

  const done = () => void reload();
  // A returned application (退回修改) is still at the technical review step; a decommissioned
  // system went through every step (only an operating project is decommissioned).
  const stageOnPath =
    view.stage === 'submitted' ? 'technical_review' : view.stage === 'decommissioned' ? 'operating' : view.stage;
  const finished = view.stage === 'operating' || view.stage === 'decommissioned';
  const current = MAIN_PATH.indexOf(stageOnPath as (typeof MAIN_PATH)[number]);
  const stageColor =
    view.stage === 'decommissioned'
      ? 'default'
      : ENDED.has(view.stage)
        ? 'red'
        : view.stage === 'submitted'
          ? 'orange'
          : view.stage === 'operating'
            ? 'green'
            : 'blue';

  return (
    <>
      <Typography.Title level={3} className="page-title">
        {view.title}{' '}
        <Tag color={stageColor} data-testid="stage-tag">
          {stageLabel(view.stage)}
        </Tag>
        {view.funds.suspended && <Tag color="red">资金暂停拨付</Tag>}
      </Typography.Title>
      {problem && <ProblemAlert problem={problem} />}
      <Card style={{ marginBottom: 16 }}>
        {wide ? (
          <Steps
            size="small"
            current={current < 0 ? 0 : current}
            status={finished ? 'finish' : ENDED.has(view.stage) ? 'error' : 'process'}
            items={MAIN_PATH.map((s) => ({ title: stageLabel(s) }))}
            aria-label="阶段进度"
          />
        ) : (
          <Typography.Text type="secondary" aria-label="阶段进度">
            {current >= 0 && view.stage !== 'decommissioned'
              ? `第 ${current + 1} / ${MAIN_PATH.length} 步：${stageLabel(MAIN_PATH[current]!)}`
              : stageLabel(view.stage)}
          </Typography.Text>
        )}
        <Descriptions size="small" column={{ xs: 1, sm: 2, lg: 3 }} style={{ marginTop: 16 }}>
          <Descriptions.Item label="项目编号">{view.id}</Descriptions.Item>
          <Descriptions.Item label="项目实施单位">{names.department(view.department)}</Descriptions.Item>
          <Descriptions.Item label="辖区">{names.jurisdiction(view.jurisdiction)}</Descriptions.Item>
          <Descriptions.Item label="申报日期">{dateOrDash(view.createdAt)}</Descriptions.Item>
          <Descriptions.Item label="当前待办" span={2}>
            <span data-testid="pending-actions">
              {view.pendingActions.length === 0
                ? '—'
                : view.pendingActions.map((a, i) => (
                    <Tag key={i} color={a.role === role ? 'orange' : undefined} style={{ marginBottom: 4 }}>
                      {roleLabel(a.role)}：{actionLabel(a.action)}
                      {a.ref ? `（${refText(a.action, a.ref)}）` : ''}
                      {a.dueAt ? ` · ${dueOrDash(a.dueAt)}前` : ''}
                      {a.overdue ? ' · 已逾期' : ''}
                    </Tag>
                  ))}
            </span>
          </Descriptions.Item>
        </Descriptions>
      </Card>
      <Row gutter={16}>
        <Col xs={24} xl={10}>
          <ActionPanel view={view} role={role} onDone={done} />
        </Col>
        <Col xs={24} xl={14}>
          <ApplicationCard view={view} docs={docs} />
          <Card style={{ marginBottom: 16 }}>
            <RecordTabs view={view} docs={docs} role={role} />
            <Button onClick={done} style={{ marginTop: 8 }} data-testid="reload">
              刷新
            </Button>
          </Card>
        </Col>
      </Row>
    </>
  );
}
