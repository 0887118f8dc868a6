import { z } from 'zod';
import { WEBHOOK_EVENT_TYPES } from './constants';
import { IdSchema, TimestampSchema } from './common';
import { MessageSchema } from './conversations';
import { CsatSurveySchema } from './csat';
import { CursorSchema, LimitSchema, pageOf } from './pagination';
import { TicketPrioritySchema, TicketSchema, TicketStatusSchema } from './tickets';

/**
 * Webhooks: a workspace's HTTP endpoints that Parley POSTs its events to, signed, retried and
 * logged (docs/webhooks.md). `settings.manage` keeps them.
 */

export const WebhookEventTypeSchema = z.enum(WEBHOOK_EVENT_TYPES).meta({
  id: 'WebhookEventType',
  description: [
    '`ticket.created`; `ticket.updated`: any change of status, priority, assignee, team or fields',
    '(with what it was before); `ticket.assigned`: its assignee or team changed; `ticket.closed`: its',
    'status became closed; `ticket.sla_breached`: a first-response or resolution target was missed;',
    '`ticket.csat_answered`: its requester rated it; `message.created` / `message.updated`: a message',
    'or internal note in a ticket thread was written / edited or deleted. Direct messages and groups',
    'are private to their members and never sent.',
  ].join(' '),
});
export type WebhookEventType = z.infer<typeof WebhookEventTypeSchema>;

/** The ticket a message belongs to, as much as a receiver needs to file it. */
const TicketRefSchema = z.object({
  id: IdSchema,
  subject: z.string(),
  requesterId: IdSchema,
  assigneeId: IdSchema.nullable(),
});

const TicketChangeSchema = z
  .object({
    byUserId: IdSchema.nullable().describe('Who changed it; null: Parley itself (an automation rule, SLA escalation)'),
    from: z
      .object({
        status: TicketStatusSchema,
        priority: TicketPrioritySchema,
        assigneeId: IdSchema.nullable(),
        teamId: IdSchema.nullable(),
      })
      .nullable()
      .describe('What it was before; null for `ticket.created`'),
  })
  .meta({ id: 'WebhookTicketChange' });

const TicketData = z.object({ ticket: TicketSchema, change: TicketChangeSchema });
const MessageData = z.object({ message: MessageSchema, ticket: TicketRefSchema });

/** The current payload version; a change that could break a receiver makes a new one. */
export const WEBHOOK_PAYLOAD_VERSION = 1 as const;

const envelope = {
  id: IdSchema.describe('The event: the same on every retry and redelivery of it (receivers drop one they have seen)'),
  version: z.literal(WEBHOOK_PAYLOAD_VERSION),
  workspaceId: IdSchema,
  occurredAt: TimestampSchema,
};

/** The JSON body of a delivery: one event. */
export const WebhookPayloadSchema = z
  .discriminatedUnion('type', [
    z.object({ ...envelope, type: z.literal('ticket.created'), data: TicketData }),
    z.object({ ...envelope, type: z.literal('ticket.updated'), data: TicketData }),
    z.object({ ...envelope, type: z.literal('ticket.assigned'), data: TicketData }),
    z.object({ ...envelope, type: z.literal('ticket.closed'), data: TicketData }),
    z.object({
      ...envelope,
      type: z.literal('ticket.sla_breached'),
      data: z.object({ ticket: TicketSchema, target: z.enum(['first_response', 'resolution']) }),
    }),
    z.object({
      ...envelope,
      type: z.literal('ticket.csat_answered'),
      data: z.object({ ticket: TicketRefSchema, survey: CsatSurveySchema }),
    }),
    z.object({ ...envelope, type: z.literal('message.created'), data: MessageData }),
    z.object({ ...envelope, type: z.literal('message.updated'), data: MessageData }),
    z.object({
      ...envelope,
      type: z.literal('ping'),
      data: z.object({ webhookId: IdSchema }).describe('Sent by "Send a test event" only'),
    }),
  ])
  .meta({ id: 'WebhookPayload' });
export type WebhookPayload = z.infer<typeof WebhookPayloadSchema>;

