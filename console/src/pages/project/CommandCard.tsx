/**
 * One command on the project page as a form (its schema from the OpenAPI document): the path
 * parameters it needs (a contract, change request, objection or rectification order) come from the
 * pending action's ref or are chosen from the project's own records, never typed; fields a pending
 * action already determines (the period of an 对照分析, the allocation of a county share, the year
 * of an evaluation) are filled in.
 */
import { Card, Form, Select, Tag } from 'antd';
import { useState, type ReactNode } from 'react';
import { api, ok, ProblemError, type ApiPath } from '../../api.ts';
import { dueOrDash, formatPeriod, formatYuan, label } from '../../format.ts';
import forms from '../../forms.generated.json';
import { actionLabel, fieldLabel } from '../../labels.ts';
import { SchemaForm, type JsonSchema } from '../../SchemaForm.tsx';
import type { ProjectView } from './types.ts';

export interface CommandForm {
  command: string;
  action: string;
  path: string;
  roles: readonly string[];
  summary: string;
  schema: JsonSchema;
}
export const COMMANDS = forms.commands as unknown as Record<string, CommandForm>;
const BODIES = forms.bodies as unknown as Record<string, JsonSchema>;

const pathParamsOf = (path: string) => [...path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]!).filter((p) => p !== 'id');

/** The records a path parameter may name, from the view: value and a Chinese description. */
function paramOptions(view: ProjectView, param: string): Array<{ value: string; label: string }> {
  switch (param) {
    case 'contractNo':
      return view.contracts.map((c) => ({
        value: c.contractNo,
        label: `${c.contractNo}（${c.contractor}，${c.filedAt ? '已备案' : '未备案'}）`,
      }));
    case 'cid':
      return view.changeRequests.map((c) => ({
        value: c.id,
        label: `${c.id}（${label('changeKind', c.kind)}，${label('changeRequestStatus', c.status)}）`,
      }));
    case 'oid':
      return view.publicityObjections.map((o) => ({
        value: o.id,
        label: `${o.id}（${o.summary.slice(0, 20)}，${label('objectionStatus', o.status)}）`,
      }));
    case 'rid':
      return view.rectifications.map((r) => ({
        value: r.id,
        label: `${r.id}（${label('reason', r.reason)}，${label('rectificationStatus', r.status)}）`,
      }));
    default:
      return [];
  }
}
const PARAM_LABELS: Record<string, string> = { contractNo: '合同', cid: '调整申请', oid: '公示异议', rid: '整改通知' };

/** Body fields a pending action's ref determines, and whether the person still sees them. */
function prefilled(
  action: string,
  ref: string | undefined,
  view: ProjectView,
): { values: Record<string, unknown>; hidden: string[] } {
  // Art. 10: a construction budget is usually for the project's own year.
  if (!ref && action === 'budget') return { values: { fundType: 'construction', year: view.year }, hidden: [] };
  if (!ref) return { values: {}, hidden: [] };
  switch (action) {
    case 'county-share-confirmation':
      return { values: { allocationId: ref }, hidden: ['allocationId'] };
    case 'progress-report':
      return { values: { period: ref }, hidden: [] };
    case 'evaluation':
    case 'om-review':
      return /^\d{4}$/.test(ref) ? { values: { year: Number(ref) }, hidden: [] } : { values: {}, hidden: [] };
    case 'budget': {
      const om = /^om-(\d{4})$/.exec(ref);
      if (om) return { values: { fundType: 'om', year: Number(om[1]) }, hidden: [] };
      return { values: { fundType: 'construction', year: view.year }, hidden: [] };
    }
    default:
      return { values: {}, hidden: [] };
  }
}

/** Art. 16: the quarters of this year and the last, to pick as an 对照分析's period (2026Q3 = 2026年第3季度). */
function recentQuarters(): Array<{ value: string; label: string }> {
  const year = new Date().getFullYear();
  return [year, year - 1].flatMap((y) =>
    [4, 3, 2, 1].map((q) => ({ value: `${y}Q${q}`, label: formatPeriod(`${y}Q${q}`) })),
  );
}

export { refText } from '../../labels.ts';
import { refText } from '../../labels.ts';

export interface CommandCardProps {
  view: ProjectView;
  form: CommandForm;
  refValue?: string;
  pending?: { dueAt?: string; overdue: boolean };
  onDone: () => void;
  extra?: ReactNode;
}

