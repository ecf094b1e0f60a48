/**
 * The names a few API route modules (calendar, cloud-platform, documents, webhooks) still import
 * from here, re-exported from the files that define them; everything else imports those files
 * (vocabulary.ts, project-input.ts, view-shapes.ts, …) directly. Add nothing here.
 */
export type { ApplicationDocumentIds, ApplicationDocuments } from './project-input.ts';
export type { PriorEvaluation, ProjectView } from './view-shapes.ts';
export { ROLES, type Actor, type Role } from './vocabulary.ts';
