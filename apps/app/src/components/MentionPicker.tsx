import type { PublicUser } from '@parley/protocol';
import { useEffect, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import {
  Platform,
  Pressable,
  StyleSheet,
  Text,
  View,
  type NativeSyntheticEvent,
  type TextInputKeyPressEventData,
} from 'react-native';
import { personName } from '../people/person-name';
import { useTheme } from '../theme/theme';
import { Avatar } from './Avatar';
import { listboxKey } from './listbox-keys';

/** How many people the picker shows at once. */
const SHOWN = 6;

/** An `@name` ending at the caret, at the start of a word: what it replaces and what it searches. */
export interface MentionToken {
  start: number;
  end: number;
  query: string;
}

/** The `@token` the caret is at the end of, if any: `@` at the start of the text or after a space. */
export function mentionTokenAt(text: string, caret: number): MentionToken | null {
  const match = /(^|\s)@([A-Za-z0-9_.-]*)$/.exec(text.slice(0, caret));
  if (!match) return null;
  return { start: caret - match[2]!.length - 1, end: caret, query: match[2]! };
}

/** The people whose username or name starts with `query` (a word of the name, too), usernames first. */
export function matchPeople(people: readonly PublicUser[], query: string): PublicUser[] {
  const q = query.toLocaleLowerCase();
  const byUsername = people.filter((p) => p.username.toLocaleLowerCase().startsWith(q));
  const byName = people.filter(
    (p) =>
      !byUsername.includes(p) &&
      p.displayName
        .toLocaleLowerCase()
        .split(/\s+/)
        .some((word) => word.startsWith(q)),
  );
  return [...byUsername, ...byName];
}

type KeyEvent = NativeSyntheticEvent<TextInputKeyPressEventData>;

/**
 * `@` at the start of a word in the composer offers the people of the conversation: arrow keys
 * and Enter or Tab (or a click) put `@username ` in place of the token; Esc closes it.
 */
export function useMentionPicker({
  people,
  text,
  caret,
  onInsert,
}: {
  /** Who may be mentioned here (the conversation's people, not the writer). */
  people: readonly PublicUser[];
  text: string;
  caret: number;
  onInsert: (text: string, caret: number) => void;
}): { onKeyPress: (event: KeyEvent) => boolean; picker: ReactNode } {
  const { t } = useTranslation();
  const { colors } = useTheme();
  const [dismissed, setDismissed] = useState<number | null>(null);
  const [highlight, setHighlight] = useState(0);
  const token = mentionTokenAt(text, caret);
  const shown = token ? matchPeople(people, token.query).slice(0, SHOWN) : [];
  const open = token !== null && dismissed !== token.start && shown.length > 0;

  useEffect(() => setHighlight(0), [token?.query, open]);
  useEffect(() => {
    if (!token && dismissed !== null) setDismissed(null);
  }, [token, dismissed]);

  const choose = (person: PublicUser) => {
    if (!token) return;
    const inserted = `@${person.username} `;
    onInsert(text.slice(0, token.start) + inserted + text.slice(token.end), token.start + inserted.length);
  };

  const onKeyPress = (event: KeyEvent): boolean =>
    open &&
    Platform.OS === 'web' &&
    listboxKey(event, { items: shown, highlight, setHighlight, choose, close: () => setDismissed(token!.start) });

  const optionId = (p: PublicUser) => `mention-option-${p.id}`;
  const picker = open ? (
    <View
      style={[styles.panel, { borderColor: colors.border, backgroundColor: colors.surfaceRaised }]}
      testID="mention-picker"
      // React Native's types know no listbox; react-native-web passes the role to the DOM.
      role={'listbox' as 'list'}
      aria-label={t('chat.mentionPicker')}
      aria-activedescendant={shown[highlight] ? optionId(shown[highlight]) : undefined}
    >
      {shown.map((p, i) => (
        <Pressable
          key={p.id}
          nativeID={optionId(p)}
          role="option"
          aria-selected={i === highlight}
          accessibilityLabel={`${personName(p, t)} @${p.username}`}
          onPress={() => choose(p)}
          style={({ hovered }: { pressed: boolean; hovered?: boolean }) => [
            styles.option,
            (i === highlight || hovered) && { backgroundColor: colors.surface },
            i === highlight && { borderLeftColor: colors.primary },
          ]}
        >
          <Avatar name={p.displayName} url={p.avatarUrl} size={24} />
          <Text style={{ color: colors.text, fontWeight: '600', fontSize: 14 }} numberOfLines={1}>
            {personName(p, t)} <Text style={{ color: colors.textMuted, fontWeight: '400' }}>@{p.username}</Text>
          </Text>
        </Pressable>
      ))}
    </View>
  ) : null;
  return { onKeyPress, picker };
}

const styles = StyleSheet.create({
  panel: { borderWidth: 1, borderRadius: 10, marginBottom: 6, paddingVertical: 4, maxWidth: 420 },
  option: {
    flexDirection: 'row',
    alignItems: 'center',
    gap: 8,
    paddingHorizontal: 10,
    paddingVertical: 6,
    borderLeftWidth: 3,
    borderLeftColor: 'transparent',
  },
});
