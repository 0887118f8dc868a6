import type { Locale, NotificationKind } from '@parley/protocol';
import type { NewNotification } from '../notifications/notification-content';

/**
 * A notification in words, for channels that cannot build the sentence themselves (a push on a
 * lock screen, a mail): the app's own words for the same kinds, in the reader's language.
 */
const WORDS: Record<Locale, Record<NotificationKind, (who: string) => string>> = {
  en: {
    'direct.message': (who) => `${who} wrote to you`,
    'message.mention': (who) => `${who} mentioned you`,
    'friend_request.received': (who) => `${who} wants to add you as a contact`,
    'friend_request.accepted': (who) => `${who} accepted your contact request`,
    'ticket.message': (who) => `${who} replied`,
    'ticket.closed': (who) => `${who} closed the ticket`,
    'ticket.reopened': (who) => `${who} reopened the ticket`,
    'ticket.follow_up': (who) => `${who} followed up on a closed ticket`,
    'ticket.opened_for_you': (who) => `${who} opened a ticket for you`,
    'ticket.csat': () => 'How did we do? Rate the help you got',
    'ticket.created': (who) => `New ticket from ${who}`,
    'ticket.assigned': () => 'Assigned to you',
    'ticket.sla': () => 'Needs an answer soon',
    'ticket.rule': () => 'A rule flagged this ticket for you',
    'webhook.disabled': () => 'A webhook kept failing and was turned off',
    'data_export.ready': () => 'Your data is ready to download',
  },
  de: {
    'direct.message': (who) => `${who} hat dir geschrieben`,
    'message.mention': (who) => `${who} hat dich erwähnt`,
    'friend_request.received': (who) => `${who} möchte dich als Kontakt hinzufügen`,
    'friend_request.accepted': (who) => `${who} hat deine Kontaktanfrage angenommen`,
    'ticket.message': (who) => `${who} hat geantwortet`,
    'ticket.closed': (who) => `${who} hat das Ticket geschlossen`,
    'ticket.reopened': (who) => `${who} hat das Ticket wieder geöffnet`,
    'ticket.follow_up': (who) => `${who} hat auf ein geschlossenes Ticket geantwortet`,
    'ticket.opened_for_you': (who) => `${who} hat ein Ticket für dich eröffnet`,
    'ticket.csat': () => 'Wie waren wir? Bewerte die Hilfe, die du bekommen hast',
    'ticket.created': (who) => `Neues Ticket von ${who}`,
    'ticket.assigned': () => 'Dir zugewiesen',
    'ticket.sla': () => 'Braucht bald eine Antwort',
    'ticket.rule': () => 'Eine Regel hat dieses Ticket für dich markiert',
    'webhook.disabled': () => 'Ein Webhook ist wiederholt fehlgeschlagen und wurde ausgeschaltet',
    'data_export.ready': () => 'Deine Daten stehen zum Herunterladen bereit',
  },
};

const SOMEONE: Record<Locale, string> = { en: 'Someone', de: 'Jemand' };
/** As the app marks a bot (`people.botName`): a bot never passes for a person, in a mail or a push either. */
const BOT_NAME: Record<Locale, (name: string) => string> = {
  en: (name) => `${name} (bot)`,
  de: (name) => `${name} (Bot)`,
};

/** What happened, as a sentence ("Sam replied", "Ack Bot (bot) replied"). */
export function sentenceOf(n: Pick<NewNotification, 'kind' | 'sender'>, locale: Locale): string {
  const who = n.sender
    ? n.sender.bot
      ? BOT_NAME[locale](n.sender.displayName)
      : n.sender.displayName
    : SOMEONE[locale];
  return WORDS[locale][n.kind](who);
}

/**
 * Where in the app it opens: the ticket or chat at its message, the admin screen, the profile
 * (a data export's download), or the contacts.
 */
export function appPathOf(n: Pick<NewNotification, 'kind' | 'ticketId' | 'conversationId' | 'seq'>): string {
  if (n.kind === 'webhook.disabled') return '/admin';
  if (n.kind === 'data_export.ready') return '/profile';
  const seq = n.seq === null ? '' : `?seq=${n.seq}`;
  if (n.ticketId) return `/tickets/${n.ticketId}${seq}`;
  if (n.conversationId) return `/messages/${n.conversationId}${seq}`;
  return '/contacts';
}

/** A push's two lines: the ticket (or the sentence) over what was written (or the sentence). */
export function pushTextOf(n: NewNotification, locale: Locale): { title: string; body: string } {
  const sentence = sentenceOf(n, locale);
  if (n.subject) return { title: n.subject, body: n.preview ? `${sentence}: ${n.preview}` : sentence };
  return { title: sentence, body: n.preview ?? '' };
}
