import type { Highlighted, MessageHit, PersonHit, SearchResults, TicketHit } from '@parley/protocol';
import { parseSearch } from '@parley/protocol/search-query';
import type { NativeStackScreenProps } from '@react-navigation/native-stack';
import { useEffect, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ActivityIndicator, Pressable, StyleSheet, Text, TextInput, View } from 'react-native';
import { Chip } from '../components/Chip';
import { RelativeTime } from '../components/RelativeTime';
import { Screen } from '../components/Screen';
import { errorText } from '../i18n/error-text';
import type { RootStackParamList } from '../navigation/types';
import { personName, personNameFrame } from '../people/person-name';
import { useSearch } from '../search/useSearch';
import { useAppDispatch, useAppSelector } from '../store';
import { openDirect } from '../store/conversations';
import { useTheme } from '../theme/theme';

/** Operators offered as chips: on adds the token to the query, off takes it out. */
const SUGGESTED = ['is:ticket', 'is:dm', 'has:attachment', 'from:me', 'status:open'] as const;

/** The query with `token` added at the front, or taken out if it is there. */
function toggleToken(q: string, token: string): string {
  const tokens = q.split(/\s+/).filter(Boolean);
  const at = tokens.findIndex((t) => t.toLowerCase() === token);
  const trailing = /\s$/.test(q) || q === '' ? ' ' : '';
  if (at >= 0) return tokens.filter((_, i) => i !== at).join(' ') + (tokens.length > 1 ? trailing : '');
  return `${token} ${q}`;
}

/**
 * Text with its matched parts marked (bold, on the mark colour): no HTML, only spans. `around`:
 * words before and after it that are not searched (a bot's mark beside its name).
 */
function HighlightedText({
  value,
  style,
  around = ['', ''],
}: {
  value: Highlighted;
  style?: object;
  around?: readonly [string, string];
}) {
  const { colors } = useTheme();
  const parts: Array<{ text: string; marked: boolean }> = [];
  let at = 0;
  for (const [from, to] of value.highlights) {
    if (from > at) parts.push({ text: value.text.slice(at, from), marked: false });
    parts.push({ text: value.text.slice(from, to), marked: true });
    at = to;
  }
  if (at < value.text.length) parts.push({ text: value.text.slice(at), marked: false });
  return (
    <Text style={[{ color: colors.text }, style]} numberOfLines={3}>
      {around[0]}
      {parts.map((part, i) =>
        part.marked ? (
          <Text key={i} style={[styles.marked, { backgroundColor: colors.mark, color: colors.text }]}>
            {part.text}
          </Text>
        ) : (
          part.text
        ),
      )}
      {around[1]}
    </Text>
  );
}

type Row =
  | { kind: 'person'; key: string; hit: PersonHit }
  | { kind: 'ticket'; key: string; hit: TicketHit }
  | { kind: 'message'; key: string; hit: MessageHit };

const rowsOf = (results: SearchResults | null): Row[] => [
  ...(results?.people?.items ?? []).map((hit) => ({ kind: 'person' as const, key: `p-${hit.user.id}`, hit })),
  ...(results?.tickets?.items ?? []).map((hit) => ({ kind: 'ticket' as const, key: `t-${hit.ticketId}`, hit })),
  ...(results?.messages?.items ?? []).map((hit) => ({ kind: 'message' as const, key: `m-${hit.messageId}`, hit })),
];

/**
 * Search: tickets, messages and people, live as you type, grouped by kind. Operators show as
 * chips (the common ones offered to switch on); the arrow keys move from the field through the
 * results, Enter opens one. A message opens its conversation at that message.
 */
