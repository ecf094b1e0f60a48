/**
 * Documents (Art. 8, 15, 21, 28, 29): `POST /v1/documents` streams a file into the
 * document store (lib/documents.ts) — hashed (SM3) and encrypted (SM4) on the way, never buffered
 * whole — and `GET /v1/documents/:id` streams it back after its integrity check. Commands then file
 * a document by its id (api/routes/commands.ts, `resolveDocument`).
 */
import { randomBytes } from 'node:crypto';
import { createRoute, z } from '@hono/zod-openapi';
import type { MiddlewareHandler } from 'hono';
import type { Database } from '../../db/client.ts';
import { bytesUploadedSince, documentById, documentsOfProject, insertDocument } from '../../db/queries/documents.ts';
import { DAY_MS, SHANGHAI_OFFSET_MS } from '../../domain/calendar/index.ts';
import type { DocumentRow } from '../../db/schema.ts';
import { isStorableText, misleadingText } from '../../domain/field-schemas.ts';
import { APPLICATION_DOCUMENT_KINDS } from '../../domain/commands.ts';
import type { ApplicationDocumentIds, ApplicationDocuments } from '../../domain/project-input.ts';
import type { Actor, Role } from '../../domain/vocabulary.ts';
import { DocumentCorruptedError, DocumentRejectedError, type DocumentStore } from '../../lib/documents.ts';
import { DOCUMENT_TYPES, sniffType, type DocumentType } from '../../lib/document-types.ts';
import { projectOf, requireRole } from '../auth.ts';
import { uploadRateLimit } from '../rate-limit.ts';
import { ApiError, forbidden, notFound } from '../problem.ts';
import { createRouter, json, problem, problemContent, security } from '../router.ts';
import { projectId } from '../schemas/common.ts';

/** The roles that file something (docs/MEASURES.md "Actors"); admin makes no business decisions. */
export const DOCUMENT_ROLES: Role[] = ['department', 'bdb', 'approval', 'finance'];

export const UPLOAD_PATH = '/v1/documents';

const close = { Connection: 'close' };

/** The file name from `X-File-Name` (percent-encoded UTF-8, or RFC 5987 `UTF-8''…`) or `Content-Disposition` (`filename*` / `filename`). */
export function fileNameOf(xFileName: string | undefined, disposition: string | undefined): string | undefined {
  const decode = (value: string) => {
    const ext = /^UTF-8'[^']*'(.+)$/i.exec(value.trim());
    try {
      return decodeURIComponent(ext ? ext[1]! : value.trim());
    } catch {
      return undefined;
    }
  };
  let name: string | undefined;
  if (xFileName) name = decode(xFileName);
  else if (disposition) {
    const star = /filename\*\s*=\s*([^;]+)/i.exec(disposition);
    const plain = /filename\s*=\s*"?([^";]+)"?/i.exec(disposition);
    name = star ? decode(star[1]!) : plain ? plain[1]!.trim() : undefined;
  }
  if (name === undefined) return undefined;
  name = name.trim();
  // No invisible-only name, no bidi controls (`\u202Efdp.exe` shows as `exe.pdf`).
  if (!name || name.length > 255 || !isStorableText(name) || /[/\\\x00-\x1f\x7f]/.test(name) || misleadingText(name))
    return undefined;
  return name;
}

/** The types a browser shows itself (the console's 预览): `?disposition=inline` serves them inline. */
export const PREVIEWABLE_TYPES: readonly string[] = ['application/pdf', 'image/png', 'image/jpeg'];

/** RFC 6266 / 5987: `attachment; filename*=UTF-8''<percent-encoded UTF-8>` (or `inline; …`). */
export const contentDisposition = (fileName: string, disposition: 'attachment' | 'inline' = 'attachment') =>
  `${disposition}; filename*=UTF-8''${encodeURIComponent(fileName).replace(/['()*]/g, (ch) => `%${ch.charCodeAt(0).toString(16).toUpperCase()}`)}`;

/** The request body could not be read to its end: the client closed or reset the connection. */
export class ClientGoneError extends Error {
  constructor(cause: unknown) {
    super('the client closed the connection before the body was complete', { cause });
    this.name = 'ClientGoneError';
  }
}

