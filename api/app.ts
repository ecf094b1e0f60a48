/**
 * The HTTP API (docs/API.md): one sub-app per resource, bearer auth on /v1, problem+json errors.
 * Handlers validate, authorise, call and respond; business rules live in the lifecycle core.
 */
import type { Client } from '@temporalio/client';
import type { Context, Next } from 'hono';
import { negotiateLanguage } from '../domain/labels/language.ts';
import { problemDetail } from '../domain/labels/problems.ts';
import { HTTPException } from 'hono/http-exception';
import { bodyLimit } from 'hono/body-limit';
import { requestId } from 'hono/request-id';
import { secureHeaders } from 'hono/secure-headers';
import { cors } from 'hono/cors';
import type { PayloadCodec } from '@temporalio/common';
import type { WebhookAddressPolicy } from '../lib/webhook-address.ts';
import { generateKeyringSpec, parseKeyring, type Keyring } from '../lib/codec.ts';
import type { DatabaseHandle } from '../db/client.ts';
import type { Logger } from '../lib/logger.ts';
import {
  AUTH_PREFIX,
  type AuthEnv,
  bearerAuth,
  CODEC_SESSION_COOKIE,
  createKeyStore,
  keyOrSessionAuth,
  readOnlyRoles,
} from './auth.ts';
import { consoleAssets } from './console.ts';
import { createAccountService } from './sessions.ts';
import { adminAccountRoutes } from './routes/admin-accounts.ts';
import { authRoutes, LOGIN_PATH } from './routes/auth.ts';
import { docsRoutes } from './docs.ts';
import { createProjectGateway, OutcomePending, type TemporalDeadlines } from './gateway.ts';
import { cloudPlatformRoutes, withPriorEvaluations } from './routes/cloud-platform.ts';
import { idempotency, withUpdateNotes } from './idempotency.ts';
import { requestLogger } from './logging.ts';
import { httpMetrics, metricsRoutes } from './metrics.ts';
import { methodNotAllowed } from './methods.ts';
import { finishDocument } from './openapi.ts';
import { ApiError, causeChain, problemResponse, unavailable } from './problem.ts';
import { signInRateLimit, writeRateLimit } from './rate-limit.ts';
import { clientAddress } from './client-address.ts';
import { createRouter, overHttps } from './router.ts';

export { overHttps };
import { adminKeyRoutes } from './routes/admin-keys.ts';
import { adminTrailRoutes } from './routes/admin-trail.ts';
import { jurisdictionRoutes } from './routes/jurisdictions.ts';
import { departmentRoutes } from './routes/departments.ts';
import { planFilingRoutes } from './routes/plan-filings.ts';
import { webhookRoutes } from './routes/webhooks.ts';
import { allocationPlanRoutes, publicAllocationPlanRoutes } from './routes/allocation-plans.ts';
import { calendarRoutes } from './routes/calendar.ts';
import { calendarStatus } from '../db/calendar.ts';
import { aliveWorkers, ALIVE_WITHIN_MS } from '../db/queries/workers.ts';
import { codecRoutes } from './routes/codec.ts';
import { commandRoutes } from './routes/commands.ts';
import { ClientGoneError, documentRoutes, UPLOAD_PATH, type UploadLimits } from './routes/documents.ts';
import type { DocumentStore } from '../lib/documents.ts';
import { policyRoutes } from './routes/policies.ts';
import { healthRoutes } from './routes/health.ts';
import { planRoutes } from './routes/plans.ts';
import { fundsRoutes } from './routes/funds.ts';
import { historyRoutes } from './routes/history.ts';
import { inboxRoutes } from './routes/inbox.ts';
import { statisticsRoutes } from './routes/statistics.ts';
import { ledgerRoutes } from './routes/ledger.ts';
import { projectListRoutes, projectRoutes, withCommittedViews } from './routes/projects.ts';
import { publicRoutes } from './routes/public.ts';

