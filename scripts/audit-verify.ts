/**
 * `npm run audit:verify`: recomputes every project's SM3 hash chain (Art. 24-25, 28) in DATABASE_URL
 * or the embedded PGlite and checks the trail is complete (every decision of the read model has its
 * entry, entries follow time, no project without a trail); prints one line per project (OK, or
 * BROKEN with each bad seq and why) and exits 1 if any is broken, so it can run from cron or CI.
 * `--project <id>` checks one. Then the accounts' security trail (Art. 22; GB/T 39786) and the
 * administrators' trail: each one SM3 chain, OK or BROKEN with each bad seq (skipped with
 * --project).
 */
import { parseArgs } from 'node:util';
import {
  projectsWithReadModel,
  projectsWithTrail,
  verifyAuditChain,
  verifyAuditCompleteness,
} from '../db/queries/audit.ts';
import { openDatabase } from '../db/client.ts';
import { verifyAccountEvents } from '../db/queries/account-events.ts';
import { verifyAdminEvents } from '../db/queries/admin-trail.ts';
import { loadConfig } from '../lib/config.ts';

const { values } = parseArgs({ options: { project: { type: 'string' } }, strict: true });
const config = loadConfig();
const handle = await openDatabase({ url: config.database.url, dataDir: config.database.dataDir, max: 2 });
let broken = 0;
let checked = 0;
try {
  const ids = values.project
    ? [values.project]
    : [...new Set([...(await projectsWithTrail(handle.db)), ...(await projectsWithReadModel(handle.db))])].sort();
  for (const id of ids) {
    const problems = [...(await verifyAuditChain(handle.db, id)), ...(await verifyAuditCompleteness(handle.db, id))];
    checked++;
    if (problems.length === 0) {
      console.log(`OK      ${id}`);
    } else {
      broken++;
      console.log(`BROKEN  ${id}`);
      for (const p of problems) console.log(`        seq ${p.seq}: ${p.problem}`);
    }
  }
  console.log(`audit:verify: ${checked} project chain(s) checked, ${broken} broken`);
  if (!values.project) {
    for (const [name, verify] of [
      ['accounts security trail', verifyAccountEvents],
      ["administrators' trail", verifyAdminEvents],
    ] as const) {
      const problems = await verify(handle.db);
      if (problems.length === 0) {
        console.log(`OK      ${name}`);
      } else {
        broken++;
        console.log(`BROKEN  ${name}`);
        for (const p of problems) console.log(`        seq ${p.seq}: ${p.problem}`);
      }
    }
  }
} finally {
  await handle.close();
}
process.exitCode = broken > 0 ? 1 : 0;