async function* chunksOf(body: ReadableStream<Uint8Array>): AsyncGenerator<Uint8Array> {
  const reader = body.getReader();
  let done = false;
  try {
    for (;;) {
      let next: Awaited<ReturnType<typeof reader.read>>;
      try {
        next = await reader.read();
      } catch (err) {
        // The client went away mid-upload (a reset or aborted connection): not the database's fault.
        throw new ClientGoneError(err);
      }
      if (next.done) {
        done = true;
        return;
      }
      yield next.value;
    }
  } finally {
    // Stopped early (too large, wrong length): the rest is not read.
    if (!done) await reader.cancel().catch(() => {});
  }
}

/** A stored document as the API describes it (upload answer, a project's list). */
const documentMeta = z
  .object({
    id: z.string(),
    sm3: z.string(),
    size: z.number().int(),
    contentType: z.string(),
    fileName: z.string(),
    uploadedBy: z.object({ keyId: z.string(), role: z.string(), department: z.string().nullable(), name: z.string() }),
    uploadedAt: z.string(),
    projectId: z.string().nullable(),
  })
  .openapi('DocumentMeta');

export function documentView(row: DocumentRow) {
  return {
    id: row.id,
    sm3: row.sm3,
    size: row.size,
    contentType: row.contentType,
    fileName: row.fileName,
    uploadedBy: {
      keyId: row.uploadedByKeyId,
      role: row.uploadedByRole,
      department: row.uploadedByDepartment,
      name: row.uploadedByName,
    },
    uploadedAt: row.uploadedAt.toISOString(),
    projectId: row.projectId,
  };
}

/** Whether `actor` may use (download or file) a document: its department's, or any for bdb, approval and finance. */
function mayRead(actor: Actor, row: DocumentRow): boolean {
  if (actor.role === 'department')
    return row.uploadedByDepartment !== null && row.uploadedByDepartment === actor.department;
  return actor.role === 'bdb' || actor.role === 'approval' || actor.role === 'finance';
}

const documentUnknown = (id: string, why: string) =>
  new ApiError(
    422,
    'document_unknown',
    'Unknown document',
    `Document ${id} ${why}: upload it first (POST /v1/documents).`,
    { documentId: id },
  );

/**
 * The document a command files: it exists, was uploaded by the filer's own department (or, for the
 * bureaus, by their own role) and is not filed with another project. Else 422 document_unknown.
 */
export async function resolveDocument(
  db: Database,
  documentId: string,
  actor: Actor,
  projectId: string,
): Promise<DocumentRow> {
  const row = await documentById(db, documentId);
  if (!row) throw documentUnknown(documentId, 'does not exist');
  const own =
    actor.role === 'department' ? row.uploadedByDepartment === actor.department : row.uploadedByRole === actor.role;
  if (!own)
    throw documentUnknown(
      documentId,
      actor.role === 'department' ? 'was not uploaded by your department' : 'was not uploaded by your bureau',
    );
  if (row.projectId !== null && row.projectId !== projectId)
    throw documentUnknown(documentId, 'is filed with another project');
  return row;
}

/** (policy) Per-key upload limits; 0 or unset turns a limit off. */
export interface UploadLimits {
  /** Uploads per minute per API key (DOCUMENT_UPLOADS_PER_MINUTE). */
  uploadsPerMinute?: number | undefined;
  /** Bytes per API key per Asia/Shanghai day (DOCUMENT_DAILY_BYTES). */
  dailyBytes?: number | undefined;
}

/** The start of the current Asia/Shanghai day and the milliseconds until the next one. */
function shanghaiDay(now = Date.now()): { start: Date; msLeft: number } {
  const start = Math.floor((now + SHANGHAI_OFFSET_MS) / DAY_MS) * DAY_MS - SHANGHAI_OFFSET_MS;
  return { start: new Date(start), msLeft: start + DAY_MS - now };
}

