/** `npm run db:migrate`: applies the committed migrations to DATABASE_URL or the embedded PGlite. */
import { loadConfig } from '../lib/config.ts';
import { openDatabase } from '../db/client.ts';
import { prepareDatabase } from '../db/seed.ts';

const config = loadConfig();
const handle = await openDatabase({ url: config.database.url, dataDir: config.database.dataDir });
try {
  await prepareDatabase(handle);
  console.log(
    `migrations and reference data applied (${handle.driver}${handle.driver === 'pglite' ? ` in ${config.database.dataDir}` : ''})`,
  );
} finally {
  await handle.close();
}
