/**
 * Issue 15 (part B): the records the measures ask for — the 项目负责人 (Art. 14), the procurement method
 * of each contract (Art. 13) and the consultation of the related units on a change request (Art. 17) —
 * in the lifecycle core, with who may and may not send each command, and projects recorded before
 * (state without `measuresRecords`) keeping today's behaviour.
 */
import { describe, expect, it } from 'vitest';
import { COMMAND_ROLES } from '../../domain/commands.ts';
import { Project } from '../../domain/project.ts';
import { renderNotification } from '../../domain/labels/notifications.ts';
import { PROBLEM_DETAILS } from '../../domain/labels/problems.ts';
import { label } from '../../domain/labels/values.ts';
import { PROCUREMENT_METHODS } from '../../domain/records.ts';
import { actors, Harness, makeInput, openTender } from './helpers.ts';

const newLeader = { name: '李娜', post: '副局长', contact: 'lina@jincheng.gov.cn' };

describe('Art. 14 (measures): 项目负责人', () => {
  it('Art. 14: the application names the leader; the ProjectView shows it with an empty history; the application audit carries it', () => {
    const h = new Harness();
    const effects = h.project.start(h.now);
    expect(h.project.view().leader).toEqual({ name: '张伟', post: '信息科科长', contact: '0356-2020001' });
    expect(h.project.view().leaderChanges).toEqual([]);
    expect(h.effectsOf(effects, 'audit')[0]!.detail).toMatchObject({ leader: { name: '张伟', post: '信息科科长' } });
  });

  it('Art. 14: the department changes the leader: before/after on the audit entry, the history in the view, the BDB notified', () => {
    const h = new Harness().toConstruction();
    const effects = h.run('leaderChange', newLeader, actors.department);
    const audit = h.effectsOf(effects, 'audit')[0]!;
    expect(audit.action).toBe('leader-change');
    expect(audit.detail).toMatchObject({
      before: { name: '张伟', post: '信息科科长', contact: '0356-2020001' },
      after: newLeader,
    });
    const view = h.project.view();
    expect(view.leader).toEqual(newLeader);
    expect(view.leaderChanges).toEqual([
      {
        before: { name: '张伟', post: '信息科科长', contact: '0356-2020001' },
        after: newLeader,
        at: h.now,
        by: actors.department.name,
      },
    ]);
    const notify = h.effectsOf(effects, 'notify')[0]!;
    expect(notify).toMatchObject({ recipient: { role: 'bdb' }, kind: 'leader-change' });
    expect(notify.detail).toBe('项目负责人已变更为 李娜（副局长）（第十四条）。');
    // A second change keeps the first on the history.
    h.run('leaderChange', { name: '王强', post: '科长', contact: '13800000000' }, actors.department);
    expect(h.project.view().leaderChanges.map((c) => [c.before?.name, c.after.name])).toEqual([
      ['张伟', '李娜'],
      ['李娜', '王强'],
    ]);
  });

  it('Art. 14: only the owning department may change the leader (403 for every other role and another department)', () => {
    expect(COMMAND_ROLES.leaderChange).toEqual(['department']);
    const h = new Harness().toBudgeting();
    for (const actor of [actors.bdb, actors.approval, actors.finance, actors.admin, actors.otherDepartment]) {
      expect(h.refuse('leaderChange', newLeader, actor).status).toBe(403);
    }
  });

  it('Art. 14: name, post and contact are each required (400); an ended project refuses the change (409)', () => {
    const h = new Harness();
    const r = h.refuse('leaderChange', { name: '李娜', post: '', contact: 'x' }, actors.department);
    expect([r.status, r.code]).toEqual([400, 'validation_failed']);
    expect(h.refuse('leaderChange', { name: '李娜', post: '副局长' } as never, actors.department).status).toBe(400);
    h.run('withdrawal', { reason: 'no longer needed' }, actors.department);
    expect(h.refuse('leaderChange', newLeader, actors.department).code).toBe('invalid_transition');
  });

  it('Art. 14: an application from before the leader was asked has leader null, and the department may name one', () => {
    const input = makeInput();
    delete input.leader;
    const p = Project.create(input, { measuresRecords: false });
    expect(p.view().leader).toBeNull();
    p.apply({ name: 'leaderChange', payload: newLeader }, actors.department, input.createdAt);
    expect(p.view().leaderChanges).toEqual([
      { before: null, after: newLeader, at: input.createdAt, by: actors.department.name },
    ]);
  });
});

