const WINDOW_MS = 15 * 60 * 1000;
const MAX_FAILURES = 5;

type Failures = { count: number; firstAt: number };

const globalForLimits = globalThis as unknown as { archivistLoginFailures?: Map<string, Failures> };
const failures = (globalForLimits.archivistLoginFailures ??= new Map());

/** Milliseconds until this key may try again, or 0 when it may try now. */
export function loginRetryAfterMs(key: string, now = Date.now()): number {
  const entry = failures.get(key);
  if (!entry) return 0;
  if (now - entry.firstAt > WINDOW_MS) {
    failures.delete(key);
    return 0;
  }
  return entry.count >= MAX_FAILURES ? entry.firstAt + WINDOW_MS - now : 0;
}

export function recordLoginFailure(key: string, now = Date.now()) {
  const entry = failures.get(key);
  if (!entry || now - entry.firstAt > WINDOW_MS) failures.set(key, { count: 1, firstAt: now });
  else entry.count += 1;
}

export function clearLoginFailures(key: string) {
  failures.delete(key);
}
