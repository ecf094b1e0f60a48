/**
 * 城市云平台评估 (Art. 23): the BDB records the yearly evaluation of the city cloud platform with its
 * report (uploaded here); everyone reads the results, newest year first.
 */
import { Card, Table, Typography } from 'antd';
import { api, ok } from '../api.ts';
import type { components } from '../api-types.ts';
import { formatDateTime } from '../format.ts';
import forms from '../forms.generated.json';
import { useLoad } from '../hooks.ts';
import { ProblemAlert } from '../Problem.tsx';
import { SchemaForm, type JsonSchema } from '../SchemaForm.tsx';
import { useSession } from '../session.tsx';
import { DocumentLink } from './project/Documents.tsx';

const NO_DOCS = new Map();
type Evaluation = components['schemas']['CloudPlatformEvaluation'];

export default function CloudPlatform() {
  const { account } = useSession();
  const schema = (forms.bodies as Record<string, unknown>)['POST /v1/cloud-platform/evaluations'] as JsonSchema;
  const list = useLoad(() => ok(api.GET('/v1/cloud-platform/evaluations', {})), []);
  return (
    <>
      <Typography.Title level={3} className="page-title">
        城市云平台评估
      </Typography.Title>
      <Typography.Paragraph type="secondary">
        依《管理办法》第二十三条：市大数据应用局对市级城市云平台日常应用进行评估，结果作为下一年度政务大数据项目审核的重要参考依据。
      </Typography.Paragraph>
      {account?.role === 'bdb' && (
        <Card title="登记年度评估" style={{ marginBottom: 16 }}>
          <SchemaForm
            schema={schema}
            context="cloud-platform-evaluation"
            testId="cloud-platform-form"
            initialValues={{ year: new Date().getFullYear() - 1 }}
            submitLabel="提交评估"
            onSubmit={(body) => ok(api.POST('/v1/cloud-platform/evaluations', { body: body as never }))}
            onDone={() => void list.reload()}
          />
        </Card>
      )}
      <Card title="评估结果">
        {list.problem && <ProblemAlert problem={list.problem} />}
        <Table<Evaluation>
          size="small"
          rowKey="year"
          loading={list.loading}
          dataSource={list.data?.items ?? []}
          pagination={false}
          locale={{ emptyText: '暂无评估' }}
          data-testid="cloud-platform-evaluations"
          scroll={{ x: 'max-content' }}
          columns={[
            { title: '年度', dataIndex: 'year' },
            { title: '得分', dataIndex: 'score' },
            { title: '结论', dataIndex: 'result' },
            { title: '意见', dataIndex: 'opinion', render: (o: string) => o || '—' },
            {
              title: '评估报告',
              render: (_: unknown, e: Evaluation) => (
                <DocumentLink id={e.documentId} reference={e.documentRef} docs={NO_DOCS} />
              ),
            },
            {
              title: '评估',
              render: (_: unknown, e: Evaluation) => `${e.evaluatedBy}，${formatDateTime(e.evaluatedAt)}`,
            },
          ]}
        />
      </Card>
    </>
  );
}
