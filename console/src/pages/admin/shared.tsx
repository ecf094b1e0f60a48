/**
 * What the administration pages share: a submit with the API's refusal kept, rules read from the
 * API's schemas, and the button that loads a paged trail's earlier entries.
 */
import { Button } from 'antd';
import type { Rule } from 'antd/es/form';
import { useState } from 'react';
import { ProblemError, type Problem } from '../../api.ts';
import forms from '../../forms.generated.json';
import type { JsonSchema } from '../../SchemaForm.tsx';

const BODIES = forms.bodies as unknown as Record<string, JsonSchema>;

/**
 * The pattern a field of a request body must match, from the OpenAPI document (one definition of the
 * rule), with the Chinese message that says what is expected.
 */
export function patternRule(body: string, field: string, message: string): Rule {
  const pattern = BODIES[body]?.properties?.[field]?.pattern;
  const re = pattern ? new RegExp(pattern, 'u') : undefined;
  return {
    validator: async (_r, v) =>
      v === undefined || v === '' || !re || re.test(String(v)) ? undefined : Promise.reject(new Error(message)),
  };
}

/** Runs a write; keeps the API's problem (shown with ProblemAlert) and whether it is running. */
export function useSubmit() {
  const [problem, setProblem] = useState<Problem>();
  const [busy, setBusy] = useState(false);
  const run = async <T,>(write: () => Promise<T>): Promise<T | undefined> => {
    setBusy(true);
    setProblem(undefined);
    try {
      return await write();
    } catch (err) {
      setProblem(err instanceof ProblemError ? err.problem : { status: 0, title: '操作失败', detail: String(err) });
      return undefined;
    } finally {
      setBusy(false);
    }
  };
  return { problem, busy, run, clear: () => setProblem(undefined) };
}

/** Loads the earlier entries of a paged trail (useCursorPages); nothing once there are none. */
export function LoadEarlier({ next, loadMore }: { next: string | null; loadMore: () => Promise<void> }) {
  return next ? (
    <Button size="small" style={{ marginTop: 8 }} onClick={() => void loadMore()}>
      加载更早的记录
    </Button>
  ) : null;
}