describe('Art. 13 (measures): procurement method of a contract', () => {
  it('Art. 13: every method of the measures is an English code with its Chinese label', () => {
    expect(PROCUREMENT_METHODS.map((m) => label('procurementMethod', m))).toEqual([
      '公开招标',
      '邀请招标',
      '竞争性谈判',
      '竞争性磋商',
      '询价',
      '单一来源',
      '市属企业自主建设',
    ]);
  });

  it('Art. 13: the contract records the procurement method and the contractor (项目建设单位); the view shows them', () => {
    const h = new Harness().toConstruction();
    expect(h.project.view().contracts[0]).toMatchObject({
      contractNo: 'HT-001',
      contractor: 'Acme',
      procurement: { method: 'open-tender', reason: '' },
    });
    h.run(
      'contract',
      {
        contractNo: 'HT-002',
        contractor: '晋城市大数据公司',
        amountFen: 1_000,
        signedOn: '2026-03-20',
        procurement: { method: 'state-enterprise-self-build', reason: '' },
      },
      actors.department,
    );
    expect(h.project.view().contracts[1]).toMatchObject({
      contractor: '晋城市大数据公司',
      procurement: { method: 'state-enterprise-self-build' },
    });
  });

  it('Art. 13: single-source procurement (单一来源) needs its reason (400); with it the reason is recorded', () => {
    const h = new Harness().toConstruction();
    const base = { contractNo: 'HT-002', contractor: 'Sole Vendor', amountFen: 1_000, signedOn: '2026-03-20' };
    const r = h.refuse(
      'contract',
      { ...base, procurement: { method: 'single-source', reason: '' } },
      actors.department,
    );
    expect([r.status, r.code]).toEqual([400, 'validation_failed']);
    expect(r.details.errors).toContainEqual(
      expect.objectContaining({ path: 'procurement.reason', message: expect.stringContaining('must not be blank') }),
    );
    h.run(
      'contract',
      { ...base, procurement: { method: 'single-source', reason: '只有原厂能够升级该专有系统' } },
      actors.department,
    );
    expect(h.project.view().contracts[1]!.procurement).toEqual({
      method: 'single-source',
      reason: '只有原厂能够升级该专有系统',
    });
  });

  it('Art. 13: a new contract without its procurement method is refused (400); an unknown method too', () => {
    const h = new Harness().toConstruction();
    const base = { contractNo: 'HT-002', contractor: 'x', amountFen: 1, signedOn: '2026-03-20' };
    const r = h.refuse('contract', base, actors.department);
    expect([r.status, r.code]).toEqual([400, 'validation_failed']);
    expect(r.details.errors).toEqual([{ path: 'procurement', message: 'is required' }]);
    expect(
      h.refuse('contract', { ...base, procurement: { method: 'handshake', reason: '' } } as never, actors.department)
        .status,
    ).toBe(400);
  });

  it('Art. 13: a project recorded before the procurement method was asked still records contracts without it (replay); the view shows null', () => {
    const h = new Harness({}, 'as-written', false).toContracting();
    h.advanceTo('2026-03-20');
    h.run(
      'contract',
      { contractNo: 'HT-OLD', contractor: 'Acme', amountFen: 1_000, signedOn: '2026-03-19' },
      actors.department,
    );
    expect(h.stage).toBe('construction');
    expect(h.project.view().contracts[0]!.procurement).toBeNull();
  });

  it('Art. 13: only the department records contracts (403 for the other roles)', () => {
    const h = new Harness().toContracting();
    const payload = {
      contractNo: 'HT-1',
      contractor: 'x',
      amountFen: 1,
      signedOn: '2026-03-20',
      procurement: openTender(),
    };
    for (const actor of [actors.bdb, actors.approval, actors.finance, actors.admin, actors.otherDepartment]) {
      expect(h.refuse('contract', payload, actor).status).toBe(403);
    }
  });
});

