/**
 * 资金: balances per fund type and bucket, the allocations (with the publicity of each), and the
 * ledger (资金台账) with each movement's reason and article in words (第十条、第十二条).
 */
import { Alert, Table, Typography } from 'antd';
import { mayRead } from '../../../../domain/reads.ts';
import { articleLabel } from '../../../../domain/labels/values.ts';
import { api, ok } from '../../api.ts';
import { dateOrDash, formatDateTime, formatYuan, label } from '../../format.ts';
import { useLoad } from '../../hooks.ts';
import { actorName, roleLabel } from '../../labels.ts';
import { ProblemAlert } from '../../Problem.tsx';
import { table } from './table.tsx';
import type { ProjectView, Role } from './types.ts';

const BUCKETS = [
  ['allocatedFen', '已安排'],
  ['heldFen', '待公示'],
  ['availableFen', '可拨付'],
  ['frozenFen', '冻结'],
  ['disbursedFen', '已拨付'],
  ['cancelledFen', '已取消'],
] as const;

export function FundsTab({ view, role }: { view: ProjectView; role: Role }) {
  // The ledger only for those who may read it (domain/reads.ts): no 403 box for the approval bureau.
  const ledgerShown = mayRead('ledger', role);
  const ledger = useLoad(
    () =>
      ledgerShown
        ? ok(api.GET('/v1/projects/{id}/ledger', { params: { path: { id: view.id } } }))
        : Promise.resolve(undefined),
    [view, ledgerShown],
  );
  return (
    <>
      {view.funds.suspended && (
        <Alert type="warning" showIcon style={{ marginBottom: 12 }} message="资金暂停拨付（第二十二条）" />
      )}
      <Table
        size="small"
        pagination={false}
        rowKey="type"
        scroll={{ x: 'max-content' }}
        dataSource={(['construction', 'om'] as const).map((t) => ({ type: t, ...view.funds[t] }))}
        columns={[
          { title: '资金类型', dataIndex: 'type', render: (t: string) => label('fundType', t) },
          ...BUCKETS.map(([k, l]) => ({
            title: l,
            dataIndex: k,
            align: 'right' as const,
            render: (f: number) => formatYuan(f),
          })),
        ]}
      />
      <Typography.Title level={5} style={{ marginTop: 16 }}>
        资金安排
      </Typography.Title>
      {table(view.allocations, [
        { title: '编号', render: (a) => a.id },
        { title: '类型', render: (a) => label('fundType', a.fundType) },
        { title: '年度', render: (a) => a.year },
        { title: '金额', render: (a) => formatYuan(a.amountFen) },
        { title: '状态', render: (a) => label('allocationStatus', a.status) },
        { title: '安排人', render: (a) => actorName(a.allocatedBy) },
        { title: '安排日期', render: (a) => dateOrDash(a.allocatedAt) },
      ])}
      {ledgerShown && (
        <Typography.Title level={5} style={{ marginTop: 16 }}>
          资金台账
        </Typography.Title>
      )}
      {!ledgerShown ? null : ledger.problem ? (
        <ProblemAlert problem={ledger.problem} />
      ) : (
        table(ledger.data?.movements ?? [], [
          { title: '时间', render: (m) => formatDateTime(m.at) },
          { title: '类型', render: (m) => label('fundType', m.fundType) },
          {
            title: '变动',
            render: (m) =>
              `${m.fromBucket ? label('bucket', m.fromBucket) : '新安排'} → ${label('bucket', m.toBucket)}`,
          },
          { title: '金额', render: (m) => formatYuan(m.amountFen) },
          {
            title: '事由',
            // The ledger keeps the movement's kind as its reason when it has no other (allocate, publish, disburse).
            render: (m) =>
              `${label('movementKind', m.kind)}${m.reason && label('movementReason', m.reason) !== m.reason ? `：${label('movementReason', m.reason)}` : ''}${m.article ? `（${articleLabel(m.article)}）` : ''}`,
          },
          { title: '经办人', render: (m) => `${actorName(m.actorName)}（${roleLabel(m.actorRole)}）` },
        ])
      )}
    </>
  );
}
