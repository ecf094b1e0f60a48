/** `npm run db:migrate`: applies the committed migrations to DATABASE_URL or the embedded PGlite. */
import { loadConfig } from '../lib/config.ts';
import { migrateDatabase, openDatabase } from './client.ts';

const config = loadConfig();
const handle = await openDatabase({ url: config.database.url, dataDir: config.database.dataDir });
try {
  await migrateDatabase(handle);
  console.log(`migrations applied (${handle.driver}${handle.driver === 'pglite' ? ` in ${config.database.dataDir}` : ''})`);
} finally {
  await handle.close();
}
