import type { Selectable } from 'kysely';
import type { Actor } from '../auth/actor';
import type { ConversationsTable, TicketsTable } from '../db/schema';
import type { ServiceDeps } from '../deps';
import { notFound } from '../http/app-error';
import { listTeamIdsOf } from '../teams/team-service';
import { canSeeInternalNotes, canSeeTicket } from '../tickets/ticket-policy';

export interface ConversationAccess {
  conversation: Selectable<ConversationsTable>;
  /** The ticket this conversation is the thread of, if it is one. */
  ticket: Selectable<TicketsTable> | null;
  /** Whether internal notes are visible to (and writable by) this actor here. */
  seesNotes: boolean;
}

/**
 * The one gate to a conversation, for REST routes, uploads and socket frames alike. A ticket
 * thread is open to whoever may see the ticket; a direct or group conversation to its members
 * only (admins included: private chats stay private). Anything else is `404 not_found`.
 */
export async function accessConversation(
  deps: ServiceDeps,
  actor: Actor,
  conversationId: string,
): Promise<ConversationAccess> {
  const { db } = deps;
  const conversation = await db
    .selectFrom('conversations')
    .selectAll()
    .where('id', '=', conversationId)
    .executeTakeFirst();
  if (!conversation) throw notFound('Conversation');

  if (conversation.kind === 'ticket') {
    const ticket = await db
      .selectFrom('tickets')
      .selectAll()
      .where('conversationId', '=', conversationId)
      .executeTakeFirst();
    const teamIds = actor.role === 'agent' ? await listTeamIdsOf(db, actor.id) : [];
    if (!ticket || !canSeeTicket(actor, ticket, teamIds)) throw notFound('Conversation');
    return { conversation, ticket, seesNotes: canSeeInternalNotes(actor) };
  }

  const member = await db
    .selectFrom('conversationMembers')
    .select('userId')
    .where('conversationId', '=', conversationId)
    .where('userId', '=', actor.id)
    .executeTakeFirst();
  if (!member) throw notFound('Conversation');
  return { conversation, ticket: null, seesNotes: false };
}
