import crypto from 'node:crypto';
import https from 'node:https';
import type { IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { importJWK, jwtVerify } from 'jose';

/**
 * A browser's push service, on loopback over TLS (web-push speaks https only), for tests: it
 * hands out subscriptions the way `pushManager.subscribe()` does (a P-256 key pair and a 16-byte
 * auth secret of the "browser", an endpoint here, bound to the server's VAPID key), and for each
 * push it receives it checks the VAPID `Authorization` (RFC 8292) and decrypts the aes128gcm body
 * (RFC 8291) with node:crypto, independently of the library that encrypted it. What arrives is
 * kept for the test to read; the answers can be scripted (410, 500, 429 …).
 */

/** Self-signed, for `localhost` and 127.0.0.1 only, valid until 2126. Test use only. */
const TLS_KEY = `-----BEGIN PRIVATE KEY-----
MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQgYYX7yebEMSlhqqXL
Yf9d3uxjMXpBipxgPVLrXmOEmOKhRANCAAQrTBJlpXkkYvZ1tVha2vWPMPVx8yH/
uIWWJVH9HfjfwkazMsOgcW0BC83ShW2q8gPj9guP5cqYwGG0oMYWNOJk
-----END PRIVATE KEY-----
`;
export const TEST_PUSH_SERVICE_CERT = `-----BEGIN CERTIFICATE-----
MIIBmzCCAUGgAwIBAgIUBa/cOOwe/IewSZxZn5u9uHr+ZKEwCgYIKoZIzj0EAwIw
FDESMBAGA1UEAwwJbG9jYWxob3N0MCAXDTI2MTIwNDAwMDEyOVoYDzIxMjYxMTEw
MDAwMTI5WjAUMRIwEAYDVQQDDAlsb2NhbGhvc3QwWTATBgcqhkjOPQIBBggqhkjO
PQMBBwNCAAQrTBJlpXkkYvZ1tVha2vWPMPVx8yH/uIWWJVH9HfjfwkazMsOgcW0B
C83ShW2q8gPj9guP5cqYwGG0oMYWNOJko28wbTAdBgNVHQ4EFgQU6WbVnWL+nvNh
yOVXNNimrbcslewwHwYDVR0jBBgwFoAU6WbVnWL+nvNhyOVXNNimrbcslewwDwYD
VR0TAQH/BAUwAwEB/zAaBgNVHREEEzARgglsb2NhbGhvc3SHBH8AAAEwCgYIKoZI
zj0EAwIDSAAwRQIhAPk8eb2M+bvNWHmwcF8AxfcTSQ6LI2/C5Zt57pg2JUKhAiAx
xNDd5KXuumErK0fqXSNy3CfGXgmWkl4zd7ncl27uOQ==
-----END CERTIFICATE-----
`;

/** What the app under test sends web pushes through: it trusts this service's certificate. */
export const testPushAgent = () => new https.Agent({ ca: TEST_PUSH_SERVICE_CERT, keepAlive: false });

/** What `PushSubscription.toJSON()` gives a web app, plus the id the test knows it by. */
export interface BrowserSubscription {
  id: string;
  endpoint: string;
  keys: { p256dh: string; auth: string };
}

export interface ReceivedPush {
  subscriptionId: string;
  /** What the service answered. */
  status: number;
  /** Why it refused the push, when it did for a reason of its own (not a scripted answer). */
  refused?: string;
  headers: { ttl?: string; urgency?: string; topic?: string; contentEncoding?: string };
  /** The VAPID claims and key, once verified. */
  vapid?: { publicKey: string; aud: string; sub: string; exp: number };
  /** The decrypted body, parsed as JSON. */
  payload?: unknown;
}

type Answer = number | { status: number; headers?: Record<string, string> };

export interface TestPushService {
  /** https://127.0.0.1:PORT */
  url: string;
  /** As `pushManager.subscribe({ applicationServerKey })`: pushes signed with another key are refused (403). */
  subscribe(applicationServerKey: string): BrowserSubscription;
  /** The answers to the next pushes for that subscription, in order; after them, 201 again. */
  answer(subscriptionId: string, ...answers: Answer[]): void;
  /** Forgets the subscription: pushes to it are answered 410 Gone, as after the user revoked permission. */
  unsubscribe(subscriptionId: string): void;
  received(subscriptionId?: string): ReceivedPush[];
  /** Called with each push as it arrives (an E2E hands the payload to its service worker). */
  onPush(listener: (push: ReceivedPush) => void): void;
  close(): Promise<void>;
}

interface Subscriber {
  ecdh: crypto.ECDH;
  auth: Buffer;
  serverKey: string;
  answers: Answer[];
  gone: boolean;
}

export async function startTestPushService(): Promise<TestPushService> {
  const subscribers = new Map<string, Subscriber>();
  const received: ReceivedPush[] = [];
  const listeners: Array<(push: ReceivedPush) => void> = [];
  let origin = '';

  const server = https.createServer({ key: TLS_KEY, cert: TEST_PUSH_SERVICE_CERT }, (request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      void handle(request, Buffer.concat(chunks)).then(({ push, headers }) => {
        received.push(push);
        for (const listener of listeners) listener(push);
        response.writeHead(push.status, headers).end();
      });
    });
  });

  async function handle(request: IncomingMessage, body: Buffer) {
    const id = /^\/push\/([\w-]+)$/.exec(request.url ?? '')?.[1] ?? '';
    const header = (name: string) => {
      const value = request.headers[name];
      return Array.isArray(value) ? value[0] : value;
    };
    const push: ReceivedPush = {
      subscriptionId: id,
      status: 201,
      headers: {
        ttl: header('ttl'),
        urgency: header('urgency'),
        topic: header('topic'),
        contentEncoding: header('content-encoding'),
      },
    };
    const refuse = (status: number, why: string) => ({ push: { ...push, status, refused: why }, headers: {} });
    const subscriber = subscribers.get(id);
    if (request.method !== 'POST' || !subscriber) return refuse(404, 'no such subscription');
    if (subscriber.gone) return refuse(410, 'unsubscribed');
    try {
      push.vapid = await verifyVapid(header('authorization'), origin);
    } catch (error) {
      return refuse(401, `VAPID: ${(error as Error).message}`);
    }
    if (push.vapid.publicKey !== subscriber.serverKey) return refuse(403, 'VAPID key is not the subscription’s');
    if (push.headers.contentEncoding !== 'aes128gcm') return refuse(415, 'not aes128gcm');
    try {
      push.payload = JSON.parse(decryptAes128gcm(body, subscriber.ecdh, subscriber.auth).toString('utf8'));
    } catch (error) {
      return refuse(400, `undecryptable: ${(error as Error).message}`);
    }
    const next = subscriber.answers.shift() ?? 201;
    const answer = typeof next === 'number' ? { status: next } : next;
    push.status = answer.status;
    return { push, headers: { location: `${origin}/message/${crypto.randomUUID()}`, ...answer.headers } };
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    url: origin,
    subscribe(applicationServerKey) {
      const id = crypto.randomBytes(12).toString('base64url');
      const ecdh = crypto.createECDH('prime256v1');
      ecdh.generateKeys();
      const auth = crypto.randomBytes(16);
      subscribers.set(id, { ecdh, auth, serverKey: applicationServerKey, answers: [], gone: false });
      return {
        id,
        endpoint: `${origin}/push/${id}`,
        keys: { p256dh: ecdh.getPublicKey().toString('base64url'), auth: auth.toString('base64url') },
      };
    },
    answer(subscriptionId, ...answers) {
      subscribers.get(subscriptionId)!.answers.push(...answers);
    },
    unsubscribe(subscriptionId) {
      subscribers.get(subscriptionId)!.gone = true;
    },
    received: (subscriptionId) =>
      subscriptionId === undefined ? [...received] : received.filter((p) => p.subscriptionId === subscriptionId),
    onPush: (listener) => void listeners.push(listener),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** RFC 8292: `vapid t=<JWT signed ES256 by k>, k=<the P-256 public key>`; `aud` our origin, `exp` within 24 h. */
async function verifyVapid(authorization: string | undefined, audience: string) {
  const match = /^vapid t=([\w-]+\.[\w-]+\.[\w-]+), ?k=([\w-]+)$/.exec(authorization ?? '');
  if (!match) throw new Error(`no vapid authorization in "${authorization}"`);
  const [, token, publicKey] = match as unknown as [string, string, string];
  const point = Buffer.from(publicKey, 'base64url');
  if (point.length !== 65 || point[0] !== 4) throw new Error('k is not an uncompressed P-256 point');
  const key = await importJWK(
    {
      kty: 'EC',
      crv: 'P-256',
      x: point.subarray(1, 33).toString('base64url'),
      y: point.subarray(33).toString('base64url'),
    },
    'ES256',
  );
  const { payload } = await jwtVerify(token, key, { algorithms: ['ES256'], audience });
  const exp = payload.exp!;
  if (exp * 1000 > Date.now() + 24 * 3600_000) throw new Error('exp more than 24 hours ahead');
  if (typeof payload.sub !== 'string' || !/^(mailto:|https:)/.test(payload.sub)) throw new Error('sub is no contact');
  return { publicKey, aud: payload.aud as string, sub: payload.sub, exp };
}

/**
 * RFC 8291 with RFC 8188 framing: header salt(16) | rs(4) | idlen(1) | keyid (the sender's
 * ephemeral public key); then records of `rs` bytes, each AES-128-GCM with a nonce made from
 * the base nonce and the record's number; plaintext ends with 0x02 (last record) or 0x01 and padding.
 */
export function decryptAes128gcm(body: Buffer, receiver: crypto.ECDH, authSecret: Buffer): Buffer {
  const salt = body.subarray(0, 16);
  const recordSize = body.readUInt32BE(16);
  const idLength = body[20]!;
  const senderKey = body.subarray(21, 21 + idLength);
  const ciphertext = body.subarray(21 + idLength);
  const sharedSecret = receiver.computeSecret(senderKey);
  const keyInfo = Buffer.concat([Buffer.from('WebPush: info\0'), receiver.getPublicKey(), senderKey]);
  const ikm = Buffer.from(crypto.hkdfSync('sha256', sharedSecret, authSecret, keyInfo, 32));
  const cek = Buffer.from(crypto.hkdfSync('sha256', ikm, salt, Buffer.from('Content-Encoding: aes128gcm\0'), 16));
  const baseNonce = Buffer.from(crypto.hkdfSync('sha256', ikm, salt, Buffer.from('Content-Encoding: nonce\0'), 12));
  const plain: Buffer[] = [];
  for (let offset = 0, seq = 0; offset < ciphertext.length; offset += recordSize, seq += 1) {
    const record = ciphertext.subarray(offset, offset + recordSize);
    const nonce = Buffer.from(baseNonce);
    nonce.writeUInt32BE((nonce.readUInt32BE(8) ^ seq) >>> 0, 8);
    const decipher = crypto.createDecipheriv('aes-128-gcm', cek, nonce);
    decipher.setAuthTag(record.subarray(record.length - 16));
    const padded = Buffer.concat([decipher.update(record.subarray(0, record.length - 16)), decipher.final()]);
    let end = padded.length - 1;
    while (end >= 0 && padded[end] === 0) end -= 1;
    const delimiter = padded[end];
    const last = offset + recordSize >= ciphertext.length;
    if (delimiter !== (last ? 2 : 1)) throw new Error(`record ${seq} ends with delimiter ${delimiter}`);
    plain.push(padded.subarray(0, end));
  }
  return Buffer.concat(plain);
}
