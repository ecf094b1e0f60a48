/**
 * The field errors of a 400 validation_failed in Chinese (docs/API.md "Language": problem texts are zh-CN by
 * default, English on `Accept-Language: en`): from zod's issue (its code, bounds, values) or from the
 * message a schema wrote itself. The English stays the schema's or zod's own words.
 * Pure and deterministic, like domain/labels/ whose labels it uses.
 */
import { DEFAULT_LANGUAGE, formatYuan, type Language } from './labels/language.ts';
import { label } from './labels/values.ts';

/** An issue of a validation error: zod's (code and its fields) or one the code wrote (message only). */
export interface ValidationIssue {
  code?: string;
  message: string;
  origin?: string;
  expected?: string;
  minimum?: number | bigint;
  maximum?: number | bigint;
  inclusive?: boolean;
  values?: readonly unknown[];
  keys?: readonly string[];
  format?: string;
  divisor?: number;
}

const TYPE_NAMES: Record<string, string> = {
  string: '文本',
  number: '数字',
  int: '整数',
  integer: '整数',
  boolean: '是或否',
  object: '一组字段',
  array: '列表',
  date: '日期',
};
const DOCUMENT_CHOICE = '请上传文件（或填写原有的文件引用），二者只能选一';

/** Messages the schemas wrote themselves (English) and their Chinese; `$1`… are the pattern's groups. */
const VALIDATION_MESSAGES: Array<[RegExp, (m: RegExpExecArray) => string]> = [
  [
    /^send documentIds\.(\w+) \(an uploaded document\) or documents\.\w+ \(legacy free text\), exactly one$/,
    (m) => `缺少${label('documentKind', m[1])}：${DOCUMENT_CHOICE}`,
  ],
  [
    /^send documentId \(an uploaded document\) or \w+ \(legacy free text\), exactly one$/,
    () => `缺少文件：${DOCUMENT_CHOICE}`,
  ],
  [/^\w+ must be left out \(or be sm3:\w+\) when documentId is given\.$/, () => `已上传文件时不能再填写文件引用`],
  [/^name at least one document, or leave documentIds out$/, () => '请至少上传一份申报材料'],
  [/^is not a document id/, () => '不是已上传文件的编号，请重新上传'],
  [/^must be integer fen$/, () => '金额最多两位小数（精确到分）'],
  [/^must be 0 or more fen$/, () => '金额不能为负数'],
  [/^must be 1 fen or more$/, () => '金额至少 0.01 元'],
  [/^must be at most (\d+) fen/, (m) => `金额不能超过 ${formatYuan(Number(m[1]))}`],
  [/^must be an ISO 8601 instant$/, () => '须为时间（年月日时分）'],
  [/^has duplicate codes$/, () => '目录编码不能重复'],
  [/^contains a character that cannot be stored/, () => '含有不能保存的字符'],
  [/^must not be blank/, () => '不能为空'],
  [/^must be a year$/, () => '须为年份'],
  [/^must be (\d+) or later$/, (m) => `不能早于 ${m[1]} 年`],
  [/^must be (\d+) or earlier$/, (m) => `不能晚于 ${m[1]} 年`],
  [/^must be a calendar date YYYY-MM-DD that exists$/, () => '须为存在的日期'],
  [/^must be a whole number$/, () => '须为整数'],
  [/^is not an id$/, () => '编号格式不正确'],
  [/^must be 1-64 characters without \/, spaces or NUL$/, () => '须为 1 至 64 个字符，不能含斜杠或空格'],
  [/^must be a quarter like/, () => '须为季度，例如 2026Q3'],
  [/^must be `city` or a county code$/, () => '须为市本级或县（市、区）的代码'],
  [/^must be a department code/, () => '部门代码格式不正确'],
  [/^is not a project id$/, () => '不是项目编号'],
  [/^cityShareFen \+ countyShareFen must equal totalFen/, () => '市级承担与县级承担之和须等于总投资（第十二条）'],
  [/^department is required for role `department`/, () => '项目单位须选择部门，其他角色不选部门'],
  [/^must be 3-64 lower-case letters/, () => '登录名须为 3 至 64 个小写字母、数字或 . _ -'],
  [/^must be a phone number/, () => '电话号码格式不正确'],
  [/^must be the 6-digit code$/, () => '须为 6 位数字'],
  [/^is not a cursor returned by this API$/, () => '分页位置无效，请从第一页重新查询'],
  [/^item codes must be unique within a year$/, () => '同一年度的计划项目编码不能重复'],
  [/^each date may appear once$/, () => '每个日期只能出现一次'],
  [/^is required$/, () => '必填'],
  [/^required when approving$/, () => '批准时必填'],
  [/^required \(Art\. 29/, () => '必填（第二十九条：向谁报告、何时报告）'],
  [/^unknown command$/, () => '没有这个操作'],
  [/^must be 1-128 printable ASCII characters$/, () => '须为 1 至 128 个可打印的 ASCII 字符'],
  [/^missing or invalid$/, () => '缺少文件名，或文件名过长、含有 / \\ 或控制字符'],
  [/^Invalid input: expected \w+, received undefined$/, () => '必填'],
  [/^Malformed JSON/, () => '请求体不是有效的 JSON'],
  [/^must be a date in (\d{4})$/, (m) => `须为 ${m[1]} 年内的日期`],
  [/^must be a year between (\d+) and (\d+)$/, (m) => `须为 ${m[1]} 至 ${m[2]} 年之间的年份`],
  [/^must be a year of four digits$/, () => '须为四位数的年份'],
  [/^must be MM-DD$/, () => '须为月-日，例如 03-31'],
  [/^must be a version number$/, () => '须为版本号'],
  [/^must be at least (\d+) characters$/, (m) => `至少 ${m[1]} 个字符`],
  [/^must be base64$/, () => '须为 Base64 编码'],
  [/^must be an http\(s\) URL without credentials$/, () => '须为不含用户名和密码的 http 或 https 地址'],
  [/^is not a cursor of this list$/, () => '分页位置无效，请从第一页重新查询'],
  [/^lists an allocation twice$/, () => '同一资金安排不能列入两次'],
  [/^reminder must be shorter than the deadline itself$/, () => '提醒时间须短于期限本身'],
  [/^is filed with another project$/, () => '该文件已用于其他项目'],
  [/^is not an? ([a-z ]+) id$|^is not a (department code|notification kind)$/, () => '编号格式不正确'],
];

const bound = (issue: ValidationIssue, which: 'minimum' | 'maximum') => Number(issue[which]);

/** A validation issue's message in a language: English as the schema or zod wrote it, Chinese from the issue. */
export function validationMessage(issue: ValidationIssue, lang: Language = DEFAULT_LANGUAGE): string {
  if (lang === 'en') return issue.message;
  for (const [pattern, zh] of VALIDATION_MESSAGES) {
    const m = pattern.exec(issue.message);
    if (m) return zh(m);
  }
  const unit = issue.origin === 'string' ? ' 个字符' : issue.origin === 'array' || issue.origin === 'set' ? ' 项' : '';
  switch (issue.code) {
    case 'invalid_type':
      return `应为${TYPE_NAMES[issue.expected ?? ''] ?? '其他类型'}`;
    case 'too_small':
      if (issue.origin === 'string' && bound(issue, 'minimum') <= 1) return '不能为空';
      if (unit) return `至少 ${bound(issue, 'minimum')}${unit}`;
      return issue.inclusive === false ? `须大于 ${bound(issue, 'minimum')}` : `不能小于 ${bound(issue, 'minimum')}`;
    case 'too_big':
      if (unit) return `不能超过 ${bound(issue, 'maximum')}${unit}`;
      return issue.inclusive === false ? `须小于 ${bound(issue, 'maximum')}` : `不能大于 ${bound(issue, 'maximum')}`;
    case 'invalid_value':
      return `应为以下之一：${(issue.values ?? []).map(String).join('、')}`;
    case 'unrecognized_keys':
      return `不接受的字段：${(issue.keys ?? []).join('、')}`;
    case 'invalid_format':
      return issue.format === 'datetime' ? '须为时间（ISO 8601）' : issue.format === 'date' ? '须为日期' : '格式不正确';
    case 'not_multiple_of':
      return `须为 ${issue.divisor} 的倍数`;
    case 'invalid_union':
      return '不符合任何一种允许的写法';
    default:
      return '不符合要求';
  }
}
