// Run by `npm install` / `npm ci` (package.json "postinstall", the image's installs too): two guards
// in postgres.js 3.4.9's write scheduling, for connections that PostgreSQL closes (an outage, a
// restart, a killed backend). Both are upstream bugs without a 3.4.x release that fixes them:
// - porsager/postgres#1154, #1208 (fixes proposed in #1168, #1176, #1209): a small write is deferred
//   with setImmediate; when the connection closes first, the deferred write dereferences the nulled
//   socket and throws from the immediate callback, an uncaught exception that ends the API or worker
//   process. The guard does what #1209 does: the write is dropped and the connection's queries are
//   rejected with CONNECTION_CLOSED, which the callers already handle (503, a retried local activity).
// - the teardown clears the deferred write's timer without forgetting it (nor the buffered bytes),
//   so the reconnected connection never schedules a write again: its start-up message is never sent
//   and every query on it ends in CONNECT_TIMEOUT (reported downstream as "pool poisoning",
//   LanternOps/breeze#3225). The guard forgets both on teardown.
// Our PostgreSQL-outage fault test (test/faults/postgres-outage.faults.ts) hit both.
//
// Plain Node, no dependency, idempotent; a driver whose code differs is left alone with a warning,
// and test/db-driver-patch.test.ts then fails, so an upgrade cannot drop the guards unnoticed.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.join(path.dirname(fileURLToPath(import.meta.url)), '..');
export const MARK = '/* jincheng-bdp: guard, scripts/patch-postgres.mjs */';
const GUARD = `
    if (socket === null) {
      chunk = nextWriteTimer = null
      error(Errors.connection('CONNECTION_CLOSED', options))
      return false
    }`;
/** [the code as released, the guarded code, how many times it occurs] */
const EDITS = [
  ['  function nextWrite(fn) {\n', `  function nextWrite(fn) {\n    ${MARK}${GUARD}\n`, 1],
  [
    '    clearImmediate(nextWriteTimer)\n',
    `    clearImmediate(nextWriteTimer)\n    chunk = nextWriteTimer = null ${MARK}\n`,
    2,
  ],
];

for (const file of ['src/connection.js', 'cjs/src/connection.js']) {
  const target = path.join(root, 'node_modules', 'postgres', file);
  if (!existsSync(target)) continue;
  const code = readFileSync(target, 'utf8');
  if (code.includes(MARK)) continue;
  if (EDITS.some(([from, , times]) => code.split(from).length - 1 !== times)) {
    console.warn(`patch-postgres: ${file} is not the code these guards were written for; left unchanged`);
    continue;
  }
  writeFileSync(
    target,
    EDITS.reduce((text, [from, to]) => text.split(from).join(to), code),
  );
  console.log(`patch-postgres: guarded node_modules/postgres/${file}`);
}
