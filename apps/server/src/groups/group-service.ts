import {
  MAX_GROUP_MEMBERS,
  type Conversation,
  type CreateGroupBody,
  type GroupInfo,
  type SystemEvent,
  type UpdateGroupBody,
} from '@parley/protocol';
import { isStaff, type Actor, type Scope } from '../auth/actor';
import { recordAudit } from '../audit/audit-service';
import { getConversation } from '../conversations/conversation-service';
import { accessConversation } from '../conversations/conversation-access';
import { presentMessages } from '../conversations/message-presenter';
import { insertMessage } from '../conversations/message-repository';
import { newSystemMessage } from '../conversations/system-lines';
import type { Db } from '../db/connect';
import type { MessageRow } from '../db/schema';
import type { ServiceDeps } from '../deps';
import type { DomainEvent } from '../events/domain-events';
import { AppError, notFound } from '../http/app-error';
import { newId } from '../ids';
import { PARLEY } from '../tickets/ticket-service';
import { findUserById } from '../users/user-repository';
import { presentPublicUser } from '../users/user-presenter';
import { loadActor } from '../workspaces/member-repository';
import {
  countGroupMembers,
  insertGroupMembers,
  listAddable,
  listGroupMembers,
  lockGroup,
  removeGroupMember,
  setGroupAdmin as writeGroupAdmin,
  type GroupMember,
} from './group-repository';

/**
 * Group conversations [RT-GROUPS]: named, with a topic line, members added by its admins. Its
 * creator is the first admin; when the last admin leaves, the longest-standing member becomes
 * one. Each change is a system line in the thread, written under the conversation's row lock
 * (the seq bump), so membership changes and messages have one order. A removed member loses
 * the whole conversation at once (as Slack's private channels do): `404` on every route, the
 * subscription ended at the line that says so, `conversation.removed` on every device.
 */
export async function createGroup(
  deps: ServiceDeps,
  actor: Actor,
  body: CreateGroupBody,
): Promise<{ conversation: Conversation }> {
  const { db } = deps;
  const others = await addableOrRefuse(db, actor, body.memberIds, 'memberIds');
  const by = await nameOf(db, actor);
  const at = deps.clock.now();
  const id = newId();
  const topic = body.topic ? body.topic : null;
  const lines = await db.transaction().execute(async (trx) => {
    await trx
      .insertInto('conversations')
      .values({
        id,
        workspaceId: actor.workspaceId,
        kind: 'group',
        title: body.title,
        topic,
        directKey: null,
        createdAt: at,
        updatedAt: at,
        publicUpdatedAt: at,
      })
      .execute();
    await insertGroupMembers(trx, actor, id, [actor.id], at, true);
    await insertGroupMembers(
      trx,
      actor,
      id,
      others.map((m) => m.id),
      at,
      false,
    );
    const created = await writeLine(trx, actor, id, at, {
      event: 'group.created',
      actor: by,
      params: { title: body.title },
    });
    const added = await writeLine(trx, actor, id, at, {
      event: 'group.members_added',
      actor: by,
      params: { users: others.map(person) },
    });
    // The creator has read what they just wrote; everyone else starts unread at these lines.
    await trx
      .updateTable('conversationMembers')
      .set({ lastReadSeq: added.seq })
      .where('workspaceId', '=', actor.workspaceId)
      .where('conversationId', '=', id)
      .where('userId', '=', actor.id)
      .execute();
    await audit(trx, actor, at, 'group.created', id, { title: body.title, memberIds: others.map((m) => m.id) });
    return [created, added];
  });
  await publishLines(deps, actor, lines);
  await announceTo(deps, actor, id, [actor.id, ...others.map((m) => m.id)]);
  return { conversation: await getConversation(deps, actor, id) };
}

/** Any member may rename the group or change its topic (as in most chat products). */
export async function updateGroup(
  deps: ServiceDeps,
  actor: Actor,
  conversationId: string,
  body: UpdateGroupBody,
): Promise<Conversation> {
  const { db } = deps;
  const group = await accessGroup(deps, actor, conversationId);
  const title = body.title ?? group.title ?? '';
  const topic = body.topic === undefined ? group.topic : body.topic || null;
  const by = await nameOf(db, actor);
  const at = deps.clock.now();
  const events: SystemEvent[] = [
    ...(title !== group.title ? [{ event: 'group.renamed' as const, actor: by, params: { title } }] : []),
    ...(topic !== group.topic ? [{ event: 'group.topic_changed' as const, actor: by, params: { topic } }] : []),
  ];
  if (events.length === 0) return getConversation(deps, actor, conversationId);
  const lines = await db.transaction().execute(async (trx) => {
    const written: MessageRow[] = [];
    for (const event of events) written.push(await writeLine(trx, actor, conversationId, at, event));
    await trx
      .updateTable('conversations')
      .set({ title, topic })
      .where('workspaceId', '=', actor.workspaceId)
      .where('id', '=', conversationId)
      .execute();
    await audit(trx, actor, at, 'group.updated', conversationId, { title, topic });
    return written;
  });
  await publishLines(deps, actor, lines);
  await publishGroupInfo(deps, actor, conversationId);
  return getConversation(deps, actor, conversationId);
}

