import { z } from 'zod';
import { IdSchema, NameTextSchema, PlainTextSchema, TimestampSchema } from './common';
import { PublicUserSchema } from './users';

export const TeamNameSchema = NameTextSchema.trim().min(1).max(64);
export const TeamDescriptionSchema = PlainTextSchema.trim().max(500);

export const TeamSchema = z
  .object({
    id: IdSchema,
    name: z.string(),
    description: z.string().nullable(),
    createdAt: TimestampSchema,
    updatedAt: TimestampSchema,
  })
  .meta({ id: 'Team' });
export type Team = z.infer<typeof TeamSchema>;

/** Every team, by name: customers pick one when they open a ticket. */
export const TeamListSchema = z.object({ items: z.array(TeamSchema) }).meta({ id: 'TeamList' });
export type TeamList = z.infer<typeof TeamListSchema>;

/** One team with its members; the member list is for staff, so customers get it empty. */
export const TeamDetailSchema = TeamSchema.extend({ members: z.array(PublicUserSchema) }).meta({ id: 'TeamDetail' });
export type TeamDetail = z.infer<typeof TeamDetailSchema>;

export const CreateTeamBodySchema = z
  .object({
    name: TeamNameSchema.describe('Unique, ignoring case'),
    description: TeamDescriptionSchema.optional(),
  })
  .meta({ id: 'CreateTeamBody' });
export type CreateTeamBody = z.infer<typeof CreateTeamBodySchema>;

export const UpdateTeamBodySchema = z
  .object({
    name: TeamNameSchema.optional().describe('Unique, ignoring case'),
    description: TeamDescriptionSchema.nullable().optional().describe('null or "" clears it'),
  })
  .refine((b) => b.name !== undefined || b.description !== undefined, 'Give at least one field to change')
  .meta({ id: 'UpdateTeamBody' });
export type UpdateTeamBody = z.infer<typeof UpdateTeamBodySchema>;
