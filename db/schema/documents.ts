/**
 * Filed documents (Art. 8, 15, 21, 28, 29; lib/documents.ts): the metadata of each upload, and the
 * marker of the document store this database's documents live in.
 */
import { sql } from 'drizzle-orm';
import { bigint, check, index, pgTable, text, timestamp } from 'drizzle-orm/pg-core';
import { ROLES } from '../../domain/vocabulary.ts';

/**
 * Filed documents (Art. 8, 15, 21, 28, 29; lib/documents.ts): one row per upload. The bytes live in
 * the document store's backend, encrypted (SM4) under their SM3 digest; this row is the metadata.
 * `projectId` is set (by persistEffects, in the filing's own transaction) once a command of that
 * project files the document.
 */
export const documents = pgTable(
  'documents',
  {
    id: text('id').primaryKey(),
    sm3: text('sm3').notNull(),
    size: bigint('size', { mode: 'number' }).notNull(),
    contentType: text('content_type').notNull(),
    fileName: text('file_name').notNull(),
    uploadedByKeyId: text('uploaded_by_key_id').notNull(),
    uploadedByRole: text('uploaded_by_role', { enum: ROLES }).notNull(),
    uploadedByDepartment: text('uploaded_by_department'),
    uploadedByName: text('uploaded_by_name').notNull(),
    uploadedAt: timestamp('uploaded_at', { withTimezone: true }).notNull().defaultNow(),
    /** The project a command filed it with (null: not referenced yet). */
    projectId: text('project_id'),
  },
  (t) => [
    index('documents_sm3_idx').on(t.sm3),
    index('documents_project_idx').on(t.projectId),
    check('documents_sm3_check', sql`${t.sm3} ~ '^[0-9a-f]{64}$'`),
    check('documents_size_check', sql`${t.size} > 0`),
  ],
);

export type DocumentRow = typeof documents.$inferSelect;

/**
 * Which document store this database's documents live in (lib/documents.ts). The folder backend
 * writes the same id into its folder at the first start; an API whose folder holds another id, or
 * none, is not looking at this database's documents and refuses to start (two APIs, each
 * on its own DATA_DIR, split the documents silently).
 */
export const documentStoreMarkers = pgTable('document_store_markers', {
  kind: text('kind', { enum: ['folder'] }).primaryKey(),
  storeId: text('store_id').notNull(),
  /** host:path where the folder was first opened, for the error message. */
  location: text('location').notNull(),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
});
