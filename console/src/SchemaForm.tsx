/**
 * A form made from a request body's JSON Schema (the OpenAPI document, forms.generated.json): one
 * labelled control per property, nested objects as groups, arrays of objects as lists. The rules
 * (required, lengths, patterns, ranges, enums, integers) are read from the schema, so no rule is
 * written twice; amounts (`…Fen`) are entered in 元 with two decimals and sent as integer fen.
 * Dates are picked and shown as 2026年12月11日 (sent as YYYY-MM-DD). A document (a `doc_…` id) is
 * an upload control (DocumentUpload): the legacy free-text reference beside it is not shown, and the
 * upload is required wherever the API requires one of the two.
 */
import {
  Alert,
  AutoComplete,
  Button,
  Card,
  Checkbox,
  DatePicker,
  Form,
  Input,
  InputNumber,
  Radio,
  Select,
  Space,
} from 'antd';
import type { Rule } from 'antd/es/form';
import dayjs, { type Dayjs } from 'dayjs';
import 'dayjs/locale/zh-cn';
import { useState, type KeyboardEvent, type ReactNode } from 'react';
import { ProblemError, type Problem } from './api.ts';
import { DocumentUpload } from './DocumentUpload.tsx';
import { documentLabel, fieldLabel, valueLabel } from './labels.ts';
import { ProblemAlert } from './Problem.tsx';

dayjs.locale('zh-cn');

/** How dates show (the first) and what typing accepts (all). */
export const DATE_FORMATS = ['YYYY年M月D日', 'YYYY-MM-DD', 'YYYY/M/D'];
const DATE_TIME_FORMATS = ['YYYY年M月D日 HH:mm', 'YYYY-MM-DD HH:mm'];

/** Enter in a date field confirms the date; it must not also submit the form (a second, unintended filing). */
const confirmWithoutSubmit = (e: KeyboardEvent<HTMLElement>) => {
  if (e.key === 'Enter') e.preventDefault();
};

/** A document of the document store by its id (`doc_…`), filed by uploading it. */
const isDocumentId = (s: JsonSchema) => s.pattern === '^doc_[0-9a-f]{24}$';
/** The legacy free-text references the API still takes beside an uploaded document (api/routes/commands.ts). */
const LEGACY_REFERENCES = new Set(['documentRef', 'reportRef', 'evidenceRef']);
const isLegacy = (s: JsonSchema) => /^Legacy/.test(s.description ?? '');

/**
 * The properties of an object as the form shows them: the legacy reference beside an upload is
 * left out (`documents` beside `documentIds`, `documentRef` beside `documentId`), and the upload
 * becomes required when the API asks for exactly one of the two (the legacy one is marked Legacy).
 */
function shownProperties(schema: JsonSchema): { properties: Record<string, JsonSchema>; required: string[] } {
  const props = schema.properties ?? {};
  const required = [...(schema.required ?? [])];
  const properties: Record<string, JsonSchema> = {};
  for (const [k, p] of Object.entries(props)) {
    if (k === 'documents' && props.documentIds) continue;
    if (LEGACY_REFERENCES.has(k) && props.documentId && isDocumentId(props.documentId)) {
      if (isLegacy(p) && !required.includes('documentId')) required.push('documentId');
      continue;
    }
    if (k === 'documentIds' && props.documents && p.properties) {
      // Art. 8: each of the four documents is uploaded (the free references are not offered).
      properties[k] = { ...p, required: Object.keys(p.properties) };
      if (!required.includes(k)) required.push(k);
      continue;
    }
    properties[k] = p;
  }
  return { properties, required };
}

export interface JsonSchema {
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  items?: JsonSchema;
  enum?: unknown[];
  format?: string;
  pattern?: string;
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  minItems?: number;
  maxItems?: number;
  default?: unknown;
  description?: string;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  /** Added by mergedShapes: required when the sibling fields match one of the shapes (`when`). */
  requiredWhen?: Record<string, unknown[]>[];
}

type Values = Record<string, unknown>;
type Path = (string | number)[];

const isFen = (name: string) => /Fen$/.test(name);
const typeOf = (s: JsonSchema): string | undefined =>
  (Array.isArray(s.type) ? s.type.find((t) => t !== 'null') : s.type) ??
  (s.anyOf ? typeOf(s.anyOf.find((x) => x.type !== 'null') ?? {}) : undefined);

/**
 * A `oneOf` of object shapes (e.g. Art. 13: a single-source procurement must state its reason) as
 * one group: the properties of every shape (enums joined; a property optional in some shape keeps
 * that shape's looser rule), required when every shape requires it, and otherwise required when the
 * sibling fields select a shape that requires it (`requiredWhen`). The API checks the shapes again.
 */
