import { z } from 'zod';
import { IdSchema, TimestampSchema } from './common';

/**
 * Service-level agreements: how soon staff answer a ticket first and resolve it, per priority,
 * counted in business hours, with steps that escalate a ticket at risk or past its target.
 * See docs/architecture.md "SLA and escalation".
 */

/** One target's state: `met` once reached in time; `breached` stays even when reached later. */
export const SlaStateSchema = z.enum(['ok', 'at_risk', 'breached', 'met']);
export type SlaState = z.infer<typeof SlaStateSchema>;

export const SlaTargetSchema = z.enum(['first_response', 'resolution']);
export type SlaTarget = z.infer<typeof SlaTargetSchema>;

const minutes = z
  .number()
  .int()
  .min(1)
  .max(366 * 24 * 60);

export const SlaTargetsSchema = z
  .object({
    firstResponseMinutes: minutes.describe('Business minutes until the first public staff reply'),
    resolutionMinutes: minutes.describe('Business minutes until the ticket is closed'),
  })
  .meta({ id: 'SlaTargets' });

const clockTime = z.string().regex(/^(([01]\d|2[0-3]):[0-5]\d|24:00)$/, 'A time HH:MM');

export const BusinessHoursSchema = z
  .object({
    timeZone: z.string().min(1).max(64).describe('IANA time zone, e.g. `Europe/Berlin`'),
    week: z
      .array(
        z
          .object({
            day: z.number().int().min(1).max(7).describe('1 Monday … 7 Sunday'),
            from: clockTime,
            to: clockTime,
          })
          .refine((w) => w.from < w.to, { message: 'Opens before it closes', path: ['to'] }),
      )
      .min(1)
      .max(50)
      .describe('Open hours, local time; several per day allowed'),
    holidays: z.array(z.iso.date()).max(400).describe('Local dates (`YYYY-MM-DD`) when the desk is closed'),
  })
  .meta({ id: 'BusinessHours' });
export type BusinessHours = z.infer<typeof BusinessHoursSchema>;

export const SlaEscalationActionSchema = z
  .discriminatedUnion('type', [
    z.object({
      type: z.literal('notify'),
      assignee: z.boolean().describe("The ticket's assignee"),
      team: z.boolean().describe("Every member of the ticket's team"),
      userIds: z.array(IdSchema).max(20).describe('Named staff members'),
    }),
    z.object({
      type: z.literal('raise_priority'),
      to: z
        .enum(['low', 'medium', 'high', 'urgent'])
        .nullable()
        .describe('null: one step up; a priority: up to it (never down)'),
    }),
    z.object({
      type: z.literal('reassign'),
      teamId: IdSchema.nullable().describe('Move to this team (null: keep the team)'),
      assigneeId: IdSchema.nullable().describe('Assign to this person (null: keep the assignee)'),
    }),
    z.object({
      type: z.literal('add_label'),
      labelId: IdSchema.describe('A label of the workspace (`GET /labels`), added to the ticket'),
    }),
  ])
  .meta({ id: 'SlaEscalationAction' });
export type SlaEscalationAction = z.infer<typeof SlaEscalationActionSchema>;

export const SlaEscalationStepSchema = z
  .object({
    target: SlaTargetSchema,
    when: z.enum(['at_risk', 'breached']).describe('`at_risk`: at the warning share of the target'),
    action: SlaEscalationActionSchema,
  })
  .meta({ id: 'SlaEscalationStep' });
export type SlaEscalationStep = z.infer<typeof SlaEscalationStepSchema>;

export const SlaPolicySchema = z
  .object({
    targets: z.object({
      low: SlaTargetsSchema,
      medium: SlaTargetsSchema,
      high: SlaTargetsSchema,
      urgent: SlaTargetsSchema,
    }),
    atRiskPercent: z.number().int().min(1).max(99).describe('A target is at risk once this share of it has passed'),
    businessHours: BusinessHoursSchema.nullable().describe('null: every hour counts'),
    escalation: z.array(SlaEscalationStepSchema).max(20).describe('Each step runs once per ticket'),
  })
  .meta({ id: 'SlaPolicy' });
export type SlaPolicy = z.infer<typeof SlaPolicySchema>;

/** The workspace's policy; null: no SLA (new tickets get no due times). */
export const SlaPolicySettingSchema = z.object({ policy: SlaPolicySchema.nullable() }).meta({ id: 'SlaPolicySetting' });
export type SlaPolicySetting = z.infer<typeof SlaPolicySettingSchema>;

/** A ticket's SLA clocks, as the queue, the ticket and `ticket.updated` show them. */
export const TicketSlaSchema = z
  .object({
    firstResponse: z.object({
      dueAt: TimestampSchema,
      at: TimestampSchema.nullable().describe('The first public reply by staff'),
      state: SlaStateSchema,
    }),
    resolution: z.object({ dueAt: TimestampSchema, state: SlaStateSchema }),
    pausedAt: TimestampSchema.nullable().describe('Set while pending: the clocks stand still'),
  })
  .meta({ id: 'TicketSla' });
export type TicketSla = z.infer<typeof TicketSlaSchema>;
