/**
 * Jurisdiction policies (Art. 30): each jurisdiction's deadline settings, versioned. A new project
 * pins the latest version of its own jurisdiction, or of the `city` policy when its county has not
 * issued its own measures; later versions never change a running project.
 */
import { desc, eq, sql } from 'drizzle-orm';
import { DEFAULT_CITY_POLICY, policySwitches } from '../domain/policy-defaults.ts';
import type { Policy, PolicyDeadlines, PolicySwitches } from '../domain/policy.ts';
import type { Database } from './client.ts';
import { policies } from './schema.ts';

export interface StoredPolicy extends Policy {
  /** Every switch, a version stored before the switches existed reading as the defaults (off). */
  switches: PolicySwitches;
  createdAt: string;
  createdBy: string | null;
}

const toPolicy = (row: typeof policies.$inferSelect): StoredPolicy => ({
  jurisdiction: row.jurisdiction,
  version: row.version,
  deadlines: row.deadlines as PolicyDeadlines,
  switches: policySwitches({ switches: (row.switches as Partial<PolicySwitches> | null) ?? {} }),
  createdAt: row.createdAt.toISOString(),
  createdBy: row.createdBy,
});

/** The `city` policy, version 1, with the defaults of docs/MEASURES.md "Deadlines" (idempotent). */
export async function seedCityPolicy(db: Database): Promise<void> {
  await db
    .insert(policies)
    .values({
      jurisdiction: DEFAULT_CITY_POLICY.jurisdiction,
      version: DEFAULT_CITY_POLICY.version,
      deadlines: DEFAULT_CITY_POLICY.deadlines,
      switches: policySwitches(DEFAULT_CITY_POLICY),
      createdBy: 'seed',
    })
    .onConflictDoNothing();
}

export async function latestPolicy(db: Database, jurisdiction: string): Promise<StoredPolicy | undefined> {
  const [row] = await db
    .select()
    .from(policies)
    .where(eq(policies.jurisdiction, jurisdiction))
    .orderBy(desc(policies.version))
    .limit(1);
  return row ? toPolicy(row) : undefined;
}

/** Art. 30: the county's own policy if it has one, else the city's (else the built-in defaults). */
export async function policyFor(db: Database, jurisdiction: string): Promise<Policy> {
  const own = jurisdiction === 'city' ? undefined : await latestPolicy(db, jurisdiction);
  const chosen = own ?? (await latestPolicy(db, 'city'));
  if (!chosen) return DEFAULT_CITY_POLICY;
  return {
    jurisdiction: chosen.jurisdiction,
    version: chosen.version,
    deadlines: chosen.deadlines,
    switches: chosen.switches,
  };
}

/** Every version, grouped by jurisdiction, oldest first. */
export async function listPolicies(db: Database, jurisdiction?: string): Promise<StoredPolicy[]> {
  const rows = await db
    .select()
    .from(policies)
    .where(jurisdiction ? eq(policies.jurisdiction, jurisdiction) : undefined)
    .orderBy(policies.jurisdiction, policies.version);
  return rows.map(toPolicy);
}

/**
 * Adds the next version for a jurisdiction in one statement (max + 1). Two concurrent PUTs race on
 * the primary key; the loser is retried, so both land as consecutive versions.
 */
export async function addPolicyVersion(
  db: Database,
  jurisdiction: string,
  deadlines: PolicyDeadlines,
  createdBy: string,
  switches: Partial<PolicySwitches> = {},
): Promise<StoredPolicy> {
  for (let attempt = 0; ; attempt++) {
    try {
      const [row] = await db
        .insert(policies)
        .values({
          jurisdiction,
          version: sql`(select coalesce(max(${policies.version}), 0) + 1 from ${policies} where ${policies.jurisdiction} = ${jurisdiction})`,
          deadlines,
          switches: policySwitches({ switches }),
          createdBy,
        })
        .returning();
      return toPolicy(row!);
    } catch (err) {
      const code =
        (err as { code?: string; cause?: { code?: string } }).code ??
        (err as { cause?: { code?: string } }).cause?.code;
      if (code === '23505' && attempt < 5) continue;
      throw err;
    }
  }
}
