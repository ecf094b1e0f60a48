/** Ledger movements as the tests of the funds ledger and of backups book them directly. */
import type { LedgerMovement } from '../../activities/ledger.ts';
import type { Actor } from '../../domain/vocabulary.ts';

export const financeActor: Actor = { keyId: 'k-finance', role: 'finance', name: '财政局 Finance' };
/** The instant every such movement (and the audit entries beside it) is booked at. */
export const movementAt = '2026-11-25T02:00:00.000Z';

/** The n-th movement of a project: 100 yuan of construction money allocated into held, unless `over` says else. */
export const movement = (projectId: string, n: number, over: Partial<LedgerMovement> = {}): LedgerMovement => ({
  idempotencyKey: `${projectId}:${n}`,
  projectId,
  fundType: 'construction',
  kind: 'allocate',
  amountFen: 100_00,
  from: null,
  to: 'held',
  reason: 'test',
  actor: financeActor,
  at: movementAt,
  ...over,
});
