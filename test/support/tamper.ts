/**
 * Tampering with a trail as only the database's owner can (migration 0024 makes the trails
 * append-only with a trigger): the trigger is disabled for the change and enabled again, so a test
 * can show that the SM3 chain names what was altered behind the system's back.
 */
import { sql } from 'drizzle-orm';
import type { Database } from '../../db/client.ts';

export type Trail = 'audit_log' | 'account_events' | 'admin_events';

export async function tamper(db: Database, trail: Trail, change: () => Promise<unknown>): Promise<void> {
  await db.execute(sql.raw(`alter table ${trail} disable trigger ${trail}_append_only`));
  try {
    await change();
  } finally {
    await db.execute(sql.raw(`alter table ${trail} enable trigger ${trail}_append_only`));
  }
}
