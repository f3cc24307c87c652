/**
 * Optional pages. All are on by default; a build can list the ones it wants with
 * VITE_FEATURES=requests,queue,usage (e.g. to hide pages from a trimmed-down deployment).
 * `usage` is the Billing & Usage page (/billing).
 */
export type Feature = 'requests' | 'queue' | 'usage';

const fromEnv = String(import.meta.env.VITE_FEATURES ?? '')
  .split(',')
  .map((s) => s.trim())
  .filter(Boolean);

const on = (feature: Feature) => fromEnv.length === 0 || fromEnv.includes(feature);

export const FEATURES: Record<Feature, boolean> = {
  requests: on('requests'),
  queue: on('queue'),
  usage: on('usage'),
};

export const isEnabled = (f: Feature) => FEATURES[f];

/** For tests: switch features on or off (returns a function that restores them). */
export function setFeatures(next: Partial<Record<Feature, boolean>>): () => void {
  const before = { ...FEATURES };
  Object.assign(FEATURES, next);
  return () => Object.assign(FEATURES, before);
}
