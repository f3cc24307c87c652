/**
 * The one place tokens live. The access token is kept in memory only; the
 * refresh token is also written to localStorage so a reload can restore the
 * session (refresh rotates it, so the stored copy is replaced every time).
 */
import type { TokensOut } from './gen';

export interface TokenStore {
  getAccessToken(): string | null;
  getRefreshToken(): string | null;
  set(tokens: TokensOut): void;
  clear(): void;
  subscribe(listener: () => void): () => void;
}

export const REFRESH_TOKEN_KEY = 'supportai.refresh_token';

function safeStorage(): Storage | null {
  try {
    return typeof window !== 'undefined' ? window.localStorage : null;
  } catch {
    return null;
  }
}

export function createTokenStore(storage: Storage | null = safeStorage()): TokenStore {
  let access: string | null = null;
  let refresh: string | null = storage?.getItem(REFRESH_TOKEN_KEY) ?? null;
  const listeners = new Set<() => void>();
  const emit = () => listeners.forEach((l) => l());

  // Tabs share the stored refresh token. Each rotation replaces it, so always read the
  // latest copy (another tab may have rotated it); a logout elsewhere ends this tab too.
  const latestRefresh = () => (storage ? storage.getItem(REFRESH_TOKEN_KEY) : refresh);
  if (storage && typeof window !== 'undefined' && storage === safeStorage()) {
    window.addEventListener('storage', (e) => {
      if (e.key !== REFRESH_TOKEN_KEY && e.key !== null) return;
      if (!latestRefresh()) {
        access = null;
        refresh = null;
        emit();
      }
    });
  }

  return {
    getAccessToken: () => (latestRefresh() ? access : null),
    getRefreshToken: latestRefresh,
    set(tokens) {
      access = tokens.access_token;
      refresh = tokens.refresh_token;
      storage?.setItem(REFRESH_TOKEN_KEY, tokens.refresh_token);
      emit();
    },
    clear() {
      const had = access !== null || refresh !== null || latestRefresh() !== null;
      access = null;
      refresh = null;
      storage?.removeItem(REFRESH_TOKEN_KEY);
      if (had) emit();
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}

/** The app-wide store. Tests build their own with createTokenStore(). */
export const tokens = createTokenStore();
