import type { PublicUser } from '@parley/protocol';
import type { TFunction } from 'i18next';

/** What naming someone needs: their name, and whether they are a workspace's bot. */
export type Named = Pick<PublicUser, 'displayName' | 'bot'>;

/** Stands in for the name while the bot mark is looked up, to find where the language puts it. */
const NAME_SLOT = '\u0000';

/**
 * What the app calls someone: their display name, marked when they are a bot ("Ack (bot)"), so
 * that a bot never passes for a person, on screen or read out by a screen reader. Every place
 * that names people uses it, in the text and in the accessible label alike. Nobody (a user not
 * loaded yet) has no name: the caller says what stands in ("Someone", "…").
 */
export function personName(user: Named, t: TFunction): string;
export function personName(user: Named | null | undefined, t: TFunction): string | undefined;
export function personName(user: Named | null | undefined, t: TFunction): string | undefined {
  if (!user) return undefined;
  const [before, after] = personNameFrame(user, t);
  return `${before}${user.displayName}${after}`;
}

/**
 * The words around someone's name, for a name drawn in pieces (search marks the part that
 * matched): nothing for a person; for a bot, the mark, on the side the language puts it.
 */
export function personNameFrame(user: Pick<PublicUser, 'bot'>, t: TFunction): [before: string, after: string] {
  if (!user.bot) return ['', ''];
  const marked = t('people.botName', { name: NAME_SLOT });
  const at = marked.indexOf(NAME_SLOT);
  return [marked.slice(0, at), marked.slice(at + NAME_SLOT.length)];
}