function mergedShapes(schema: JsonSchema): JsonSchema {
  const shapes = schema.oneOf;
  if (!shapes?.length || !shapes.every((b) => typeOf(b) === 'object' && b.properties)) return schema;
  const required = shapes.map((b) => b.required ?? []).reduce((a, r) => a.filter((k) => r.includes(k)));
  const names = [...new Set(shapes.flatMap((b) => Object.keys(b.properties!)))];
  const properties: Record<string, JsonSchema> = {};
  for (const k of names) {
    const having = shapes.filter((b) => b.properties![k]);
    // The rule of a shape where the property is optional (the looser one), else any shape's.
    const base = (having.find((b) => !(b.required ?? []).includes(k)) ?? having[0]!).properties![k]!;
    const enumValues = having.flatMap((b) => b.properties![k]!.enum ?? []);
    properties[k] = { ...base, ...(enumValues.length ? { enum: [...new Set(enumValues)] } : {}) };
  }
  for (const [k, p] of Object.entries(properties)) {
    if (required.includes(k)) continue;
    const when = shapes
      .filter((b) => (b.required ?? []).includes(k))
      .map((b) =>
        Object.fromEntries(
          Object.entries(b.properties!)
            .filter(([n, q]) => n !== k && q.enum)
            .map(([n, q]) => [n, q.enum!]),
        ),
      );
    if (when.length) properties[k] = { ...p, requiredWhen: when };
  }
  return { type: 'object', properties, required };
}

function rulesOf(name: string, schema: JsonSchema, required: boolean, path: Path = [], l = fieldLabel(name)): Rule[] {
  const rules: Rule[] = [];
  const t = typeOf(schema);
  if (required && t !== 'boolean') rules.push({ required: true, message: `请填写${l}` });
  if (!required && schema.requiredWhen) {
    const siblings = path.slice(0, -1);
    rules.push(({ getFieldValue }) => ({
      validator: async (_r, v) => {
        const selected = schema.requiredWhen!.some((when) =>
          Object.entries(when).every(([n, values]) => values.includes(getFieldValue([...siblings, n]))),
        );
        if (selected && (v === undefined || v === null || String(v).trim() === '')) throw new Error(`请填写${l}`);
      },
    }));
  }
  if (t === 'string' && !schema.enum && !schema.format?.startsWith('date')) {
    if (schema.maxLength !== undefined)
      rules.push({ max: schema.maxLength, message: `${l}不超过 ${schema.maxLength} 个字符` });
    if (schema.minLength !== undefined && schema.minLength > 0)
      rules.push({ min: schema.minLength, message: `${l}至少 ${schema.minLength} 个字符` });
    if (schema.pattern) {
      const re = new RegExp(schema.pattern, 'u');
      rules.push({
        validator: async (_r, v) =>
          v === undefined || v === '' || re.test(String(v)) ? undefined : Promise.reject(new Error(`${l}格式不正确`)),
      });
    }
  }
  if (t === 'integer' || t === 'number') {
    const scale = isFen(name) ? 100 : 1;
    const unit = isFen(name) ? ' 元' : '';
    const min = schema.exclusiveMinimum !== undefined ? schema.exclusiveMinimum : schema.minimum;
    rules.push({
      validator: async (_r, v) => {
        if (v === undefined || v === null || v === '') return;
        const n = Number(v) * scale;
        if (!Number.isFinite(n)) throw new Error(`${l}须为数字`);
        if (t === 'integer' && !isFen(name) && !Number.isInteger(n)) throw new Error(`${l}须为整数`);
        if (min !== undefined && (schema.exclusiveMinimum !== undefined ? n <= min : n < min))
          throw new Error(
            `${l}不得${schema.exclusiveMinimum !== undefined ? '小于等于' : '小于'} ${min / scale}${unit}`,
          );
        if (schema.maximum !== undefined && n > schema.maximum)
          throw new Error(`${l}不得大于 ${schema.maximum / scale}${unit}`);
      },
    });
  }
  return rules;
}

/** Suggested values of text fields by name (e.g. the approved plan's items): picked from a list or typed. */
export type Choices = Record<string, Array<{ value: string; label: string }>>;

interface FieldProps {
  name: string;
  path: Path;
  schema: JsonSchema;
  required: boolean;
  context?: string;
  choices?: Choices;
}