export function SearchScreen({ route, navigation }: NativeStackScreenProps<RootStackParamList, 'Search'>) {
  const { t } = useTranslation();
  const { colors } = useTheme();
  const dispatch = useAppDispatch();
  const selfId = useAppSelector((s) => s.session.user?.id);
  const [q, setQ] = useState(route.params?.q ?? '');
  const parsed = useMemo(() => parseSearch(q), [q]);
  const searchable = q.trim() !== '' && parsed.problems.length === 0;
  const { results, answered, searching, error } = useSearch(q, searchable);
  const input = useRef<TextInput>(null);
  const rowRefs = useRef(new Map<number, View>());

  // The query is part of the URL: reload and back keep it.
  useEffect(() => {
    const timer = setTimeout(() => navigation.setParams({ q: q || undefined }), 400);
    return () => clearTimeout(timer);
  }, [navigation, q]);

  const rows = rowsOf(searchable ? results : null);
  const focusRow = (index: number) => {
    if (index < 0) return input.current?.focus();
    (rowRefs.current.get(Math.min(index, rows.length - 1)) as unknown as { focus?: () => void })?.focus?.();
  };
  // Up and down between the results (and from the first back to the field); Enter opens one.
  const arrows = {
    // Capture: the result's own press handling would take Enter first and not act on it.
    onKeyDownCapture: (event: { key: string; target: unknown; preventDefault(): void }) => {
      const at = [...rowRefs.current.entries()].find(([, element]) => element === event.target)?.[0];
      if (at === undefined || !['ArrowDown', 'ArrowUp', 'Enter'].includes(event.key)) return;
      event.preventDefault();
      if (event.key === 'Enter') open(rows[at]!);
      else if (event.key === 'ArrowUp') focusRow(at - 1);
      else if (at + 1 < rows.length) focusRow(at + 1);
    },
  };

  const open = (row: Row) => {
    if (row.kind === 'ticket') return navigation.navigate('Ticket', { id: row.hit.ticketId });
    if (row.kind === 'message') {
      const { hit } = row;
      if (hit.ticketId) return navigation.navigate('Ticket', { id: hit.ticketId, seq: hit.seq });
      return navigation.navigate('Chat', { id: hit.conversationId, seq: hit.seq });
    }
    if (row.hit.user.id === selfId) return navigation.navigate('Profile');
    void dispatch(openDirect(row.hit.user.id)).then((action) => {
      if (openDirect.fulfilled.match(action)) navigation.navigate('Chat', { id: action.payload.id });
    });
  };

  const filterChips = Object.entries(parsed.filters).flatMap(([key, value]) =>
    (Array.isArray(value) ? value : [value]).map((v) => `${key}:${/\s/.test(String(v)) ? `"${v}"` : v}`),
  );
  const chips = [...new Set([...filterChips.map((c) => c.toLowerCase()), ...SUGGESTED])];

  const section = (title: string, kind: Row['kind']) => {
    const inSection = rows.map((row, index) => ({ row, index })).filter(({ row }) => row.kind === kind);
    if (inSection.length === 0) return null;
    return (
      <View style={styles.section} key={kind}>
        <Text accessibilityRole="header" aria-level={2} style={[styles.heading, { color: colors.textMuted }]}>
          {title}
        </Text>
        {inSection.map(({ row, index }) => (
          <Pressable
            key={row.key}
            ref={(element) => {
              if (element) rowRefs.current.set(index, element);
              else rowRefs.current.delete(index);
            }}
            // Named by its visible words, in their order (voice control users say what they see).
            accessibilityRole="link"
            onPress={() => open(row)}
            style={({ focused, pressed }: { focused?: boolean; pressed: boolean }) => [
              styles.row,
              { borderColor: colors.border, backgroundColor: pressed ? colors.surface : colors.surfaceRaised },
              focused && { outlineColor: colors.link, outlineWidth: 2, outlineStyle: 'solid' as const },
            ]}
          >
            <ResultRow row={row} />
          </Pressable>
        ))}
      </View>
    );
  };

  const nothing = searchable && answered === q && rows.length === 0 && !error;
  return (
    <Screen title={t('search.title')}>
      <View {...({ role: 'search' } as object)} style={styles.searchBox}>
        <TextInput
          ref={input}
          value={q}
          onChangeText={setQ}
          accessibilityLabel={t('search.label')}
          placeholder={t('search.placeholder')}
          placeholderTextColor={colors.textMuted}
          autoFocus
          autoCapitalize="none"
          autoCorrect={false}
          inputMode="search"
          style={[
            styles.input,
            { color: colors.text, borderColor: colors.border, backgroundColor: colors.surfaceRaised },
          ]}
          onKeyPress={(event) => {
            if (event.nativeEvent.key === 'ArrowDown' && rows.length > 0) {
              event.preventDefault();
              focusRow(0);
            }
          }}
        />
        {searching ? <ActivityIndicator color={colors.primary} accessibilityLabel={t('search.searching')} /> : null}
      </View>
      <View role="group" aria-label={t('search.operators')} style={styles.chips}>
        {chips.map((token) => (
          <Chip
            key={token}
            role="checkbox"
            label={token}
            selected={filterChips.some((c) => c.toLowerCase() === token)}
            onPress={() => setQ(toggleToken(q, token))}
          />
        ))}
      </View>
      <View accessibilityLiveRegion="polite">
        {parsed.problems.map((p) => (
          <Text key={p.operator} style={[styles.note, { color: colors.danger }]}>
            {t('search.badOperator', { operator: `${p.operator}:` })}
          </Text>
        ))}
        {error ? <Text style={[styles.note, { color: colors.danger }]}>{errorText(t, error, 'search')}</Text> : null}
        {nothing ? <Text style={[styles.note, { color: colors.textMuted }]}>{t('search.nothing')}</Text> : null}
        {!q.trim() ? <Text style={[styles.note, { color: colors.textMuted }]}>{t('search.hint')}</Text> : null}
      </View>
      <View {...(arrows as object)}>
        {section(t('search.people'), 'person')}
        {section(t('search.tickets'), 'ticket')}
        {section(t('search.messages'), 'message')}
      </View>
    </Screen>
  );
}