export interface AppDeps {
  database: DatabaseHandle;
  temporal: Client;
  taskQueue: string;
  adminApiKey: string | undefined;
  log: Logger;
  /** Write requests per minute per API key (429 above); undefined or 0: unlimited. */
  writesPerMinute?: number | undefined;
  /** (policy) Sign-in attempts per minute per client address (429 above); undefined or 0: unlimited. */
  signInPerAddressPerMinute?: number | undefined;
  /** Proxies whose X-Forwarded-For names the client (api/client-address.ts); default none. */
  trustedProxies?: readonly string[] | undefined;
  /** The payload codec (lib/codec.ts); when set, /codec/encode and /codec/decode serve it to admins. */
  payloadCodec?: PayloadCodec | undefined;
  /** The Temporal UI's origin, allowed by CORS on the codec endpoint. */
  uiOrigin?: string | undefined;
  /** The document store (lib/documents.ts); without it /v1/documents does not exist and no documentId resolves. */
  documents?: DocumentStore | undefined;
  /** (policy) Per-key upload limits of /v1/documents. */
  documentLimits?: UploadLimits | undefined;
  /** The clock of sessions, sign-in lockout, the abuse limits' windows and the inbox's traffic lights; tests inject one. Default: the system clock. */
  clock?: (() => Date) | undefined;
  /**
   * The keyring sealing personal accounts' TOTP secrets at rest (api/sessions.ts): the deployment's
   * master keyring (serveApi passes lib/config.ts documentKeyring). Without it (tools and tests that
   * sign nobody in) a random one of this process, which no restart can open again.
   */
  accountKeys?: Keyring | undefined;
  /** Where webhooks may be sent (lib/webhook-address.ts; lib/config.ts webhookPolicy); default public addresses only. */
  webhookPolicy?: WebhookAddressPolicy | undefined;
  /** The Temporal deadlines of creations and commands (api/gateway.ts); tests shorten them. */
  temporalDeadlines?: TemporalDeadlines | undefined;
  /** The built web console (console/dist, api/console.ts); by default the one beside the sources. */
  consoleDir?: string | undefined;
}

/** docs/API.md "Conventions": request bodies over 256 KiB → 413. */
const MAX_BODY_BYTES = 256 * 1024;

