/**
 * 系统管理 › 期限政策 (Art. 30; docs/MEASURES.md "Two kinds of rule"): a jurisdiction's deadline
 * settings and policy switches as a form. Each setting says whether the measures fix it (法定: the
 * 5 working days of Art. 15 and the 7 of Art. 21 — not editable in the city's policy; a county's own
 * measures may set them, Art. 30) or it is local policy (本地政策). Saving issues a new version; the
 * projects keep the version they pinned. Versions are described in words, never as JSON.
 */
import { Alert, Button, Card, Checkbox, Form, Input, InputNumber, Select, Space, Table, Tag, Typography } from 'antd';
import { useState } from 'react';
import type { DeadlineKind } from '../../../../domain/deadline-kinds.ts';
import { MEASURES_PERIODS } from '../../../../domain/policy-defaults.ts';
import { POLICY_SWITCHES } from '../../../../domain/policy.ts';
import { api, ok } from '../../api.ts';
import type { components } from '../../api-types.ts';
import { formatDateTime, label } from '../../format.ts';
import { useLoad } from '../../hooks.ts';
import { useNames } from '../../names.tsx';
import { JurisdictionSelect } from '../../selects.tsx';
import { ProblemAlert } from '../../Problem.tsx';
import { useSubmit } from './shared.tsx';

type Policy = components['schemas']['Policy'];
type Deadlines = Policy['deadlines'];
type Duration = { unit: 'workingDays' | 'calendarDays'; amount: number };
type SettingKey = keyof Deadlines;

/** The settings in the order of the lifecycle, with the text's terms and where the rule comes from. */
const SETTINGS: Array<{ key: SettingKey; kind: DeadlineKind; label: string; about: string }> = [
  {
    key: 'publicity',
    kind: 'publicity',
    label: '公示期',
    about: '第十一条：资金拟分配计划向社会公示；公示多久由本地政策确定',
  },
  {
    key: 'contractFiling',
    kind: 'contract-filing',
    label: '合同文本备案',
    about: '第十五条：合同签订后 5 个工作日内报市大数据应用局备案',
  },
  {
    key: 'progressReport',
    kind: 'progress-report',
    label: '对照分析',
    about: '第十六条：定期对照批复方案分析进度和资金使用；按季度，每季度结束后报送的期限由本地政策确定',
  },
  {
    key: 'acceptanceDelay',
    kind: 'acceptance-delay',
    label: '验收延期',
    about: '第二十二条：无正当理由长期不验收；计划完成日期后多久算“长期”由本地政策确定',
  },
  {
    key: 'completionReport',
    kind: 'completion-report',
    label: '竣工验收报告',
    about: '第二十一条：竣工验收后 7 个工作日内报市大数据应用局备案',
  },
  {
    key: 'rectification',
    kind: 'rectification',
    label: '整改期限',
    about: '第二十二条：责令限期整改；整改通知未写明期限时按此期限',
  },
  {
    key: 'annualEvaluation',
    kind: 'annual-evaluation',
    label: '年度评估',
    about: '第二十三条：每年评估运行项目；上一年度评估的截止日期由本地政策确定',
  },
  {
    key: 'securityDrill',
    kind: 'security-drill',
    label: '应急演练',
    about: '第二十九条：定期开展应急演练；演练周期由本地政策确定',
  },
];

/** The policy switches (consequences the text does not name; each off by default: record + notify, a person decides). */
const SWITCH_LABELS: Record<(typeof POLICY_SWITCHES)[number], string> = {
  lateFilingRectification: '合同文本逾期未备案时，自动下达整改通知（涉及第十五条）',
  missingReportRectification: '对照分析逾期未报送时，自动下达整改通知（涉及第十六条）',
  completionReportFreeze: '竣工验收报告逾期时，冻结尚未拨付的建设资金（涉及第二十一条）',
  failedAcceptanceClearsOtherPass: '技术验收或竣工验收一方不通过时，撤销另一方已作出的通过（涉及第十八条）',
  unapprovedConstructionRectification: '合同签订早于立项批复（未批先建）时，自动下达整改通知（涉及第九条）',
  acceptanceDelayRectification: '验收延期期限届满且未说明理由时，自动下达整改通知（涉及第二十二条）',
  planCeilingRefusal: '投资概算超过年度计划项目投资上限时，不予受理申报',
  technicalReviewEveryItem: '技术审核须审查项全部符合方可通过（涉及第七条）',
  riskAssessmentBeforeTechnicalAcceptance: '技术验收前须已完成联合风险评估（涉及第二十八条）',
  emergencyPlanBeforeCompletionReport: '未备应急预案时，不受理竣工验收报告（涉及第二十九条、第二十一条）',
  budgetIncreaseNeedsApprovalAgreement: '预算追加须经审批立项部门同意方可提高建设资金上限（涉及第十条、第十七条）',
};

