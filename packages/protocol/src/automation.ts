import { z } from 'zod';
import { IdSchema, NameTextSchema, PlainTextSchema, TimestampSchema } from './common';
import { TicketPrioritySchema, TicketStatusSchema } from './tickets';
import { FieldKeySchema } from './custom-field-values';

/**
 * Automation rules: when something happens to a ticket (the event), and the ticket is as the
 * conditions say, Parley does the actions. Admins (`settings.manage`) keep them, in order.
 */

/** The longest wait a timed rule or a snooze action may name: a year, in minutes. */
export const MAX_RULE_MINUTES = 365 * 24 * 60;

const Minutes = z.number().int().min(1).max(MAX_RULE_MINUTES);

export const AutomationEventSchema = z
  .discriminatedUnion('type', [
    z.object({ type: z.literal('ticket.created').describe('Someone opened a ticket') }),
    z.object({
      type: z
        .literal('ticket.updated')
        .describe('Its status, priority, team, assignee or a custom field changed (not when opened)'),
    }),
    z.object({ type: z.literal('message.customer').describe('The requester wrote in the ticket thread') }),
    z.object({ type: z.literal('message.agent').describe('Staff wrote publicly in the ticket thread (not a note)') }),
    z.object({ type: z.literal('sla.breached').describe('A first-response or resolution target was missed') }),
    z.object({ type: z.literal('ticket.labels_changed').describe('Labels were added to or taken off it') }),
    z.object({
      type: z.literal('time.elapsed'),
      since: z
        .enum(['created', 'status_changed', 'customer_message', 'agent_message'])
        .describe(
          'What the time counts from: the ticket was opened; its status last changed; the customer (or staff) wrote last, and nobody wrote since',
        ),
      minutes: Minutes.describe('How long after it the rule checks its conditions'),
    }),
  ])
  .meta({ id: 'AutomationEvent' });
export type AutomationEvent = z.infer<typeof AutomationEventSchema>;
export type AutomationEventType = AutomationEvent['type'];

const Is = z.enum(['is', 'is_not']).describe('`is`: the value is one of `values`; `is_not`: none of them');

export const AutomationConditionSchema = z
  .discriminatedUnion('type', [
    z.object({ type: z.literal('status'), operator: Is, values: z.array(TicketStatusSchema).min(1).max(5) }),
    z.object({ type: z.literal('priority'), operator: Is, values: z.array(TicketPrioritySchema).min(1).max(4) }),
    z.object({
      type: z.literal('team'),
      operator: Is,
      values: z.array(IdSchema.nullable()).min(1).max(50).describe('Team ids; null: no team'),
    }),
    z.object({
      type: z.literal('assignee'),
      operator: Is,
      values: z.array(IdSchema.nullable()).min(1).max(50).describe('User ids; null: nobody'),
    }),
    z.object({ type: z.literal('requester'), operator: Is, values: z.array(IdSchema).min(1).max(50) }),
    z.object({
      type: z.literal('label'),
      operator: Is.describe('`is`: the ticket has any of the labels `values`; `is_not`: none of them'),
      values: z.array(IdSchema).min(1).max(20).describe('Label ids'),
    }),
    z.object({
      type: z.literal('text'),
      in: z
        .enum(['subject', 'description', 'subject_or_description', 'message'])
        .describe('`message`: the body of the message that triggered the rule (message events only)'),
      contains: PlainTextSchema.trim().min(1).max(200).describe('Ignoring case'),
    }),
    z.object({
      type: z.literal('field'),
      key: FieldKeySchema.describe("A ticket custom field's key (an unknown or archived one has no value)"),
      operator: Is,
      values: z
        .array(PlainTextSchema.max(500))
        .min(1)
        .max(50)
        .describe(
          'Values as text: an option, the text, a number (`12.5`), `true`/`false`, a date `YYYY-MM-DD`; ' +
            'a multi-select matches when one of its options is listed; `""`: no value',
        ),
    }),
    z.object({
      type: z.literal('business_hours'),
      within: z
        .boolean()
        .describe(
          "true: only within the SLA policy's business hours; false: only outside them " +
            '(without business hours every hour is within)',
        ),
    }),
  ])
  .meta({ id: 'AutomationCondition' });