export function createApp(deps: AppDeps) {
  const gateway = createProjectGateway(deps.temporal, deps.taskQueue, deps.temporalDeadlines);
  const keys = createKeyStore(deps.database.db, deps.adminApiKey);
  const accounts = createAccountService(deps.database.db, {
    keys: deps.accountKeys ?? EPHEMERAL_KEYS(),
    now: deps.clock,
  });
  const app = createRouter();

  app.use('*', requestId());
  app.use('*', clientAddress(deps.trustedProxies ?? []));
  // Security headers on every answer (nosniff, frame denial, no referrer leaks, CORP…). HSTS only
  // on answers to HTTPS requests: over plain HTTP a browser ignores it (RFC 6797 §8.1), and sending
  // it there claims a transport the request did not have.
  app.use('*', secureHeaders({ crossOriginEmbedderPolicy: false, strictTransportSecurity: false }));
  app.use('*', async (c, next) => {
    await next();
    if (overHttps(c.req.url, c.req.header('x-forwarded-proto'))) c.header('Strict-Transport-Security', HSTS);
  });
  app.use('*', requestLogger(deps.log));
  app.use('*', httpMetrics());
  // A known path asked with a method it lacks (TRACE, PATCH…) → 405 with Allow, before auth.
  app.use(
    '*',
    methodNotAllowed(
      () => app.routes,
      (method, path) => method === 'OPTIONS' && path.startsWith('/codec/'),
    ),
  );
  // Uploads stream past the JSON limit under their own (DOCUMENT_MAX_BYTES, api/routes/documents.ts).
  const isUpload = (method: string, path: string) => method === 'POST' && path === UPLOAD_PATH;
  const jsonBodyLimit = bodyLimit({
    maxSize: MAX_BODY_BYTES,
    onError: () => {
      // The rest of the body is never read: `Connection: close` makes Node end the connection
      // after this answer, so a keep-alive client's next request goes on a fresh connection
      // instead of being parsed out of the unread body.
      throw new ApiError(
        413,
        'payload_too_large',
        'Payload too large',
        `Request bodies are limited to ${MAX_BODY_BYTES} bytes.`,
        {},
        { Connection: 'close' },
        { limitBytes: MAX_BODY_BYTES },
      );
    },
  });
  app.use('*', (c: Context<AuthEnv, string>, next: Next) =>
    isUpload(c.req.method, c.req.path) ? next() : jsonBodyLimit(c, next),
  );

  // A worker counts when Temporal lists it as a poller and its own heartbeat is fresh (seconds).
  const pollingWorkers = async () => {
    const [polling, alive] = await Promise.all([
      gateway.workers(),
      aliveWorkers(deps.database.db, deps.taskQueue, ALIVE_WITHIN_MS),
    ]);
    return alive.filter((identity) => polling.includes(identity)).length;
  };
  app.route(
    '/',
    healthRoutes({
      checks: { database: () => deps.database.ping(), temporal: () => gateway.ping() },
      workers: pollingWorkers,
    }),
  );

  app.route(
    '/',
    metricsRoutes({ nextYearNoticeMissing: async () => !(await calendarStatus(deps.database.db)).nextYearReady }),
  );
  app.route('/', docsRoutes());
  // Art. 11: the publicity listing is public; everything else under /v1 needs a key.
  app.route('/', publicRoutes({ db: deps.database.db }));
  app.route('/', publicAllocationPlanRoutes({ db: deps.database.db }));
  // A bearer key (systems) or a personal account's session cookie; signing in is open.
  const authenticate = keyOrSessionAuth(keys, accounts);
  // Sign-in per client address, before its body is read (api/rate-limit.ts).
  if (deps.signInPerAddressPerMinute)
    app.on('POST', LOGIN_PATH, signInRateLimit(deps.database.db, deps.signInPerAddressPerMinute, deps.clock));
  app.use('/v1/*', (c: Context<AuthEnv, string>, next: Next) =>
    c.req.path.startsWith('/v1/public/') || c.req.path === LOGIN_PATH ? next() : authenticate(c, next),
  );
  // 三员分立 (policy): the audit administrator changes nothing (api/auth.ts readOnlyRoles).
  const readOnly = readOnlyRoles();
  app.use('/v1/*', (c: Context<AuthEnv, string>, next: Next) =>
    c.req.path.startsWith('/v1/public/') || c.req.path === LOGIN_PATH ? next() : readOnly(c, next),
  );
  if (deps.writesPerMinute) app.use('/v1/*', writeRateLimit(deps.database.db, deps.writesPerMinute, deps.clock));
  if (deps.payloadCodec) {
    app.use(
      '/codec/*',
      cors({
        origin: deps.uiOrigin ? [deps.uiOrigin] : [],
        allowHeaders: ['Authorization', 'Content-Type', 'X-Namespace'],
        allowMethods: ['POST', 'OPTIONS'],
        credentials: true,
        maxAge: 600,
      }),
    );
    // The bearer key, or the session cookie the Temporal UI sends (api/routes/codec.ts).
    const codecAuth = bearerAuth(keys, CODEC_SESSION_COOKIE);
    const open = (method: string, path: string) =>
      method === 'OPTIONS' || (path === '/codec/session' && (method === 'GET' || method === 'DELETE'));
    app.use('/codec/*', (c: Context<AuthEnv, string>, next: Next) =>
      open(c.req.method, c.req.path) ? next() : codecAuth(c, next),
    );
    app.route('/', codecRoutes({ codec: deps.payloadCodec, keys }));
  }
  // An upload is not replayed by Idempotency-Key (that would buffer it): a retry stores the same
  // content-addressed object and answers a new document id.
  const idempotent = idempotency(deps.database.db, {
    updateState: (workflowId, updateId) => gateway.updateState(workflowId, updateId),
  });
  // Sign-in and the other /v1/auth/* writes are never replayed: a replay would hand out a session.
  app.on('POST', '/v1/*', (c, next) =>
    isUpload(c.req.method, c.req.path) || c.req.path.startsWith(AUTH_PREFIX) ? next() : idempotent(c, next),
  );
  if (deps.documents)
    app.route(
      '/',
      documentRoutes({ db: deps.database.db, store: deps.documents, limits: deps.documentLimits, clock: deps.clock }),
    );
  app.route('/', projectListRoutes({ db: deps.database.db }));
  app.route('/', historyRoutes({ db: deps.database.db }));
  app.route('/', ledgerRoutes({ db: deps.database.db }));
  app.route('/', inboxRoutes({ db: deps.database.db, clock: deps.clock }));
  app.route('/', fundsRoutes({ db: deps.database.db }));
  app.route('/', statisticsRoutes({ db: deps.database.db }));
  // Art. 23: the ProjectViews these answer show the department's prior evaluations;
  // GET /v1/projects/{id} reads the committed view from the read model.
  // Keyed creations and commands note the Update they send on their idempotency record (api/idempotency.ts).
  const viewGateway = withPriorEvaluations(
    withCommittedViews(withUpdateNotes(gateway, deps.database.db), deps.database.db),
    deps.database.db,
  );
  app.route('/', projectRoutes({ gateway: viewGateway, db: deps.database.db }));
  app.route('/', commandRoutes({ gateway: viewGateway, db: deps.database.db }));
  app.route('/', cloudPlatformRoutes({ db: deps.database.db }));
  app.route('/', allocationPlanRoutes({ db: deps.database.db, gateway }));
  app.route('/', policyRoutes({ db: deps.database.db }));
  app.route('/', adminKeyRoutes({ db: deps.database.db }));
  app.route('/', authRoutes({ accounts }));
  app.route('/', adminAccountRoutes({ db: deps.database.db, accounts }));
  app.route('/', adminTrailRoutes({ db: deps.database.db }));
  app.route('/', jurisdictionRoutes({ db: deps.database.db }));
  app.route('/', departmentRoutes({ db: deps.database.db }));
  app.route('/', planFilingRoutes({ db: deps.database.db }));
  app.route('/', webhookRoutes({ db: deps.database.db, policy: deps.webhookPolicy }));
  app.route('/', planRoutes({ db: deps.database.db }));
  app.route('/', calendarRoutes({ db: deps.database.db, gateway, log: deps.log }));

  app.openAPIRegistry.registerComponent('securitySchemes', 'bearer', {
    type: 'http',
    scheme: 'bearer',
    description: 'An API key: `Authorization: Bearer bdp_<id>_<secret>`',
  });
  app.openAPIRegistry.registerComponent('securitySchemes', 'session', {
    type: 'apiKey',
    in: 'cookie',
    name: 'bdp_session',
    description:
      "A personal account's session (POST /v1/auth/login sets it; idle timeout 30 min, absolute 8 h). Every write made " +
      "with it must also send `X-CSRF-Token` with the session's token (403 `csrf_failed` otherwise).",
  });
  const documentConfig = {
    openapi: '3.1.0',
    info: {
      title: 'Jincheng government big-data projects API',
      version: '1.0.0',
      description:
        '晋城市政务大数据项目全生命周期管理 — lifecycle of municipal big-data projects (晋市政办〔2019〕44号).\n\n' +
        'Every POST accepts an `Idempotency-Key` header (1-128 printable ASCII characters): the same key ' +
        'with the same method, path and body returns the first response (header `Idempotent-Replayed: true`) ' +
        'and changes nothing; with a different request → 422 `idempotency_conflict`; while the first is ' +
        'still running → 409 `idempotency_in_progress` with `Retry-After` (the seconds until an answer is to be expected: 1 while ' +
        'the first request is most likely running; when its API process died, until Temporal has settled the command it sent, at ' +
        "most about 11 s, or 30 s for a request that had not reached Temporal). A retry after the first request's API died " +
        'asks Temporal what became of it and takes the key over as soon as the answer is known. Keys are scoped to the API key that sent them.\n\n' +
        'A known path asked with a method it does not list answers 405 `method_not_allowed` with an `Allow` header.',
    },
  };
  // Generated once, at the first request (every route is registered by then), and finished with the
  // responses every operation of a kind shares (api/openapi.ts).
  let document: ReturnType<typeof app.getOpenAPI31Document> | undefined;
  app.get('/openapi.json', (c) => c.json((document ??= finishDocument(app.getOpenAPI31Document(documentConfig)))));

  // The web console at `/` (api/console.ts): only paths no API route has.
  const consoleAnswer = consoleAssets(deps.consoleDir);
  app.notFound((c) => {
    const page = consoleAnswer(c);
    if (page) return page;
    throw new ApiError(404, 'not_found', 'Not found', 'No such route.');
  });

  app.onError((err, c) => {
    if (err instanceof ApiError) return problemResponse(c, err);
    if (err instanceof OutcomePending) return pendingResponse(c, err);
    if (err instanceof HTTPException) {
      // Hono's own refusals: malformed JSON (400), a body that is not JSON (415), …
      return problemResponse(c, fromHttpException(err));
    }
    if (err instanceof ClientGoneError) {
      // Nobody is left to answer: recorded as what it is, not as an outage.
      deps.log.info({ requestId: c.get('requestId'), path: c.req.path }, 'client closed the request');
      return problemResponse(
        c,
        new ApiError(
          400,
          'request_aborted',
          'Request aborted',
          'The request body ended before it was complete.',
          {},
          { Connection: 'close' },
        ),
      );
    }
    if (isDatabaseUnavailable(err)) {
      deps.log.warn({ requestId: c.get('requestId'), path: c.req.path, reason: describe(err) }, 'database unavailable');
      return problemResponse(c, unavailable('The database cannot be reached; try again shortly.'));
    }
    deps.log.error({ err, requestId: c.get('requestId'), path: c.req.path }, 'unhandled error');
    return problemResponse(c, new ApiError(500, 'internal', 'Internal error', 'The request could not be completed.'));
  });

  return app;
}

