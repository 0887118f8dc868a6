import {
  WEBHOOK_PAYLOAD_VERSION,
  WebhookPayloadSchema,
  type WebhookEventType,
  type WebhookPayload,
} from '@parley/protocol';
import { decodeTime } from 'ulidx';
import type { Scope } from '../auth/actor';
import { toIso } from '../clock';
import type { Db } from '../db/connect';
import type { DomainEvent } from '../events/domain-events';
import { interestIndexOf, type InterestIndex } from '../events/interest-index';
import type { EventBus } from '../events/event-bus';
import type { Reaction } from '../events/reactions';
import type { ServiceDeps } from '../deps';
import { newId } from '../ids';
import { findTicketByConversation, findTicketById } from '../tickets/ticket-repository';
import { presentTicket } from '../tickets/ticket-presenter';
import { scheduleSenders } from './webhook-delivery';
import { insertDeliveries, listEnabledWebhookRows, type DeliveryRow, type WebhookRow } from './webhook-repository';

/**
 * From domain events to webhook events: a durable reaction (docs/decisions/0008) that turns an
 * event into the payloads the workspace's webhooks subscribe to, stores one delivery per
 * webhook and payload, and hands them to each webhook's sender (webhook-delivery.ts).
 */

const EVENTS_ON = [
  'ticket.updated',
  'message.created',
  'message.updated',
  'ticket.sla',
  'ticket.csat_answered',
] as const;
type Listened = Extract<DomainEvent, { type: (typeof EVENTS_ON)[number] }>;

/** The webhook events a domain event makes, decided from the event alone. */
export function webhookTypesOf(event: DomainEvent): WebhookEventType[] {
  switch (event.type) {
    case 'ticket.updated': {
      const from = event.change?.from;
      if (from === undefined) return []; // not a change (a first response's SLA fields): not recorded
      if (from === null) return ['ticket.created'];
      const { ticket } = event;
      const types: WebhookEventType[] = ['ticket.updated'];
      if (from.assigneeId !== ticket.assigneeId || from.teamId !== ticket.teamId) types.push('ticket.assigned');
      if (from.status !== 'closed' && ticket.status === 'closed') types.push('ticket.closed');
      return types;
    }
    case 'message.created':
      return event.context?.ticket && !event.resent ? ['message.created'] : [];
    case 'message.updated':
      return ['message.updated'];
    case 'ticket.sla':
      return event.state === 'breached' ? ['ticket.sla_breached'] : [];
    case 'ticket.csat_answered':
      return ['ticket.csat_answered'];
    default:
      return [];
  }
}

export const eventsOfWebhook = (row: Pick<WebhookRow, 'events'>): WebhookEventType[] =>
  JSON.parse(row.events) as WebhookEventType[];

export type WebhookIndex = InterestIndex<WebhookEventType>;

/** Which events each workspace's webhooks listen for, per node (events/interest-index.ts). */
export const webhookIndexOf = (events: EventBus): WebhookIndex =>
  interestIndexOf(events, {
    name: 'webhooks',
    interestsOf: webhookTypesOf,
    changedIn: (event) => (event.type === 'webhooks.changed' ? event.workspaceId : null),
  });

const interestsOfRows = (rows: WebhookRow[]) => new Set(rows.flatMap(eventsOfWebhook));

export function webhookReaction(deps: ServiceDeps, wake: () => void): Reaction<Listened['type']> {
  const index = webhookIndexOf(deps.events);
  index.readWith(async (workspaceId) => [...interestsOfRows(await listEnabledWebhookRows(deps.db, { workspaceId }))]);
  return {
    name: 'webhooks',
    on: EVENTS_ON,
    wants: (event) => index.wants(event),
    async handle(event, { jobId, now }) {
      const ws = { workspaceId: event.workspaceId };
      const generation = index.generation(ws.workspaceId);
      const hooks = await listEnabledWebhookRows(deps.db, ws);
      index.learn(ws.workspaceId, interestsOfRows(hooks), generation);
      const types = webhookTypesOf(event).filter((type) => hooks.some((h) => eventsOfWebhook(h).includes(type)));
      if (types.length === 0) return;
      // The reaction's job id is this event's, on every run of it: a rerun makes the same ids.
      const sent = (await payloadsOf(deps.db, ws, event, types, jobId)).map(whatIsSent);
      const rows = hooks.flatMap((hook) =>
        sent
          .filter(({ eventType }) => eventsOfWebhook(hook).includes(eventType as WebhookEventType))
          .map((what) => deliveryRow(hook, what, now)),
      );
      const added = await deps.db.transaction().execute(async (trx) => {
        const added = await insertDeliveries(trx, rows);
        await scheduleSenders(trx, ws, [...added], now);
        return added;
      });
      if (added.size > 0) wake();
    },
  };
}

