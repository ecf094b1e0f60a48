/**
 * The audit hash chain (Art. 24-25: full-process accountability, tamper-evident; Art. 28: national
 * cryptography): hash_n = SM3(hash_{n-1} ‖ "\n" ‖ canonical JSON of entry n), hash_0's predecessor
 * being 64 zeros. Used by the audit activity to append and by `audit:verify` to check.
 */
import { createHash } from 'node:crypto';

export const GENESIS_HASH = '0'.repeat(64);

/** JSON with object keys sorted at every level, so the same entry always hashes the same. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
}

export interface ChainedEntry {
  projectId: string;
  seq: number;
  eventId: string;
  /** ISO instant */
  at: string;
  action: string;
  /** `accountId` and `organization` only for a person's action (absent keys hash as before, so older chains verify). */
  actor: {
    keyId: string;
    role: string;
    department: string | null;
    name: string;
    accountId?: string;
    organization?: string;
  };
  detail: unknown;
}

export const sm3Hex = (text: string) => createHash('sm3').update(text, 'utf8').digest('hex');

/** One link of a chain: SM3 of the previous hash and the canonical JSON of the entry (also the accounts' security trail, db/queries/account-events.ts). */
export const chainLink = (prevHash: string, entry: unknown) => sm3Hex(`${prevHash}\n${canonicalJson(entry)}`);

export const chainHash = (prevHash: string, entry: ChainedEntry) => chainLink(prevHash, entry);
