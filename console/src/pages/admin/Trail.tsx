/**
 * 安全审计 › 管理员操作记录 (三员分立: the audit administrator's page): the administrators' trail,
 * newest first, 20 a page — who (key or person, role, address), when, what, before and after. It only
 * reads: nobody can change or erase an entry (GET /v1/admin/trail; `npm run audit:verify` checks the chain).
 */
import { Alert, Table, Typography } from 'antd';
import { api, ok } from '../../api.ts';
import type { components } from '../../api-types.ts';
import { formatDateTime } from '../../format.ts';
import { useCursorPages, useLoad } from '../../hooks.ts';
import { ADMIN_ACTION_LABELS, roleLabel } from '../../labels.ts';
import { useNames } from '../../names.tsx';
import { ProblemAlert } from '../../Problem.tsx';
import { LoadEarlier } from './shared.tsx';

type AdminEvent = components['schemas']['AdminEvent'];

const shown = (v: unknown) => (v === null || v === undefined ? '—' : JSON.stringify(v));

export default function Trail() {
  const names = useNames();
  // The object by its name where it has one: a department, a jurisdiction (a policy is a jurisdiction's).
  const target = (e: AdminEvent) =>
    e.action.startsWith('department.')
      ? names.department(e.target)
      : e.action.startsWith('jurisdiction.') || e.action.startsWith('policy.')
        ? names.jurisdiction(e.target)
        : e.target;
  const { first, rows, next, loadMore } = useCursorPages(
    (cursor) => ok(api.GET('/v1/admin/trail', { params: { query: { limit: 20, ...(cursor ? { cursor } : {}) } } })),
    [],
  );
  // The chains recomputed now (GET /v1/admin/trail/verification), as `npm run audit:verify` does.
  const checked = useLoad(() => ok(api.GET('/v1/admin/trail/verification', {})), []);
  const broken = checked.data
    ? [
        ...checked.data.adminTrail.map((p) => `管理员操作记录第 ${p.seq} 条`),
        ...checked.data.accountTrail.map((p) => `账户安全记录第 ${p.seq} 条`),
      ]
    : [];
  return (
    <div data-testid="admin-trail">
      {first.problem && <ProblemAlert problem={first.problem} />}
      {checked.problem && <ProblemAlert problem={checked.problem} />}
      {checked.data && (
        <Alert
          data-testid="trail-verification"
          style={{ marginBottom: 12 }}
          type={broken.length ? 'error' : 'success'}
          showIcon
          message={
            broken.length
              ? `哈希链校验未通过：${broken.join('、')}与记录内容不符，可能在系统之外被改动`
              : '哈希链校验通过：管理员操作记录和账户安全记录均首尾相接、未被改动（SM3）'
          }
        />
      )}
      <Typography.Paragraph type="secondary">
        管理员对接口密钥、辖区、部门、期限政策、工作日历和推送订阅的每项变更，按 SM3
        哈希链首尾相接，只能追加，不能修改或删除。个人账户的创建、停用和重置见“个人账户”中各账户的安全记录。
      </Typography.Paragraph>
      <Table
        size="small"
        rowKey="seq"
        loading={first.loading}
        dataSource={rows}
        pagination={false}
        locale={{ emptyText: '暂无记录' }}
        expandable={{
          expandedRowRender: (e: AdminEvent) => (
            <Typography.Text
              code
            >{`变更前：${shown(e.before)}\n变更后：${shown(e.after)}\nSM3：${e.hash}`}</Typography.Text>
          ),
          columnTitle: '详情',
        }}
        columns={[
          { title: '序号', dataIndex: 'seq' },
          { title: '时间', dataIndex: 'at', render: (d: string) => formatDateTime(d) },
          { title: '操作', dataIndex: 'action', render: (a: string) => ADMIN_ACTION_LABELS[a] ?? a },
          { title: '对象', render: (_: unknown, e: AdminEvent) => target(e) },
          { title: '操作人', render: (_: unknown, e: AdminEvent) => e.actorName ?? e.actor },
          { title: '角色', dataIndex: 'actorRole', render: (r: string | null) => (r ? roleLabel(r) : '—') },
          { title: '来源地址', dataIndex: 'ip', render: (ip: string | null) => ip ?? '—' },
        ]}
      />
      <LoadEarlier next={next} loadMore={loadMore} />
    </div>
  );
}
