/**
 * Abuse limits high enough that only a test about limits ever meets one: suites and the bench
 * sign many users up, and open many sockets, from one address.
 */
export const GENEROUS_LIMITS = {
  RATE_LIMIT_AUTH_PER_MINUTE: '1000000',
  RATE_LIMIT_WRITES_PER_MINUTE: '1000000',
  RATE_LIMIT_READS_PER_MINUTE: '1000000',
  RATE_LIMIT_SIGNALS_PER_MINUTE: '1000000',
  LOGIN_FAILURES_PER_ACCOUNT_AND_IP: '1000000',
  LOGIN_FAILURES_PER_ACCOUNT: '1000000',
  LOGIN_FAILURES_PER_IP: '1000000',
  WS_MAX_CONNECTIONS_PER_IP: '1000000',
  PASSWORD_RESETS_PER_ACCOUNT: '1000000',
  PASSWORD_RESETS_PER_IP: '1000000',
} as const;
