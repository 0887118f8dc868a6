import type { Actor, Scope } from '../auth/actor';
import type { Db } from '../db/connect';
import { blockBetween, isTrue } from '../conversations/conversation-access';
import { selectMembers, type MemberRow } from '../workspaces/member-repository';

export interface GroupMember {
  userId: string;
  displayName: string;
  admin: boolean;
  user: MemberRow;
}

/**
 * Takes the group's row lock for the rest of the transaction (as a message's seq bump does), so
 * membership changes queue up behind each other and behind sends, and every check reads the
 * members as they will be written.
 */
export async function lockGroup(trx: Db, ws: Scope, conversationId: string): Promise<void> {
  await trx
    .updateTable('conversations')
    .set((eb) => ({ lastSeq: eb.ref('lastSeq') }))
    .where('workspaceId', '=', ws.workspaceId)
    .where('id', '=', conversationId)
    .execute();
}

/** The group's members, longest-standing first (the heir when the last admin leaves). */
export async function listGroupMembers(db: Db, ws: Scope, conversationId: string): Promise<GroupMember[]> {
  const users = selectMembers(db, ws).as('u');
  const rows = await db
    .selectFrom('conversationMembers as m')
    .innerJoin(users, 'u.id', 'm.userId')
    .selectAll('u')
    .select('m.isAdmin')
    .where('m.workspaceId', '=', ws.workspaceId)
    .where('m.conversationId', '=', conversationId)
    .orderBy('m.createdAt')
    .orderBy('m.userId')
    .execute();
  return rows.map(({ isAdmin, ...user }) => ({
    userId: user.id,
    displayName: user.displayName,
    admin: isTrue(isAdmin),
    user: user as MemberRow,
  }));
}

/** Every membership row, deactivated people's too: they keep their place. */
export async function countGroupMembers(db: Db, ws: Scope, conversationId: string): Promise<number> {
  const row = await db
    .selectFrom('conversationMembers')
    .select((eb) => eb.fn.countAll<number | string>().as('n'))
    .where('workspaceId', '=', ws.workspaceId)
    .where('conversationId', '=', conversationId)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

export async function insertGroupMembers(
  trx: Db,
  ws: Scope,
  conversationId: string,
  userIds: string[],
  at: number,
  admin: boolean,
): Promise<void> {
  if (userIds.length === 0) return;
  await trx
    .insertInto('conversationMembers')
    .values(
      userIds.map((userId) => ({
        workspaceId: ws.workspaceId,
        conversationId,
        userId,
        lastReadSeq: 0,
        isAdmin: admin ? 1 : 0,
        createdAt: at,
      })),
    )
    .execute();
}

export async function removeGroupMember(trx: Db, ws: Scope, conversationId: string, userId: string): Promise<void> {
  await trx
    .deleteFrom('conversationMembers')
    .where('workspaceId', '=', ws.workspaceId)
    .where('conversationId', '=', conversationId)
    .where('userId', '=', userId)
    .execute();
}

export async function setGroupAdmin(
  trx: Db,
  ws: Scope,
  conversationId: string,
  userId: string,
  admin: boolean,
): Promise<void> {
  await trx
    .updateTable('conversationMembers')
    .set({ isAdmin: admin ? 1 : 0 })
    .where('workspaceId', '=', ws.workspaceId)
    .where('conversationId', '=', conversationId)
    .where('userId', '=', userId)
    .execute();
}

/**
 * Of `userIds`, the active members of the workspace with no block either way between them and
 * the actor, and (`contactsOnly`) who are the actor's contacts: one query.
 */
export async function listAddable(
  db: Db,
  actor: Actor,
  userIds: string[],
  { contactsOnly }: { contactsOnly: boolean },
): Promise<MemberRow[]> {
  if (userIds.length === 0) return [];
  const rows = await selectMembers(db, actor)
    .where('users.id', 'in', userIds)
    .where('wm.deactivatedAt', 'is', null)
    .where('users.deactivatedAt', 'is', null)
    .where((eb) => eb.not(blockBetween(eb, actor, 'users.id')))
    .$if(contactsOnly, (q) =>
      q.where((eb) =>
        eb.exists(
          eb
            .selectFrom('contacts')
            .select('contacts.contactId')
            .where('contacts.workspaceId', '=', actor.workspaceId)
            .where('contacts.userId', '=', actor.id)
            .whereRef('contacts.contactId', '=', 'users.id'),
        ),
      ),
    )
    .execute();
  return rows as MemberRow[];
}
