import { z } from 'zod';
import { IdSchema } from './common';
import { DisplayNameSchema, PublicUserSchema, UsernameSchema } from './users';

/**
 * Bots: a workspace's accounts for integrations (an auto-acknowledger, a CRM sync). A bot has
 * no password: it acts through API tokens an admin (`people.manage`) makes for it, with the role
 * it was given, and everything that shows people marks it (`PublicUser.bot`). It is deactivated
 * like anyone (`PATCH /users/{id}`), which stops its tokens.
 */
export const CreateBotBodySchema = z
  .object({
    username: UsernameSchema,
    displayName: DisplayNameSchema,
    roleId: IdSchema.optional().describe('Its role in the workspace; default: the built-in Agent'),
  })
  .meta({ id: 'CreateBotBody' });
export type CreateBotBody = z.input<typeof CreateBotBodySchema>;

export const BotListSchema = z
  .object({ items: z.array(PublicUserSchema).describe('By name; deactivated ones are gone') })
  .meta({ id: 'BotList' });
export type BotList = z.infer<typeof BotListSchema>;
