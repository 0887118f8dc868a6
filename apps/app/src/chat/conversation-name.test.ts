import type { PublicUser } from '@parley/protocol';
import { describe, expect, it } from 'vitest';
import i18n from '../i18n';
import { aMessage } from '../testing/message';
import { conversationName, lastSenderName } from './conversation-name';
import { previewOf } from './message-preview';

const en = i18n.getFixedT('en');
const de = i18n.getFixedT('de');
const user = (id: string, displayName: string) => ({ id, displayName }) as PublicUser;
const members = [user('me', 'Me'), user('sam', 'Sam'), user('kim', 'Kim')];

describe('what a conversation is called in the list and over the chat', () => {
  it("calls a group by its name, and a direct chat by the other person's", () => {
    expect(conversationName({ title: 'Launch', members }, 'me', en)).toBe('Launch');
    expect(conversationName({ title: null, members: members.slice(0, 2) }, 'me', en)).toBe('Sam');
    expect(conversationName({ title: null, members: [members[0]!] }, 'me', de)).toBe('Unterhaltung');
  });

  it("says who wrote a group's last message, but not in a direct chat or for my own", () => {
    const group = { kind: 'group' as const, members };
    const fromSam = aMessage({ senderId: 'sam', body: 'Ship it' });
    expect(previewOf(fromSam, 'me', en, lastSenderName(group, fromSam, 'me', en))).toBe('Sam: Ship it');
    expect(lastSenderName({ kind: 'direct', members }, fromSam, 'me', en)).toBeUndefined();
    const mine = aMessage({ senderId: 'me', body: 'Done' });
    expect(previewOf(mine, 'me', de, lastSenderName(group, mine, 'me', de))).toBe('Du: Done');
    const line = aMessage({
      senderId: null,
      kind: 'system',
      system: { event: 'group.renamed', actor: { id: 'sam', name: 'Sam' }, params: { title: 'Go' } },
    });
    expect(previewOf(line, 'me', en, lastSenderName(group, line, 'me', en))).toBe('Sam renamed the group to "Go"');
  });

  it('marks a bot as a bot, as the title of a chat with it and as the writer of the last message', () => {
    const ack = { ...user('ack', 'Ack'), bot: true };
    expect(conversationName({ title: null, members: [members[0]!, ack] }, 'me', en)).toBe('Ack (bot)');
    const group = { kind: 'group' as const, members: [...members, ack] };
    const fromAck = aMessage({ senderId: 'ack', body: 'Ticket closed' });
    expect(previewOf(fromAck, 'me', de, lastSenderName(group, fromAck, 'me', de))).toBe('Ack (Bot): Ticket closed');
  });
});
