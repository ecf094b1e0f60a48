/**
 * 办理: what this person may do on the project now. First the pending actions of their role
 * (highlighted, with the deadline), each as its form; then the other actions the measures let the
 * role take in the current stage, as named buttons that open their form (a change request, a
 * rectification order, an incident…). Which stages offer which action is the stage table of
 * domain/stages.ts, which domain/rules/ checks; the API decides and its refusal is shown in Chinese.
 */
import { Alert, Button, Card, Empty, Space, Typography } from 'antd';
import { useState, type ReactNode } from 'react';
import { acceptedIn } from '../../../../domain/stages.ts';
import { automaticRequirement } from '../../../../domain/labels/values.ts';
import { TERMINAL_STAGES } from '../../../../domain/vocabulary.ts';
import { formatDate, formatDateTime, formatYuan, label } from '../../format.ts';
import { actionLabel, roleLabel } from '../../labels.ts';
import { COMMANDS, CommandCard, PublicationCard } from './CommandCard.tsx';
import type { ProjectView, Role } from './types.ts';

type Stage = ProjectView['stage'];
const ENDED: ReadonlySet<Stage> = TERMINAL_STAGES;
/** Art. 22: rectification orders and accountability referrals once the project is established. */
const ESTABLISHED: Stage[] = [
  'budgeting',
  'publicity',
  'contracting',
  'construction',
  'joint_acceptance',
  'completion_filing',
  'operating',
];

/** Offered where the stage table of domain/stages.ts accepts the action's command. */
const inTable = (action: string) => (v: ProjectView) => acceptedIn(COMMANDS[action]!.command, v.stage);

/** The actions a role may take besides its pending ones, and when the measures allow them. */
const OFFERED: Record<Role, Array<{ action: string; when: (v: ProjectView) => boolean }>> = {
  department: [
    ...[
      'contract',
      'progress-report',
      'change-request',
      'acceptance-delay-reason',
      'catalog-entries',
      'risk-assessment',
      'emergency-plan',
      'security-incident',
      'security-drill',
    ].map((action) => ({
      action,
      when: inTable(action),
    })),
    { action: 'leader-change', when: (v) => !ENDED.has(v.stage) },
    { action: 'withdrawal', when: inTable('withdrawal') },
  ],
  bdb: [
    { action: 'publicity-objection', when: (v) => v.allocations.some((a) => a.status === 'publicity') },
    { action: 'rectification-order', when: (v) => ESTABLISHED.includes(v.stage) },
    { action: 'accountability-referral', when: (v) => ESTABLISHED.includes(v.stage) },
    { action: 'om-review', when: inTable('om-review') },
    { action: 'evaluation', when: inTable('evaluation') },
    { action: 'termination', when: (v) => v.funds.suspended && !ENDED.has(v.stage) },
    { action: 'decommission', when: inTable('decommission') },
  ],
  approval: [{ action: 'rectification-order', when: (v) => ESTABLISHED.includes(v.stage) }],
  finance: [
    { action: 'budget', when: inTable('budget') },
    {
      action: 'disbursement',
      when: (v) => !v.funds.suspended && (v.funds.construction.availableFen > 0 || v.funds.om.availableFen > 0),
    },
  ],
  sysadmin: [],
  secadmin: [],
  auditadmin: [],
  admin: [],
};

/** What a pending decision is about, shown above its form: the objection, the request, the response. */
function basisOf(view: ProjectView, action: string, ref: string | undefined): ReactNode {
  if (!ref) return null;
  const line = (text: string) => (
    <Typography.Paragraph type="secondary" style={{ marginBottom: 8 }} data-testid={`basis-${action}`}>
      {text}
    </Typography.Paragraph>
  );
  if (action === 'publicity-objection-resolution') {
    const o = view.publicityObjections.find((x) => x.id === ref);
    return o
      ? line(
          `异议内容：${o.summary}（${o.recordedBy}，${formatDateTime(o.recordedAt)}登记；资金安排 ${o.allocationId}）`,
        )
      : null;
  }
  if (action === 'change-request-decision' || action === 'change-request-opinion') {
    const c = view.changeRequests.find((x) => x.id === ref);
    if (!c) return null;
    const opinions = c.opinions
      .map(
        (o) => `${roleLabel(o.role)}${o.agrees === true ? '同意' : o.agrees === false ? '不同意' : ''}：${o.opinion}`,
      )
      .join('；');
    return line(
      `${label('changeKind', c.kind)}调整：${c.description}${c.budgetDeltaFen !== null ? `；预算调整 ${formatYuan(c.budgetDeltaFen)}` : ''}${c.newPlannedCompletionDate ? `；新的计划完成日期 ${formatDate(c.newPlannedCompletionDate)}` : ''}（${c.requestedBy}申请）${opinions ? `。相关单位意见：${opinions}` : ''}`,
    );
  }
  if (action === 'rectification-review' || action === 'rectification-response') {
    const r = view.rectifications.find((x) => x.id === ref);
    if (!r) return null;
    const last = r.responses.at(-1);
    return line(
      `整改要求（${label('reason', r.reason)}）：${r.automatic ? automaticRequirement(r.reason) : r.description}${r.dueOn ? `；期限 ${formatDate(r.dueOn)}` : ''}${action === 'rectification-review' && last ? `。整改情况：${last.description}（${last.by}，${formatDateTime(last.at)}）` : ''}`,
    );
  }
  if (action === 'acceptance-delay-reason-decision') {
    const d = view.acceptanceDelayReasons.find((x) => x.id === ref);
    return d ? line(`延期原因：${d.reason}（${d.statedBy}，${formatDateTime(d.statedAt)}）`) : null;
  }
  if (action === 'county-share-confirmation' || action === 'allocation-publication') {
    const a = view.allocations.find((x) => x.id === ref);
    return a
      ? line(
          `${label('fundType', a.fundType)} ${formatYuan(a.amountFen)}（${a.year}年度；市级 ${formatYuan(a.cityShareFen)}，县级 ${formatYuan(a.countyShareFen)}）`,
        )
      : null;
  }
  return null;
}

