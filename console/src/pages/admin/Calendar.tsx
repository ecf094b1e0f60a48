/**
 * 系统管理 › 工作日历 (docs/MEASURES.md "Working days"): each year's stored days with their source
 * (国务院通知 / 法定节假日（暂定） / 管理员调整); the State Council's notice of a year entered as a form —
 * its holidays as date ranges and its make-up working days (调休) — and single days adjusted by the
 * administrator (PUT /v1/calendar/:year with and without `notice`). Open deadlines that a change
 * touches are recomputed by the API; the answer says how many moved.
 */
import {
  Alert,
  Button,
  Card,
  Descriptions,
  Form,
  Input,
  InputNumber,
  Radio,
  Space,
  Table,
  Tag,
  Typography,
} from 'antd';
import { useState } from 'react';
import { api, ok } from '../../api.ts';
import type { components } from '../../api-types.ts';
import { dateOrDash, label } from '../../format.ts';
import { useLoad } from '../../hooks.ts';
import { ProblemAlert } from '../../Problem.tsx';
import { useSubmit } from './shared.tsx';

type Day = components['schemas']['CalendarYear']['days'][number];

/** The reference the built-in notices (the chinese-days package's data) carry: db/calendar.ts PACKAGE_REFERENCE. */
const BUILT_IN = 'chinese-days';

const sourceLabel = (d: Pick<Day, 'source' | 'provisional'>) =>
  d.source === 'law' && !d.provisional ? '法定节假日' : label('calendarSource', d.source);
const referenceLabel = (reference: string | null | undefined) =>
  !reference ? '—' : reference === BUILT_IN ? '系统内置的国务院通知' : reference;

/** The dates from `from` to `to`, both included (YYYY-MM-DD). */
export function datesBetween(from: string, to: string): string[] {
  const out: string[] = [];
  for (
    let t = Date.parse(`${from}T00:00:00Z`);
    t <= Date.parse(`${to}T00:00:00Z`) && out.length <= 366;
    t += 86_400_000
  )
    out.push(new Date(t).toISOString().slice(0, 10));
  return out;
}

interface Holiday {
  name: string;
  from: string;
  to: string;
}
interface MakeUp {
  date: string;
  name: string;
}
interface NoticeForm {
  notice: string;
  holidays: Holiday[];
  makeUps: MakeUp[];
}

/** A year's stored days as the form's starting point: consecutive days off of one name as a range. */
function formOf(days: Day[]): Omit<NoticeForm, 'notice'> {
  const holidays: Holiday[] = [];
  const makeUps: MakeUp[] = [];
  for (const d of days.filter((x) => x.source !== 'admin')) {
    if (d.workday) {
      makeUps.push({ date: d.date, name: d.name });
      continue;
    }
    const last = holidays.at(-1);
    if (last && last.name === d.name && datesBetween(last.to, d.date).length === 2) last.to = d.date;
    else holidays.push({ name: d.name, from: d.date, to: d.date });
  }
  return { holidays, makeUps };
}

