import { WEBHOOK_TOLERANCE_SECONDS } from '@parley/protocol/constants';

export interface VerifyWebhookInput {
  /** The webhook's secret (`whsec_…`). */
  secret: string;
  /** The `Parley-Signature` header as received. */
  header: string | null | undefined;
  /** The request body exactly as received: the bytes signed, not a re-serialised object. */
  body: string;
  /** Unix seconds now; by default the clock's. */
  now?: number;
  /** The most the signature's time may be off, in seconds (replays): 300 by default. */
  toleranceSeconds?: number;
}

/**
 * Whether a webhook delivery really comes from Parley: one of the header's `v1` signatures is
 * the HMAC-SHA256 of `<t>.<body>` with the secret, and `t` is within the tolerance of now.
 * Web Crypto only, so it runs in Node 20+, browsers, Deno and edge functions alike.
 */
export async function verifyWebhookSignature({
  secret,
  header,
  body,
  now = Math.floor(Date.now() / 1000),
  toleranceSeconds = WEBHOOK_TOLERANCE_SECONDS,
}: VerifyWebhookInput): Promise<boolean> {
  if (!header) return false;
  const parts = header.split(',').map((part) => part.trim().split('='));
  const timestamp = Number(parts.find(([key]) => key === 't')?.[1]);
  const signatures = parts.filter(([key, value]) => key === 'v1' && value).map(([, value]) => value!);
  if (!Number.isInteger(timestamp) || Math.abs(now - timestamp) > toleranceSeconds) return false;
  const encoder = new TextEncoder();
  const key = await crypto.subtle.importKey('raw', encoder.encode(secret), { name: 'HMAC', hash: 'SHA-256' }, false, [
    'verify',
  ]);
  const signed = encoder.encode(`${timestamp}.${body}`);
  for (const signature of signatures) {
    const bytes = hexBytes(signature);
    // subtle.verify compares in constant time.
    if (bytes && (await crypto.subtle.verify('HMAC', key, bytes, signed))) return true;
  }
  return false;
}

function hexBytes(hex: string): Uint8Array<ArrayBuffer> | null {
  if (!/^(?:[0-9a-f]{2})+$/i.test(hex)) return null;
  const bytes = new Uint8Array(new ArrayBuffer(hex.length / 2));
  for (let i = 0; i < bytes.length; i += 1) bytes[i] = parseInt(hex.slice(i * 2, i * 2 + 2), 16);
  return bytes;
}
