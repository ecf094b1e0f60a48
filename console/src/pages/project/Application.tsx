/**
 * What the decisions rest on (Art. 7, 8, 14, 23): the application's content, its four documents
 * with download and preview, the 项目负责人, the 投资概算 (and the 批复概算 once the approval
 * bureau recorded it), the BDB's technical review opinions (a 退回修改 opinion stands out), and the
 * department's evaluations of its other projects (Art. 23: a reference for the review).
 */
import { Alert, Card, Descriptions, Table, Tag, Typography } from 'antd';
import { dateOrDash, formatDateTime, formatYuan, label } from '../../format.ts';
import { DocumentLink, type DocumentIndex } from './Documents.tsx';
import type { ProjectView } from './types.ts';

const DOCUMENT_KINDS = ['proposal', 'feasibilityStudy', 'preliminaryDesign', 'investmentEstimate'] as const;
const CHECKLIST = [
  'resourceCatalog',
  'dataSharing',
  'intensiveConstruction',
  'cloudDeployment',
  'securityControllable',
] as const;

/** Art. 8 (measures): the approved estimate (批复概算), recorded at establishment; null before. */
const approvedEstimateFen = (view: ProjectView): number | undefined => view.approvedEstimateFen ?? undefined;

export function ApplicationCard({ view, docs }: { view: ProjectView; docs: DocumentIndex }) {
  const approved = approvedEstimateFen(view);
  const returned =
    view.stage === 'submitted' ? view.technicalReviews.filter((r) => r.decision === 'revise').at(-1) : undefined;
  const establishment = view.decisions.filter((d) => d.action === 'establishment').at(-1);
  return (
    <Card title="申报内容" style={{ marginBottom: 16 }} data-testid="application">
      {returned && (
        <Alert
          type="warning"
          showIcon
          style={{ marginBottom: 12 }}
          data-testid="returned-opinion"
          message={`市大数据应用局退回修改（${returned.by}，${formatDateTime(returned.at)}）`}
          description={returned.opinion || '（未填写意见）'}
        />
      )}
      <Descriptions size="small" bordered column={{ xs: 1, sm: 1, md: 2 }}>
        <Descriptions.Item label="项目摘要" span={2}>
          <span data-testid="application-summary">{view.summary || '—'}</span>
        </Descriptions.Item>
        <Descriptions.Item label="项目类型">{label('kind', view.kind)}</Descriptions.Item>
        <Descriptions.Item label="年度">{view.year}</Descriptions.Item>
        <Descriptions.Item label="年度计划项目">{view.annualPlanItem}</Descriptions.Item>
        <Descriptions.Item label="计划完成日期">{dateOrDash(view.plannedCompletionDate)}</Descriptions.Item>
        <Descriptions.Item label="投资概算">
          {formatYuan(view.estimate.totalFen)}
          <Typography.Text type="secondary">
            （市级 {formatYuan(view.estimate.cityShareFen)}
            {view.estimate.countyShareFen ? `，县级 ${formatYuan(view.estimate.countyShareFen)}` : ''}）
          </Typography.Text>
        </Descriptions.Item>
        <Descriptions.Item label="批复概算">
          {approved !== undefined
            ? formatYuan(approved)
            : establishment?.decision === 'approve'
              ? '立项批复未载明'
              : '尚未立项'}
        </Descriptions.Item>
        <Descriptions.Item label="项目负责人" span={2}>
          <span data-testid="application-leader">
            {view.leader ? `${view.leader.name}（${view.leader.post}，${view.leader.contact}）` : '—'}
          </span>
        </Descriptions.Item>
        {DOCUMENT_KINDS.map((k) => (
          <Descriptions.Item key={k} label={label('documentKind', k)} span={2}>
            <DocumentLink
              id={view.documentIds?.[k]}
              reference={view.documents[k]}
              docs={docs}
              testId={`document-${k}`}
            />
          </Descriptions.Item>
        ))}
      </Descriptions>

      {view.technicalReviews.length > 0 && (
        <>
          <Typography.Title level={5} style={{ marginTop: 16 }}>
            技术审核意见（第七条）
          </Typography.Title>
          <Table
            size="small"
            pagination={false}
            rowKey={(r) => r.at}
            dataSource={view.technicalReviews}
            data-testid="technical-reviews"
            scroll={{ x: 'max-content' }}
            columns={[
              {
                title: '结论',
                render: (_, r) => (
                  <Tag color={r.decision === 'pass' ? 'green' : r.decision === 'revise' ? 'orange' : 'red'}>
                    {label('decision', r.decision)}
                  </Tag>
                ),
              },
              { title: '审核意见', render: (_, r) => r.opinion || '—' },
              {
                title: '审查项',
                render: (_, r) =>
                  CHECKLIST.map((c) => `${label('checklist', c)}${r.checklist[c] ? '✓' : '✗'}`).join(' '),
              },
              { title: '审核人', render: (_, r) => r.by },
              { title: '时间', render: (_, r) => formatDateTime(r.at) },
            ]}
          />
        </>
      )}

      <Typography.Title level={5} style={{ marginTop: 16 }}>
        本部门以往项目评估结果（第二十三条，作为审核参考）
      </Typography.Title>
      <Table
        size="small"
        pagination={false}
        rowKey={(e) => `${e.projectId}-${e.year}`}
        dataSource={view.priorEvaluations ?? []}
        locale={{ emptyText: '本部门近两年没有已评估的项目' }}
        data-testid="prior-evaluations"
        scroll={{ x: 'max-content' }}
        columns={[
          { title: '项目', render: (_, e) => `${e.title}（${e.projectId}）` },
          { title: '年度', render: (_, e) => e.year },
          { title: '资金使用', render: (_, e) => e.result.fundUseScore },
          { title: '产出', render: (_, e) => e.result.outputScore },
          { title: '效果', render: (_, e) => e.result.effectScore },
          { title: '满意度', render: (_, e) => e.result.satisfactionScore },
          { title: '数据共享', render: (_, e) => (e.result.sharingCompliant ? '符合' : <Tag color="red">不符合</Tag>) },
          { title: '评估意见', render: (_, e) => e.result.summary || '—' },
          { title: '评估日期', render: (_, e) => dateOrDash(e.date) },
        ]}
      />
    </Card>
  );
}
