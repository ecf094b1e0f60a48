/**
 * The one label catalogue (domain/labels/values.ts LABELS) that the API and the console read (issue 26):
 * every action a person can meet — a command, a pending action, an audit entry — has a Chinese
 * name; articles read 第十条、第十二条; validation messages read in Chinese from zod's issues and
 * the schemas' own words; the accepted document types are named for every type the store accepts.
 */
import { describe, expect, it } from 'vitest';
import { COMMAND_ACTIONS } from '../../domain/commands.ts';
import { DOCUMENT_TYPE_NAMES, formatBytes } from '../../domain/labels/problems.ts';
import { actionLabel, articleLabel, chineseNumber, label } from '../../domain/labels/values.ts';
import { validationMessage } from '../../domain/validation-texts.ts';
import { DOCUMENT_TYPES } from '../../lib/document-types.ts';

const CJK = /[\u4e00-\u9fff]/;

describe('action names', () => {
  it('every command has a Chinese name, and so do the pending actions and audit entries that are not commands', () => {
    const others = [
      'application',
      'existing-system',
      'rectification-decision',
      'county-share-confirmation',
      'publicity-ended',
      'deadline-missed',
      'deadline-reminder',
      'deadline-rescheduled',
      'cloud-platform-evaluation',
    ];
    for (const action of [...Object.values(COMMAND_ACTIONS), ...others]) {
      expect(actionLabel(action), action).toMatch(CJK);
      expect(actionLabel(action), action).not.toBe(action);
    }
    expect(actionLabel('leader-change')).toBe('变更项目负责人');
    expect(actionLabel('change-request-opinion')).toBe('对调整申请提出意见');
    expect(actionLabel('progress-report')).toBe('报送对照分析');
    expect(actionLabel('completion-report')).toBe('竣工验收报告备案');
    expect(actionLabel('technical-review-rejected')).toBe('技术审核（未受理）');
    expect(actionLabel('leader-change', 'en')).toBe('leader change');
  });

  it('a returned application reads 退回修改; procurement methods and ledger movements have names', () => {
    expect(label('stage', 'submitted')).toBe('退回修改');
    expect(label('procurementMethod', 'open-tender')).toBe('公开招标');
    expect(label('movementKind', 'allocate')).toBe('安排资金');
    expect(label('documentKind', 'investmentEstimate')).toBe('投资概算');
  });
});

describe('articles', () => {
  it('Art. 10, 12 → 第十条、第十二条; numbers in Chinese numerals', () => {
    expect(articleLabel('Art. 10, 12')).toBe('第十条、第十二条');
    expect(articleLabel('Art. 22')).toBe('第二十二条');
    expect(articleLabel('Art. 3')).toBe('第三条');
    expect(articleLabel('Art. 26-29')).toBe('第二十六条至第二十九条');
    expect(articleLabel('本地政策')).toBe('本地政策');
    expect(articleLabel('Art. 10, 12', 'en')).toBe('Art. 10, 12');
    expect([1, 10, 11, 20, 21, 30, 99].map(chineseNumber)).toEqual([
      '一',
      '十',
      '十一',
      '二十',
      '二十一',
      '三十',
      '九十九',
    ]);
  });
});

describe('validation messages', () => {
  it("zod's issues in Chinese", () => {
    expect(
      validationMessage({
        code: 'invalid_type',
        expected: 'string',
        message: 'Invalid input: expected string, received undefined',
      }),
    ).toBe('必填');
    expect(
      validationMessage({
        code: 'invalid_type',
        expected: 'number',
        message: 'Invalid input: expected number, received string',
      }),
    ).toBe('应为数字');
    expect(
      validationMessage({ code: 'too_small', origin: 'string', minimum: 1, inclusive: true, message: 'Too small' }),
    ).toBe('不能为空');
    expect(
      validationMessage({ code: 'too_big', origin: 'string', maximum: 200, inclusive: true, message: 'Too big' }),
    ).toBe('不能超过 200 个字符');
    expect(
      validationMessage({ code: 'too_small', origin: 'number', minimum: 0, inclusive: true, message: 'Too small' }),
    ).toBe('不能小于 0');
    expect(
      validationMessage({ code: 'too_small', origin: 'array', minimum: 1, inclusive: true, message: 'Too small' }),
    ).toBe('至少 1 项');
    expect(validationMessage({ code: 'unrecognized_keys', keys: ['colour'], message: 'Unrecognized key' })).toBe(
      '不接受的字段：colour',
    );
    expect(validationMessage({ code: 'invalid_value', values: ['pass', 'fail'], message: 'Invalid option' })).toBe(
      '应为以下之一：pass、fail',
    );
    expect(validationMessage({ code: 'custom', message: 'something nobody wrote down' })).toBe('不符合要求');
  });

  it("the schemas' own words in Chinese; English on request", () => {
    const missing =
      'send documentIds.feasibilityStudy (an uploaded document) or documents.feasibilityStudy (legacy free text), exactly one';
    expect(validationMessage({ code: 'custom', message: missing })).toBe(
      '缺少可行性研究报告：请上传文件（或填写原有的文件引用），二者只能选一',
    );
    expect(validationMessage({ code: 'custom', message: missing }, 'en')).toBe(missing);
    expect(
      validationMessage({
        code: 'custom',
        message: 'send documentId (an uploaded document) or reportRef (legacy free text), exactly one',
      }),
    ).toBe('缺少文件：请上传文件（或填写原有的文件引用），二者只能选一');
    expect(
      validationMessage({ code: 'invalid_format', format: 'regex', message: 'must be a quarter like 2026Q3' }),
    ).toBe('须为季度，例如 2026Q3');
    expect(validationMessage({ message: 'required when approving' })).toBe('批准时必填');
  });
});

describe('documents', () => {
  it('every type the store accepts is named, and sizes read as people say them', () => {
    expect(Object.keys(DOCUMENT_TYPE_NAMES).sort()).toEqual(Object.keys(DOCUMENT_TYPES).sort());
    expect(formatBytes(50 * 1024 * 1024)).toBe('50 兆字节');
    expect(formatBytes(256 * 1024)).toBe('256 千字节');
    expect(formatBytes(712)).toBe('712 字节');
    expect(formatBytes(1536)).toBe('1.5 千字节');
  });
});
