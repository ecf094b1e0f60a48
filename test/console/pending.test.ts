/**
 * Issue 28 (HIGH 3, the console's side): a write the API answers 202 — accepted by Temporal, outcome
 * not known yet — is asked again with the same Idempotency-Key until the answer is definite, and a
 * 202 that stands is shown as "submitted, not yet certain", never as done.
 */
import { describe, expect, it } from 'vitest';
import { ok, ProblemError, withPendingRetries } from '../../console/src/api.ts';

const pending = () =>
  new Response(JSON.stringify({ outcome: 'pending' }), {
    status: 202,
    headers: { 'Retry-After': '5', 'Content-Type': 'application/json' },
  });

describe('console writes and 202 pending', () => {
  it('every write gets a fresh Idempotency-Key, and a retry after 202 repeats the same request with the same key', async () => {
    const seen: Array<{ method: string; key: string | null; body: string }> = [];
    const answers = [pending(), pending(), new Response('{"id":"p1"}', { status: 200 })];
    const waits: number[] = [];
    const send = withPendingRetries(
      async (req) => {
        const r = req as Request;
        seen.push({ method: r.method, key: r.headers.get('Idempotency-Key'), body: await r.text() });
        return answers.shift()!;
      },
      async (ms) => {
        waits.push(ms);
      },
    );
    const res = await send(
      new Request('http://console.test/v1/projects/p1/disbursements', { method: 'POST', body: '{"amountFen":100}' }),
    );
    expect(res.status).toBe(200);
    expect(seen).toHaveLength(3);
    expect(new Set(seen.map((s) => s.key)).size).toBe(1);
    expect(seen[0]!.key).toMatch(/^console-[0-9a-f-]{36}$/);
    expect(seen.every((s) => s.body === '{"amountFen":100}')).toBe(true);
    expect(waits).toEqual([5000, 5000]);

    const other = withPendingRetries(async (req) => {
      seen.push({ method: (req as Request).method, key: (req as Request).headers.get('Idempotency-Key'), body: '' });
      return new Response('{}', { status: 200 });
    });
    await other(new Request('http://console.test/v1/projects/p1/disbursements', { method: 'POST', body: '{}' }));
    expect(seen.at(-1)!.key).not.toBe(seen[0]!.key);
    await other(new Request('http://console.test/v1/projects/p1', { method: 'GET' }));
    expect(seen.at(-1)!.key).toBeNull();
  });

  it('a 202 that stands after the retries is a Chinese notice, not a success', async () => {
    let calls = 0;
    const send = withPendingRetries(
      async () => {
        calls++;
        return pending();
      },
      async () => {},
    );
    const response = await send(
      new Request('http://console.test/v1/projects/p1/evaluations', { method: 'POST', body: '{}' }),
    );
    expect([response.status, calls]).toEqual([202, 7]);
    const error = await ok(Promise.resolve({ data: { outcome: 'pending' }, response })).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ProblemError);
    expect((error as ProblemError).problem).toMatchObject({
      status: 202,
      code: 'outcome_pending',
      title: '已提交，结果尚未确定',
    });
    expect((error as ProblemError).problem.detail).toMatch(/不要重复提交/);
  });
});
