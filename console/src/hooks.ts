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

/**
 * A list read page by page with a keyset cursor (the API's `nextCursor`), newest first: the first
 * page loads at once, `loadMore` appends the next one; `next` is null once there is none.
 */
export function useCursorPages<T>(
  load: (cursor: string | undefined) => Promise<{ items: T[]; nextCursor?: string | null | undefined }>,
  deps: unknown[],
) {
  const [cursor, setCursor] = useState<string | null>(null);
  const [more, setMore] = useState<T[]>([]);
  const first = useLoad(() => load(undefined), deps);
  const next = cursor ?? first.data?.nextCursor ?? null;
  const loadMore = async () => {
    if (!next) return;
    const page = await load(next);
    setMore((m) => [...m, ...page.items]);
    setCursor(page.nextCursor ?? '');
  };
  return { first, rows: [...(first.data?.items ?? []), ...more], next, loadMore };
}
