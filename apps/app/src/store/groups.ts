import type { CreateGroupBody, UpdateGroupBody } from '@parley/protocol';
import { parley } from '../api/parley';
import { formThunk } from './form-thunk';

/**
 * What the app does to groups [RT-GROUPS]. Each answer (the group as the server has it now) is
 * stored by the conversations slice at once; every other member hears of it by
 * `conversation.updated`, and the thread gets a line saying so.
 */

/** A new group with these people; the creator is its first admin. */
export const createGroup = formThunk('groups/create', (body: CreateGroupBody) =>
  parley.conversations.createGroup(body),
);

/** Rename it or change its topic: any member may. */
export const updateGroup = formThunk('groups/update', ({ id, ...body }: UpdateGroupBody & { id: string }) =>
  parley.conversations.updateGroup(id, body),
);

/** An admin adds people (staff anyone of the workspace, customers their contacts). */
export const addGroupMembers = formThunk('groups/addMembers', ({ id, userIds }: { id: string; userIds: string[] }) =>
  parley.conversations.addMembers(id, userIds),
);

export const setGroupAdmin = formThunk(
  'groups/setAdmin',
  ({ id, userId, admin }: { id: string; userId: string; admin: boolean }) =>
    parley.conversations.setAdmin(id, userId, admin),
);

/**
 * An admin takes someone out of the group; with `leaving` it is the user's own id and they
 * leave it: it is dropped from their list at once (`conversation.removed` follows).
 */
export const removeGroupMember = formThunk(
  'groups/removeMember',
  async (arg: { id: string; userId: string; leaving: boolean }) => {
    await parley.conversations.removeMember(arg.id, arg.userId);
    return arg;
  },
);
