import { useCallback, useEffect, useState } from 'react';
import { ProblemError, type Problem } from './api.ts';

/** Loads data once (and on `reload`); a refusal is kept as the API's problem. */
export function useLoad<T>(load: () => Promise<T>, deps: unknown[]) {
  const [data, setData] = useState<T>();
  const [problem, setProblem] = useState<Problem>();
  const [loading, setLoading] = useState(true);
  // `deps` are the caller's: `run` is the caller's `load` as of the last change of `deps`.
  const run = useCallback(load, deps);
  const reload = useCallback(async () => {
    setLoading(true);
    try {
      setData(await run());
      setProblem(undefined);
    } catch (err) {
      setProblem(err instanceof ProblemError ? err.problem : { status: 0, title: '加载失败', detail: String(err) });
    } finally {
      setLoading(false);
    }
  }, [run]);
  useEffect(() => {
    void reload();
  }, [reload]);
  return { data, problem, loading, reload, setData };
}
