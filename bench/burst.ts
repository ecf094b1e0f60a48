/**
 * The burst scenario: N parallel `POST /v1/projects` without Idempotency-Key over real HTTP, as a
 * bureau's program that fires its backlog at once would send them. A creation the API accepted must
 * never be answered as "nothing applied" (5xx): the client would retry and file a duplicate. So the
 * scenario counts the answers by status, waits until the workflows have written their read-model
 * rows, and compares the projects that exist with the 201s (and 202s: accepted, outcome pending).
 */
import { like, count } from 'drizzle-orm';
import type { Hono } from 'hono';
import type { Database } from '../db/client.ts';
import { projects } from '../db/schema.ts';

export type BurstResult = {
  requests: number;
  seconds: number;
  statuses: Record<string, number>;
  projectsCreated: number;
  fiveHundreds: number;
  equal: boolean;
};

export async function burstCreations(opts: {
  app: Hono<any>;
  db: Database;
  key: string;
  requests: number;
  application: (i: number) => Record<string, unknown>;
  log: (line: string) => void;
}): Promise<BurstResult> {
  const { serve } = await import('@hono/node-server');
  const server = await new Promise<{ close(cb: () => void): void; port: number }>((resolve) => {
    const s = serve({ fetch: opts.app.fetch, port: 0, hostname: '127.0.0.1' }, (info) =>
      resolve({ close: (cb) => s.close(cb), port: info.port }),
    );
  });
  const tag = `突发创建 burst ${Date.now().toString(36)}`;
  const statuses: Record<string, number> = {};
  const t = performance.now();
  try {
    await Promise.all(
      Array.from({ length: opts.requests }, async (_, i) => {
        let status: string;
        try {
          const res = await fetch(`http://127.0.0.1:${server.port}/v1/projects`, {
            method: 'POST',
            headers: { authorization: `Bearer ${opts.key}`, 'content-type': 'application/json' },
            body: JSON.stringify({ ...opts.application(i), title: `${tag} ${i}` }),
            signal: AbortSignal.timeout(120_000),
          });
          await res.arrayBuffer();
          status = String(res.status);
        } catch (err) {
          status = `network error (${(err as Error).name})`;
        }
        statuses[status] = (statuses[status] ?? 0) + 1;
      }),
    );
  } finally {
    await new Promise<void>((r) => server.close(() => r()));
  }
  const seconds = (performance.now() - t) / 1000;
  // The workflow writes the read-model row with the creation; a 202's creation may finish later.
  const created = async () =>
    (
      await opts.db
        .select({ n: count() })
        .from(projects)
        .where(like(projects.title, `${tag} %`))
    )[0]!.n;
  let projectsCreated = await created();
  for (let stable = 0, waited = 0; stable < 3 && waited < 60; waited++) {
    await new Promise((r) => setTimeout(r, 1000));
    const now = await created();
    stable = now === projectsCreated ? stable + 1 : 0;
    projectsCreated = now;
  }
  const fiveHundreds = Object.entries(statuses)
    .filter(([s]) => s.startsWith('5'))
    .reduce((n, [, c]) => n + c, 0);
  const accepted = (statuses['201'] ?? 0) + (statuses['202'] ?? 0);
  opts.log(
    `burst: ${opts.requests} creations in ${seconds.toFixed(1)} s: ${JSON.stringify(statuses)}; ${projectsCreated} projects exist`,
  );
  return {
    requests: opts.requests,
    seconds,
    statuses,
    projectsCreated,
    fiveHundreds,
    equal: projectsCreated === accepted,
  };
}
