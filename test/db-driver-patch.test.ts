/**
 * The PostgreSQL driver as installed carries the guards of scripts/patch-postgres.mjs (npm's
 * postinstall): without them, PostgreSQL closing a connection under traffic can end the process
 * (a write to the nulled socket thrown from setImmediate) or leave a reconnected connection that
 * never sends its start-up message (CONNECT_TIMEOUT for good). test/faults/postgres-outage.faults.ts
 * is the behaviour under an outage; this test fails at once when an install or a driver upgrade
 * drops the guards.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

// The package the code imports (…/postgres/src/index.js): its root is two folders up.
const driverRoot = path.dirname(path.dirname(fileURLToPath(import.meta.resolve('postgres'))));
const MARK = '/* jincheng-bdp: guard, scripts/patch-postgres.mjs */';

describe('the PostgreSQL driver (postgres.js) as installed', () => {
  for (const file of ['src/connection.js', 'cjs/src/connection.js']) {
    it(`${file}: a deferred write to a closed connection is dropped and its queries rejected; teardown forgets it`, () => {
      const code = readFileSync(path.join(driverRoot, file), 'utf8');
      const nextWrite = code.slice(code.indexOf('function nextWrite('), code.indexOf('socket.write(chunk, fn)'));
      expect(nextWrite).toContain(MARK);
      expect(nextWrite).toMatch(
        /if \(socket === null\) \{[^}]*error\(Errors\.connection\('CONNECTION_CLOSED', options\)\)/,
      );
      // terminate() and closed(): the cancelled timer and its bytes are forgotten.
      expect(code.split(`chunk = nextWriteTimer = null ${MARK}`).length - 1).toBe(2);
    });
  }
});