/** A group admin adds people: staff anyone of the workspace, customers their contacts. */
export async function addGroupMembers(
  deps: ServiceDeps,
  actor: Actor,
  conversationId: string,
  userIds: string[],
): Promise<Conversation> {
  const { db } = deps;
  await accessGroup(deps, actor, conversationId);
  const wanted = await addableOrRefuse(db, actor, userIds, 'userIds');
  const by = await nameOf(db, actor);
  const at = deps.clock.now();
  const result = await db.transaction().execute(async (trx) => {
    await lockGroup(trx, actor, conversationId);
    const members = await listGroupMembers(trx, actor, conversationId);
    requireAdmin(members, actor);
    const present = new Set(members.map((m) => m.userId));
    const joining = wanted.filter((m) => !present.has(m.id));
    if (joining.length === 0) return null;
    if ((await countGroupMembers(trx, actor, conversationId)) + joining.length > MAX_GROUP_MEMBERS) {
      throw new AppError('conflict', `A group holds at most ${MAX_GROUP_MEMBERS} members`);
    }
    await insertGroupMembers(
      trx,
      actor,
      conversationId,
      joining.map((m) => m.id),
      at,
      false,
    );
    const line = await writeLine(trx, actor, conversationId, at, {
      event: 'group.members_added',
      actor: by,
      params: { users: joining.map(person) },
    });
    await audit(trx, actor, at, 'group.members_added', conversationId, { userIds: joining.map((m) => m.id) });
    return { line, joining };
  });
  if (result) {
    await publishLines(deps, actor, [result.line]);
    await announceTo(
      deps,
      actor,
      conversationId,
      result.joining.map((m) => m.id),
    );
    await publishGroupInfo(deps, actor, conversationId);
  }
  return getConversation(deps, actor, conversationId);
}

/**
 * An admin removes a member, or anyone leaves (`userId` is the actor). The last admin leaving
 * hands the group to the member who has been in it longest.
 */
export async function removeFromGroup(
  deps: ServiceDeps,
  actor: Actor,
  conversationId: string,
  userId: string,
): Promise<void> {
  const { db } = deps;
  await accessGroup(deps, actor, conversationId);
  const by = await nameOf(db, actor);
  const at = deps.clock.now();
  const lines = await db.transaction().execute(async (trx) => {
    await lockGroup(trx, actor, conversationId);
    const members = await listGroupMembers(trx, actor, conversationId);
    if (userId !== actor.id) requireAdmin(members, actor);
    const leaving = members.find((m) => m.userId === userId);
    if (!leaving) throw notFound('Member');
    await removeGroupMember(trx, actor, conversationId, userId);
    const written = [
      await writeLine(trx, actor, conversationId, at, {
        event: 'group.member_removed',
        actor: by,
        params: { user: { id: userId, name: leaving.displayName } },
      }),
    ];
    const rest = members.filter((m) => m.userId !== userId);
    if (rest.length > 0 && !rest.some((m) => m.admin)) {
      const heir = rest[0]!; // listed longest-standing first
      await writeGroupAdmin(trx, actor, conversationId, heir.userId, true);
      written.push(
        await writeLine(trx, actor, conversationId, at, {
          event: 'group.admin_changed',
          actor: PARLEY,
          params: { user: { id: heir.userId, name: heir.displayName }, admin: true },
        }),
      );
    }
    await audit(trx, actor, at, userId === actor.id ? 'group.left' : 'group.member_removed', conversationId, {
      userId,
    });
    return written;
  });
  await publishLines(deps, actor, lines);
  deps.events.publish({ workspaceId: actor.workspaceId, type: 'conversation.removed', userId, conversationId });
  await publishGroupInfo(deps, actor, conversationId);
}

/** An admin makes a member an admin, or an admin a member again (never the last admin). */
export async function setGroupAdmin(
  deps: ServiceDeps,
  actor: Actor,
  conversationId: string,
  userId: string,
  admin: boolean,
): Promise<Conversation> {
  const { db } = deps;
  await accessGroup(deps, actor, conversationId);
  const by = await nameOf(db, actor);
  const at = deps.clock.now();
  const line = await db.transaction().execute(async (trx) => {
    await lockGroup(trx, actor, conversationId);
    const members = await listGroupMembers(trx, actor, conversationId);
    requireAdmin(members, actor);
    const target = members.find((m) => m.userId === userId);
    if (!target) throw notFound('Member');
    if (target.admin === admin) return null;
    if (!admin && members.filter((m) => m.admin).length === 1) {
      throw new AppError('conflict', 'A group needs an admin: make someone else one first');
    }
    await writeGroupAdmin(trx, actor, conversationId, userId, admin);
    await audit(trx, actor, at, 'group.admin_changed', conversationId, { userId, admin });
    return writeLine(trx, actor, conversationId, at, {
      event: 'group.admin_changed',
      actor: by,
      params: { user: { id: userId, name: target.displayName }, admin },
    });
  });
  if (line) {
    await publishLines(deps, actor, [line]);
    await publishGroupInfo(deps, actor, conversationId);
  }
  return getConversation(deps, actor, conversationId);
}