function Field({ name, path, schema: given, required, context, choices }: FieldProps): ReactNode {
  const schema = mergedShapes(given);
  const l = fieldLabel(name, path.length > 1 ? path[path.length - 2] : undefined, context);
  const t = typeOf(schema);
  const id = `f-${path.join('-')}`;
  if (t === 'object' && schema.properties) {
    const shown = shownProperties(schema);
    return (
      <fieldset className="schema-group" aria-label={l} data-testid={`group-${path.join('-')}`}>
        <legend>{l}</legend>
        {Object.entries(shown.properties).map(([k, s]) => (
          <Field
            key={k}
            name={k}
            path={[...path, k]}
            schema={s}
            required={shown.required.includes(k)}
            context={context}
          />
        ))}
      </fieldset>
    );
  }
  if (t === 'array' && schema.items && typeOf(schema.items) === 'object') {
    const item = schema.items;
    return (
      <Form.List
        name={path}
        rules={[
          {
            validator: async (_r, v) =>
              (schema.minItems ?? 0) > ((v as unknown[] | undefined)?.length ?? 0)
                ? Promise.reject(new Error(`${l}至少 ${schema.minItems} 项`))
                : undefined,
          },
        ]}
      >
        {(fields, { add, remove }, { errors }) => (
          <fieldset className="schema-group" aria-label={l}>
            <legend>{l}</legend>
            {fields.map((f, i) => (
              <Card
                key={f.key}
                size="small"
                title={`${l} ${i + 1}`}
                extra={
                  <Button size="small" onClick={() => remove(f.name)} aria-label={`删除${l} ${i + 1}`}>
                    删除
                  </Button>
                }
                style={{ marginBottom: 8 }}
              >
                {Object.entries(item.properties ?? {}).map(([k, s]) => (
                  <Field
                    key={k}
                    name={k}
                    path={[f.name, k]}
                    schema={s}
                    required={item.required?.includes(k) ?? false}
                    context={context}
                  />
                ))}
              </Card>
            ))}
            <Button onClick={() => add()} disabled={schema.maxItems !== undefined && fields.length >= schema.maxItems}>
              添加{l}
            </Button>
            <Form.ErrorList errors={errors} />
          </fieldset>
        )}
      </Form.List>
    );
  }
  const rules = rulesOf(name, schema, required, path, l);
  if (isDocumentId(schema)) {
    // The document's own name: the application's four by kind, else what the command files.
    const what = name === 'documentId' ? documentLabel(context) : l;
    return (
      <Form.Item name={path} label={what} rules={required ? [{ required: true, message: `请上传${what}` }] : []}>
        <DocumentUpload label={what} testId={`upload-${path.join('-')}`} />
      </Form.Item>
    );
  }
  if (schema.enum) {
    const options = schema.enum.map((v) => ({ value: v as string, label: valueLabel(name, v, context) }));
    return (
      <Form.Item name={path} label={l} rules={rules} htmlFor={id}>
        {options.length <= 4 ? (
          <Radio.Group id={id} aria-label={l} options={options} />
        ) : (
          <Select id={id} aria-label={l} options={options} placeholder={`选择${l}`} />
        )}
      </Form.Item>
    );
  }
  if (t === 'boolean') {
    return (
      <Form.Item name={path} valuePropName="checked" rules={rules} initialValue={false}>
        <Checkbox id={id}>{l}</Checkbox>
      </Form.Item>
    );
  }
  if (t === 'integer' || t === 'number') {
    return (
      <Form.Item name={path} label={l} rules={rules} htmlFor={id}>
        <InputNumber
          id={id}
          aria-label={l}
          style={{ width: 240 }}
          precision={isFen(name) ? 2 : t === 'integer' ? 0 : undefined}
          {...(isFen(name) ? { suffix: '元' } : {})}
        />
      </Form.Item>
    );
  }
  if (schema.format === 'date') {
    // Kept in the form as YYYY-MM-DD (what the API takes); shown and typed as 2026年12月11日.
    return (
      <Form.Item
        name={path}
        label={l}
        rules={rules}
        htmlFor={id}
        getValueProps={(v: unknown) => ({ value: typeof v === 'string' && v ? dayjs(v) : undefined })}
        normalize={(d: Dayjs | null) => (d ? d.format('YYYY-MM-DD') : undefined)}
      >
        <DatePicker
          id={id}
          format={DATE_FORMATS}
          placeholder="选择日期"
          style={{ width: 240 }}
          onKeyDown={confirmWithoutSubmit}
        />
      </Form.Item>
    );
  }
  if (schema.format === 'date-time') {
    return (
      <Form.Item
        name={path}
        label={l}
        rules={rules}
        htmlFor={id}
        getValueProps={(v: unknown) => ({ value: typeof v === 'string' && v ? dayjs(v) : undefined })}
        normalize={(d: Dayjs | null) => (d ? d.toISOString() : undefined)}
      >
        <DatePicker
          id={id}
          showTime={{ format: 'HH:mm' }}
          format={DATE_TIME_FORMATS}
          placeholder="选择日期和时间"
          style={{ width: 240 }}
          onKeyDown={confirmWithoutSubmit}
        />
      </Form.Item>
    );
  }
  const long = (schema.maxLength ?? 0) > 500;
  const suggested = choices?.[name];
  if (suggested && suggested.length > 0) {
    return (
      <Form.Item name={path} label={l} rules={rules} htmlFor={id}>
        <AutoComplete
          id={id}
          options={suggested}
          placeholder={`选择或填写${l}`}
          filterOption={(input, o) => String(o?.label ?? '').includes(input) || String(o?.value ?? '').includes(input)}
        />
      </Form.Item>
    );
  }
  return (
    <Form.Item name={path} label={l} rules={rules} htmlFor={id}>
      {long ? <Input.TextArea id={id} rows={2} /> : <Input id={id} />}
    </Form.Item>
  );
}

