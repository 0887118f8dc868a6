import { AppError } from '../http/app-error';
import type { Counters } from './counters';

export interface LoginThrottleLimits {
  /** Failures of one account from one address: the classic guessing attack. */
  perAccountAndIp: number;
  /** Failures of one account from anywhere: guessing spread over many addresses. */
  perAccount: number;
  /** Failures from one address over any accounts: credential stuffing. */
  perIp: number;
  windowSeconds: number;
}

/** An address that signed in to an account stays "known" to it this long. */
const KNOWN_ADDRESS_MS = 30 * 24 * 60 * 60 * 1000;

export interface LoginAttempt {
  /** The account's id, or the login text when there is no such account (guesses count too). */
  account: string;
  ip: string;
}

export interface LoginThrottle {
  /**
   * Counts the attempt as a failure before the password is checked, then throws `429
   * rate_limited` (with when to retry) if that count is over a limit. Counting first makes the
   * check and the count one atomic step: of many concurrent guesses, at most the limit's worth
   * get past to the hasher, where a check followed by a count let them all through.
   */
  admit(attempt: LoginAttempt): Promise<void>;
  /** The password was right: this attempt was no failure after all. */
  succeeded(attempt: LoginAttempt): Promise<void>;
}

/**
 * Slows password guessing without handing an attacker a way to lock a real user out:
 * every block lapses when its window does, and the account-wide block, the only one an
 * attacker elsewhere can trigger, does not apply to addresses that have signed in to the
 * account before. A blocked attempt is refused before the password is checked, so it costs
 * no hashing and reveals nothing; it is not counted either, so waiting out the window works.
 */
export function createLoginThrottle(counters: Counters, limits: LoginThrottleLimits): LoginThrottle {
  const windowMs = limits.windowSeconds * 1000;
  const keys = ({ account, ip }: LoginAttempt) => ({
    pair: `login:pair:${account}:${ip}`,
    account: `login:account:${account}`,
    ip: `login:ip:${ip}`,
    known: `login:known:${account}:${ip}`,
  });
  const unhit = (...keys: string[]) => Promise.all(keys.map((key) => counters.unhit(key)));

  return {
    async admit(attempt) {
      const k = keys(attempt);
      const [pair, account, ip, known] = await Promise.all([
        counters.hit(k.pair, windowMs),
        counters.hit(k.account, windowMs),
        counters.hit(k.ip, windowMs),
        counters.peek(k.known),
      ]);
      // Each count includes this attempt, so it may go ahead while the count is at most the limit.
      const blocking = [
        pair.count > limits.perAccountAndIp && pair,
        known.count === 0 && account.count > limits.perAccount && account,
        ip.count > limits.perIp && ip,
      ].filter((c) => c !== false);
      if (blocking.length === 0) return;
      await unhit(k.pair, k.account, k.ip);
      const retryAfterSeconds = Math.max(1, Math.ceil(Math.max(...blocking.map((c) => c.resetInMs)) / 1000));
      throw new AppError('rate_limited', `Too many failed sign-ins, retry in ${retryAfterSeconds} seconds`, {
        retryAfterSeconds,
      });
    },
    async succeeded(attempt) {
      const k = keys(attempt);
      await Promise.all([counters.clear(k.pair), unhit(k.account, k.ip), counters.mark(k.known, KNOWN_ADDRESS_MS)]);
    },
  };
}