function ResultRow({ row }: { row: Row }) {
  const { t } = useTranslation();
  const { colors } = useTheme();
  switch (row.kind) {
    case 'person':
      return (
        <View>
          <HighlightedText value={row.hit.displayName} around={personNameFrame(row.hit.user, t)} style={styles.title} />
          <HighlightedText value={row.hit.username} style={styles.meta} />
        </View>
      );
    case 'ticket':
      return (
        <View>
          <HighlightedText value={row.hit.subject} style={styles.title} />
          <Text style={[styles.meta, { color: colors.textMuted }]}>
            {t(`tickets.status.${row.hit.status}`)} · {t(`tickets.priorities.${row.hit.priority}`)} ·{' '}
            <RelativeTime at={row.hit.updatedAt} />
          </Text>
          {row.hit.snippet ? <HighlightedText value={row.hit.snippet} /> : null}
        </View>
      );
    case 'message':
      return (
        <View>
          <Text style={[styles.meta, { color: colors.textMuted }]}>
            {personName(row.hit.sender, t) ?? t('chat.someone')} · {row.hit.conversationTitle ?? t('search.directChat')}
            {row.hit.kind === 'note' ? ` · ${t('search.note')}` : ''} · <RelativeTime at={row.hit.createdAt} />
          </Text>
          <HighlightedText value={row.hit.snippet} />
        </View>
      );
  }
}

const styles = StyleSheet.create({
  searchBox: { flexDirection: 'row', alignItems: 'center', gap: 8, marginBottom: 8 },
  input: { flex: 1, borderWidth: 1, borderRadius: 8, paddingHorizontal: 12, paddingVertical: 10, fontSize: 16 },
  chips: { flexDirection: 'row', flexWrap: 'wrap', gap: 6, marginBottom: 8 },
  note: { paddingVertical: 8 },
  section: { marginTop: 12, gap: 6 },
  heading: { fontSize: 13, fontWeight: '700', textTransform: 'uppercase' },
  row: { borderWidth: 1, borderRadius: 8, padding: 10, gap: 2 },
  title: { fontWeight: '600' },
  meta: { fontSize: 12 },
  marked: { fontWeight: '700', borderRadius: 2 },
});
