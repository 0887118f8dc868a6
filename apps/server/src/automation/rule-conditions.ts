import type { AutomationCondition, Message } from '@parley/protocol';
import type { TicketRow } from '../db/schema';

/**
 * Whether the ticket (as it is now) and the message that triggered the rule (if any) meet
 * every condition. A text condition on `message` fails without a message.
 */
export function conditionsHold(conditions: AutomationCondition[], ticket: TicketRow, message?: Message): boolean {
  return conditions.every((c) => holds(c, ticket, message));
}

function holds(c: AutomationCondition, ticket: TicketRow, message: Message | undefined): boolean {
  switch (c.type) {
    case 'status':
      return oneOf(c.operator, c.values, ticket.status);
    case 'priority':
      return oneOf(c.operator, c.values, ticket.priority);
    case 'team':
      return oneOf(c.operator, c.values, ticket.teamId);
    case 'assignee':
      return oneOf(c.operator, c.values, ticket.assigneeId);
    case 'requester':
      return oneOf(c.operator, c.values, ticket.requesterId);
    case 'text': {
      const texts =
        c.in === 'subject'
          ? [ticket.subject]
          : c.in === 'description'
            ? [ticket.description]
            : c.in === 'subject_or_description'
              ? [ticket.subject, ticket.description]
              : message
                ? [message.body]
                : [];
      const needle = c.contains.toLocaleLowerCase();
      return texts.some((text) => text.toLocaleLowerCase().includes(needle));
    }
  }
}

const oneOf = <V>(operator: 'is' | 'is_not', values: readonly V[], value: V) =>
  values.includes(value) === (operator === 'is');