/**
 * Art. 8: the application documents as filed: each one named in `documentIds` is resolved (as
 * resolveDocument: 422 document_unknown otherwise) and becomes `sm3:<hex>`; the rest keep their free
 * reference. The HTTP schema (oneReferencePerDocument) already made sure each has exactly one.
 */
export async function fileApplicationDocuments(
  db: Database,
  documents: Partial<ApplicationDocuments>,
  documentIds: ApplicationDocumentIds | undefined,
  actor: Actor,
  projectId: string,
): Promise<ApplicationDocuments> {
  const filed: Partial<ApplicationDocuments> = {};
  for (const kind of APPLICATION_DOCUMENT_KINDS) {
    const id = documentIds?.[kind];
    filed[kind] = id === undefined ? documents[kind] : `sm3:${(await resolveDocument(db, id, actor, projectId)).sm3}`;
  }
  return filed as ApplicationDocuments;
}

export function documentRoutes({
  db,
  store,
  limits = {},
  clock,
}: {
  db: Database;
  store: DocumentStore;
  limits?: UploadLimits;
  clock?: (() => Date) | undefined;
}) {
  const app = createRouter();
  const uploadLimit: MiddlewareHandler = limits.uploadsPerMinute
    ? uploadRateLimit(db, limits.uploadsPerMinute, clock)
    : (_c, next) => next();

  app.post(UPLOAD_PATH, requireRole(...DOCUMENT_ROLES) as MiddlewareHandler, uploadLimit, async (c) => {
    const actor = c.get('actor');
    const declared = (c.req.header('content-type') ?? '').split(';')[0]!.trim().toLowerCase();
    if (!(declared in DOCUMENT_TYPES)) {
      throw new ApiError(
        415,
        'unsupported_document_type',
        'Unsupported document type',
        `Send one of ${Object.keys(DOCUMENT_TYPES).join(', ')} with its Content-Type.`,
        {},
        close,
        declared ? { declared } : {},
      );
    }
    const fileName = fileNameOf(c.req.header('x-file-name'), c.req.header('content-disposition'));
    if (!fileName) {
      throw new ApiError(
        400,
        'validation_failed',
        'Validation failed',
        "Name the file in X-File-Name (percent-encoded UTF-8, or UTF-8''… as RFC 5987), 1-255 characters without / \\ or control characters.",
        { errors: [{ path: 'header.X-File-Name', message: 'missing or invalid' }] },
        close,
      );
    }
    const lengthHeader = c.req.header('content-length');
    const expectedSize =
      lengthHeader === undefined ? undefined : /^\d{1,15}$/.test(lengthHeader) ? Number(lengthHeader) : NaN;
    if (Number.isNaN(expectedSize))
      throw new ApiError(400, 'validation_failed', 'Validation failed', 'Content-Length is not a number.', {}, close);
    const tooLarge = () =>
      new ApiError(
        413,
        'payload_too_large',
        'Payload too large',
        `Documents are limited to ${store.maxBytes} bytes (DOCUMENT_MAX_BYTES).`,
        { maxBytes: store.maxBytes },
        close,
      );
    if (expectedSize !== undefined && expectedSize > store.maxBytes) throw tooLarge();
    if (limits.dailyBytes) {
      // (policy) The day's volume per key: what it stored today plus what it announces now.
      const day = shanghaiDay();
      const used = await bytesUploadedSince(db, actor.keyId, day.start);
      if (used + (expectedSize ?? 1) > limits.dailyBytes) {
        const seconds = Math.max(1, Math.ceil(day.msLeft / 1000));
        throw new ApiError(
          429,
          'upload_volume_exceeded',
          'Daily upload volume reached',
          `This API key uploaded ${used} of its ${limits.dailyBytes} bytes today (Asia/Shanghai; DOCUMENT_DAILY_BYTES)${expectedSize ? ` and this document has ${expectedSize}` : ''}; retry after midnight, in ${seconds} s.`,
          { limit: limits.dailyBytes, used },
          { 'Retry-After': String(seconds), ...close },
        );
      }
    }
    const body = c.req.raw.body;
    if (!body || expectedSize === 0)
      throw new ApiError(400, 'document_empty', 'Empty document', 'The body is empty: send the document itself.');
    let sealed;
    let found: DocumentType | undefined;
    try {
      sealed = await store.put(chunksOf(body), {
        expectedSize,
        accept: ({ head, zipEntries }) => {
          found = sniffType(head, zipEntries);
          if (found !== declared) {
            throw Object.assign(
              new DocumentRejectedError(
                'type',
                `The body is ${found ? `a ${DOCUMENT_TYPES[found]}` : 'none of the accepted types'}, not ${DOCUMENT_TYPES[declared as DocumentType]} as its Content-Type says.`,
              ),
              {
                params: {
                  found: found ? DOCUMENT_TYPES[found] : null,
                  declared: DOCUMENT_TYPES[declared as DocumentType],
                },
              },
            );
          }
        },
      });
    } catch (err) {
      if (!(err instanceof DocumentRejectedError)) throw err;
      if (err.reason === 'too_large') throw tooLarge();
      if (err.reason === 'type')
        throw new ApiError(415, 'unsupported_document_type', 'Unsupported document type', err.message, {}, close, {
          declared,
          found: found ?? null,
        });
      throw new ApiError(
        400,
        err.reason === 'empty' ? 'document_empty' : 'document_truncated',
        err.reason === 'empty' ? 'Empty document' : 'Truncated document',
        err.message,
        {},
        close,
      );
    }
    const row = await insertDocument(db, {
      id: `doc_${randomBytes(12).toString('hex')}`,
      sm3: sealed.sm3,
      size: sealed.size,
      contentType: declared,
      fileName,
      uploadedByKeyId: actor.keyId,
      uploadedByRole: actor.role,
      uploadedByDepartment: actor.department ?? null,
      uploadedByName: actor.name,
    });
    c.header('Location', `${UPLOAD_PATH}/${row.id}`);
    return c.json(documentView(row), 201);
  });

  app.get(`${UPLOAD_PATH}/:id`, async (c) => {
    const actor = c.get('actor');
    const id = c.req.param('id');
    const row = /^doc_[0-9a-f]{24}$/.test(id) ? await documentById(db, id) : undefined;
    if (!row) throw notFound(`No document ${id}.`);
    if (!mayRead(actor, row)) throw forbidden(`Document ${id} belongs to another department.`);
    let opened;
    try {
      opened = await store.open(row.id, row.sm3, row.size);
    } catch (err) {
      if (err instanceof DocumentCorruptedError) {
        throw new ApiError(
          409,
          'document_corrupted',
          'Document corrupted',
          `${err.message}; nothing of it is served.`,
          { documentId: row.id },
        );
      }
      throw err;
    }
    const chunks = opened.stream();
    const stream = new ReadableStream<Uint8Array>({
      async pull(controller) {
        try {
          const next = await chunks.next();
          if (next.done) controller.close();
          else controller.enqueue(next.value);
        } catch (err) {
          // A mismatch after the MAC passed (the object changed under us): the connection is cut.
          controller.error(err);
        }
      },
      async cancel() {
        await chunks.return(undefined);
      },
    });
    // Inline only for the types the bytes were checked to be (never HTML or script): PDF and images.
    const inline = c.req.query('disposition') === 'inline' && PREVIEWABLE_TYPES.includes(row.contentType);
    return c.body(stream, 200, {
      'Content-Type': row.contentType,
      'Content-Length': String(row.size),
      'Content-Disposition': contentDisposition(row.fileName, inline ? 'inline' : 'attachment'),
      'X-Content-SM3': row.sm3,
      'Cache-Control': 'private, no-store',
    });
  });

  app.openapi(
    createRoute({
      method: 'get',
      path: '/v1/projects/{id}/documents',
      tags: ['documents'],
      summary:
        'The documents filed with a project (Art. 8, 15, 18, 21, 22, 28, 29): name, type, size, SM3, who uploaded them and when',
      description: 'What the project page lists for download and preview. Department keys: own projects only.',
      security,
      request: { params: z.object({ id: projectId }) },
      responses: {
        200: {
          description: 'Filed documents, oldest first',
          content: json(z.object({ items: z.array(documentMeta) })),
        },
        400: problem('Malformed id'),
        401: problem('No or unknown key'),
        403: problem("Another department's project"),
        404: problem('No such project'),
      },
    }),
    async (c) => {
      const { id } = c.req.valid('param');
      await projectOf(db, id, c.get('actor'));
      return c.json({ items: (await documentsOfProject(db, id)).map(documentView) }, 200);
    },
  );

  const meta = {
    type: 'object' as const,
    properties: {
      id: { type: 'string' as const },
      sm3: { type: 'string' as const },
      size: { type: 'integer' as const },
      contentType: { type: 'string' as const },
      fileName: { type: 'string' as const },
      uploadedBy: { type: 'object' as const },
      uploadedAt: { type: 'string' as const },
    },
  };
  app.openAPIRegistry.registerPath({
    method: 'post',
    path: UPLOAD_PATH,
    tags: ['documents'],
    summary:
      'Upload a document to file (Art. 8, 15, 21, 28, 29): raw body, streamed, SM3-addressed, SM4-encrypted at rest',
    description:
      'The body is the file itself with its Content-Type (PDF, OFD, DOCX, XLSX, PNG, JPEG — checked by its bytes) and its name in `X-File-Name` ' +
      "(percent-encoded UTF-8; RFC 5987 `UTF-8''…` or `Content-Disposition: …; filename*=` accepted). At most DOCUMENT_MAX_BYTES (default 50 MiB) → else 413. " +
      'Roles: department, bdb, approval, finance. File it by `documentId` in a command.',
    security,
    request: {
      body: {
        content: Object.fromEntries(
          Object.keys(DOCUMENT_TYPES).map((t) => [t, { schema: { type: 'string', format: 'binary' } }]),
        ),
        required: true,
      },
    },
    responses: {
      201: { description: 'Stored', content: { 'application/json': { schema: meta } } },
      400: { description: 'Empty, truncated (Content-Length mismatch) or no file name', content: problemContent },
      401: { description: 'No or unknown key', content: problemContent },
      403: { description: 'Wrong role', content: problemContent },
      413: { description: 'Larger than DOCUMENT_MAX_BYTES', content: problemContent },
      415: {
        description: 'Not an accepted type, or the bytes are not what Content-Type says',
        content: problemContent,
      },
      429: {
        description:
          "`rate_limited` (RATE_LIMIT_WRITES_PER_MINUTE); (policy) `upload_rate_limited`: more uploads this minute than DOCUMENT_UPLOADS_PER_MINUTE; `upload_volume_exceeded`: the key's DOCUMENT_DAILY_BYTES for today (Asia/Shanghai) reached. Retry-After says when.",
        headers: { 'Retry-After': { schema: { type: 'integer' }, description: 'Seconds to wait' } },
        content: problemContent,
      },
    },
  });
  app.openAPIRegistry.registerPath({
    method: 'get',
    path: `${UPLOAD_PATH}/{id}`,
    tags: ['documents'],
    summary: 'Download a document (decrypted after its integrity check)',
    description:
      "For the uploading department, bdb, approval and finance; `Content-Disposition: attachment; filename*=UTF-8''…` (`inline` for PDF and images with `?disposition=inline`), `X-Content-SM3`.",
    security,
    request: {
      params: z.object({
        id: z.string().openapi({ param: { name: 'id', in: 'path' }, example: 'doc_0123456789abcdef01234567' }),
      }),
      query: z.object({
        disposition: z.enum(['attachment', 'inline']).optional().openapi({
          description: '`inline` shows a PDF or an image in the browser (other types are always attachments)',
        }),
      }),
    },
    responses: {
      200: {
        description: 'The file',
        content: { 'application/octet-stream': { schema: { type: 'string', format: 'binary' } } },
      },
      401: { description: 'No or unknown key', content: problemContent },
      403: { description: "Another department's document", content: problemContent },
      404: { description: 'No such document', content: problemContent },
      409: { description: 'document_corrupted: the stored object failed its integrity check', content: problemContent },
    },
  });

  return app;
}
