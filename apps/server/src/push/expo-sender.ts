import type { PushPayload } from '@parley/protocol';
import type { ExpoPushMessage, ExpoPushTicket } from 'expo-server-sdk';
import type { PushConfig } from '../config';
import type { PushDeviceRow } from '../db/schema';
import { outcomeOfStatus, retryAfterMs, type PushOutcome } from './push-outcome';
import { isUrgent, PUSH_TTL_SECONDS } from './web-push-sender';

const TIMEOUT_MS = 15_000;

/** Ticket errors worth another try; the rest (MessageTooBig, InvalidCredentials, …) are not. */
const TRANSIENT = new Set(['MessageRateExceeded', 'ExpoError', 'ProviderError']);

/**
 * One push through Expo's push API (`POST /--/api/v2/push/send`), as expo-server-sdk sends it.
 * We speak the HTTP API with fetch because the SDK cannot be pointed at another address per
 * client: its URL comes from `EXPO_BASE_URL`, read once when the module loads (and meant for
 * Expo's own tests), and its other way, an undici `Dispatcher`, would make undici a dependency
 * of ours. The SDK's types keep the message and the tickets in its shape.
 */
export async function sendExpoPush(
  config: PushConfig,
  device: PushDeviceRow,
  payload: PushPayload,
  now: number,
): Promise<PushOutcome> {
  const message: ExpoPushMessage = {
    to: device.address,
    title: payload.title,
    body: payload.body,
    data: { url: payload.url, tag: payload.tag, workspaceId: payload.workspaceId, kind: payload.kind },
    ttl: PUSH_TTL_SECONDS,
    priority: isUrgent(payload) ? 'high' : 'default',
    sound: 'default',
    // Android replaces a shown notification of the same tag; iOS does the same by collapseId.
    tag: payload.tag,
    collapseId: payload.tag,
  };
  let response: Response;
  try {
    response = await postToExpo(config, config.expoPushUrl, [message]);
  } catch (error) {
    return { kind: 'retry', reason: `Expo push service unreachable: ${(error as Error).message}` };
  }
  const text = await response.text().catch(() => '');
  if (!response.ok) {
    const reason = `Expo push service answered ${response.status}: ${text.slice(0, 200)}`;
    return outcomeOfStatus(response.status, reason, retryAfterMs(response.headers.get('retry-after'), now));
  }
  let ticket: ExpoPushTicket | undefined;
  try {
    ticket = (JSON.parse(text) as { data?: ExpoPushTicket[] }).data?.[0];
  } catch {
    // handled below
  }
  if (!ticket) return { kind: 'retry', reason: `Expo push service answered without a ticket: ${text.slice(0, 200)}` };
  if (ticket.status === 'ok') return { kind: 'delivered', receiptId: ticket.id };
  const error = ticket.details?.error;
  const reason = `Expo ticket error ${error ?? 'unknown'}: ${ticket.message}`;
  if (error === 'DeviceNotRegistered') return { kind: 'gone', reason };
  return error && TRANSIENT.has(error) ? { kind: 'retry', reason } : { kind: 'rejected', reason };
}

/** A JSON POST to Expo's push API (send or receipts), with the project's access token if any. */
export function postToExpo(config: PushConfig, url: string, body: unknown): Promise<Response> {
  return fetch(url, {
    method: 'POST',
    headers: {
      accept: 'application/json',
      'accept-encoding': 'gzip, deflate',
      'content-type': 'application/json',
      ...(config.expoAccessToken && { authorization: `Bearer ${config.expoAccessToken}` }),
    },
    body: JSON.stringify(body),
    signal: AbortSignal.timeout(TIMEOUT_MS),
  });
}
