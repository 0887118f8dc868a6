import { z } from 'zod';
import { IdSchema, TimestampSchema } from './common';

/**
 * A call in a conversation (a direct chat, a group, a ticket's thread): its state on the server
 * and who is in it. Media goes peer to peer (WebRTC, a mesh of at most `MAX_IN_CALL` people);
 * the server only rings, keeps the state and relays `call.signal` between those in the call.
 * See docs/decisions/0016-calls.md.
 */
export const CallKindSchema = z.enum(['voice', 'video']);
export type CallKind = z.infer<typeof CallKindSchema>;

export const CallParticipantSchema = z.object({
  userId: IdSchema,
  state: z
    .enum(['ringing', 'joined', 'left', 'declined', 'missed', 'busy'])
    .describe('`busy`: in another call when rung; `missed`: did not answer in time, or the caller gave up'),
  joinedAt: TimestampSchema.nullable().describe(
    'When they last joined. Joining again (another device, a reloaded page) moves the call there: the time changes, and the device that had it is out',
  ),
});
export type CallParticipant = z.infer<typeof CallParticipantSchema>;

export const CallEndReasonSchema = z
  .enum(['completed', 'missed', 'declined', 'cancelled'])
  .describe(
    '`completed`: people talked; `missed`: nobody answered in time; `declined`: everyone said no or was busy; `cancelled`: the caller hung up first',
  );
export type CallEndReason = z.infer<typeof CallEndReasonSchema>;

export const CallSchema = z
  .object({
    id: IdSchema,
    conversationId: IdSchema,
    kind: CallKindSchema,
    state: z.enum(['ringing', 'active', 'ended']),
    startedBy: IdSchema,
    startedAt: TimestampSchema,
    answeredAt: TimestampSchema.nullable().describe('When someone other than the caller first joined'),
    endedAt: TimestampSchema.nullable(),
    endReason: CallEndReasonSchema.nullable(),
    participants: z.array(CallParticipantSchema).describe('The caller first, then who was rung'),
    version: z
      .number()
      .int()
      .describe('Grows with each change: of two copies (a REST answer, a frame), the higher is the newer'),
  })
  .meta({ id: 'Call' });
export type Call = z.infer<typeof CallSchema>;

export const StartCallBodySchema = z.object({ kind: CallKindSchema }).meta({ id: 'StartCallBody' });
export type StartCallBody = z.infer<typeof StartCallBodySchema>;

export const CallListSchema = z.object({ items: z.array(CallSchema) }).meta({ id: 'CallList' });
export type CallList = z.infer<typeof CallListSchema>;
