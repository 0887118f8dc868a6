import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

/**
 * The identities that tie mail to a conversation: Message-IDs (ours and the customers'), and the
 * reply token in the plus part of the address replies go to (`support+c-<conversation>-<mac>@…`),
 * for a client that keeps neither In-Reply-To nor References.
 */

/** `<id@host>` as found in a header, without brackets or case differences: what is hashed. */
const normalise = (id: string) => id.trim().replace(/^<|>$/g, '').toLowerCase();

/** The key a Message-ID is stored and looked up by (`email_messages.header_hash`). */
export const headerHash = (id: string): string => createHash('sha256').update(normalise(id)).digest('hex');

/** Every `<…>` id in In-Reply-To and References, newest first (References lists oldest first). */
export function referencedIds(inReplyTo: string | undefined, references: string | string[] | undefined): string[] {
  const listed = (Array.isArray(references) ? references.join(' ') : (references ?? '')).match(/<[^<>\s]+>/g) ?? [];
  const ids = [...(inReplyTo?.match(/<[^<>\s]+>/g) ?? []), ...listed.reverse()];
  // Bounded: a header of thousands of ids is a lookup of thousands of rows, not a thread.
  return [...new Set(ids)].slice(0, 50);
}

/** The id of a mail Parley sends for one of its messages: the same on every attempt. */
export const outboundMessageId = (messageId: string, domain: string): string =>
  `<parley.${messageId.toLowerCase()}@${domain}>`;

const TOKEN = /^c-([0-9a-z]{26})-([0-9a-f]{12})$/;

export interface ReplyTokens {
  /** `local+c-<conversation>-<mac>@domain`: replies to it find the conversation without headers. */
  replyAddress(channelAddress: string, conversationId: string): string;
  /** The conversation a recipient's plus part names, when its MAC is right; else null. */
  conversationOf(recipient: string): string | null;
}

/** Reply tokens signed with a key of their own (derived, never the JWT key itself). */
export function createReplyTokens(secret: string): ReplyTokens {
  const key = createHmac('sha256', secret).update('parley email reply token').digest();
  const mac = (conversationId: string) =>
    createHmac('sha256', key).update(conversationId.toLowerCase()).digest('hex').slice(0, 12);
  return {
    replyAddress(channelAddress, conversationId) {
      const [local, domain] = splitAddress(channelAddress);
      const token = `c-${conversationId.toLowerCase()}-${mac(conversationId)}`;
      // RFC 5321 keeps a local part within 64 octets: a long one goes without the token.
      return `${local}+${token}`.length <= 64 ? `${local}+${token}@${domain}` : channelAddress;
    },
    conversationOf(recipient) {
      const plus = splitAddress(recipient)[0].split('+')[1]?.toLowerCase();
      const match = plus?.match(TOKEN);
      if (!match) return null;
      const [, conversation, given] = match as unknown as [string, string, string];
      const expected = mac(conversation);
      return timingSafeEqual(Buffer.from(given), Buffer.from(expected)) ? conversation.toUpperCase() : null;
    },
  };
}

/** `local@domain`, lower-cased; the plus part stays in `local`. */
export function splitAddress(address: string): [local: string, domain: string] {
  const at = address.lastIndexOf('@');
  return [address.slice(0, at).toLowerCase(), address.slice(at + 1).toLowerCase()];
}

/** The address without its plus part: what a channel is found by. */
export function baseAddress(address: string): string {
  const [local, domain] = splitAddress(address);
  return `${local.split('+')[0]}@${domain}`;
}