function NoticeEntry({ year, days, onDone }: { year: number; days: Day[]; onDone: (result: string) => void }) {
  const [form] = Form.useForm<NoticeForm>();
  const { problem, busy, run } = useSubmit();
  const entered = days.find((d) => d.source === 'notice' && d.reference && d.reference !== BUILT_IN)?.reference;
  const inYear = (v: string | undefined) =>
    v && !v.startsWith(`${year}-`) ? Promise.reject(new Error(`日期须在${year}年内`)) : Promise.resolve();
  const submit = async (v: NoticeForm) => {
    const body = {
      notice: v.notice.trim(),
      days: [
        ...(v.holidays ?? []).flatMap((h) =>
          datesBetween(h.from, h.to).map((date) => ({ date, workday: false, name: h.name.trim() })),
        ),
        ...(v.makeUps ?? []).map((m) => ({ date: m.date, workday: true, name: m.name.trim() })),
      ],
    };
    const answer = await run(() => ok(api.PUT('/v1/calendar/{year}', { params: { path: { year } }, body })));
    if (!answer) return;
    onDone(
      `已录入${year}年国务院通知（${body.notice}）：${body.days.length} 天。${answer.moved > 0 ? `${answer.projects} 个项目的 ${answer.moved} 个期限已按新日历重新计算。` : '没有需要重新计算的期限。'}`,
    );
  };
  return (
    <Form
      form={form}
      layout="vertical"
      onFinish={submit}
      initialValues={{ notice: entered ?? '', ...formOf(days) }}
      data-testid="notice-form"
    >
      <Typography.Paragraph type="secondary">
        按国务院办公厅关于{year}
        年部分节假日安排的通知填写：放假日期（含因调休连休的周末）和调休上班日期。表中已列出该年目前的安排，可在其上修改；法定节假日当天不能改为上班。
      </Typography.Paragraph>
      <Form.Item
        name="notice"
        label="通知文号"
        htmlFor="notice-ref"
        rules={[{ required: true, whitespace: true, message: '请填写通知文号' }]}
      >
        <Input id="notice-ref" placeholder={`国办发明电〔${year - 1}〕7号`} style={{ maxWidth: 320 }} />
      </Form.Item>
      <Form.List name="holidays">
        {(fields, { add, remove }) => (
          <fieldset className="schema-group" aria-label="放假安排">
            <legend>放假安排</legend>
            {fields.map((f, i) => (
              <Space key={f.key} wrap align="baseline" style={{ display: 'flex' }}>
                <Form.Item
                  name={[f.name, 'name']}
                  label="节日"
                  htmlFor={`hol-${i}-name`}
                  rules={[{ required: true, whitespace: true, message: '请填写节日名称' }]}
                >
                  <Input id={`hol-${i}-name`} placeholder="春节" style={{ width: 120 }} />
                </Form.Item>
                <Form.Item
                  name={[f.name, 'from']}
                  label="放假起"
                  htmlFor={`hol-${i}-from`}
                  rules={[
                    { required: true, message: '请填写开始日期' },
                    { validator: (_r, v) => inYear(v as string | undefined) },
                  ]}
                >
                  <Input id={`hol-${i}-from`} type="date" style={{ width: 160 }} />
                </Form.Item>
                <Form.Item
                  name={[f.name, 'to']}
                  label="至"
                  htmlFor={`hol-${i}-to`}
                  dependencies={[['holidays', f.name, 'from']]}
                  rules={[
                    { required: true, message: '请填写结束日期' },
                    { validator: (_r, v) => inYear(v as string | undefined) },
                    ({ getFieldValue }) => ({
                      validator: async (_r, v) =>
                        v && v < getFieldValue(['holidays', f.name, 'from'])
                          ? Promise.reject(new Error('结束日期不能早于开始日期'))
                          : undefined,
                    }),
                  ]}
                >
                  <Input id={`hol-${i}-to`} type="date" style={{ width: 160 }} />
                </Form.Item>
                <Button onClick={() => remove(f.name)} aria-label={`删除放假安排 ${i + 1}`}>
                  删除
                </Button>
              </Space>
            ))}
            <Button onClick={() => add({ name: '', from: '', to: '' })}>添加放假安排</Button>
          </fieldset>
        )}
      </Form.List>
      <Form.List name="makeUps">
        {(fields, { add, remove }) => (
          <fieldset className="schema-group" aria-label="调休上班">
            <legend>调休上班（周末上班）</legend>
            {fields.map((f, i) => (
              <Space key={f.key} wrap align="baseline" style={{ display: 'flex' }}>
                <Form.Item
                  name={[f.name, 'date']}
                  label="日期"
                  htmlFor={`mk-${i}-date`}
                  rules={[
                    { required: true, message: '请填写日期' },
                    { validator: (_r, v) => inYear(v as string | undefined) },
                  ]}
                >
                  <Input id={`mk-${i}-date`} type="date" style={{ width: 160 }} />
                </Form.Item>
                <Form.Item
                  name={[f.name, 'name']}
                  label="说明"
                  htmlFor={`mk-${i}-name`}
                  rules={[{ required: true, whitespace: true, message: '请填写说明' }]}
                >
                  <Input id={`mk-${i}-name`} placeholder="春节调休上班" style={{ width: 180 }} />
                </Form.Item>
                <Button onClick={() => remove(f.name)} aria-label={`删除调休上班 ${i + 1}`}>
                  删除
                </Button>
              </Space>
            ))}
            <Button onClick={() => add({ date: '', name: '' })}>添加调休上班日</Button>
          </fieldset>
        )}
      </Form.List>
      {problem && <ProblemAlert problem={problem} />}
      <Button type="primary" htmlType="submit" loading={busy}>
        录入国务院通知
      </Button>
    </Form>
  );
}

