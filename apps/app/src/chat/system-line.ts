import type { Message, SystemEvent } from '@parley/protocol';
import type { TFunction } from 'i18next';

type Say = { [E in SystemEvent as E['event']]: (event: E, t: TFunction) => string };

/**
 * Each event the app knows, in the reader's language. A new event in the protocol's union
 * fails typecheck here until it has its words (in every language of `i18n/`).
 */
const SAY: Say = {
  'ticket.status_changed': ({ actor, params: { from, to } }, t) =>
    to === 'closed'
      ? t('system.closed', { actor: actor.name })
      : from === 'closed'
        ? t('system.reopened', { actor: actor.name })
        : t('system.status', { actor: actor.name, status: t(`tickets.status.${to}`) }),
  'ticket.priority_changed': ({ actor, params: { from, to } }, t) =>
    t('system.priority', {
      actor: actor.name,
      from: t(`tickets.priorities.${from}`),
      to: t(`tickets.priorities.${to}`),
    }),
  'ticket.team_changed': ({ actor, params: { team } }, t) =>
    !team
      ? t('system.noTeam', { actor: actor.name })
      : team.category
        ? t('system.team', { actor: actor.name, category: team.category })
        : t('system.otherTeam', { actor: actor.name }),
  'ticket.assignee_changed': ({ actor, params: { assignee } }, t) =>
    !assignee
      ? t('system.unassigned', { actor: actor.name })
      : assignee.id === actor.id
        ? t('system.took', { actor: actor.name })
        : t('system.assigned', { actor: actor.name, assignee: assignee.name }),
  'ticket.reopened_by_reply': ({ actor }, t) => t('system.reopenedByReply', { actor: actor.name }),
  'ticket.merged_into': ({ actor, params: { ticket } }, t) =>
    t('desk.mergedInto', { actor: actor.name, subject: ticket.subject }),
  'ticket.merged_from': ({ actor, params: { ticket, messages } }, t) =>
    t('desk.mergedFrom', { actor: actor.name, subject: ticket.subject, count: messages }),
  labels_changed: ({ actor, params: { added, removed } }, t) => {
    const names = (labels: { name: string }[]) => labels.map((l) => l.name).join(', ');
    if (removed.length === 0)
      return t('labels.line.added', { actor: actor.name, labels: names(added), count: added.length });
    if (added.length === 0)
      return t('labels.line.removed', { actor: actor.name, labels: names(removed), count: removed.length });
    return t('labels.line.changed', { actor: actor.name, added: names(added), removed: names(removed) });
  },
  'ticket.field_changed': ({ actor, params: { field, value } }, t) =>
    value === null
      ? t('customFields.system.cleared', { actor: actor.name, field: field.name })
      : t('customFields.system.set', { actor: actor.name, field: field.name, value }),
  'group.created': ({ actor, params: { title } }, t) => t('groups.line.created', { actor: actor.name, title }),
  'group.renamed': ({ actor, params: { title } }, t) => t('groups.line.renamed', { actor: actor.name, title }),
  'group.topic_changed': ({ actor, params: { topic } }, t) =>
    topic
      ? t('groups.line.topicSet', { actor: actor.name, topic })
      : t('groups.line.topicCleared', { actor: actor.name }),
  'group.members_added': ({ actor, params: { users } }, t) =>
    t('groups.line.added', { actor: actor.name, names: users.map((u) => u.name).join(', ') }),
  'group.member_removed': ({ actor, params: { user } }, t) =>
    user.id === actor.id
      ? t('groups.line.left', { actor: actor.name })
      : t('groups.line.removed', { actor: actor.name, name: user.name }),
  // No actor: the last admin left, and Parley handed the group to its longest-standing member.
  'group.admin_changed': ({ actor, params: { user, admin } }, t) =>
    actor.id === null
      ? t('groups.line.heir', { name: user.name })
      : t(admin ? 'groups.line.madeAdmin' : 'groups.line.madeMember', { actor: actor.name, name: user.name }),
  'message.pinned': ({ actor, params: { excerpt } }, t) => t('chat.pinLine.pinned', { actor: actor.name, excerpt }),
  'message.unpinned': ({ actor, params: { excerpt } }, t) => t('chat.pinLine.unpinned', { actor: actor.name, excerpt }),
  'call.ended': ({ actor, params: { kind, outcome, durationSeconds } }, t) =>
    t(`chat.callLine.${outcome}`, {
      actor: actor.name,
      kind: t(`chat.callLine.${kind}`),
      duration: `${Math.floor(durationSeconds / 60)}:${String(durationSeconds % 60).padStart(2, '0')}`,
    }),
};

/**
 * A system message as the reader should read it: from its data, in their language. Lines
 * without data (written before it existed, or an event this build does not know) keep the
 * server's English body.
 */
export function systemLineText(message: Pick<Message, 'body' | 'system'>, t: TFunction): string {
  const event = message.system;
  const say = event && (SAY[event.event] as ((e: SystemEvent, t: TFunction) => string) | undefined);
  return event && say ? say(event, t) : message.body;
}
