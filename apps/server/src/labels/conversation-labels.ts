import type { ItemLabels } from '@parley/protocol';
import { isStaff, type Actor } from '../auth/actor';
import { accessConversation } from '../conversations/conversation-access';
import type { ServiceDeps } from '../deps';
import { AppError, notFound } from '../http/app-error';
import { findUserById } from '../users/user-repository';
import { loadActor } from '../workspaces/member-repository';
import { changeLabels, labelChips } from './ticket-labels';

/**
 * A staff member of a direct or group conversation gives it exactly these labels. Only its
 * staff members see them: the system line is internal and the frame goes to them alone. A
 * ticket's thread is labelled as the ticket (`PUT /tickets/:id/labels`).
 */
export async function setConversationLabels(
  deps: ServiceDeps,
  actor: Actor,
  conversationId: string,
  labelIds: readonly string[],
): Promise<ItemLabels> {
  const { conversation } = await accessConversation(deps, actor, conversationId);
  if (conversation.kind === 'ticket') {
    throw new AppError('validation_failed', 'Label the ticket instead: PUT /tickets/{ticketId}/labels', {
      fields: [{ in: 'params', path: 'id', message: 'A ticket thread' }],
    });
  }
  const memberIds = (
    await deps.db
      .selectFrom('conversationMembers')
      .select('userId')
      .where('workspaceId', '=', actor.workspaceId)
      .where('conversationId', '=', conversationId)
      .execute()
  ).map((m) => m.userId);
  if (!memberIds.includes(actor.id)) throw notFound('Conversation');
  const staffIds: string[] = [];
  for (const userId of memberIds) {
    const member = await loadActor(deps.db, actor, userId);
    if (member && isStaff(member)) staffIds.push(userId);
  }
  const wanted = await labelChips(deps, actor, [...new Set(labelIds)], 'labelIds');
  const by = { id: actor.id, name: (await findUserById(deps.db, actor.id))!.displayName };
  const labels = await changeLabels(deps, actor, { conversationId, staffIds }, wanted, () => [...wanted.keys()], by);
  return { labels };
}
