/** 公示 (Art. 11, public, no sign-in): allocations under notice and published (GET /v1/public/allocations). */
import { Card, Table, Tag, Typography } from 'antd';
import { api, ok } from '../api.ts';
import { dateOrDash, dueOrDash, formatYuan, label } from '../format.ts';
import { useLoad } from '../hooks.ts';
import { ProblemAlert } from '../Problem.tsx';

export default function Public() {
  const { data, problem, loading } = useLoad(() => ok(api.GET('/v1/public/allocations', {})), []);
  return (
    <>
      <Typography.Title level={3} className="page-title">
        政务大数据项目资金分配公示
      </Typography.Title>
      <Typography.Paragraph type="secondary">
        依《晋城市政务大数据项目建设应用管理办法》第十一条，资金拟分配计划向社会公示；对公示内容有异议的，请在公示期内向市大数据应用局反映。
      </Typography.Paragraph>
      {problem && <ProblemAlert problem={problem} />}
      <Card>
        <Table
          size="middle"
          rowKey="allocationId"
          loading={loading}
          dataSource={data?.items ?? []}
          pagination={{ pageSize: 20, hideOnSinglePage: true }}
          locale={{ emptyText: '当前没有公示中的资金分配' }}
          data-testid="public-allocations"
          columns={[
            { title: '项目', dataIndex: 'title' },
            { title: '项目编号', dataIndex: 'projectId' },
            { title: '部门', dataIndex: 'departmentName' },
            { title: '辖区', dataIndex: 'jurisdictionName' },
            { title: '资金类型', dataIndex: 'fundType', render: (t: string) => label('fundType', t) },
            { title: '金额', dataIndex: 'amountFen', align: 'right', render: (f: number) => formatYuan(f) },
            { title: '公示开始', dataIndex: 'noticeStartsAt', render: (d: string | null) => dateOrDash(d) },
            { title: '公示截止', dataIndex: 'noticeDueAt', render: (d: string | null) => dueOrDash(d) },
            {
              title: '状态',
              dataIndex: 'status',
              render: (s: string) => (
                <Tag color={s === 'published' ? 'green' : 'blue'}>{s === 'published' ? '已公示' : '公示中'}</Tag>
              ),
            },
          ]}
        />
      </Card>
    </>
  );
}