/** The group's row, for a member of it; anything else (another kind, not a member) is `404`. */
async function accessGroup(deps: ServiceDeps, actor: Actor, conversationId: string) {
  const { conversation } = await accessConversation(deps, actor, conversationId);
  if (conversation.kind !== 'group') throw notFound('Group');
  return conversation;
}

function requireAdmin(members: GroupMember[], actor: Actor): void {
  if (!members.find((m) => m.userId === actor.id)?.admin) {
    throw new AppError('forbidden', "Only the group's admins can change who is in it");
  }
}

/**
 * The people of `userIds` the actor may put in a group, or `400` naming each one who is not:
 * not an active member of the workspace, a block either way, or (for a customer) not a
 * contact. The reasons are one, so an id tells a customer nothing about who exists.
 */
async function addableOrRefuse(db: Db, actor: Actor, userIds: string[], field: string) {
  const addable = await listAddable(db, actor, unique(userIds), { contactsOnly: !isStaff(actor) });
  const byId = new Map(addable.map((m) => [m.id, m]));
  const refused = userIds.flatMap((id, i) => (byId.has(id) && id !== actor.id ? [] : [i]));
  if (refused.length > 0) {
    throw new AppError('validation_failed', 'Some of these people cannot be added', {
      fields: refused.map((i) => ({
        in: 'body' as const,
        path: `${field}.${i}`,
        message: userIds[i] === actor.id ? 'You are in it already' : 'Not someone you can add to a group',
        reason: 'invalid' as const,
      })),
    });
  }
  return unique(userIds).map((id) => byId.get(id)!);
}

async function writeLine(trx: Db, ws: Scope, conversationId: string, at: number, event: SystemEvent) {
  return insertMessage(trx, ws, newSystemMessage(conversationId, event, at));
}

async function publishLines(deps: ServiceDeps, ws: Scope, rows: MessageRow[]) {
  for (const message of await presentMessages(deps.db, ws, rows)) {
    deps.events.publish({ workspaceId: ws.workspaceId, type: 'message.created', message });
  }
}

/** New members (and the creator's other devices) get the conversation as they will list it. */
async function announceTo(deps: ServiceDeps, ws: Scope, conversationId: string, userIds: string[]) {
  for (const userId of userIds) {
    const member = await loadActor(deps.db, ws, userId);
    if (!member) continue;
    const conversation = await getConversation(deps, member, conversationId);
    deps.events.publish({ workspaceId: ws.workspaceId, type: 'conversation.created', userId, conversation });
  }
}

/** Every member hears the group as it is now: name, topic, members, admins. */
async function publishGroupInfo(deps: ServiceDeps, ws: Scope, conversationId: string) {
  const info = await groupInfo(deps.db, ws, conversationId);
  if (!info) return;
  const event: DomainEvent = {
    workspaceId: ws.workspaceId,
    type: 'conversation.updated',
    userIds: info.members.map((m) => m.id),
    conversation: info,
  };
  deps.events.publish(event);
}

async function groupInfo(db: Db, ws: Scope, conversationId: string): Promise<GroupInfo | null> {
  const group = await db
    .selectFrom('conversations')
    .select(['id', 'title', 'topic'])
    .where('workspaceId', '=', ws.workspaceId)
    .where('id', '=', conversationId)
    .executeTakeFirst();
  if (!group) return null;
  const members = await listGroupMembers(db, ws, conversationId);
  return {
    ...group,
    members: members.map((m) => presentPublicUser(m.user)),
    adminIds: members.flatMap((m) => (m.admin ? [m.userId] : [])),
  };
}

async function nameOf(db: Db, actor: Actor) {
  return { id: actor.id, name: (await findUserById(db, actor.id))!.displayName };
}

const person = (m: { id: string; displayName: string }) => ({ id: m.id, name: m.displayName });

const unique = (ids: string[]) => [...new Set(ids)];

async function audit(trx: Db, actor: Actor, at: number, action: string, conversationId: string, data: object) {
  await recordAudit(trx, actor, at, {
    actorId: actor.id,
    action,
    entityType: 'conversation',
    entityId: conversationId,
    data: data as Record<string, unknown>,
  });
}
