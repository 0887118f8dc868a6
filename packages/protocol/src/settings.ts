import { z } from 'zod';
import { IdSchema } from './common';

/**
 * How the support desk works, set by admins. One desk for now; settings move per workspace
 * later. Every signed-in user may read them (the app shapes its forms by them).
 */
/** A year: beyond that, "any time" says it better. */
export const MAX_EDIT_WINDOW_MINUTES = 525_600;

export const DeskSettingsSchema = z
  .object({
    customersMayChooseUrgent: z
      .boolean()
      .describe('Customers may open tickets with priority `urgent` (off: staff alone raise a ticket to it)'),
    defaultTeamId: IdSchema.nullable().describe(
      "The default queue: the team a ticket opened without one goes to. null: it stays without a team, in every agent's queue",
    ),
    messageEditWindowMinutes: z
      .number()
      .int()
      .min(0)
      .max(MAX_EDIT_WINDOW_MINUTES)
      .nullable()
      .describe(
        'How long after sending people may edit their messages, in minutes: null any time, 0 never. ' +
          "Every edit is kept in the message's history either way; deleting stays possible",
      ),
  })
  .meta({ id: 'DeskSettings' });
export type DeskSettings = z.infer<typeof DeskSettingsSchema>;

/** What a desk has before an admin changes anything. */
export const DEFAULT_DESK_SETTINGS: DeskSettings = {
  customersMayChooseUrgent: false,
  defaultTeamId: null,
  messageEditWindowMinutes: null,
};

export const UpdateDeskSettingsBodySchema = DeskSettingsSchema.partial()
  .refine((b) => Object.values(b).some((v) => v !== undefined), 'Give at least one setting to change')
  .meta({ id: 'UpdateDeskSettingsBody' });
export type UpdateDeskSettingsBody = z.infer<typeof UpdateDeskSettingsBodySchema>;
