/** The `audit_log` table's reads (Art. 24-25): a project's trail. The writes, chained by SM3, are activities/audit.ts. */
import { asc, eq } from 'drizzle-orm';
import type { Database } from '../client.ts';
import { auditLog, type AuditRow } from '../schema.ts';

/** A project's audit entries, oldest first. */
export const auditTrail = (db: Database, projectId: string): Promise<AuditRow[]> =>
  db.select().from(auditLog).where(eq(auditLog.projectId, projectId)).orderBy(asc(auditLog.seq));
