/**
 * The field schemas (field-schemas.ts) under the name the documents, cloud-platform and webhooks
 * routes still import; everything else imports field-schemas.ts. Add nothing here.
 */
export * from './field-schemas.ts';
