import type { TimelineItem } from '@parley/client';
import { useCallback, useEffect, useMemo, useRef, useState, type MutableRefObject, type ReactElement } from 'react';
import { useTranslation } from 'react-i18next';
import { StyleSheet, Text, View, type ViewToken } from 'react-native';
import { firstUnreadOf } from '../chat/unread-divider';
import { useAppSelector } from '../store';
import { selectReadCursor } from '../store/unread';
import { useTheme } from '../theme/theme';
import { Button } from './Button';

/** The line above the first unread message: "New messages". */
export function UnreadDivider() {
  const { t } = useTranslation();
  const { colors } = useTheme();
  return (
    <View style={styles.divider} testID="unread-divider">
      <View style={[styles.line, { backgroundColor: colors.link }]} />
      <Text style={[styles.dividerText, { color: colors.link }]}>{t('unread.divider')}</Text>
      <View style={[styles.line, { backgroundColor: colors.link }]} />
    </View>
  );
}

/** Rows count as on screen from this much of them shown. */
const VIEWABILITY = { itemVisiblePercentThreshold: 10 };

/**
 * The unread divider of an open chat, its "Jump to first unread" and the pause of read receipts
 * after a "mark unread":
 * - The divider goes after the user's read cursor as it was when the chat opened, and stays
 *   there while they read (reading moves the cursor, not the divider).
 * - A "mark unread" (here or on another device, `unreadMarks`) moves it to the new cursor, and
 *   reads pause (`readsPaused`) so the chat does not mark itself read again at once: until the
 *   user scrolls it or sends something. `markedSeq` (the newest seq the chat marked read) is set
 *   back then, so reading resumes from there.
 * - The jump shows while the first unread message is above the rows on screen or not loaded
 *   yet, until the user has seen it; it opens the chat there as a link to a message does
 *   (`onJump`), which loads older pages until it is there.
 */
export function useUnreadDivider({
  conversationId,
  items,
  gapBefore,
  selfId,
  markedSeq,
  onJump,
}: {
  conversationId: string;
  items: readonly TimelineItem[];
  gapBefore: boolean;
  selfId: string;
  markedSeq: MutableRefObject<number>;
  onJump: (seq: number) => void;
}) {
  const cursor = useAppSelector((s) => selectReadCursor(s, conversationId));
  const mark = useAppSelector((s) => s.conversations.unreadMarks[conversationId]);
  const [afterSeq, setAfterSeq] = useState(cursor);
  const [readsPaused, setReadsPaused] = useState(false);
  const [reached, setReached] = useState(false);
  const [seeking, setSeeking] = useState(false);
  // Whether the divider's row is above the rows on screen: state only when that changes (the
  // rows on screen change with every scroll, and re-rendering the chat for each would be waste).
  const [dividerAbove, setDividerAbove] = useState(false);
  const shown = useRef<{ first: number; last: number } | null>(null);
  const openedFor = useRef(conversationId);
  const seenMark = useRef(mark?.n ?? 0);
  const now = useRef({ cursor, mark });
  now.current = { cursor, mark };

  // Another conversation in the same view: its cursor as it is now, and none of the old state.
  useEffect(() => {
    if (openedFor.current === conversationId) return;
    openedFor.current = conversationId;
    seenMark.current = now.current.mark?.n ?? 0;
    setAfterSeq(now.current.cursor);
    setReadsPaused(false);
    setReached(false);
    setSeeking(false);
  }, [conversationId]);

  // Not known when the chat opened (a ticket thread before its ticket came): the first known.
  useEffect(() => {
    if (afterSeq === undefined && cursor !== undefined) setAfterSeq(cursor);
  }, [afterSeq, cursor]);

  useEffect(() => {
    if (!mark || mark.n === seenMark.current) return;
    seenMark.current = mark.n;
    markedSeq.current = 0;
    setAfterSeq(mark.seq);
    setReadsPaused(true);
    setReached(false);
  }, [mark, markedSeq]);

  const resumeReads = useCallback(() => setReadsPaused(false), []);
  // Sending something is reading on: the server moves the cursor past it anyway.
  const sending = items.some((i) => i.kind === 'pending');
  useEffect(() => {
    if (sending) resumeReads();
  }, [sending, resumeReads]);

  const first = useMemo(
    () => (afterSeq === undefined ? ({ kind: 'none' } as const) : firstUnreadOf(items, afterSeq, selfId, gapBefore)),
    [items, afterSeq, selfId, gapBefore],
  );
  const dividerIndex = useRef(-1);
  dividerIndex.current = first.kind === 'shown' ? first.index : -1;
  const placeDivider = useCallback(() => {
    const index = dividerIndex.current;
    const range = shown.current;
    if (index >= 0 && range && index >= range.first && index <= range.last) setReached(true);
    setDividerAbove(index >= 0 && range !== null && index < range.first);
  }, []);
  useEffect(placeDivider, [placeDivider, first]);

  // Older pages came while jumping: once the first unread is among them, there exactly.
  useEffect(() => {
    if (!seeking || first.kind === 'older') return;
    setSeeking(false);
    if (first.kind === 'shown' && afterSeq !== undefined && first.seq !== afterSeq + 1) onJump(first.seq);
  }, [seeking, first, afterSeq, onJump]);

  const jump = useCallback(() => {
    if (first.kind === 'shown') onJump(first.seq);
    else if (first.kind === 'older' && afterSeq !== undefined) {
      setSeeking(true);
      onJump(afterSeq + 1);
    }
    setReached(true);
  }, [first, afterSeq, onJump]);

  const onViewableItemsChanged = useRef(({ viewableItems }: { viewableItems: ViewToken[] }) => {
    const indexes = viewableItems.flatMap((v) => (v.index === null ? [] : [v.index]));
    shown.current = indexes.length > 0 ? { first: Math.min(...indexes), last: Math.max(...indexes) } : null;
    placeDivider();
  }).current;

  const above = first.kind === 'older' || (first.kind === 'shown' && dividerAbove);
  return {
    /** The row the divider goes above (null: none shown). */
    dividerKey: first.kind === 'shown' ? first.key : null,
    readsPaused,
    /** "Jump to first unread", or null when there is nothing above to jump to. */
    jumpButton: above && !reached ? <JumpToUnread onPress={jump} /> : null,
    /** For the timeline's FlatList: what is on screen, and the user's own scrolling. */
    listProps: {
      onViewableItemsChanged,
      viewabilityConfig: VIEWABILITY,
      onScrollBeginDrag: resumeReads,
      // The web's scrolling by wheel and finger (a FlatList there hands these to its element).
      ...({ onWheel: resumeReads, onTouchMove: resumeReads } as object),
    },
  };
}

function JumpToUnread({ onPress }: { onPress: () => void }): ReactElement {
  const { t } = useTranslation();
  return (
    <View style={styles.jumpBar} pointerEvents="box-none">
      <Button
        variant="primary"
        label={`↑ ${t('unread.jump')}`}
        accessibilityLabel={t('unread.jump')}
        onPress={onPress}
        testID="jump-to-unread"
      />
    </View>
  );
}

const styles = StyleSheet.create({
  divider: { flexDirection: 'row', alignItems: 'center', paddingHorizontal: 12, paddingVertical: 6 },
  line: { flex: 1, height: 1 },
  dividerText: { fontSize: 12, fontWeight: '700', marginHorizontal: 8 },
  jumpBar: { position: 'absolute', top: 8, left: 0, right: 0, alignItems: 'center', zIndex: 3 },
});
