/**
 * The signed-in person (GET /v1/auth/me): account and CSRF token, or none. The session itself is
 * the HttpOnly cookie the API set; the console never sees it.
 */
import { createContext, useCallback, useContext, useEffect, useState, type ReactNode } from 'react';
import { api, setCsrfToken, setUnauthenticatedHandler } from './api.ts';
import type { components } from './api-types.ts';

/** The signed-in person as GET /v1/auth/me describes them (the API's `Account` schema). */
export type Account = components['schemas']['Account'];

interface SessionState {
  account: Account | null;
  loading: boolean;
  mustChangePassword: boolean;
  refresh: () => Promise<void>;
  signedIn: (account: Account, csrfToken: string, mustChangePassword: boolean) => void;
  signOut: (everywhere?: boolean) => Promise<void>;
}

const SessionContext = createContext<SessionState | null>(null);

export function SessionProvider({ children }: { children: ReactNode }) {
  const [account, setAccount] = useState<Account | null>(null);
  const [mustChangePassword, setMust] = useState(false);
  const [loading, setLoading] = useState(true);
  const refresh = useCallback(async () => {
    try {
      const { data: me } = await api.GET('/v1/auth/me', {});
      if (me?.account) {
        setAccount(me.account);
        setCsrfToken(me.csrfToken);
        setMust(me.mustChangePassword);
      } else {
        setAccount(null);
      }
    } catch {
      setAccount(null);
    } finally {
      setLoading(false);
    }
  }, []);
  useEffect(() => {
    void refresh();
    // A session that ended (idle 30 min, absolute 8 h, revoked) sends the person back to 登录.
    setUnauthenticatedHandler(() => {
      setCsrfToken(undefined);
      setAccount(null);
    });
    return () => setUnauthenticatedHandler(undefined);
  }, [refresh]);
  const signedIn = (a: Account, token: string, must: boolean) => {
    setCsrfToken(token);
    setAccount(a);
    setMust(must);
  };
  const signOut = async (everywhere = false) => {
    await api.POST('/v1/auth/logout', { body: { everywhere } }).catch(() => undefined);
    setCsrfToken(undefined);
    setAccount(null);
  };
  return (
    <SessionContext.Provider value={{ account, loading, mustChangePassword, refresh, signedIn, signOut }}>
      {children}
    </SessionContext.Provider>
  );
}

export function useSession(): SessionState {
  const s = useContext(SessionContext);
  if (!s) throw new Error('useSession outside SessionProvider');
  return s;
}