const HSTS = 'max-age=15552000; includeSubDomains';

/**
 * 202: Temporal may have accepted the creation or command, its outcome is not known yet.
 * Never a 503 ("nothing applied"): where to look (`Location`, the project) and when
 * (`Retry-After`); a retry with the same Idempotency-Key attaches to the same update.
 */
function pendingResponse(c: Context, pending: OutcomePending): Response {
  const location = `/v1/projects/${pending.projectId}`;
  const lang = negotiateLanguage(c.req.header('accept-language'));
  c.header('Location', location);
  c.header('Retry-After', '5');
  c.header('Content-Language', lang);
  c.header('Vary', 'Accept-Language', { append: true });
  const detail = problemDetail(
    lang,
    'outcome_pending',
    { kind: pending.kind, location },
    `${pending.message} Look at ${location}; do not resend without an Idempotency-Key.`,
  );
  return c.json(
    { outcome: 'pending', kind: pending.kind, id: pending.projectId, updateId: pending.updateId, location, detail },
    202,
  );
}

let ephemeralKeys: Keyring | undefined;
const EPHEMERAL_KEYS = () => (ephemeralKeys ??= parseKeyring(generateKeyringSpec('ephemeral')));

/** postgres.js connection errors and SQLSTATE classes 08 (connection) and 57P (shutdown), anywhere in the cause chain. */
const CONNECTION_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'CONNECTION_CLOSED',
  'CONNECTION_ENDED',
  'CONNECTION_DESTROYED',
  'CONNECT_TIMEOUT',
]);
export function isDatabaseUnavailable(err: unknown): boolean {
  for (const e of causeChain(err)) {
    const code = String((e as { code?: string | number }).code ?? '');
    if (CONNECTION_CODES.has(code) || code.startsWith('08') || code.startsWith('57P')) return true;
    if (e instanceof Error && /PGlite is closed/i.test(e.message)) return true;
  }
  return false;
}

const describe = (err: unknown) => (err instanceof Error ? `${err.name}: ${err.message}`.slice(0, 200) : String(err));

function fromHttpException(err: HTTPException): ApiError {
  if (err.status === 400) {
    return new ApiError(400, 'validation_failed', 'Validation failed', err.message, {
      errors: [{ path: 'body', message: err.message }],
    });
  }
  if (err.status === 415) {
    return new ApiError(415, 'unsupported_media_type', 'Unsupported media type', 'Send the body as application/json.');
  }
  const status = err.status >= 400 && err.status < 500 ? err.status : 400;
  return new ApiError(status, 'bad_request', 'Bad request', err.message);
}
