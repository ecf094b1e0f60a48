/** Shared pieces of the second-reading unit tests (second-reading-*.test.ts). */
import { problemDetail } from '../../domain/labels/problems.ts';
import { actors, Harness } from './helpers.ts';

/** The Chinese detail a person reads for a rejection or violation. */
export const zh = (r: { code: string; details: Record<string, unknown>; message: string }) =>
  problemDetail('zh-CN', r.code, r.details, r.message);
/** The notifications of one kind the harness has sent so far. */
export const notes = (h: Harness, kind: string) =>
  h.log.filter((e) => e.type === 'notify' && e.kind === kind) as Extract<Harness['log'][number], { type: 'notify' }>[];

/** Joint acceptance without the Art. 28-29 records (the risk assessment and the emergency plan). */
export function bareJointAcceptance(h = new Harness()): Harness {
  h.toConstruction();
  h.run(
    'catalogEntries',
    { entries: [{ code: 'HLT-001', name: 'Patients', sharingType: 'conditional', updateCycle: 'daily' }] },
    actors.department,
  );
  h.run('preliminaryAcceptance', { reportRef: 'sha256:pre', completedOn: '2026-03-20' }, actors.department);
  return h;
}

/** An annual evaluation body (Art. 23) of the given year. */
export const evaluation = (year: number, more: Record<string, unknown> = {}) => ({
  year,
  fundUseScore: 80,
  outputScore: 80,
  effectScore: 80,
  satisfactionScore: 80,
  sharingCompliant: true,
  dataStoredOnPlatform: true,
  summary: 'evaluated',
  ...more,
});