export const WebhookSchema = z
  .object({
    id: IdSchema,
    url: z.string(),
    description: z.string().nullable(),
    events: z.array(WebhookEventTypeSchema).describe('Sorted'),
    secret: z.string().describe('Signs every delivery (`Parley-Signature`); keep it on the receiving side only'),
    maxConcurrency: z.number().int().describe('Deliveries in flight to it at once'),
    disabledAt: TimestampSchema.nullable(),
    disabledReason: z
      .enum(['admin', 'failing'])
      .nullable()
      .describe(
        '`failing`: Parley turned it off: a delivery was given up after nothing got through for `WEBHOOK_DISABLE_AFTER_HOURS`',
      ),
    failingSince: TimestampSchema.nullable().describe('Its deliveries have been failing since then; null: they work'),
    createdAt: TimestampSchema,
    updatedAt: TimestampSchema,
  })
  .meta({ id: 'Webhook' });
export type Webhook = z.infer<typeof WebhookSchema>;

export const WebhookListSchema = z.object({ items: z.array(WebhookSchema).describe('Oldest first') }).meta({
  id: 'WebhookList',
});
export type WebhookList = z.infer<typeof WebhookListSchema>;

const WebhookUrlSchema = z
  .url({ protocol: /^https?$/ })
  .max(2000)
  .refine((u) => !/^[a-z]+:\/\/[^/]*@/i.test(u), 'Without a user name or password in it')
  .describe('http or https; private, loopback and link-local addresses are refused unless the server allows them');

const EventsSchema = z
  .array(WebhookEventTypeSchema)
  .min(1)
  .max(WEBHOOK_EVENT_TYPES.length * 2);
const DescriptionSchema = z.string().trim().max(200).nullable();
const ConcurrencySchema = z.number().int().min(1).max(10);

export const CreateWebhookBodySchema = z
  .object({
    url: WebhookUrlSchema,
    events: EventsSchema,
    description: DescriptionSchema.optional(),
    maxConcurrency: ConcurrencySchema.optional().describe('Default 4'),
  })
  .meta({ id: 'CreateWebhookBody' });
export type CreateWebhookBody = z.input<typeof CreateWebhookBodySchema>;

export const UpdateWebhookBodySchema = z
  .object({
    url: WebhookUrlSchema.optional(),
    events: EventsSchema.optional(),
    description: DescriptionSchema.optional(),
    maxConcurrency: ConcurrencySchema.optional(),
    enabled: z
      .boolean()
      .optional()
      .describe('false turns it off (its pending deliveries wait); true turns it on again and sends them'),
    rotateSecret: z
      .literal(true)
      .optional()
      .describe('A new secret; for 24 hours every delivery is signed with the old one too'),
  })
  .refine((b) => Object.values(b).some((v) => v !== undefined), 'Give at least one field to change')
  .meta({ id: 'UpdateWebhookBody' });
export type UpdateWebhookBody = z.input<typeof UpdateWebhookBodySchema>;

export const WebhookDeliverySchema = z
  .object({
    id: IdSchema.describe('Sent as `Parley-Delivery`'),
    eventId: IdSchema.describe('Sent as `Parley-Event-Id`, and as `id` in the body'),
    eventType: z.union([WebhookEventTypeSchema, z.literal('ping')]),
    status: z.enum(['pending', 'delivered', 'failed']).describe('`failed`: given up after its last attempt'),
    redelivery: z.number().int().describe('0: the original; 1, 2…: sent again by "Redeliver"'),
    attempts: z.number().int(),
    nextAttemptAt: TimestampSchema.nullable(),
    responseStatus: z.number().int().nullable().describe('Of the last attempt; null: no HTTP answer'),
    responseBody: z.string().nullable().describe('The first 1 KiB of the last answer'),
    error: z.string().nullable().describe('Why the last attempt failed'),
    durationMs: z.number().int().nullable().describe('Of the last attempt'),
    payload: z.string().describe('The exact body sent'),
    createdAt: TimestampSchema,
    deliveredAt: TimestampSchema.nullable(),
  })
  .meta({ id: 'WebhookDelivery' });
export type WebhookDelivery = z.infer<typeof WebhookDeliverySchema>;

export const WebhookDeliveryPageSchema = pageOf(WebhookDeliverySchema).meta({ id: 'WebhookDeliveryPage' });
export type WebhookDeliveryPage = z.infer<typeof WebhookDeliveryPageSchema>;

export const WebhookDeliveryQuerySchema = z.object({ cursor: CursorSchema.optional(), limit: LimitSchema });
export type WebhookDeliveryQuery = z.input<typeof WebhookDeliveryQuerySchema>;
