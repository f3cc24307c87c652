import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import type { Me, TokenPair } from '../api/types';
import { useDeps } from '../deps';

type Status = 'loading' | 'anonymous' | 'authenticated';

export interface AuthState {
  status: Status;
  me: Me | null;
  isOwner: boolean;
  /** Store fresh tokens (login, signup, invitation) and load the caller. */
  signIn(tokens: TokenPair): Promise<void>;
  signOut(): Promise<void>;
  reloadMe(): Promise<void>;
}

const AuthContext = createContext<AuthState | null>(null);

export function AuthProvider({ children }: { children: ReactNode }) {
  const { api, tokens, client } = useDeps();
  const [status, setStatus] = useState<Status>(() => (tokens.getRefreshToken() ? 'loading' : 'anonymous'));
  const [me, setMe] = useState<Me | null>(null);

  const loadMe = useCallback(async () => {
    try {
      const who = await api.auth.me();
      setMe(who);
      setStatus('authenticated');
    } catch {
      // A dead session has already cleared the tokens; a transient failure keeps the
      // session (pages show their own errors) rather than logging the user out.
      setMe(null);
      setStatus(tokens.getRefreshToken() ? 'authenticated' : 'anonymous');
    }
  }, [api, tokens]);

  useEffect(() => {
    if (tokens.getRefreshToken()) void loadMe();
  }, [loadMe, tokens]);

  useEffect(() => {
    client.setSessionExpiredHandler(() => {
      setMe(null);
      setStatus('anonymous');
    });
    const unsubscribe = tokens.subscribe(() => {
      if (!tokens.getRefreshToken()) {
        setMe(null);
        setStatus('anonymous');
      }
    });
    return () => {
      client.setSessionExpiredHandler(undefined);
      unsubscribe();
    };
  }, [client, tokens]);

  const signIn = useCallback(
    async (pair: TokenPair) => {
      tokens.set(pair);
      setStatus('loading');
      await loadMe();
    },
    [tokens, loadMe],
  );

  const signOut = useCallback(async () => {
    const refresh = tokens.getRefreshToken();
    if (refresh) {
      try {
        await api.auth.logout(refresh);
      } catch {
        /* the token dies locally either way */
      }
    }
    tokens.clear();
    setMe(null);
    setStatus('anonymous');
  }, [api, tokens]);

  const value = useMemo<AuthState>(
    () => ({ status, me, isOwner: me?.role === 'owner', signIn, signOut, reloadMe: loadMe }),
    [status, me, signIn, signOut, loadMe],
  );
  return <AuthContext.Provider value={value}>{children}</AuthContext.Provider>;
}

export function useAuth(): AuthState {
  const ctx = useContext(AuthContext);
  if (!ctx) throw new Error('useAuth outside <AuthProvider>');
  return ctx;
}
