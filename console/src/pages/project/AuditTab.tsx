/**
 * 审计记录 (Art. 24-25): the project's audit trail as a timeline — what was done, by whom (name,
 * role, department) and when — with the SM3 chain's link check (each entry's previous hash is the
 * hash of the entry before).
 */
import { Alert, Timeline } from 'antd';
import { api, ok } from '../../api.ts';
import { formatDateTime } from '../../format.ts';
import { useLoad } from '../../hooks.ts';
import { actionLabel, actorName, roleLabel } from '../../labels.ts';
import { useNames } from '../../names.tsx';
import { ProblemAlert } from '../../Problem.tsx';
import type { ProjectView } from './types.ts';

export function AuditTab({ view }: { view: ProjectView }) {
  const names = useNames();
  const history = useLoad(
    () => ok(api.GET('/v1/projects/{id}/history', { params: { path: { id: view.id } } })),
    [view],
  );
  if (history.problem) return <ProblemAlert problem={history.problem} />;
  const chain = (history.data?.items ?? []).map((e, i, all) => ({
    ...e,
    linked: i === 0 ? true : e.prevHash === all[i - 1]!.hash,
  }));
  const chainOk = chain.every((e) => e.linked) && chain.every((e, i) => e.seq === (chain[0]?.seq ?? 0) + i);
  return (
    <>
      <Alert
        data-testid="chain-status"
        type={chainOk ? 'success' : 'error'}
        showIcon
        style={{ marginBottom: 16 }}
        message={
          chainOk
            ? `哈希链校验通过：${chain.length} 条记录首尾相接（SM3）`
            : '哈希链校验未通过：有记录的前序哈希与上一条不符，请立即告知系统管理员'
        }
        description="这里核对的是记录之间的衔接；逐条重算全部哈希由系统管理员定期进行。"
      />
      <Timeline
        data-testid="audit-timeline"
        items={chain.map((e) => ({
          color: e.linked ? 'blue' : 'red',
          children: (
            <div>
              <strong>{actionLabel(e.action)}</strong> · {actorName(e.actor.name)}（{roleLabel(e.actor.role)}
              {e.actor.department ? ` · ${names.department(e.actor.department)}` : ''}
              {e.actor.accountId ? '' : ' · 系统对接'}）· {formatDateTime(e.at)}
              <div style={{ color: '#888', fontSize: 12 }}>
                第 {e.seq} 条 · 哈希 {e.hash.slice(0, 16)}…
              </div>
            </div>
          ),
        }))}
      />
    </>
  );
}
