/** A refusal as the API worded it: the problem's title and detail (zh-CN), and the field errors. */
import { Alert } from 'antd';
import type { Problem } from './api.ts';

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
                  {e.path}：{e.message}
                </li>
              ))}
            </ul>
          )}
        </>
      }
    />
  );
}
