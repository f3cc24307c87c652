import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { logOut, whoAmI, type MeOut, type TokensOut } from '../api/gen';
import { useDeps } from '../deps';

type Status = 'loading' | 'anonymous' | 'authenticated';

export interface AuthState {
  status: Status;
  me: MeOut | null;
  isOwner: boolean;
  /** Store fresh tokens (login, signup, invitation) and load the caller. */
  signIn(tokens: TokensOut): Promise<void>;
  signOut(): Promise<void>;
  reloadMe(): Promise<void>;
}

const AuthContext = createContext<AuthState | null>(null);

export function AuthProvider({ children }: { children: ReactNode }) {
  const { sdk, tokens, transport } = useDeps();
  // Cached answers belong to the account that asked: nothing survives into the next session.
  const queryClient = useQueryClient();
  const [status, setStatus] = useState<Status>(() => (tokens.getRefreshToken() ? 'loading' : 'anonymous'));
  const [me, setMe] = useState<MeOut | null>(null);

  const loadMe = useCallback(async () => {
    try {
      const { data } = await whoAmI({ client: sdk });
      setMe(data);
      setStatus('authenticated');
    } catch {
      // A dead session has already cleared the tokens; a transient failure keeps the
      // session (pages show their own errors) rather than logging the user out.
      setMe(null);
      setStatus(tokens.getRefreshToken() ? 'authenticated' : 'anonymous');
    }
  }, [sdk, tokens]);

  useEffect(() => {
    if (tokens.getRefreshToken()) void loadMe();
  }, [loadMe, tokens]);

  useEffect(() => {
    transport.setSessionExpiredHandler(() => {
      queryClient.clear();
      setMe(null);
      setStatus('anonymous');
    });
    const unsubscribe = tokens.subscribe(() => {
      if (!tokens.getRefreshToken()) {
        queryClient.clear();
        setMe(null);
        setStatus('anonymous');
      }
    });
    return () => {
      transport.setSessionExpiredHandler(undefined);
      unsubscribe();
    };
  }, [transport, tokens, queryClient]);

  const signIn = useCallback(
    async (pair: TokensOut) => {
      queryClient.clear();
      tokens.set(pair);
      setStatus('loading');
      await loadMe();
    },
    [tokens, loadMe, queryClient],
  );

  const signOut = useCallback(async () => {
    const refresh = tokens.getRefreshToken();
    if (refresh) {
      try {
        await logOut({ client: sdk, body: { refresh_token: refresh } });
      } catch {
        /* the token dies locally either way */
      }
    }
    tokens.clear();
    queryClient.clear();
    setMe(null);
    setStatus('anonymous');
  }, [sdk, tokens, queryClient]);

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
