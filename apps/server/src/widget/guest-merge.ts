import type { Actor } from '../auth/actor';
import { isStaff } from '../auth/actor';
import { recordAudit } from '../audit/audit-service';
import type { ServiceDeps } from '../deps';
import { AppError, notFound } from '../http/app-error';
import { loadActor } from '../workspaces/member-repository';
import { findGuest } from './widget-repository';

/**
 * Staff recognise a widget's guest as a registered customer (the same person, signed in on the
 * site without an identity, or who wrote from an address staff know): the guest's chats become
 * the customer's, with their messages and files, and the guest is closed, so the visitor's guest
 * token stops working (their next visit starts a new guest). Tables that name people by user
 * id and can hold a guest's rows are each moved in one transaction.
 */
export async function mergeGuest(
  deps: ServiceDeps,
  actor: Actor,
  guestId: string,
  intoId: string,
): Promise<{ tickets: number }> {
  const guest = await findGuest(deps.db, actor, guestId);
  if (!guest) throw notFound('Guest');
  const into = await loadActor(deps.db, actor, intoId);
  if (!into || isStaff(into) || intoId === guestId || (await findGuest(deps.db, actor, intoId))) {
    throw new AppError('validation_failed', 'Merge a guest into a registered customer of this workspace', {
      fields: [{ in: 'body', path: 'intoId', message: 'Not a registered customer of this workspace' }],
    });
  }
  const at = deps.clock.now();
  const ws = actor.workspaceId;
  return deps.db.transaction().execute(async (trx) => {
    const moved = await trx
      .updateTable('tickets')
      .set({ requesterId: intoId })
      .where('workspaceId', '=', ws)
      .where('requesterId', '=', guestId)
      .executeTakeFirst();
    await trx
      .updateTable('csatSurveys')
      .set({ requesterId: intoId })
      .where('workspaceId', '=', ws)
      .where('requesterId', '=', guestId)
      .execute();
    await trx
      .updateTable('messages')
      .set({ senderId: intoId })
      .where('workspaceId', '=', ws)
      .where('senderId', '=', guestId)
      .execute();
    await trx
      .updateTable('attachments')
      .set({ uploaderId: intoId })
      .where('workspaceId', '=', ws)
      .where('uploaderId', '=', guestId)
      .execute();
    await trx
      .updateTable('reactions')
      .set({ userId: intoId })
      .where('workspaceId', '=', ws)
      .where('userId', '=', guestId)
      .execute();
    // A guest is a member of their own chats only, which the customer is not in: no row collides.
    await trx
      .updateTable('conversationMembers')
      .set({ userId: intoId })
      .where('workspaceId', '=', ws)
      .where('userId', '=', guestId)
      .execute();
    await trx
      .updateTable('workspaceMembers')
      .set({ deactivatedAt: at, updatedAt: at })
      .where('workspaceId', '=', ws)
      .where('userId', '=', guestId)
      .execute();
    await recordAudit(trx, actor, at, {
      actorId: actor.id,
      action: 'guest.merged',
      entityType: 'user',
      entityId: guestId,
      data: { into: intoId, tickets: Number(moved.numUpdatedRows) },
    });
    return { tickets: Number(moved.numUpdatedRows) };
  });
}
