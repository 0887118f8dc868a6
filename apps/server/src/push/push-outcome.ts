/** What a push service said about one push, in the terms delivery acts on. */
export type PushOutcome =
  /**
   * Accepted (201/202, an Expo ticket `ok`): the device works. Expo's acceptance is a ticket:
   * whether the phone's own push service (FCM) took it shows later in the receipt `receiptId`.
   */
  | { kind: 'delivered'; receiptId?: string }
  /** The subscription or token no longer exists (404/410, DeviceNotRegistered): forget the device. */
  | { kind: 'gone'; reason: string }
  /** Try again later (429, 5xx, network): `retryAfterMs` when the service said how long to wait. */
  | { kind: 'retry'; reason: string; retryAfterMs?: number }
  /** Refused as such (another 4xx): retrying the same request cannot help. */
  | { kind: 'rejected'; reason: string };

/** An HTTP `Retry-After` (seconds, or a date) as milliseconds from `now`; undefined when absent or unreadable. */
export function retryAfterMs(header: string | string[] | null | undefined, now: number): number | undefined {
  const value = Array.isArray(header) ? header[0] : header;
  if (!value) return undefined;
  if (/^\d+$/.test(value.trim())) return Number(value.trim()) * 1000;
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

/** How the status of a push service's answer maps to an outcome (RFC 8030 for web push; Expo's API alike). */
export function outcomeOfStatus(status: number, reason: string, retryAfter?: number): PushOutcome {
  if (status === 404 || status === 410) return { kind: 'gone', reason };
  if (status === 429 || status >= 500) {
    return { kind: 'retry', reason, ...(retryAfter !== undefined && { retryAfterMs: retryAfter }) };
  }
  return { kind: 'rejected', reason };
}