export type AutomationCondition = z.infer<typeof AutomationConditionSchema>;

const RuleText = PlainTextSchema.trim().min(1).max(4000);

export const AutomationActionSchema = z
  .discriminatedUnion('type', [
    z.object({
      type: z.literal('assign'),
      userId: IdSchema.nullable().describe('An agent or admin of the workspace; null: unassign'),
    }),
    z.object({ type: z.literal('set_team'), teamId: IdSchema.nullable().describe('null: no team') }),
    z.object({ type: z.literal('set_priority'), priority: TicketPrioritySchema }),
    z.object({
      type: z.literal('set_status'),
      status: TicketStatusSchema,
      snoozeMinutes: Minutes.optional().describe('With `snoozed` (and only then): for how long'),
    }),
    z.object({ type: z.literal('add_label'), labelId: IdSchema.describe('A label of the workspace') }),
    z.object({ type: z.literal('remove_label'), labelId: IdSchema.describe('A label of the workspace') }),
    z.object({ type: z.literal('add_note'), body: RuleText.describe('An internal note, by Parley') }),
    z.object({ type: z.literal('send_reply'), body: RuleText.describe('A reply the customer sees, by Parley') }),
    z.object({
      type: z.literal('send_canned_reply'),
      cannedResponseId: IdSchema.describe(
        'A team or workspace canned response, filled in for the ticket and sent to the customer by Parley',
      ),
    }),
    z.object({
      type: z.literal('notify'),
      userIds: z.array(IdSchema).min(1).max(20).describe('Agents or admins of the workspace'),
      message: NameTextSchema.trim().max(200).optional().describe('Shown with the notification'),
    }),
  ])
  .meta({ id: 'AutomationAction' });
export type AutomationAction = z.infer<typeof AutomationActionSchema>;

const RuleName = NameTextSchema.trim().min(1).max(100);
const Conditions = z.array(AutomationConditionSchema).max(20).describe('All must hold (none: always)');
const Actions = z.array(AutomationActionSchema).min(1).max(10);

export const AutomationRuleSchema = z
  .object({
    id: IdSchema,
    name: z.string(),
    enabled: z.boolean(),
    position: z.number().int().describe('Rules run in ascending position'),
    event: AutomationEventSchema,
    conditions: z.array(AutomationConditionSchema),
    actions: z.array(AutomationActionSchema),
    createdAt: TimestampSchema,
    updatedAt: TimestampSchema,
  })
  .meta({ id: 'AutomationRule' });
export type AutomationRule = z.infer<typeof AutomationRuleSchema>;

export const AutomationRuleListSchema = z
  .object({ items: z.array(AutomationRuleSchema).describe('In the order they run') })
  .meta({ id: 'AutomationRuleList' });
export type AutomationRuleList = z.infer<typeof AutomationRuleListSchema>;

export const CreateAutomationRuleBodySchema = z
  .object({
    name: RuleName,
    enabled: z.boolean().default(true),
    event: AutomationEventSchema,
    conditions: Conditions.default([]),
    actions: Actions,
  })
  .meta({ id: 'CreateAutomationRuleBody' });
export type CreateAutomationRuleBody = z.input<typeof CreateAutomationRuleBodySchema>;

export const UpdateAutomationRuleBodySchema = z
  .object({
    name: RuleName.optional(),
    enabled: z.boolean().optional(),
    event: AutomationEventSchema.optional(),
    conditions: Conditions.optional(),
    actions: Actions.optional(),
  })
  .refine((b) => Object.values(b).some((v) => v !== undefined), 'Give at least one field to change')
  .meta({ id: 'UpdateAutomationRuleBody' });
export type UpdateAutomationRuleBody = z.infer<typeof UpdateAutomationRuleBodySchema>;

export const ReorderAutomationRulesBodySchema = z
  .object({ ids: z.array(IdSchema).max(500).describe('Every rule of the workspace, once each, in the new order') })
  .meta({ id: 'ReorderAutomationRulesBody' });
export type ReorderAutomationRulesBody = z.infer<typeof ReorderAutomationRulesBodySchema>;
