/** Dependency injection for the API and the token store, so tests can pass fakes. */
import { createContext, useContext, type ReactNode } from 'react';
import { api as defaultApi, client as defaultClient, type Api } from './api/endpoints';
import type { ApiClient } from './api/client';
import { tokens as defaultTokens, type TokenStore } from './api/tokens';

export interface Deps {
  api: Api;
  tokens: TokenStore;
  client: Pick<ApiClient, 'setSessionExpiredHandler'>;
}

const DepsContext = createContext<Deps>({ api: defaultApi, tokens: defaultTokens, client: defaultClient });

export function DepsProvider({ value, children }: { value: Partial<Deps>; children: ReactNode }) {
  const parent = useContext(DepsContext);
  return <DepsContext.Provider value={{ ...parent, ...value }}>{children}</DepsContext.Provider>;
}

export const useDeps = () => useContext(DepsContext);
export const useApi = () => useContext(DepsContext).api;