/** Art. 22: after a failed rectification the BDB extends the deadline, or terminates the project. */
function RectificationDecision({ view, rid, onDone }: { view: ProjectView; rid: string; onDone: () => void }) {
  const [choice, setChoice] = useState<'rectification-extension' | 'termination'>();
  const form = choice ? COMMANDS[choice] : undefined;
  return (
    <Card
      size="small"
      className="action-card action-pending"
      title={`${actionLabel('rectification-decision')}（${rid}）`}
      style={{ marginBottom: 12, borderColor: '#fa8c16', boxShadow: '0 0 0 1px #fa8c16' }}
      data-testid="action-rectification-decision"
    >
      <Typography.Paragraph>
        整改未通过，资金已暂停拨付（第二十二条）。可延长整改期限，或终止项目；整改通过后暂停自动解除。
      </Typography.Paragraph>
      <Space wrap style={{ marginBottom: 12 }}>
        <Button
          data-testid="choose-rectification-extension"
          type={choice === 'rectification-extension' ? 'primary' : 'default'}
          onClick={() => setChoice('rectification-extension')}
        >
          {actionLabel('rectification-extension')}
        </Button>
        <Button
          data-testid="choose-termination"
          danger
          type={choice === 'termination' ? 'primary' : 'default'}
          onClick={() => setChoice('termination')}
        >
          {actionLabel('termination')}
        </Button>
      </Space>
      {form && (
        <CommandCard
          key={choice}
          view={view}
          form={form}
          refValue={choice === 'rectification-extension' ? rid : undefined}
          onDone={onDone}
        />
      )}
    </Card>
  );
}

export function ActionPanel({ view, role, onDone }: { view: ProjectView; role: Role; onDone: () => void }) {
  const [open, setOpen] = useState<string>();
  const mine = view.pendingActions.filter((a) => a.role === role);
  const pendingNames = new Set(mine.map((a) => a.action));
  const offered = ENDED.has(view.stage)
    ? []
    : OFFERED[role].filter((o) => COMMANDS[o.action] && !pendingNames.has(o.action) && o.when(view));

  return (
    <Card title="办理" style={{ marginBottom: 16 }} data-testid="action-panel">
      {ENDED.has(view.stage) && (
        <Alert type="info" showIcon message="项目已结束，不再办理事项" style={{ marginBottom: 12 }} />
      )}
      {!ENDED.has(view.stage) && mine.length === 0 && (
        <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description="当前没有需要您办理的事项" />
      )}
      {mine.map((a, i) => {
        const key = `${a.action}-${a.ref ?? i}`;
        if (a.action === 'allocation-publication')
          return <PublicationCard key={key} view={view} allocationId={a.ref ?? ''} onDone={onDone} />;
        if (a.action === 'rectification-decision')
          return <RectificationDecision key={key} view={view} rid={a.ref ?? ''} onDone={onDone} />;
        const form = COMMANDS[a.action];
        if (!form) return <Alert key={key} type="info" message={actionLabel(a.action)} style={{ marginBottom: 12 }} />;
        return (
          <CommandCard
            key={key}
            view={view}
            form={form}
            refValue={a.ref}
            pending={{ dueAt: a.dueAt, overdue: a.overdue }}
            onDone={onDone}
            extra={basisOf(view, a.action, a.ref)}
          />
        );
      })}
      {offered.length > 0 && (
        <>
          <Typography.Title level={5} style={{ marginTop: 8 }}>
            其他可办理事项
          </Typography.Title>
          <Space wrap style={{ marginBottom: 12 }}>
            {offered.map((o) => (
              <Button
                key={o.action}
                data-testid={`offer-${o.action}`}
                type={open === o.action ? 'primary' : 'default'}
                onClick={() => setOpen(open === o.action ? undefined : o.action)}
              >
                {actionLabel(o.action)}
              </Button>
            ))}
          </Space>
          {open && COMMANDS[open] && offered.some((o) => o.action === open) && (
            <CommandCard key={open} view={view} form={COMMANDS[open]} onDone={onDone} />
          )}
        </>
      )}
    </Card>
  );
}
