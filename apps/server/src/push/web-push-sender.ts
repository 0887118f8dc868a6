import crypto from 'node:crypto';
import type https from 'node:https';
import type { PushPayload } from '@parley/protocol';
import webpush from 'web-push';
import type { PushConfig } from '../config';
import type { PushDeviceRow } from '../db/schema';
import { outcomeOfStatus, retryAfterMs, type PushOutcome } from './push-outcome';

/** How long a push service keeps a push for a browser that is offline. */
export const PUSH_TTL_SECONDS = 24 * 60 * 60;
const TIMEOUT_MS = 15_000;

export interface WebPushTransport {
  /** Trusts the push services' certificates; tests pass one that trusts their local push service. */
  agent?: https.Agent;
}

/**
 * One web push (RFC 8030): the payload JSON encrypted for the subscription (RFC 8291, aes128gcm),
 * signed with our VAPID key (RFC 8292). `Topic` is derived from the payload's tag, so a push the
 * service still holds is replaced by a newer one of the same tag, or by the same one sent again.
 */
export async function sendWebPush(
  config: PushConfig,
  transport: WebPushTransport,
  device: PushDeviceRow,
  payload: PushPayload,
  now: number,
): Promise<PushOutcome> {
  try {
    await webpush.sendNotification(
      { endpoint: device.address, keys: { p256dh: device.p256dh!, auth: device.auth! } },
      JSON.stringify(payload),
      {
        vapidDetails: config.vapid,
        TTL: PUSH_TTL_SECONDS,
        urgency: isUrgent(payload) ? 'high' : 'normal',
        topic: topicOf(payload.tag),
        timeout: TIMEOUT_MS,
        ...(transport.agent && { agent: transport.agent }),
      },
    );
    return { kind: 'delivered' };
  } catch (error) {
    if (error instanceof webpush.WebPushError) {
      const reason = `push service answered ${error.statusCode}: ${String(error.body).slice(0, 200)}`;
      return outcomeOfStatus(error.statusCode, reason, retryAfterMs(error.headers['retry-after'], now));
    }
    // No answer (DNS, TLS, timeout, reset): the push service may be back in a moment.
    return { kind: 'retry', reason: `push service unreachable: ${(error as Error).message}` };
  }
}

/** Mentions wake a sleeping phone at once; the rest may wait for its next window. */
export const isUrgent = (payload: PushPayload) => payload.kind === 'message.mention';

/** `Topic` allows 32 base64url characters: a hash of the tag fits, whatever the tag. */
export const topicOf = (tag: string) => crypto.createHash('sha256').update(tag).digest('base64url').slice(0, 32);
