/**
 * Personal accounts in tests (issue 16): create one through the admin API, sign in (with the TOTP
 * code for an admin), change the initial password, and call the API with the session cookie and
 * its CSRF token as a browser would.
 */
import { totpCode } from '../../lib/totp.ts';
import { ADMIN_KEY, type TestSystem } from './system.ts';

export interface CreatedAccount {
  id: string;
  loginName: string;
  displayName: string;
  organization: string;
  initialPassword: string;
  totpEnrolment: { secret: string; otpauthUrl: string } | null;
}

export interface Session {
  cookie: string;
  csrfToken: string;
  account: CreatedAccount;
  password: string;
  request(
    method: string,
    path: string,
    options?: { body?: unknown; headers?: Record<string, string>; csrf?: string | null },
  ): Promise<Response>;
}

let counter = 0;

export async function createAccount(
  system: TestSystem,
  input: { role: string; department?: string; jurisdiction?: string; displayName?: string; loginName?: string },
): Promise<CreatedAccount> {
  counter += 1;
  const res = await system.request('POST', '/v1/admin/accounts', {
    key: ADMIN_KEY,
    body: {
      loginName: input.loginName ?? `${input.role}.${process.pid}.${counter}`,
      displayName: input.displayName ?? `测试用户${counter}`,
      role: input.role,
      ...(input.department ? { department: input.department } : {}),
      ...(input.jurisdiction ? { jurisdiction: input.jurisdiction } : {}),
    },
  });
  if (res.status !== 201) throw new Error(`creating a ${input.role} account failed: ${res.status} ${await res.text()}`);
  return (await res.json()) as CreatedAccount;
}

/** The `bdp_session=…` pair of a Set-Cookie header. */
export const sessionCookieOf = (res: Response) =>
  /(?:^|,\s*)(bdp_session=[^;]*)/.exec(res.headers.get('set-cookie') ?? '')?.[1];

export function login(system: TestSystem, body: { loginName: string; password: string; totp?: string }) {
  return system.request('POST', '/v1/auth/login', { body });
}

export function sessionOf(
  system: TestSystem,
  cookie: string,
  csrfToken: string,
  account: CreatedAccount,
  password: string,
): Session {
  return {
    cookie,
    csrfToken,
    account,
    password,
    request(method, path, options = {}) {
      const headers: Record<string, string> = { cookie, ...options.headers };
      const csrf = options.csrf === undefined ? csrfToken : options.csrf;
      if (csrf !== null) headers['x-csrf-token'] = csrf;
      return system.request(method, path, { headers, ...(options.body === undefined ? {} : { body: options.body }) });
    },
  };
}

export const NEW_PASSWORD = 'Jincheng-2026-secure';

/** Creates an account, signs in (TOTP for an admin, at `now`), changes the initial password. */
export async function signedIn(
  system: TestSystem,
  input: Parameters<typeof createAccount>[1],
  now = new Date(),
): Promise<Session> {
  const account = await createAccount(system, input);
  const res = await login(system, {
    loginName: account.loginName,
    password: account.initialPassword,
    ...(account.totpEnrolment ? { totp: totpCode(account.totpEnrolment.secret, now) } : {}),
  });
  if (res.status !== 200) throw new Error(`signing in failed: ${res.status} ${await res.text()}`);
  const { csrfToken } = (await res.json()) as { csrfToken: string };
  const session = sessionOf(system, sessionCookieOf(res)!, csrfToken, account, account.initialPassword);
  const changed = await session.request('POST', '/v1/auth/password', {
    body: { currentPassword: account.initialPassword, newPassword: NEW_PASSWORD },
  });
  if (changed.status !== 204)
    throw new Error(`changing the password failed: ${changed.status} ${await changed.text()}`);
  session.password = NEW_PASSWORD;
  return session;
}