function DayOverride({ year, onDone }: { year: number; onDone: () => void }) {
  const [form] = Form.useForm<{ date: string; workday: boolean; name: string }>();
  const { problem, busy, run } = useSubmit();
  const [result, setResult] = useState<string>();
  const submit = async (v: { date: string; workday: boolean; name: string }) => {
    const answer = await run(() =>
      ok(
        api.PUT('/v1/calendar/{year}', {
          params: { path: { year } },
          body: { days: [{ date: v.date, workday: v.workday, name: (v.name ?? '').trim() }] },
        }),
      ),
    );
    if (!answer) return;
    setResult(
      `${dateOrDash(v.date)}已调整为${v.workday ? '上班' : '休息'}。${answer.moved > 0 ? `${answer.moved} 个期限已重新计算。` : ''}`,
    );
    form.resetFields();
    onDone();
  };
  return (
    <Form
      form={form}
      layout="inline"
      onFinish={submit}
      initialValues={{ workday: false }}
      onValuesChange={() => setResult(undefined)}
      data-testid="day-override-form"
    >
      <Form.Item
        name="date"
        label="日期"
        htmlFor="ovr-date"
        rules={[
          { required: true, message: '请填写日期' },
          {
            validator: async (_r, v) =>
              v && !String(v).startsWith(`${year}-`) ? Promise.reject(new Error(`日期须在${year}年内`)) : undefined,
          },
        ]}
      >
        <Input id="ovr-date" type="date" style={{ width: 160 }} />
      </Form.Item>
      <Form.Item name="workday">
        <Radio.Group
          options={[
            { value: false, label: '休息' },
            { value: true, label: '上班' },
          ]}
        />
      </Form.Item>
      <Form.Item name="name" label="说明" htmlFor="ovr-name">
        <Input id="ovr-name" placeholder="例如：市政府临时安排" style={{ width: 200 }} />
      </Form.Item>
      <Button htmlType="submit" loading={busy}>
        调整该日
      </Button>
      <div style={{ flexBasis: '100%', marginTop: 8 }}>
        {problem && <ProblemAlert problem={problem} />}
        {result && <Typography.Text type="success">{result}</Typography.Text>}
      </div>
    </Form>
  );
}

export default function Calendar() {
  const status = useLoad(() => ok(api.GET('/v1/calendar/status', {})), []);
  const [chosen, setChosen] = useState<number>();
  const [entered, setEntered] = useState<string>();
  // The year to look at first: the first one (this year, next year) still without its notice.
  const year =
    chosen ??
    status.data?.years.find((y) => !y.notice)?.year ??
    status.data?.years[0]?.year ??
    new Date().getFullYear();
  const days = useLoad(() => ok(api.GET('/v1/calendar/{year}', { params: { path: { year } } })), [year]);
  const reload = () => {
    void days.reload();
    void status.reload();
  };
  const next = status.data?.years[1];
  return (
    <>
      {status.problem && <ProblemAlert problem={status.problem} />}
      {next && !next.notice && (
        <Alert
          type="warning"
          showIcon
          style={{ marginBottom: 12 }}
          message={`${next.year}年国务院节假日安排通知尚未录入：该年工作日暂按法定节假日推算。通知发布后请在下方录入。`}
        />
      )}
      <Descriptions size="small" bordered column={1} style={{ marginBottom: 16 }} data-testid="calendar-status">
        {(status.data?.years ?? []).map((y) => (
          <Descriptions.Item key={y.year} label={`${y.year}年`}>
            {y.notice ? `已有国务院通知（${referenceLabel(y.reference)}）` : '暂按法定节假日推算（尚未录入国务院通知）'}
          </Descriptions.Item>
        ))}
      </Descriptions>
      <Space style={{ marginBottom: 12 }}>
        <label htmlFor="calendar-year">年度</label>
        <InputNumber
          id="calendar-year"
          min={2019}
          max={2100}
          value={year}
          onChange={(v) => {
            if (!v || v < 2019 || v > 2100) return;
            setChosen(v);
            setEntered(undefined);
          }}
        />
      </Space>
      {days.problem && <ProblemAlert problem={days.problem} />}
      <Table
        size="small"
        rowKey="date"
        loading={days.loading}
        dataSource={days.data?.days ?? []}
        pagination={{ pageSize: 15, hideOnSinglePage: true }}
        locale={{ emptyText: '该年没有节假日或调休记录' }}
        data-testid="calendar-days"
        columns={[
          { title: '日期', dataIndex: 'date', render: (d: string) => dateOrDash(d) },
          { title: '名称', dataIndex: 'name' },
          {
            title: '安排',
            dataIndex: 'workday',
            render: (w: boolean) => (w ? <Tag color="blue">上班</Tag> : <Tag>休息</Tag>),
          },
          { title: '来源', render: (_: unknown, d: Day) => sourceLabel(d) },
          { title: '文号', dataIndex: 'reference', render: (r: string | undefined) => referenceLabel(r) },
        ]}
      />
      <Card size="small" title={`录入${year}年国务院节假日安排通知`} style={{ marginTop: 16 }}>
        {entered && (
          <Alert
            type="success"
            showIcon
            closable
            style={{ marginBottom: 12 }}
            message={entered}
            data-testid="notice-result"
            onClose={() => setEntered(undefined)}
          />
        )}
        {/* Mounted afresh after each load: the form starts from the year's days as stored now. */}
        {days.data && days.data.year === year && !days.loading && (
          <NoticeEntry
            year={year}
            days={days.data.days}
            onDone={(result) => {
              setEntered(result);
              reload();
            }}
          />
        )}
      </Card>
      <Card size="small" title="调整单日（管理员调整，优先于通知）" style={{ marginTop: 16 }}>
        <DayOverride year={year} onDone={reload} />
      </Card>
    </>
  );
}
