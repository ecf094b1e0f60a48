/**
 * A refusal as the API worded it: the problem's title and detail (zh-CN), and each field error under
 * the field's Chinese name (the API's path, e.g. `json.documentIds.proposal`, read as 申报材料 › 项目建议书).
 */
import { Alert } from 'antd';
import type { Problem } from './api.ts';
import { fieldLabel } from './labels.ts';

const WHERE = new Set(['body', 'json', 'query', 'param', 'header']);

/** A field error's path in words; the request itself when it names no field. */
export function pathLabel(path: string): string {
  const parts = path.split('.').filter(Boolean);
  if (WHERE.has(parts[0] ?? '')) parts.shift();
  if (parts.length === 0) return '请求';
  return parts
    .map((p, i) => (/^\d+$/.test(p) ? `第 ${Number(p) + 1} 项` : fieldLabel(p, i > 0 ? parts[i - 1] : undefined)))
    .join(' › ');
}

export function ProblemAlert({ problem }: { problem: Problem }) {
  return (
    <Alert
      type="error"
      showIcon
      role="alert"
      className="problem"
      style={{ marginBottom: 12 }}
      message={problem.title}
      description={
        <>
          {problem.detail && <div>{problem.detail}</div>}
          {problem.errors && problem.errors.length > 0 && (
            <ul style={{ margin: 0, paddingLeft: 20 }}>
              {problem.errors.map((e, i) => (
                <li key={i}>
                  {pathLabel(e.path)}：{e.message}
                </li>
              ))}
            </ul>
          )}
        </>
      }
    />
  );
}
