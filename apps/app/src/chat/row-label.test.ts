import type { Message } from '@parley/protocol';
import { describe, expect, it } from 'vitest';
import i18n from '../i18n';
import { messageRowLabel } from './row-label';
import { aMessage } from '../testing/message';

const en = i18n.getFixedT('en');
const de = i18n.getFixedT('de');

const message = aMessage;

describe('what a screen reader says for a message row', () => {
  it('says who, when and what, in the reader’s language', () => {
    const row = { name: 'Sam', time: '10:00', deleted: false };
    expect(messageRowLabel(message(), { ...row, t: en })).toBe('Sam, 10:00: Printer is on fire');
    expect(messageRowLabel(message({ kind: 'note' }), { ...row, t: de })).toBe(
      'Interne Notiz, Sam, 10:00: Printer is on fire',
    );
  });

  it('names the files, the edit and the reactions, and nothing of a deleted message', () => {
    const busy = message({
      editedAt: '2026-11-25T10:05:00.000Z',
      attachments: [{ fileName: 'tray.jpg' } as Message['attachments'][number]],
      reactions: [{ emoji: '👍', userIds: ['a', 'b'] }],
    });
    const row = { name: 'Sam', time: '10:00', t: en };
    expect(messageRowLabel(busy, { ...row, deleted: false })).toBe(
      'Sam, 10:00: Printer is on fire, attached: tray.jpg, edited, reactions: 👍 2',
    );
    expect(messageRowLabel(busy, { ...row, deleted: true })).toBe('Sam, 10:00: This message was deleted');
  });
});
