import type { AutomationEvent } from '@parley/protocol';
import type { DomainEvent } from '../events/domain-events';
import type { EventBus } from '../events/event-bus';
import { interestIndexOf, type InterestIndex } from '../events/interest-index';

/**
 * What a rule listens for: its event, or for a timed rule what its time counts from
 * (`since:customer_message`: each customer message starts its clock).
 */
export type Interest = Exclude<AutomationEvent['type'], 'time.elapsed'> | `since:${TimedSince}`;
type TimedSince = Extract<AutomationEvent, { type: 'time.elapsed' }>['since'];

export const interestOf = (event: AutomationEvent): Interest =>
  event.type === 'time.elapsed' ? `since:${event.since}` : event.type;

/** A public message by a person in a ticket thread: who wrote it, as rules tell them apart. */
export function messageAuthor(event: Extract<DomainEvent, { type: 'message.created' }>): 'customer' | 'agent' | null {
  const ticket = event.context?.ticket;
  const { message } = event;
  if (!ticket || event.resent || message.kind !== 'text' || message.senderId === null) return null;
  return message.senderId === ticket.requesterId ? 'customer' : 'agent';
}

/** What an event may concern, decided from the event alone (no query). */
export function interestsOf(event: DomainEvent): Interest[] {
  if (event.type === 'ticket.updated') {
    const from = event.change?.from;
    if (from === undefined) return [];
    if (from === null) return ['ticket.created', 'since:created', 'since:status_changed'];
    return from.status === event.ticket.status ? ['ticket.updated'] : ['ticket.updated', 'since:status_changed'];
  }
  if (event.type === 'message.created') {
    const author = messageAuthor(event);
    if (author === 'customer') return ['message.customer', 'since:customer_message'];
    if (author === 'agent') return ['message.agent', 'since:agent_message'];
    return [];
  }
  if (event.type === 'ticket.sla') return event.state === 'breached' ? ['sla.breached'] : [];
  if (event.type === 'ticket.labels_changed') return ['ticket.labels_changed'];
  return [];
}

export type RuleIndex = InterestIndex<Interest>;

/** The rules' index of the node whose bus this is. */
export const ruleIndexOf = (events: EventBus): RuleIndex =>
  interestIndexOf(events, {
    name: 'automation-rules',
    interestsOf,
    changedIn: (event) => (event.type === 'automation.rules_changed' ? event.workspaceId : null),
  });
