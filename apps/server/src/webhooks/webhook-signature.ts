import crypto from 'node:crypto';

/**
 * `Parley-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>">`, one `v1` per
 * secret in use (two for a day after a rotation). A receiver recomputes it with its secret,
 * compares in constant time, and refuses a `t` more than five minutes off (a replay).
 * packages/client's `verifyWebhookSignature` does all three.
 */
export function signatureHeader(secrets: readonly string[], timestampSeconds: number, body: string): string {
  const signed = `${timestampSeconds}.${body}`;
  const signatures = secrets.map((secret) => `v1=${crypto.createHmac('sha256', secret).update(signed).digest('hex')}`);
  return [`t=${timestampSeconds}`, ...signatures].join(',');
}

/** A new endpoint secret: 32 random bytes, prefixed so it is recognisable in a config file. */
export const newWebhookSecret = () => `whsec_${crypto.randomBytes(32).toString('base64url')}`;
