// When a failed delivery is tried again: exponential backoff with "full jitter" (a random delay
// between half and all of base × 2^(tries−1), capped), so receivers that come back are not hit by
// every sender at the same instant. After the last try the delivery is dead.

export interface RetryPolicy {
  /** Tries in all, the first included. */
  maxAttempts: number;
  baseMs: number;
  maxMs: number;
}

/** The delay before the next try after `attempts` tries, or null when none is left. */
export function nextRetryDelayMs(
  policy: RetryPolicy,
  attempts: number,
  random: () => number = Math.random,
): number | null {
  if (attempts >= policy.maxAttempts) return null;
  const ceiling = Math.min(policy.maxMs, policy.baseMs * 2 ** Math.min(30, attempts - 1));
  return Math.round(ceiling / 2 + (ceiling / 2) * random());
}
