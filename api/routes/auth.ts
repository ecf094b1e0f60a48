/**
 * Sign-in for personal accounts (docs/API.md "Accounts and sign-in"): /v1/auth/login, logout, me,
 * password, totp. Login is open; the others need the `bdp_session` cookie (api/auth.ts
 * keyOrSessionAuth checks it, the CSRF header on writes, and the password-change gate).
 */
import { createRoute } from '@hono/zod-openapi';
import { deleteCookie, setCookie } from 'hono/cookie';
import type { Context } from 'hono';
import { createRouter, json, overHttps, problem, sessionSecurity } from '../router.ts';
import {
  authSession,
  changePasswordBody,
  loginBody,
  logoutBody,
  totpBody,
  totpEnrolment,
} from '../schemas/accounts.ts';
import { accountInfo, SESSION_COOKIE, type AccountService } from '../sessions.ts';
import { sessionRequired } from '../account-problems.ts';
import type { AuthEnv } from '../auth.ts';
import { requestOrigin } from '../logging.ts';

const noSession = {
  401: problem(
    '`unauthenticated`: no session cookie, or the session is unknown, ended or expired (30 min idle, 8 h absolute)',
  ),
};
const sessionWrite = {
  ...noSession,
  403: problem(
    '`csrf_failed`: the `X-CSRF-Token` header is missing or wrong; `forbidden`: called with an API key instead of a session',
  ),
};

/** The current session (api/auth.ts put it there); API keys have none: 403. */
const currentSession = (c: Context<AuthEnv>) => {
  const session = c.get('session');
  if (!session) throw sessionRequired();
  return session;
};

