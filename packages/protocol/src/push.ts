import { z } from 'zod';
import { IdSchema, TimestampSchema } from './common';

/**
 * What one push carries, encrypted for a browser (RFC 8291) or sent through Expo. The service
 * worker shows it as it is: the server already decided whether it should go out.
 */
export const PushPayloadSchema = z
  .object({
    title: z.string(),
    body: z.string(),
    url: z.string().describe('An app path to open on click, e.g. /messages/ID?seq=N or /tickets/ID'),
    tag: z.string().describe('Collapse key: a newer push with the same tag replaces the older one'),
    workspaceId: IdSchema,
    kind: z.string().describe("The notification's kind"),
  })
  .meta({ id: 'PushPayload' });
export type PushPayload = z.infer<typeof PushPayloadSchema>;

export const PushConfigSchema = z
  .object({ webPublicKey: z.string().describe('The VAPID public key (base64url), for pushManager.subscribe') })
  .meta({ id: 'PushConfig' });
export type PushConfig = z.infer<typeof PushConfigSchema>;

export const RegisterPushDeviceBodySchema = z
  .discriminatedUnion('kind', [
    z.object({
      kind: z.literal('web'),
      endpoint: z.url({ protocol: /^https?$/ }).max(2048),
      keys: z.object({ p256dh: z.string().min(1).max(256), auth: z.string().min(1).max(64) }),
    }),
    z.object({ kind: z.literal('expo'), token: z.string().min(1).max(256) }),
  ])
  .meta({ id: 'RegisterPushDeviceBody' });
export type RegisterPushDeviceBody = z.infer<typeof RegisterPushDeviceBodySchema>;

export const PushDeviceSchema = z
  .object({
    id: IdSchema,
    kind: z.enum(['web', 'expo']),
    createdAt: TimestampSchema,
    lastUsedAt: TimestampSchema.nullable(),
    label: z.string().nullable(),
  })
  .meta({ id: 'PushDevice' });
export type PushDevice = z.infer<typeof PushDeviceSchema>;

export const PushDeviceListSchema = z.object({ items: z.array(PushDeviceSchema) }).meta({ id: 'PushDeviceList' });
export type PushDeviceList = z.infer<typeof PushDeviceListSchema>;
