/**
 * `npm start` (scripts/start.ts: embedded Temporal dev server, PGlite, worker and API in one process)
 * with faster deadlines (fast-clock.ts), by FAST_CLOCK_SPEEDUP (default DEADLINE_SPEEDUP).
 */
import { runStart } from '../../scripts/start.ts';
import { DEADLINE_SPEEDUP, fastDeadlineDates } from './fast-clock.ts';

runStart({ deadlineDates: fastDeadlineDates(Number(process.env.FAST_CLOCK_SPEEDUP) || DEADLINE_SPEEDUP) });