export function authRoutes({ accounts }: { accounts: AccountService }) {
  const app = createRouter();

  app.openapi(
    createRoute({
      method: 'post',
      path: '/v1/auth/login',
      tags: ['auth'],
      summary: 'Sign in with a personal account (sets the session cookie)',
      description:
        'Answers the account and the CSRF token, and sets `bdp_session` (HttpOnly, SameSite=Strict, Path=/; Secure over HTTPS). ' +
        'An unknown login name and a wrong password answer alike (401 `invalid_credentials`). Admin accounts, and others that ' +
        'enrolled, need `totp` too: without it 401 `totp_required` (not counted as a failure). Five failed sign-ins in a row ' +
        '(password or code) from one client address lock that address out of the login name for 15 minutes; twenty from any ' +
        'addresses lock the name for 15 minutes for sign-ins without a second factor (an account with TOTP still signs in with ' +
        'its code): 423 `account_locked` with `scope` (`source`, `name`), `Retry-After` and `lockedUntil`. ' +
        'When `mustChangePassword` is true the session may only call /v1/auth/* until POST /v1/auth/password succeeds.',
      security: [],
      request: { body: { content: json(loginBody), required: true } },
      responses: {
        200: {
          description: 'Signed in',
          headers: {
            'Set-Cookie': {
              description: '`bdp_session=…; Path=/; HttpOnly; SameSite=Strict` (+ `Secure` over HTTPS)',
              schema: { type: 'string' },
            },
          },
          content: json(authSession),
        },
        400: problem('Invalid body'),
        401: problem(
          '`invalid_credentials` (login name or password), `totp_required` (send `totp`), `totp_invalid` (wrong or reused code)',
        ),
        423: problem('`account_locked`: too many failed sign-ins; `Retry-After` seconds, `lockedUntil`'),
        429: problem(
          '`sign_in_in_progress`: other attempts of this login name are being checked and could reach the lockout; `Retry-After: 1`. `sign_in_rate_limited`: more sign-in attempts this minute from the client address than SIGN_IN_ATTEMPTS_PER_MINUTE (every attempt counts, a malformed one too; other addresses are not affected); `Retry-After` seconds',
        ),
      },
    }),
    async (c) => {
      const body = c.req.valid('json');
      const signedIn = await accounts.login(
        { loginName: body.loginName.toLowerCase(), password: body.password, totp: body.totp },
        requestOrigin(c),
      );
      setCookie(c, SESSION_COOKIE, signedIn.token, {
        path: '/',
        httpOnly: true,
        sameSite: 'Strict',
        secure: overHttps(c.req.url, c.req.header('x-forwarded-proto')),
      });
      c.header('Cache-Control', 'no-store');
      return c.json(
        {
          account: accountInfo(signedIn.account),
          csrfToken: signedIn.csrfToken,
          mustChangePassword: signedIn.account.mustChangePassword,
        },
        200,
      );
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/v1/auth/logout',
      tags: ['auth'],
      summary: 'Sign out (this session, or every session of the account)',
      security: sessionSecurity,
      request: { body: { content: json(logoutBody), required: true } },
      responses: {
        204: { description: 'Signed out; the cookie is cleared' },
        400: problem('Invalid body'),
        ...sessionWrite,
      },
    }),
    async (c) => {
      const { everywhere } = c.req.valid('json');
      await accounts.logout(currentSession(c), everywhere === true, requestOrigin(c));
      deleteCookie(c, SESSION_COOKIE, { path: '/' });
      return c.body(null, 204);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/v1/auth/me',
      tags: ['auth'],
      summary: 'The signed-in account and its CSRF token',
      security: sessionSecurity,
      responses: {
        200: { description: 'The account', content: json(authSession) },
        ...noSession,
        403: problem('`forbidden`: called with an API key instead of a session'),
      },
    }),
    async (c) => {
      const current = currentSession(c);
      c.header('Cache-Control', 'no-store');
      return c.json(
        {
          account: accountInfo(current.account),
          csrfToken: current.session.csrfToken,
          mustChangePassword: current.account.mustChangePassword,
        },
        200,
      );
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/v1/auth/password',
      tags: ['auth'],
      summary: 'Change the password (the initial one must be changed at first sign-in)',
      description:
        'Rules (policy): at least 12 characters; three of lower-case, upper-case, digits, other characters; not one of the ' +
        'last 5 passwords (length counts visible characters). A broken rule → 422 `weak_password` with `rule` (`length`, `classes`, `reused`) and a text naming it. ' +
        "The account's other sessions end. Five wrong current passwords in a row end this session (423 `password_change_locked`).",
      security: sessionSecurity,
      request: { body: { content: json(changePasswordBody), required: true } },
      responses: {
        204: { description: 'Changed' },
        400: problem('Invalid body'),
        ...noSession,
        403: problem('`invalid_credentials`: the current password is wrong; `csrf_failed`; `forbidden` (API key)'),
        422: problem('`weak_password`: `rule` names the rule broken'),
        423: problem(
          '`password_change_locked`: the fifth wrong current password in a row; the session has ended (sign in again)',
        ),
      },
    }),
    async (c) => {
      await accounts.changePassword(currentSession(c), c.req.valid('json'), requestOrigin(c));
      return c.body(null, 204);
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/v1/auth/totp',
      tags: ['auth'],
      summary: 'Enrol an authenticator (TOTP, RFC 6238): `{password, currentCode?}` starts, `{code}` confirms',
      description:
        '`{password}` answers a new secret and its `otpauth://` URI (not yet in force); when an authenticator is in force, ' +
        'a current code of it is needed too (`currentCode`): a session alone cannot replace the second factor. `{code}` with ' +
        'a current code of the new secret puts it in force (204), replacing any earlier one. A wrong password → 403 ' +
        '`invalid_credentials`, a wrong current code → 403 `totp_invalid`; the fifth wrong password in a row in one session ' +
        'ends it (423 `password_change_locked`, as POST /v1/auth/password). Optional for most roles; admin accounts get their ' +
        'secret at creation and confirm it with the code of their first sign-in.',
      security: sessionSecurity,
      request: { body: { content: json(totpBody), required: true } },
      responses: {
        200: { description: 'Enrolment started', content: json(totpEnrolment) },
        204: { description: 'Confirmed: sign-ins now need a code' },
        400: problem('Invalid body'),
        ...sessionWrite,
        403: problem(
          '`invalid_credentials`: the password is wrong; `totp_invalid`: `currentCode` is missing or wrong; `csrf_failed`; `forbidden` (API key)',
        ),
        409: problem('`totp_not_enrolling`: no enrolment started'),
        423: problem('`password_change_locked`: the fifth wrong password in a row; the session has ended'),
        422: problem('`totp_invalid`: the code is wrong'),
      },
    }),
    async (c) => {
      const { code, password, currentCode } = c.req.valid('json');
      const current = currentSession(c);
      if (code === undefined) {
        c.header('Cache-Control', 'no-store');
        return c.json(await accounts.enrolTotp(current, { password, currentCode }, requestOrigin(c)), 200);
      }
      await accounts.confirmTotp(current, code, requestOrigin(c));
      return c.body(null, 204);
    },
  );

  return app;
}

export const LOGIN_PATH = '/v1/auth/login';