type Sent = Pick<DeliveryRow, 'eventId' | 'eventType' | 'payload' | 'orderingKey'>;

/** What a delivery of the payload sends: its exact body, checked against the protocol once. */
export const whatIsSent = (payload: WebhookPayload): Sent => ({
  eventId: payload.id,
  eventType: payload.type,
  payload: JSON.stringify(WebhookPayloadSchema.parse(payload)),
  // One ticket's deliveries keep their order.
  orderingKey: payload.type === 'ping' ? null : payload.data.ticket.id,
});

/** A delivery to `hook`, to send now (`redelivery`: an event sent again on request). */
export function deliveryRow(
  hook: Pick<WebhookRow, 'workspaceId' | 'id'>,
  { eventId, eventType, payload, orderingKey }: Sent,
  now: number,
  redelivery = 0,
): DeliveryRow {
  return {
    workspaceId: hook.workspaceId,
    id: newId(),
    webhookId: hook.id,
    eventId,
    eventType,
    redelivery,
    orderingKey,
    payload,
    status: 'pending',
    attempts: 0,
    nextAttemptAt: now,
    responseStatus: null,
    responseBody: null,
    error: null,
    durationMs: null,
    createdAt: now,
    deliveredAt: null,
  };
}

const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/** The id of the n-th webhook event of one domain event: its job id with the last character for n. */
const eventIdOf = (jobId: string, n: number) => `${jobId.slice(0, 25)}${ALPHABET[n]}`;

async function payloadsOf(
  db: Db,
  ws: Scope,
  event: Listened,
  types: WebhookEventType[],
  jobId: string,
): Promise<WebhookPayload[]> {
  const base = (type: WebhookEventType) => ({
    id: eventIdOf(jobId, webhookTypesOf(event).indexOf(type)),
    version: WEBHOOK_PAYLOAD_VERSION,
    workspaceId: ws.workspaceId,
    occurredAt: toIso(decodeTime(jobId)),
  });
  switch (event.type) {
    case 'ticket.updated': {
      const change = { byUserId: event.change!.byUserId, from: event.change!.from ?? null };
      return types.map((type) => ({ ...base(type), type, data: { ticket: event.ticket, change } }) as WebhookPayload);
    }
    case 'message.created': {
      const { id, subject, requesterId, assigneeId } = event.context!.ticket!;
      const data = { message: event.message, ticket: { id, subject, requesterId, assigneeId } };
      return [{ ...base('message.created'), type: 'message.created', data }];
    }
    case 'message.updated': {
      // Only a ticket thread's: direct chats and groups are private to their members.
      const ticket = await findTicketByConversation(db, ws, event.message.conversationId);
      if (!ticket) return [];
      const { id, subject, requesterId, assigneeId } = ticket;
      const data = { message: event.message, ticket: { id, subject, requesterId, assigneeId } };
      return [{ ...base('message.updated'), type: 'message.updated', data }];
    }
    case 'ticket.sla': {
      const ticket = await findTicketById(db, ws, event.ticketId);
      if (!ticket) return [];
      const data = { ticket: presentTicket(ticket), target: event.target };
      return [{ ...base('ticket.sla_breached'), type: 'ticket.sla_breached', data }];
    }
    case 'ticket.csat_answered': {
      const ticket = await findTicketById(db, ws, event.ticket.id);
      if (!ticket) return [];
      const { id, subject, requesterId, assigneeId } = ticket;
      const data = { ticket: { id, subject, requesterId, assigneeId }, survey: event.survey };
      return [{ ...base('ticket.csat_answered'), type: 'ticket.csat_answered', data }];
    }
  }
}