export function CommandCard({ view, form, refValue, pending, onDone, extra }: CommandCardProps) {
  const params = pathParamsOf(form.path);
  const known = refValue !== undefined && params.length === 1;
  const [chosen, setChosen] = useState<Record<string, string>>({});
  const fill = prefilled(form.action, refValue, view);
  const title = `${actionLabel(form.action)}${refValue ? `（${refText(form.action, refValue)}）` : ''}`;
  return (
    <Card
      size="small"
      className={pending ? 'action-card action-pending' : 'action-card'}
      title={title}
      extra={
        pending && (
          <Tag color={pending.overdue ? 'red' : 'orange'}>
            {pending.overdue ? '已逾期' : '待办理'}
            {pending.dueAt ? ` · 期限 ${dueOrDash(pending.dueAt)}` : ''}
          </Tag>
        )
      }
      style={{ marginBottom: 12, ...(pending ? { borderColor: '#fa8c16', boxShadow: '0 0 0 1px #fa8c16' } : {}) }}
      data-testid={`action-${form.action}`}
    >
      {extra}
      {!known &&
        params.map((p) => (
          <Form.Item key={p} label={PARAM_LABELS[p] ?? fieldLabel(p)} required layout="vertical">
            <Select
              aria-label={PARAM_LABELS[p] ?? fieldLabel(p)}
              data-testid={`param-${form.action}-${p}`}
              placeholder={`选择${PARAM_LABELS[p] ?? fieldLabel(p)}`}
              options={paramOptions(view, p)}
              value={chosen[p]}
              onChange={(v: string) => setChosen((c) => ({ ...c, [p]: v }))}
              notFoundContent="本项目没有可选的记录"
            />
          </Form.Item>
        ))}
      <SchemaForm
        schema={form.schema}
        context={form.action}
        choices={{
          period: recentQuarters(),
          allocationId: view.allocations.map((a) => ({
            value: a.id,
            label: `${a.id}（${label('fundType', a.fundType)} ${formatYuan(a.amountFen)}，${label('allocationStatus', a.status)}）`,
          })),
        }}
        hidden={fill.hidden}
        initialValues={fill.values}
        testId={`form-${form.action}`}
        submitLabel={`提交${actionLabel(form.action)}`}
        onSubmit={async (body) => {
          const path: Record<string, string> = { id: view.id };
          for (const p of params) {
            const v = known ? refValue : chosen[p];
            if (!v) throw new ProblemError({ status: 0, title: `请选择${PARAM_LABELS[p] ?? fieldLabel(p)}` });
            path[p] = v;
          }
          return ok(
            api.POST(
              form.path as ApiPath as never,
              { params: { path }, body: { ...fill.values, ...body } } as never,
            ) as never,
          );
        }}
        onDone={onDone}
      />
    </Card>
  );
}

/** Art. 11: the BDB lists a held allocation in an allocation plan (拟分配计划) and its publicity starts. */
export function PublicationCard({
  view,
  allocationId,
  onDone,
}: {
  view: ProjectView;
  allocationId: string;
  onDone: () => void;
}) {
  const schema = BODIES['POST /v1/allocation-plans'];
  if (!schema) return null;
  const allocation = view.allocations.find((a) => a.id === allocationId);
  const year = allocation?.year ?? view.year;
  return (
    <Card
      size="small"
      className="action-card action-pending"
      title={`${actionLabel('allocation-publication')}（${allocationId}）`}
      extra={<Tag color="orange">待办理</Tag>}
      style={{ marginBottom: 12, borderColor: '#fa8c16', boxShadow: '0 0 0 1px #fa8c16' }}
      data-testid="action-allocation-publication"
    >
      {allocation && (
        <p>
          {label('fundType', allocation.fundType)} {formatYuan(allocation.amountFen)}，{allocation.year}
          年度；公示期满后方可拨付（第十一条）。
        </p>
      )}
      <SchemaForm
        schema={schema}
        hidden={['allocations']}
        testId="form-allocation-publication"
        initialValues={{ year, title: `${year}年政务大数据项目资金拟分配计划` }}
        submitLabel="发布拟分配计划并公示"
        onSubmit={(body) =>
          ok(
            api.POST('/v1/allocation-plans', {
              body: { ...body, allocations: [{ projectId: view.id, allocationId }] } as never,
            }),
          )
        }
        onDone={onDone}
      />
    </Card>
  );
}