const UNITS = [
  { value: 'workingDays', label: label('durationUnit', 'workingDays') },
  { value: 'calendarDays', label: label('durationUnit', 'calendarDays') },
];

const durationText = (d: Duration | null | undefined) =>
  d ? `${d.amount} 个${label('durationUnit', d.unit)}` : '不提醒';

/** A version in words: each setting and the switches that are on. */
function describe(p: Policy): string[] {
  const lines = SETTINGS.flatMap(({ key, label: l }) => {
    const s = p.deadlines[key] as { duration?: Duration; reminder: Duration | null; dueMonthDay?: string } | undefined;
    if (!s) return [];
    const due = s.dueMonthDay
      ? `次年 ${Number(s.dueMonthDay.slice(0, 2))}月${Number(s.dueMonthDay.slice(3))}日前`
      : durationText(s.duration);
    return [`${l}：${due}；${s.reminder ? `提前 ${durationText(s.reminder)}提醒` : '不提醒'}`];
  });
  const on = POLICY_SWITCHES.filter((k) => p.switches[k]).map((k) => SWITCH_LABELS[k]);
  return [...lines, on.length > 0 ? `已开启：${on.join('；')}` : '自动处置均未开启（只记录并通知，由人决定）'];
}

interface SettingValues {
  amount?: number;
  unit?: Duration['unit'];
  remind: boolean;
  reminderAmount?: number;
  reminderUnit?: Duration['unit'];
  dueMonthDay?: string;
}
type FormValues = { settings: Record<SettingKey, SettingValues>; switches: Record<string, boolean> };

function formValuesOf(p: Policy): FormValues {
  const settings = {} as Record<SettingKey, SettingValues>;
  for (const { key } of SETTINGS) {
    const s = (p.deadlines[key] ?? {
      duration: { unit: 'calendarDays', amount: 365 },
      reminder: { unit: 'calendarDays', amount: 30 },
    }) as { duration?: Duration; reminder: Duration | null; dueMonthDay?: string };
    settings[key] = {
      amount: s.duration?.amount,
      unit: s.duration?.unit,
      remind: s.reminder !== null,
      reminderAmount: s.reminder?.amount ?? 1,
      reminderUnit: s.reminder?.unit ?? 'workingDays',
      dueMonthDay: s.dueMonthDay,
    };
  }
  return { settings, switches: { ...p.switches } };
}

function deadlinesOf(v: FormValues, base: Policy): Deadlines {
  const out = structuredClone(base.deadlines) as Record<string, unknown>;
  for (const { key } of SETTINGS) {
    const s = v.settings[key];
    const reminder = s.remind ? { unit: s.reminderUnit!, amount: Number(s.reminderAmount) } : null;
    if (key === 'annualEvaluation') out[key] = { dueMonthDay: s.dueMonthDay!, reminder };
    else if (key === 'progressReport')
      out[key] = { period: 'quarterly', duration: { unit: s.unit!, amount: Number(s.amount) }, reminder };
    else out[key] = { duration: { unit: s.unit!, amount: Number(s.amount) }, reminder };
  }
  return out as Deadlines;
}

