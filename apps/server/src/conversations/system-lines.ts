import type { SystemEvent } from '@parley/protocol';
import { STATUS_LABEL } from '../tickets/ticket-status';
import type { NewMessage } from './message-repository';

type SentenceOf = { [E in SystemEvent as E['event']]: (event: E) => string };

/** What each event says after the actor's name, in English: the `body` old clients show. */
const SENTENCES: SentenceOf = {
  'ticket.status_changed': ({ params: { from, to, until } }) =>
    to === 'closed'
      ? 'closed the ticket'
      : from === 'closed'
        ? 'reopened the ticket'
        : to === 'snoozed' && until
          ? `snoozed the ticket until ${until}`
          : `changed the status to ${STATUS_LABEL[to]}`,
  'ticket.priority_changed': ({ params: { from, to } }) => `changed the priority from ${from} to ${to}`,
  'ticket.team_changed': ({ params: { team } }) =>
    !team
      ? 'removed the ticket from its team'
      : team.category
        ? `moved the ticket to ${team.category}`
        : 'moved the ticket to another team',
  'ticket.assignee_changed': ({ actor, params: { assignee } }) =>
    !assignee
      ? 'unassigned the ticket'
      : assignee.id === actor.id
        ? 'took the ticket'
        : `assigned the ticket to ${assignee.name}`,
  'ticket.reopened_by_reply': () => 'reopened the ticket by replying',
  'ticket.merged_into': ({ params: { ticket } }) => `merged this ticket into "${ticket.subject}"`,
  'ticket.merged_from': ({ params: { ticket, messages } }) =>
    `merged "${ticket.subject}" into this ticket (${messages} ${messages === 1 ? 'message' : 'messages'} below)`,
  labels_changed: ({ params: { added, removed } }) => {
    const part = (verb: string, labels: { name: string }[]) =>
      labels.length > 0 && `${verb} the label${labels.length > 1 ? 's' : ''} ${labels.map((l) => l.name).join(', ')}`;
    return [part('added', added), part('removed', removed)].filter(Boolean).join(' and ');
  },
  'ticket.field_changed': ({ params: { field, value } }) =>
    value === null ? `cleared ${field.name}` : `set ${field.name} to ${value}`,
  'group.created': ({ params: { title } }) => `created the group "${title}"`,
  'group.renamed': ({ params: { title } }) => `renamed the group to "${title}"`,
  'group.topic_changed': ({ params: { topic } }) => (topic ? `set the topic to "${topic}"` : 'cleared the topic'),
  'group.members_added': ({ params: { users } }) => `added ${users.map((u) => u.name).join(', ')}`,
  'group.member_removed': ({ actor, params: { user } }) =>
    user.id === actor.id ? 'left the group' : `removed ${user.name}`,
  'group.admin_changed': ({ params: { user, admin } }) =>
    admin ? `made ${user.name} an admin` : `made ${user.name} a member`,
  'message.pinned': ({ params: { excerpt } }) => `pinned a message: "${excerpt}"`,
  'message.unpinned': ({ params: { excerpt } }) => `unpinned a message: "${excerpt}"`,
  'call.ended': ({ params: { kind, outcome, durationSeconds } }) => {
    const call = kind === 'video' ? 'a video call' : 'a call';
    return outcome === 'completed'
      ? `made ${call} (${minutesAndSeconds(durationSeconds)})`
      : `made ${call}: ${outcome}`;
  },
};

/** The line in English, e.g. "Sam Agent took the ticket". */
export function englishSystemLine(event: SystemEvent): string {
  const sentence = SENTENCES[event.event] as (e: SystemEvent) => string;
  return `${event.actor.name} ${sentence(event)}`;
}

/** A system message for `insertMessage`: the event as data, and in English for old clients. */
export const newSystemMessage = (conversationId: string, event: SystemEvent, at: number): NewMessage => ({
  conversationId,
  senderId: null,
  kind: 'system',
  body: englishSystemLine(event),
  clientMsgId: null,
  at,
  systemEvent: event,
});

/** 75 → "1:15". */
const minutesAndSeconds = (seconds: number) => `${Math.floor(seconds / 60)}:${String(seconds % 60).padStart(2, '0')}`;
