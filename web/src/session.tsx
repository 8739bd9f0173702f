// Who is logged in, what they may do (the `actions` of /auth/me), and the code lists.
import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { api, call, setUnauthorizedHandler } from './api/client';
import type { Action, CodeItem, Codes, Me } from './api/types';
import { pick } from './i18n';

interface Session {
  me: Me | null;
  /** True until the first /auth/me answer. */
  loading: boolean;
  can(action: Action): boolean;
  login(username: string, password: string): Promise<void>;
  logout(): Promise<void>;
  codes: Codes | null;
}

const SessionContext = createContext<Session | null>(null);

export function SessionProvider({ children }: { children: ReactNode }) {
  const [me, setMe] = useState<Me | null>(null);
  const [loading, setLoading] = useState(true);
  const [codes, setCodes] = useState<Codes | null>(null);

  useEffect(() => {
    setUnauthorizedHandler(() => setMe(null));
    let live = true;
    (async () => {
      try {
        const r = await api.GET('/api/v1/auth/me');
        if (live && r.response.ok) setMe(r.data as unknown as Me);
      } catch {
        /* offline: the login page says so when used */
      } finally {
        if (live) setLoading(false);
      }
    })();
    call<Codes>(api.GET('/api/v1/codes')).then((c) => live && setCodes(c), () => {});
    return () => {
      live = false;
    };
  }, []);

  const login = useCallback(async (username: string, password: string) => {
    const m = await call<Me>(api.POST('/api/v1/auth/login', { body: { username, password } }));
    setMe(m);
  }, []);

  const logout = useCallback(async () => {
    try {
      await api.POST('/api/v1/auth/logout');
    } finally {
      setMe(null);
    }
  }, []);

  const value = useMemo<Session>(
    () => ({ me, loading, codes, login, logout, can: (a) => !!me?.actions.includes(a) }),
    [me, loading, codes, login, logout],
  );
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}

export function useSession(): Session {
  const s = useContext(SessionContext);
  if (!s) throw new Error('useSession outside SessionProvider');
  return s;
}

/** Labels and options of the code lists in the current language. */
export function useCodes() {
  const { codes } = useSession();
  const { i18n } = useTranslation();
  return useMemo(() => {
    const items = (list: string): CodeItem[] => codes?.codeLists[list]?.items ?? [];
    return {
      ready: !!codes,
      label(list: string, code: string | null | undefined): string {
        if (code === null || code === undefined || code === '') return '';
        const item = items(list).find((i) => i.code === code);
        return item ? pick(item) : code;
      },
      options(list: string) {
        return items(list).map((i) => ({ value: i.code, label: pick(i) }));
      },
      roleLabel(role: string): string {
        return pick(codes?.roles[role]) || role;
      },
      roleOptions() {
        return Object.entries(codes?.roles ?? {}).map(([value, m]) => ({ value, label: pick(m) }));
      },
    };
    // i18n.language: labels follow the language switch.
  }, [codes, i18n.language]);
}