function PolicyForm({
  jurisdiction,
  base,
  onSaved,
}: {
  jurisdiction: string;
  base: Policy;
  onSaved: (p: Policy) => void;
}) {
  const [form] = Form.useForm<FormValues>();
  const { problem, busy, run } = useSubmit();
  const city = jurisdiction === 'city';
  const submit = async (v: FormValues) => {
    const body = {
      deadlines: deadlinesOf(v, base),
      switches: Object.fromEntries(POLICY_SWITCHES.map((k) => [k, v.switches[k] === true])) as Policy['switches'],
    };
    const saved = await run(() =>
      ok(api.PUT('/v1/policies/{jurisdiction}', { params: { path: { jurisdiction } }, body })),
    );
    if (saved) onSaved(saved);
  };
  return (
    <Form
      form={form}
      layout="vertical"
      onFinish={submit}
      initialValues={formValuesOf(base)}
      data-testid="policy-form"
      key={`${jurisdiction}-${base.jurisdiction}-${base.version}`}
    >
      {SETTINGS.map(({ key, label: l, about }) => {
        // Art. 15, 21: the periods the text fixes (MEASURES_PERIODS); every other setting is local policy.
        const measures = key in MEASURES_PERIODS;
        const fixed = measures && city;
        return (
          <fieldset key={key} className="schema-group" aria-label={l} data-testid={`setting-${key}`}>
            <legend>
              {l} <Tag color={measures ? 'red' : 'blue'}>{label('ruleBasis', measures ? 'measures' : 'policy')}</Tag>
            </legend>
            <Typography.Paragraph type="secondary" style={{ marginBottom: 8 }}>
              {about}
              {measures && !city ? '（本县（市、区）自行制定的办法可另行规定，第三十条）' : ''}
            </Typography.Paragraph>
            <Space wrap align="baseline">
              {key === 'annualEvaluation' ? (
                <Form.Item
                  name={['settings', key, 'dueMonthDay']}
                  label="截止日期（月-日）"
                  htmlFor={`pol-${key}-due`}
                  rules={[
                    {
                      required: true,
                      pattern: /^(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/,
                      message: '请按“月-日”填写，例如 03-31',
                    },
                  ]}
                >
                  <Input id={`pol-${key}-due`} style={{ width: 120 }} placeholder="03-31" />
                </Form.Item>
              ) : (
                <>
                  <Form.Item
                    name={['settings', key, 'amount']}
                    label={key === 'progressReport' ? '每季度结束后' : '期限'}
                    htmlFor={`pol-${key}-amount`}
                    rules={[{ required: true, message: '请填写天数' }]}
                    tooltip={fixed ? '法定期限，市级政策不能更改' : undefined}
                  >
                    <InputNumber
                      id={`pol-${key}-amount`}
                      min={1}
                      max={366}
                      precision={0}
                      disabled={fixed}
                      style={{ width: 100 }}
                    />
                  </Form.Item>
                  <Form.Item name={['settings', key, 'unit']} label="单位" htmlFor={`pol-${key}-unit`}>
                    <Select id={`pol-${key}-unit`} options={UNITS} disabled={fixed} style={{ width: 110 }} />
                  </Form.Item>
                </>
              )}
              <Form.Item
                name={['settings', key, 'remind']}
                valuePropName="checked"
                label={
                  <span>
                    提醒 <Tag color="blue">{label('ruleBasis', 'policy')}</Tag>
                  </span>
                }
              >
                <Checkbox>提前提醒</Checkbox>
              </Form.Item>
              <Form.Item noStyle shouldUpdate>
                {({ getFieldValue }) =>
                  getFieldValue(['settings', key, 'remind']) ? (
                    <Space align="baseline">
                      <Form.Item
                        name={['settings', key, 'reminderAmount']}
                        label="提前"
                        htmlFor={`pol-${key}-ramount`}
                        rules={[{ required: true, message: '请填写天数' }]}
                      >
                        <InputNumber id={`pol-${key}-ramount`} min={1} max={366} precision={0} style={{ width: 100 }} />
                      </Form.Item>
                      <Form.Item name={['settings', key, 'reminderUnit']} label="单位" htmlFor={`pol-${key}-runit`}>
                        <Select id={`pol-${key}-runit`} options={UNITS} style={{ width: 110 }} />
                      </Form.Item>
                    </Space>
                  ) : null
                }
              </Form.Item>
            </Space>
          </fieldset>
        );
      })}
      <fieldset className="schema-group" aria-label="自动处置">
        <legend>
          自动处置 <Tag color="blue">{label('ruleBasis', 'policy')}</Tag>
        </legend>
        <Typography.Paragraph type="secondary">
          《办法》未规定这些后果：默认均不开启，系统只记录违规并通知市大数据应用局，由人决定。
        </Typography.Paragraph>
        {POLICY_SWITCHES.map((k) => (
          <Form.Item key={k} name={['switches', k]} valuePropName="checked" style={{ marginBottom: 4 }}>
            <Checkbox>{SWITCH_LABELS[k]}</Checkbox>
          </Form.Item>
        ))}
      </fieldset>
      {problem && <ProblemAlert problem={problem} />}
      <Button type="primary" htmlType="submit" loading={busy}>
        发布新版本
      </Button>
    </Form>
  );
}

export default function Policies() {
  const names = useNames();
  const list = useLoad(() => ok(api.GET('/v1/policies', {})), []);
  const [jurisdiction, setJurisdiction] = useState('city');
  const [saved, setSaved] = useState<string>();
  const [ownFromCity, setOwnFromCity] = useState(false);
  const all = list.data?.items ?? [];
  const versions = all.filter((p) => p.jurisdiction === jurisdiction);
  const latest = versions.at(-1);
  const city = all.filter((p) => p.jurisdiction === 'city').at(-1);
  const base = latest ?? (ownFromCity ? city : undefined);
  return (
    <>
      {list.problem && <ProblemAlert problem={list.problem} />}
      <Space style={{ marginBottom: 12 }} wrap>
        <label htmlFor="policy-jurisdiction">辖区</label>
        <JurisdictionSelect
          id="policy-jurisdiction"
          value={jurisdiction}
          style={{ width: 160 }}
          onChange={(j: string) => {
            setJurisdiction(j);
            setSaved(undefined);
            setOwnFromCity(false);
          }}
        />
        {latest && (
          <Typography.Text>
            现行第 {latest.version} 版，{formatDateTime(latest.createdAt)}
            {latest.createdByName ? `由 ${latest.createdByName} ` : ''}发布
          </Typography.Text>
        )}
      </Space>
      {saved && (
        <Alert type="success" showIcon style={{ marginBottom: 12 }} message={saved} data-testid="policy-saved" />
      )}
      {!latest && city && (
        <Alert
          type="info"
          showIcon
          style={{ marginBottom: 12 }}
          message={`${names.jurisdiction(jurisdiction)}未自行制定办法，沿用晋城市政策（第 ${city.version} 版）。`}
          action={
            ownFromCity ? undefined : (
              <Button size="small" onClick={() => setOwnFromCity(true)}>
                制定本辖区政策
              </Button>
            )
          }
        />
      )}
      {base && (
        <Card
          size="small"
          title={
            latest
              ? `修改${names.jurisdiction(jurisdiction)}政策（发布为第 ${latest.version + 1} 版）`
              : `${names.jurisdiction(jurisdiction)}政策第 1 版（以晋城市政策为起点）`
          }
          style={{ marginBottom: 16 }}
        >
          <PolicyForm
            jurisdiction={jurisdiction}
            base={base}
            onSaved={(p) => {
              setSaved(
                `已发布${names.jurisdiction(p.jurisdiction)}政策第 ${p.version} 版：此后申报的项目采用此版本，在办项目保持申报时的版本。`,
              );
              setOwnFromCity(false);
              void list.reload();
            }}
          />
        </Card>
      )}
      <Card size="small" title="历史版本">
        <Table
          size="small"
          rowKey={(p) => `${p.jurisdiction}-${p.version}`}
          loading={list.loading}
          dataSource={[...versions].reverse()}
          pagination={false}
          locale={{ emptyText: '该辖区尚无自己的政策版本' }}
          expandable={{
            expandedRowRender: (p) => (
              <ul style={{ margin: 0, paddingLeft: 20 }} data-testid={`policy-version-${p.version}`}>
                {describe(p).map((line) => (
                  <li key={line}>{line}</li>
                ))}
              </ul>
            ),
            columnTitle: '内容',
          }}
          columns={[
            { title: '版本', dataIndex: 'version', render: (v: number) => `第 ${v} 版` },
            { title: '生效', dataIndex: 'createdAt', render: (d: string) => formatDateTime(d) },
            { title: '发布人', dataIndex: 'createdByName', render: (b: string | null) => b ?? '—' },
          ]}
        />
      </Card>
    </>
  );
}
