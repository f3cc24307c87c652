/**
 * Dependency injection for the API and the token store, so tests can pass fakes.
 *
 * `sdk` is the generated client (pass it as `{ client: sdk }`; src/api/queries.ts does);
 * `transport` is what it runs on (token refresh, session end).
 */
import { createContext, useContext, type ReactNode } from 'react';
import { createSdkClient, createTransport, type Transport } from './api/client';
import type { Client } from './api/gen/client';
import { tokens as defaultTokens, type TokenStore } from './api/tokens';

export interface Deps {
  sdk: Client;
  transport: Transport;
  tokens: TokenStore;
}

export function createDeps(tokens: TokenStore, fetch?: typeof globalThis.fetch): Deps {
  const transport = createTransport({ tokens, fetch });
  return { sdk: createSdkClient(transport), transport, tokens };
}

const DepsContext = createContext<Deps>(createDeps(defaultTokens));

export function DepsProvider({ value, children }: { value: Deps; children: ReactNode }) {
  return <DepsContext.Provider value={value}>{children}</DepsContext.Provider>;
}

export const useDeps = () => useContext(DepsContext);
export const useSdk = () => useContext(DepsContext).sdk;
