// Operator-token guesses are throttled: after SESAME_OPERATOR_SIGNIN_FAILURES_PER_MINUTE failed
// sign-ins from one address within a minute (ten times that from all addresses together), further
// attempts are refused without looking at the token until the minute is over. A generated token
// cannot be guessed anyway; this keeps guessing from costing CPU and audit records (~1,000/s).
const WINDOW_MS = 60_000;
/** Addresses tracked in one window; beyond it new addresses share one entry. */
const MAX_PEERS = 10_000;

export interface SignInThrottle {
  /** Whether an attempt from `peer` is refused now. */
  blocked(peer: string, now: number): boolean;
  /** Counts a failed attempt (a wrong or missing token). */
  failed(peer: string, now: number): void;
}

export function signInThrottle(perPeerPerMinute: number): SignInThrottle {
  let start = 0;
  let total = 0;
  let byPeer = new Map<string, number>();
  const roll = (now: number) => {
    if (now - start < WINDOW_MS) return;
    start = now;
    total = 0;
    byPeer = new Map();
  };
  const key = (peer: string) => (byPeer.has(peer) || byPeer.size < MAX_PEERS ? peer : 'other');
  return {
    blocked(peer, now) {
      roll(now);
      return total >= perPeerPerMinute * 10 || (byPeer.get(key(peer)) ?? 0) >= perPeerPerMinute;
    },
    failed(peer, now) {
      roll(now);
      total++;
      const k = key(peer);
      byPeer.set(k, (byPeer.get(k) ?? 0) + 1);
    },
  };
}
