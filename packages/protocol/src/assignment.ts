import { z } from 'zod';
import { IdSchema, TimestampSchema } from './common';

/**
 * Auto-assignment: who a team's new, moved or unassigned tickets go to by themselves. Only
 * members who are online, not away and under their capacity are picked.
 */
export const AssignmentModeSchema = z
  .enum(['off', 'round_robin', 'least_loaded'])
  .describe(
    'off: nobody is picked; round_robin: each member in turn; least_loaded: the member with the fewest open + in-progress tickets',
  )
  .meta({ id: 'AssignmentMode' });
export type AssignmentMode = z.infer<typeof AssignmentModeSchema>;

/** The most open + in-progress tickets (in the whole workspace) a member is given; null: no limit. */
export const TicketCapacitySchema = z.number().int().min(1).max(1000);

export const TeamAssignmentSchema = z
  .object({
    mode: AssignmentModeSchema,
    capacity: TicketCapacitySchema.nullable().describe(
      "The team's limit for each member (their open + in-progress tickets); null: no limit",
    ),
  })
  .meta({ id: 'TeamAssignment' });
export type TeamAssignment = z.infer<typeof TeamAssignmentSchema>;

/** A member's own limit in the team, in place of the team's. */
export const MemberCapacitySchema = z
  .object({ userId: IdSchema, capacity: TicketCapacitySchema })
  .meta({ id: 'MemberCapacity' });
export type MemberCapacity = z.infer<typeof MemberCapacitySchema>;

export const UpdateTeamAssignmentSchema = z
  .object({ mode: AssignmentModeSchema.optional(), capacity: TicketCapacitySchema.nullable().optional() })
  .meta({ id: 'UpdateTeamAssignment' });

export const UpdateMemberCapacitySchema = z
  .object({
    userId: IdSchema.describe('A member of the team'),
    capacity: TicketCapacitySchema.nullable().describe("null: the team's limit again"),
  })
  .meta({ id: 'UpdateMemberCapacity' });

/** An agent's own availability in the workspace: away, they are given no new tickets. */
export const AvailabilitySchema = z
  .object({
    away: z.boolean(),
    awaySince: TimestampSchema.nullable(),
  })
  .meta({ id: 'Availability' });
export type Availability = z.infer<typeof AvailabilitySchema>;

export const SetAvailabilityBodySchema = z
  .object({ away: z.boolean().describe('true: away (no new tickets); false: available') })
  .meta({ id: 'SetAvailabilityBody' });
export type SetAvailabilityBody = z.infer<typeof SetAvailabilityBodySchema>;
