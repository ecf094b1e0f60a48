/** The worker process of worker.ts with faster deadlines (see fast-clock.ts), for `kill -9` tests. */
import { runWorkerProcess } from '../../worker.ts';
import { fastDeadlineDates } from './fast-clock.ts';

await runWorkerProcess({ deadlineDates: fastDeadlineDates() });
