import type { Message } from '@parley/protocol';

/** A plain text message of Sam's, with whatever a test changes. */
export const aMessage = (changes: Partial<Message> = {}): Message => ({
  id: 'm1',
  conversationId: 'c1',
  seq: 1,
  senderId: 'sam',
  clientMsgId: 'c-1',
  body: 'Printer is on fire',
  kind: 'text',
  system: null,
  createdAt: '2026-11-25T10:00:00.000Z',
  editedAt: null,
  deletedAt: null,
  reactions: [],
  attachments: [],
  replyTo: null,
  ...changes,
});
