import { burstCreations } from '../burst.ts';
import type { BenchContext } from '../setup.ts';
import { quick } from '../options.ts';
import { results, row, application } from '../machinery.ts';

export async function burst(ctx: BenchContext): Promise<void> {
  const { log, database, app, keys } = ctx;
  // 300 parallel creations without Idempotency-Key over HTTP: no 5xx for a created project, and
  // as many projects as creations answered 201 (or 202: accepted, outcome pending).
  const r = await burstCreations({
    app,
    db: database.db,
    key: keys.dept,
    requests: quick ? 60 : 300,
    application,
    log,
  });
  results.burst = { ...r, targets: { fiveHundreds: 0, projectsEqualAccepted: true } };
  const answers = Object.entries(r.statuses)
    .map(([s, n]) => `${s}×${n}`)
    .join(', ');
  row(
    'burst',
    `${r.requests} parallel POST /v1/projects, no Idempotency-Key, HTTP`,
    `${answers} in ${r.seconds.toFixed(1)} s; ${r.projectsCreated} projects`,
    `target: no 5xx (${r.fiveHundreds}), projects = 201s + 202s (${r.equal ? 'equal' : 'NOT equal'})`,
  );
  // Not a timing: a created project answered 5xx, or a project nobody was told about, is a defect.
  if (r.fiveHundreds > 0 || !r.equal) {
    log(
      `burst: FAILED — ${r.fiveHundreds} answers 5xx, ${r.projectsCreated} projects for ${JSON.stringify(r.statuses)}`,
    );
    process.exitCode = 1;
  }
}
