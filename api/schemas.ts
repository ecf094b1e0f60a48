/**
 * The schemas a few route modules (calendar, cloud-platform, documents) still import from here,
 * re-exported from api/schemas/, where each area's schemas are; everything else imports those
 * files directly. Add nothing here.
 */
export { calendarBody, calendarStatusSchema, calendarUpdate, calendarYear } from './schemas/calendar.ts';
export { projectId, yearParam } from './schemas/common.ts';
export { auditEntry } from './schemas/reads.ts';