/** Form values → request body: amounts to fen, local date-times to instants, empty optional fields dropped. */
export function toBody(given: JsonSchema, values: unknown, name = ''): unknown {
  const schema = mergedShapes(given);
  const t = typeOf(schema);
  if (values === undefined || values === null) return undefined;
  if (t === 'object' && schema.properties) {
    const out: Values = {};
    const shown = shownProperties(schema);
    for (const [k, s] of Object.entries(shown.properties)) {
      const v = toBody(s, (values as Values)[k], k);
      const optional = !shown.required.includes(k);
      // An optional group left empty is left out (e.g. `documentIds` when the legacy references are used).
      const emptyGroup = typeof v === 'object' && v !== null && !Array.isArray(v) && Object.keys(v).length === 0;
      if (v === undefined || (optional && (v === '' || emptyGroup))) continue;
      out[k] = v;
    }
    return out;
  }
  if (t === 'array' && schema.items) return (values as unknown[]).map((v) => toBody(schema.items!, v, name));
  if ((t === 'integer' || t === 'number') && isFen(name)) return Math.round(Number(values) * 100);
  if (t === 'integer' || t === 'number') return Number(values);
  if (typeof values === 'string') return values.trim();
  return values;
}

export interface SchemaFormProps {
  schema: JsonSchema;
  /** Fields the console fills itself (path parameters, the project, …): not shown. */
  hidden?: string[];
  /** Names a command for enum labels that depend on it. */
  context?: string;
  initialValues?: Values;
  submitLabel: string;
  onSubmit: (body: Values) => Promise<unknown>;
  onDone?: (result: unknown) => void;
  testId?: string;
  choices?: Choices;
}

export function SchemaForm({
  schema,
  hidden = [],
  context,
  initialValues,
  submitLabel,
  onSubmit,
  onDone,
  testId,
  choices,
}: SchemaFormProps) {
  const [form] = Form.useForm();
  const [problem, setProblem] = useState<Problem>();
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState(false);
  const shown = shownProperties(schema);
  const props = Object.entries(shown.properties).filter(([k]) => !hidden.includes(k));
  const submit = async (values: Values) => {
    setBusy(true);
    setProblem(undefined);
    setDone(false);
    try {
      const body = toBody(
        { ...schema, properties: Object.fromEntries(props), required: shown.required },
        values,
      ) as Values;
      const result = await onSubmit(body);
      setDone(true);
      onDone?.(result);
    } catch (err) {
      setProblem(err instanceof ProblemError ? err.problem : { status: 0, title: '操作失败', detail: String(err) });
    } finally {
      setBusy(false);
    }
  };
  return (
    <Form
      form={form}
      layout="vertical"
      onFinish={submit}
      initialValues={initialValues}
      data-testid={testId}
      className="schema-form"
    >
      {props.map(([k, s]) => (
        <Field
          key={k}
          name={k}
          path={[k]}
          schema={s}
          required={shown.required.includes(k)}
          context={context}
          choices={choices}
        />
      ))}
      {problem && <ProblemAlert problem={problem} />}
      {done && <Alert type="success" showIcon message="已提交" style={{ marginBottom: 12 }} />}
      <Space>
        <Button type="primary" htmlType="submit" loading={busy} data-testid={testId ? `${testId}-submit` : undefined}>
          {submitLabel}
        </Button>
      </Space>
    </Form>
  );
}
