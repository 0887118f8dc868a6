import type { AutomationCondition, BusinessHours, FieldValues, Message } from '@parley/protocol';
import type { TicketRow } from '../db/schema';
import { isWithinBusinessHours } from '../sla/business-hours';

/** What the conditions are checked against besides the ticket. */
export interface RuleMoment {
  /** The message that triggered the rule, if a message did. */
  message?: Message | undefined;
  at: number;
  /** The SLA policy's business hours (null: every hour is within). */
  businessHours: BusinessHours | null;
  /** The ticket's label ids (read only when a condition asks about labels). */
  labelIds?: readonly string[];
  /** The ticket's custom field values (read only when a condition asks). */
  fields?: FieldValues | undefined;
}

/**
 * Whether the ticket (as it is now) and the moment of the rule's event meet every condition. A
 * text condition on `message` fails without a message.
 */
export function conditionsHold(conditions: AutomationCondition[], ticket: TicketRow, moment: RuleMoment): boolean {
  return conditions.every((c) => holds(c, ticket, moment));
}

/** Whether the conditions ask about labels (then the ticket's must be read). */
export const needsLabels = (conditions: AutomationCondition[]): boolean => conditions.some((c) => c.type === 'label');

/** Whether the conditions ask about business hours (then the policy must be read). */
export const needsBusinessHours = (conditions: AutomationCondition[]): boolean =>
  conditions.some((c) => c.type === 'business_hours');

/** Whether the conditions ask about custom fields (then the ticket's values must be read). */
export const needsFields = (conditions: AutomationCondition[]): boolean => conditions.some((c) => c.type === 'field');

/** A field's value as the texts a condition compares (none: `""`). */
function fieldTexts(fields: FieldValues | undefined, key: string): string[] {
  const value = fields?.[key];
  if (value === undefined) return [''];
  return Array.isArray(value) ? value : [String(value)];
}

function holds(
  c: AutomationCondition,
  ticket: TicketRow,
  { message, at, businessHours, labelIds, fields }: RuleMoment,
): boolean {
  switch (c.type) {
    case 'label':
      // `is`: it has any of them; `is_not`: none of them.
      return c.values.some((id) => (labelIds ?? []).includes(id)) === (c.operator === 'is');
    case 'field':
      return fieldTexts(fields, c.key).some((v) => c.values.includes(v)) === (c.operator === 'is');
    case 'business_hours':
      return isWithinBusinessHours(at, businessHours) === c.within;
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
