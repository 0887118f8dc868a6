import type { CannedResponse } from '@parley/protocol';
import { useEffect, useRef, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import {
  Platform,
  Pressable,
  StyleSheet,
  Text,
  TextInput,
  View,
  type NativeSyntheticEvent,
  type TextInputKeyPressEventData,
} from 'react-native';
import { toFormError } from '../api/errors';
import { parley } from '../api/parley';
import { errorText } from '../i18n/error-text';
import { useTheme } from '../theme/theme';
import { listboxKey } from './listbox-keys';

/** How many responses the picker shows at once. */
const SHOWN = 8;

/** A `/word` ending at the caret, at the start of a word: what it replaces and what it searches. */
export interface SlashToken {
  start: number;
  end: number;
  query: string;
}

/** The `/token` the caret is at the end of, if any: `/` at the start of the text or after a space. */
export function slashTokenAt(text: string, caret: number): SlashToken | null {
  const before = text.slice(0, caret);
  const match = /(^|\s)\/([\p{L}\p{N}_-]*)$/u.exec(before);
  if (!match) return null;
  return { start: caret - match[2]!.length - 1, end: caret, query: match[2]! };
}

/**
 * The responses that match `query`: those whose shortcut starts with it first, then those
 * with it in the shortcut, title or body; each group in the server's order (most used first).
 */
export function matchCanned(items: readonly CannedResponse[], query: string): CannedResponse[] {
  const q = query.replace(/^\//, '').toLocaleLowerCase();
  if (!q) return [...items];
  const prefix = items.filter((r) => r.shortcut.startsWith(q));
  const rest = items.filter(
    (r) =>
      !r.shortcut.startsWith(q) && [r.shortcut, r.title, r.body].some((text) => text.toLocaleLowerCase().includes(q)),
  );
  return [...prefix, ...rest];
}

type KeyEvent = NativeSyntheticEvent<TextInputKeyPressEventData>;

/**
 * Canned responses in a ticket's composer: `/ref` at the start of a word opens the picker
 * filtered by what follows, a button opens it with a search field. Arrow keys and Enter (or a
 * click) put the response, filled in for the ticket by the server, in place of the `/token`
 * (or at the caret); Esc closes it. The agent edits the text before sending.
 */
export function useCannedPicker({
  ticketId,
  text,
  caret,
  onInsert,
}: {
  /** Null: not in a ticket (or not staff): no picker. */
  ticketId: string | null;
  text: string;
  caret: number;
  /** The new text of the composer and where the caret goes. */
  onInsert: (text: string, caret: number) => void;
}): {
  /** For the composer's text field: true when the key was the picker's (do not send). */
  onKeyPress: (event: KeyEvent) => boolean;
  picker: ReactNode;
  button: ReactNode;
} {
  const { t } = useTranslation();
  const { colors } = useTheme();
  const [items, setItems] = useState<CannedResponse[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [searching, setSearching] = useState<string | null>(null);
  const [dismissed, setDismissed] = useState<number | null>(null);
  const [highlight, setHighlight] = useState(0);
  const search = useRef<TextInput>(null);

  const token = ticketId ? slashTokenAt(text, caret) : null;
  const slashOpen = token !== null && dismissed !== token.start;
  const open = ticketId !== null && (searching !== null || slashOpen);
  const query = searching ?? token?.query ?? '';
  const shown = matchCanned(items ?? [], query).slice(0, SHOWN);

  // Loaded afresh each time it opens: another agent's new response, usage order.
  useEffect(() => {
    if (!open) return;
    let live = true;
    parley.cannedResponses.list().then(
      (list) => live && (setItems(list.items), setError(null)),
      (e: unknown) => live && setError(errorText(t, toFormError(e))),
    );
    return () => {
      live = false;
    };
  }, [open, t]);
  useEffect(() => setHighlight(0), [query, open]);
  // A new `/` elsewhere opens it again after Esc.
  useEffect(() => {
    if (!token && dismissed !== null) setDismissed(null);
  }, [token, dismissed]);

  const close = () => {
    setSearching(null);
    if (token) setDismissed(token.start);
  };

  const choose = async (response: CannedResponse) => {
    if (!ticketId) return;
    try {
      const { body } = await parley.cannedResponses.render(response.id, ticketId);
      const [start, end] = searching === null && token ? [token.start, token.end] : [caret, caret];
      onInsert(text.slice(0, start) + body + text.slice(end), start + body.length);
      setSearching(null);
      setError(null);
    } catch (e) {
      setError(errorText(t, toFormError(e)));
    }
  };

  const onKeyPress = (event: KeyEvent): boolean =>
    open &&
    Platform.OS === 'web' &&
    listboxKey(event, { items: shown, highlight, setHighlight, choose: (r) => void choose(r), close });

  const optionId = (r: CannedResponse) => `canned-option-${r.id}`;
  const picker = open ? (
    <View
      style={[styles.panel, { borderColor: colors.border, backgroundColor: colors.surfaceRaised }]}
      testID="canned-picker"
    >
      {searching !== null ? (
        <TextInput
          ref={search}
          autoFocus
          accessibilityLabel={t('canned.search')}
          placeholder={t('canned.search')}
          placeholderTextColor={colors.textMuted}
          value={searching}
          onChangeText={setSearching}
          onKeyPress={(event) => void onKeyPress(event)}
          style={[styles.search, { color: colors.text, borderColor: colors.border }]}
        />
      ) : null}
      <View
        // React Native's types know no listbox; react-native-web passes the role to the DOM.
        role={'listbox' as 'list'}
        aria-label={t('canned.pickerLabel')}
        aria-activedescendant={shown[highlight] ? optionId(shown[highlight]) : undefined}
      >
        {shown.map((r, i) => (
          <Pressable
            key={r.id}
            nativeID={optionId(r)}
            role="option"
            aria-selected={i === highlight}
            accessibilityLabel={`${r.title} /${r.shortcut}`}
            onPress={() => void choose(r)}
            // Hover shades a row but never moves the keyboard's choice: the list grows under a
            // resting pointer as the query changes, and Enter must take what the arrows chose.
            style={({ hovered }: { pressed: boolean; hovered?: boolean }) => [
              styles.option,
              (i === highlight || hovered) && { backgroundColor: colors.surface },
              i === highlight && { borderLeftColor: colors.primary },
            ]}
          >
            <Text style={{ color: colors.text, fontWeight: '600', fontSize: 14 }} numberOfLines={1}>
              {r.title} <Text style={{ color: colors.textMuted, fontWeight: '400' }}>/{r.shortcut}</Text>
            </Text>
            <Text style={{ color: colors.textMuted, fontSize: 12 }} numberOfLines={1}>
              {r.body}
            </Text>
          </Pressable>
        ))}
      </View>
      {items !== null && shown.length === 0 ? (
        <Text style={[styles.note, { color: colors.textMuted }]}>
          {items.length === 0 ? t('canned.none') : t('canned.noMatch')}
        </Text>
      ) : null}
      {error ? (
        <Text accessibilityRole="alert" style={[styles.note, { color: colors.danger }]}>
          {error}
        </Text>
      ) : null}
      <Text style={[styles.note, { color: colors.textMuted }]}>{t('canned.hint')}</Text>
    </View>
  ) : null;

  const button = ticketId ? (
    <Pressable
      accessibilityRole="button"
      accessibilityLabel={t('canned.open')}
      aria-expanded={searching !== null}
      onPress={() => setSearching((s) => (s === null ? '' : null))}
      style={({ focused, pressed }: { focused?: boolean; pressed: boolean }) => [
        styles.button,
        { borderColor: colors.border, backgroundColor: pressed ? colors.surface : colors.surfaceRaised },
        focused && { outlineColor: colors.link, outlineWidth: 2, outlineStyle: 'solid' as const },
      ]}
    >
      <Text style={{ color: colors.text, fontSize: 18, fontWeight: '700' }}>/</Text>
    </Pressable>
  ) : null;

  return { onKeyPress, picker, button };
}

const styles = StyleSheet.create({
  panel: {
    position: 'absolute',
    left: 12,
    right: 12,
    bottom: '100%',
    marginBottom: 4,
    borderWidth: 1,
    borderRadius: 10,
    paddingVertical: 4,
    zIndex: 10,
    shadowColor: '#000',
    shadowOpacity: 0.15,
    shadowRadius: 8,
    shadowOffset: { width: 0, height: 2 },
  },
  search: { borderWidth: 1, borderRadius: 8, margin: 6, paddingHorizontal: 10, paddingVertical: 6, fontSize: 14 },
  option: { paddingHorizontal: 10, paddingVertical: 6, borderLeftWidth: 2, borderLeftColor: 'transparent' },
  note: { paddingHorizontal: 12, paddingVertical: 4, fontSize: 12 },
  button: {
    width: 42,
    height: 42,
    borderRadius: 10,
    borderWidth: 1,
    alignItems: 'center',
    justifyContent: 'center',
    marginLeft: 8,
  },
});
