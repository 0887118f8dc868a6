import { z } from 'zod';
import { IdSchema, NameTextSchema, PlainTextSchema, TimestampSchema } from './common';
import {
  MemberCapacitySchema,
  TeamAssignmentSchema,
  UpdateMemberCapacitySchema,
  UpdateTeamAssignmentSchema,
} from './assignment';
import { PublicUserSchema } from './users';

export const TeamNameSchema = NameTextSchema.trim().min(1).max(64);
export const TeamDescriptionSchema = PlainTextSchema.trim().max(500);
/** What customers see of a team: the topic they pick when they open a ticket. */
export const TeamCategorySchema = NameTextSchema.trim().max(64);

export const TeamSchema = z
  .object({
    id: IdSchema,
    name: z.string(),
    description: z.string().nullable(),
    category: z
      .string()
      .nullable()
      .describe('The label customers pick when they open a ticket; null: the team is not offered to customers'),
    assignment: TeamAssignmentSchema,
    createdAt: TimestampSchema,
    updatedAt: TimestampSchema,
  })
  .meta({ id: 'Team' });
export type Team = z.infer<typeof TeamSchema>;

/** Every team, by name (staff only: team names are internal). */
export const TeamListSchema = z.object({ items: z.array(TeamSchema) }).meta({ id: 'TeamList' });
export type TeamList = z.infer<typeof TeamListSchema>;

/** One team with its members (staff only). */
export const TeamDetailSchema = TeamSchema.extend({
  members: z.array(PublicUserSchema),
  memberCapacities: z.array(MemberCapacitySchema).describe("Members with a limit of their own instead of the team's"),
}).meta({ id: 'TeamDetail' });
export type TeamDetail = z.infer<typeof TeamDetailSchema>;

export const CreateTeamBodySchema = z
  .object({
    name: TeamNameSchema.describe('Unique, ignoring case'),
    description: TeamDescriptionSchema.optional(),
    category: TeamCategorySchema.nullable()
      .optional()
      .describe('Offer the team to customers under this label; null or "" (the default): not offered'),
  })
  .meta({ id: 'CreateTeamBody' });
export type CreateTeamBody = z.infer<typeof CreateTeamBodySchema>;

export const UpdateTeamBodySchema = z
  .object({
    name: TeamNameSchema.optional().describe('Unique, ignoring case'),
    description: TeamDescriptionSchema.nullable().optional().describe('null or "" clears it'),
    category: TeamCategorySchema.nullable()
      .optional()
      .describe('The label customers pick; null or "" stops offering the team to customers'),
    assignment: UpdateTeamAssignmentSchema.optional().describe('Auto-assignment: the mode and the default limit'),
    memberCapacities: z
      .array(UpdateMemberCapacitySchema)
      .max(500)
      .optional()
      .describe("Members' own limits (null: back to the team's)"),
  })
  .refine(
    (b) =>
      b.name !== undefined ||
      b.description !== undefined ||
      b.category !== undefined ||
      b.assignment !== undefined ||
      b.memberCapacities !== undefined,
    'Give at least one field to change',
  )
  .meta({ id: 'UpdateTeamBody' });
export type UpdateTeamBody = z.infer<typeof UpdateTeamBodySchema>;

/**
 * A topic customers pick when they open a ticket: a team offered to them, under its label.
 * `id` is the team's, to send as `teamId`; the team's name is not shown to customers.
 */
export const TicketCategorySchema = z
  .object({ id: IdSchema.describe('Send it as `teamId` when opening a ticket'), label: z.string() })
  .meta({ id: 'TicketCategory' });
export type TicketCategory = z.infer<typeof TicketCategorySchema>;

export const TicketCategoryListSchema = z
  .object({ items: z.array(TicketCategorySchema) })
  .meta({ id: 'TicketCategoryList' });
export type TicketCategoryList = z.infer<typeof TicketCategoryListSchema>;
