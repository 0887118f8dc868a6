import { describe, expect, it } from 'vitest';
import { sentenceOf } from './notification-text';

describe('a notification in words, for a push or a mail', () => {
  const sam = { id: 'sam', displayName: 'Sam Agent', bot: false };
  const ack = { id: 'ack', displayName: 'Ack Bot', bot: true };

  it('names who did it, marks a bot as the app does, and says "someone" for nobody known', () => {
    expect(sentenceOf({ kind: 'ticket.message', sender: sam }, 'en')).toBe('Sam Agent replied');
    expect(sentenceOf({ kind: 'ticket.message', sender: ack }, 'en')).toBe('Ack Bot (bot) replied');
    expect(sentenceOf({ kind: 'ticket.message', sender: ack }, 'de')).toBe('Ack Bot (Bot) hat geantwortet');
    expect(sentenceOf({ kind: 'ticket.message' }, 'en')).toBe('Someone replied');
  });
});
