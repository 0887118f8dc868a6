import { mentionsOf } from '@parley/markdown';
import type { Message } from '@parley/protocol';
import type { Scope } from '../auth/actor';
import type { Db } from '../db/connect';
import { listTeamIdsOf } from '../teams/team-service';
import { canSeeInternalNotes, canSeeTicket, ticketReach } from '../tickets/ticket-policy';
import { findTicketByConversation } from '../tickets/ticket-repository';
import { loadActor } from '../workspaces/member-repository';
import { isTrue } from '../conversations/conversation-access';
import { findMembership } from '../conversations/message-repository';
import { listOtherMembers, listTicketWatchers } from './notification-repository';

/**
 * Who a message mentions and may read it: `@username` of an active member of the workspace who
 * sees the conversation (for a note, staff who see the ticket), and `@team`, a ticket's team.
 * Anyone else mentioned hears nothing: a mention never tells a person what they cannot read,
 * nor that it exists. `@all` from a group's admin mentions every member of the group. Never the writer. Read only for messages that mention someone.
 */
export async function mentionedReaders(db: Db, ws: Scope, message: Message): Promise<string[]> {
  // Most messages mention nobody: they are not parsed for it.
  if (!message.body.includes('@')) return [];
  const names = mentionsOf(message.body);
  if (names.length === 0 || message.senderId === null) return [];
  const ticket = await findTicketByConversation(db, ws, message.conversationId);
  const candidates = new Set(await membersNamed(db, ws, names));
  if (ticket && names.includes('team') && ticket.teamId) {
    for (const id of await listTicketWatchers(db, ws, ticket.teamId)) candidates.add(id);
  }
  candidates.delete(message.senderId);
  if (!ticket) {
    const others = await listOtherMembers(db, ws, message.conversationId, message.senderId);
    // `@all` is a group admin's: it reaches everyone in the group at once.
    if (
      names.includes('all') &&
      isTrue((await findMembership(db, ws, message.conversationId, message.senderId))?.isAdmin)
    )
      return others;
    const members = new Set(others);
    return [...candidates].filter((id) => members.has(id));
  }
  const readers: string[] = [];
  for (const id of candidates) {
    const actor = await loadActor(db, ws, id);
    if (!actor) continue;
    const teamIds = ticketReach(actor) === 'teams' ? await listTeamIdsOf(db, ws, id) : [];
    if (!canSeeTicket(actor, ticket, teamIds)) continue;
    if (message.kind === 'note' && !canSeeInternalNotes(actor)) continue;
    readers.push(id);
  }
  return readers;
}

/** The active members of the workspace with these usernames (lower-cased). */
async function membersNamed(db: Db, ws: Scope, usernameKeys: readonly string[]): Promise<string[]> {
  const rows = await db
    .selectFrom('users')
    .innerJoin('workspaceMembers as wm', (join) =>
      join.onRef('wm.userId', '=', 'users.id').on('wm.workspaceId', '=', ws.workspaceId),
    )
    .select('users.id')
    .where('users.usernameKey', 'in', [...usernameKeys])
    .where('wm.deactivatedAt', 'is', null)
    .where('users.deactivatedAt', 'is', null)
    .execute();
  return rows.map((row) => row.id);
}
