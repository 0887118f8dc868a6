import { z } from 'zod';
import { IdSchema, TimestampSchema } from './common';

/**
 * Push notifications outside the app: web push (VAPID, RFC 8030/8291/8292) to a browser's push
 * service, and Expo push to the Android app. A device is one browser subscription or one Expo
 * token of one person in one workspace.
 */

/** Most devices one person keeps in one workspace; registering another drops the least recently used. */
export const MAX_PUSH_DEVICES_PER_USER = 20;
export const PUSH_ENDPOINT_MAX = 2048;
export const EXPO_PUSH_TOKEN_MAX = 200;

/** What a push carries, as JSON: the service worker (or the Android app) shows it as it comes. */
export const PushPayloadSchema = z
  .object({
    title: z.string().min(1).max(200),
    body: z.string().max(1000),
    url: z
      .string()
      .max(500)
      .regex(/^\/(?!\/)/, 'Expected an app path, e.g. /messages/ID')
      .describe('The app path a click opens, e.g. /messages/ID?seq=N or /tickets/ID'),
    tag: z
      .string()
      .min(1)
      .max(100)
      .describe('Collapse key: a newer notification with the same tag replaces the one shown'),
    workspaceId: IdSchema,
    kind: z.string().min(1).max(64).describe("The notification's kind, e.g. message.mention"),
  })
  .meta({ id: 'PushPayload' });
export type PushPayload = z.infer<typeof PushPayloadSchema>;

export const PushConfigSchema = z
  .object({
    webPublicKey: z
      .string()
      .describe(
        "The server's VAPID public key (base64url, uncompressed P-256 point): the applicationServerKey to subscribe with. " +
          "When it differs from a subscription's `options.applicationServerKey`, the keys were rotated: subscribe again.",
      ),
  })
  .meta({ id: 'PushConfig' });
export type PushConfig = z.infer<typeof PushConfigSchema>;

const Base64UrlSchema = z.string().regex(/^[A-Za-z0-9_-]+={0,2}$/, 'Expected base64url');

export const WebPushDeviceBodySchema = z
  .object({
    kind: z.literal('web'),
    endpoint: z
      .url({ protocol: /^https$/ })
      .max(PUSH_ENDPOINT_MAX)
      .describe("The subscription's endpoint (https)"),
    keys: z.object({
      p256dh: Base64UrlSchema.max(100).describe("The subscription's P-256 public key (65 bytes, base64url)"),
      auth: Base64UrlSchema.max(40).describe("The subscription's auth secret (16 bytes, base64url)"),
    }),
  })
  .meta({ id: 'WebPushDeviceBody' });

export const ExpoPushDeviceBodySchema = z
  .object({
    kind: z.literal('expo'),
    token: z
      .string()
      .max(EXPO_PUSH_TOKEN_MAX)
      .regex(/^Expo(nent)?PushToken\[[A-Za-z0-9_-]+\]$/, 'Expected an Expo push token, ExponentPushToken[…]'),
  })
  .meta({ id: 'ExpoPushDeviceBody' });

export const RegisterPushDeviceBodySchema = z
  .discriminatedUnion('kind', [WebPushDeviceBodySchema, ExpoPushDeviceBodySchema])
  .meta({ id: 'RegisterPushDeviceBody' })
  .describe('A browser subscription (PushSubscription.toJSON()) or an Expo push token');
export type RegisterPushDeviceBody = z.infer<typeof RegisterPushDeviceBodySchema>;

export const PushDeviceSchema = z
  .object({
    id: IdSchema,
    kind: z.enum(['web', 'expo']),
    createdAt: TimestampSchema,
    lastUsedAt: TimestampSchema.nullable().describe('The last push its push service accepted'),
    label: z.string().nullable().describe('What it is, from the User-Agent it registered with, e.g. "Chrome on Linux"'),
  })
  .meta({ id: 'PushDevice' });
export type PushDevice = z.infer<typeof PushDeviceSchema>;

export const PushDeviceListSchema = z
  .object({ items: z.array(PushDeviceSchema).describe('Newest first') })
  .meta({ id: 'PushDeviceList' });
export type PushDeviceList = z.infer<typeof PushDeviceListSchema>;
