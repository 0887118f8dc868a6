/**
 * Errors that mean "the database cannot be reached right now" rather than "this query is
 * wrong": the server was restarted, the network dropped, the pool could not connect. Callers
 * get `503 unavailable` and retry; nothing is wrong with their request.
 */
const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
  // mysql2
  'PROTOCOL_CONNECTION_LOST',
  'PROTOCOL_SEQUENCE_TIMEOUT',
  'ER_CON_COUNT_ERROR',
  'ER_SERVER_SHUTDOWN',
  'ER_CONNECTION_KILLED',
  // SQLite: another process held the write lock past busy_timeout
  'SQLITE_BUSY',
]);

/** PostgreSQL SQLSTATE classes 08 (connection exception) and 57P (operator intervention). */
const PG_UNAVAILABLE = /^(08...|57P0[1-4])$/;

/** node-postgres reports a dropped or unreachable server in words, without a code. */
const PG_MESSAGES =
  /^(Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error)/;

export function isDatabaseUnavailable(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string' && (NETWORK_CODES.has(code) || PG_UNAVAILABLE.test(code))) return true;
  if (PG_MESSAGES.test(error.message)) return true;
  // An AggregateError from a dual-stack connect, or an error wrapping its cause.
  const nested = [...((error as { errors?: unknown[] }).errors ?? []), (error as { cause?: unknown }).cause];
  return nested.some((e) => e !== undefined && e !== error && isDatabaseUnavailable(e));
}