describe('Art. 17 (measures): the related units are consulted before the BDB decides a change', () => {
  it('Art. 17: a scope change asks the approval bureau; the BDB cannot decide before it answers (409 naming approval)', () => {
    const h = new Harness().toConstruction();
    const effects = h.run('changeRequest', { kind: 'scope', description: '增加移动端' }, actors.department);
    expect(h.effectsOf(effects, 'notify').map((n) => [n.recipient.role, n.kind])).toEqual([
      ['bdb', 'change-request'],
      ['approval', 'change-request-consultation'],
    ]);
    expect(h.project.view().changeRequests[0]).toMatchObject({
      consulted: ['approval'],
      opinions: [],
      awaitingOpinions: ['approval'],
    });
    const r = h.refuse('changeRequestDecision', { cid: 'cr-1', decision: 'approve', opinion: '' }, actors.bdb);
    expect([r.status, r.code, r.details.missing]).toEqual([409, 'opinions_missing', ['approval']]);
    expect(PROBLEM_DETAILS.opinions_missing!(r.details)).toBe(
      '第十七条：变更申请 cr-1 尚待审批部门提出意见，意见齐备后方可决定。',
    );
  });

  it('Art. 17: a budget change (money changes) asks approval and finance; each opinion is on the record; the BDB decides once both answered', () => {
    const h = new Harness().toConstruction();
    h.run('changeRequest', { kind: 'budget', description: '追加设备', budgetDeltaFen: 5_000_000 }, actors.department);
    expect(h.project.view().changeRequests[0]!.consulted).toEqual(['approval', 'finance']);
    expect(h.project.pendingActions()).toEqual(
      expect.arrayContaining([
        { role: 'approval', action: 'change-request-opinion', ref: 'cr-1', overdue: false },
        { role: 'finance', action: 'change-request-opinion', ref: 'cr-1', overdue: false },
      ]),
    );
    expect(h.project.pendingActions().some((p) => p.action === 'change-request-decision')).toBe(false);

    const e1 = h.run(
      'changeRequestOpinion',
      { cid: 'cr-1', opinion: '符合立项批复范围', agrees: true },
      actors.approval,
    );
    expect(h.effectsOf(e1, 'audit')[0]).toMatchObject({
      action: 'change-request-opinion',
      detail: { payload: { cid: 'cr-1', opinion: '符合立项批复范围', agrees: true } },
    });
    expect(h.effectsOf(e1, 'notify')[0]!.detail).toBe(
      '审批部门已对变更申请 cr-1 提出意见（同意），尚待 1 个单位答复。',
    );
    expect(
      h.refuse('changeRequestDecision', { cid: 'cr-1', decision: 'approve', opinion: '' }, actors.bdb).details.missing,
    ).toEqual(['finance']);

    const e2 = h.run(
      'changeRequestOpinion',
      { cid: 'cr-1', opinion: '资金可在下年度预算中安排', agrees: false },
      actors.finance,
    );
    expect(h.effectsOf(e2, 'notify')[0]!.detail).toBe('财政部门已对变更申请 cr-1 提出意见（不同意），可以作出决定。');
    const cr = h.project.view().changeRequests[0]!;
    expect(cr.opinions).toEqual([
      { role: 'approval', opinion: '符合立项批复范围', agrees: true, at: h.now, by: actors.approval.name },
      { role: 'finance', opinion: '资金可在下年度预算中安排', agrees: false, at: h.now, by: actors.finance.name },
    ]);
    expect(cr.awaitingOpinions).toEqual([]);
    expect(h.project.pendingActions()).toContainEqual({
      role: 'bdb',
      action: 'change-request-decision',
      ref: 'cr-1',
      overdue: false,
    });
    expect(
      h.project
        .view()
        .decisions.filter((d) => d.action === 'change-request-opinion')
        .map((d) => [d.role, d.decision]),
    ).toEqual([
      ['approval', 'agree'],
      ['finance', 'disagree'],
    ]);
    h.run('changeRequestDecision', { cid: 'cr-1', decision: 'approve', opinion: '同意追加' }, actors.bdb);
    expect(h.project.view().changeRequests[0]!.status).toBe('approved');
  });

  it('Art. 17: a schedule or contractor change asks only the approval bureau (no money changes): finance is not asked (422)', () => {
    const h = new Harness().toConstruction();
    h.run(
      'changeRequest',
      { kind: 'schedule', description: '延期', newPlannedCompletionDate: '2027-12-31' },
      actors.department,
    );
    const r = h.refuse('changeRequestOpinion', { cid: 'cr-1', opinion: 'x' }, actors.finance);
    expect([r.status, r.code]).toEqual([422, 'opinion_not_requested']);
    expect(PROBLEM_DETAILS.opinion_not_requested!(r.details)).toBe('第十七条：变更申请 cr-1 未征求财政部门的意见。');
  });

  it('Art. 17: only approval and finance give opinions (403 for bdb, department, admin); one opinion per unit (409); unknown request 404; decided 409', () => {
    expect(COMMAND_ROLES.changeRequestOpinion).toEqual(['approval', 'finance']);
    const h = new Harness().toConstruction();
    h.run('changeRequest', { kind: 'budget', description: 'more', budgetDeltaFen: 100 }, actors.department);
    for (const actor of [actors.bdb, actors.department, actors.admin]) {
      expect(h.refuse('changeRequestOpinion', { cid: 'cr-1', opinion: 'x' }, actor).status).toBe(403);
    }
    expect(h.refuse('changeRequestOpinion', { cid: 'cr-9', opinion: 'x' }, actors.approval).status).toBe(404);
    expect(h.refuse('changeRequestOpinion', { cid: 'cr-1', opinion: '' }, actors.approval).status).toBe(400);
    h.run('changeRequestOpinion', { cid: 'cr-1', opinion: 'ok' }, actors.approval);
    expect(h.project.view().changeRequests[0]!.opinions[0]!.agrees).toBeNull();
    expect(h.refuse('changeRequestOpinion', { cid: 'cr-1', opinion: 'again' }, actors.approval).code).toBe(
      'already_exists',
    );
    h.run('changeRequestOpinion', { cid: 'cr-1', opinion: 'ok' }, actors.finance);
    h.run('changeRequestDecision', { cid: 'cr-1', decision: 'reject', opinion: 'no' }, actors.bdb);
    const late = h.refuse('changeRequestOpinion', { cid: 'cr-1', opinion: 'late' }, actors.finance);
    expect([late.status, late.code]).toEqual([409, 'invalid_transition']);
  });

  it("Art. 17: a project recorded before the consultation keeps today's behaviour: the BDB decides alone", () => {
    const h = new Harness({}, 'as-written', false).toConstruction();
    h.run('changeRequest', { kind: 'budget', description: 'more', budgetDeltaFen: 100 }, actors.department);
    expect(h.project.view().changeRequests[0]).toMatchObject({ consulted: [], opinions: [], awaitingOpinions: [] });
    expect(h.project.pendingActions()).toContainEqual({
      role: 'bdb',
      action: 'change-request-decision',
      ref: 'cr-1',
      overdue: false,
    });
    expect(h.refuse('changeRequestOpinion', { cid: 'cr-1', opinion: 'x' }, actors.approval).code).toBe(
      'opinion_not_requested',
    );
    h.run('changeRequestDecision', { cid: 'cr-1', decision: 'approve', opinion: '' }, actors.bdb);
    expect(h.project.view().changeRequests[0]!.status).toBe('approved');
  });

  it('Art. 17: the consultation notification reads in both languages', () => {
    const params = { changeRequestId: 'cr-1', kind: 'budget', description: '追加设备' };
    expect(renderNotification('zh-CN', 'change-request-consultation', params, 'finance')).toBe(
      '变更申请 cr-1（预算）征求意见：追加设备（第十七条）',
    );
    expect(renderNotification('en', 'change-request-consultation', params, 'finance')).toBe(
      'Your opinion is asked on change request cr-1 (budget): 追加设备 (Art. 17)',
    );
  });
});
