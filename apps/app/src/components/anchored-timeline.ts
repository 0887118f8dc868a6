import { viewBlock, type Timeline, type TimelineItem } from '@parley/client';
import { useCallback, useEffect, useRef, useState, type RefObject } from 'react';
import type { FlatList } from 'react-native';
import { parley } from '../api/parley';
import { useAppDispatch, useAppSelector } from '../store';
import { jumpCleared, jumpToMessage } from '../store/messages';
import type { RowRoving } from './TimelineRow';

/**
 * A chat opens at `foundSeq` (a link, a search result) or else at its newest messages, also
 * when its timeline is still anchored from an earlier visit. Runs after the timeline is opened
 * (the caller's earlier effect), so both loads start together.
 */
export function useOpenAt(conversationId: string, foundSeq: number | null) {
  const dispatch = useAppDispatch();
  useEffect(() => {
    if (foundSeq === null) dispatch(jumpCleared(conversationId));
    else dispatch(jumpToMessage({ conversationId, seq: foundSeq }));
  }, [dispatch, conversationId, foundSeq]);
}

/** The row to show for a message jumped to: its own, or the next one the reader may see (a note hidden from them). */
function rowFor(items: readonly TimelineItem[], seq: number): { index: number; exact: boolean } {
  const index = items.findIndex((i) => i.kind === 'message' && i.message.seq >= seq);
  if (index < 0) return { index: items.length - 1, exact: false };
  const item = items[index]!;
  return { index, exact: item.kind === 'message' && item.message.seq === seq };
}

/**
 * Scrolls to the message the conversation was last asked to open at (see `jumpToMessage`) once
 * the part of the history around it is shown, and gives it the keyboard focus. Answers the key
 * of its row while it is marked.
 */
export function useFoundMessage({
  conversationId,
  timeline,
  items,
  list,
  roving,
  atBottom,
}: {
  conversationId: string;
  timeline: Timeline | undefined;
  items: readonly TimelineItem[];
  list: RefObject<FlatList<TimelineItem> | null>;
  roving: RowRoving;
  /** Whether new content keeps the list at its end: no longer, once it is scrolled to the message. */
  atBottom: RefObject<boolean>;
}): string | null {
  const jump = useAppSelector((s) => s.messages.jumps[conversationId] ?? null);
  const [shown, setShown] = useState<{ jump: number; key: string | null } | null>(null);
  // Only once the shown block holds the message: before, the rows are another part of the history.
  const block = timeline ? viewBlock(timeline) : null;
  const ready = jump !== null && block !== null && block.from <= jump.seq && jump.seq <= block.to && items.length > 0;
  const { index, exact } = ready ? rowFor(items, jump.seq) : { index: -1, exact: false };
  const key = index >= 0 ? items[index]!.key : null;
  const done = jump !== null && shown?.jump === jump.id;

  useEffect(() => {
    if (jump === null || key === null || done) return;
    setShown({ jump: jump.id, key: exact ? key : null });
    // After this render has drawn the rows loaded last.
    requestAnimationFrame(() => {
      // Scroll events are throttled: one from before this jump may still have said "at the
      // end", and the next content change would then scroll away from the message.
      atBottom.current = false;
      roving.focused(key);
      list.current?.scrollToIndex({ index, animated: false, viewPosition: 0.5 });
      requestAnimationFrame(() => roving.focus(key));
    });
  }, [jump, key, exact, index, done, list, roving, atBottom]);
  return done ? (shown?.key ?? null) : null;
}

/**
 * Sending while reading far back in the history returns to the newest messages, where the new
 * one shows (`onLatest`: scroll there). Sends queued before the chat opened do not count.
 */
export function useLatestOnSend(conversationId: string, onLatest: () => void) {
  const dispatch = useAppDispatch();
  const anchored = useAppSelector((s) => (s.messages.byConversation[conversationId]?.anchor ?? null) !== null);
  const now = useRef({ anchored, onLatest });
  now.current = { anchored, onLatest };
  useEffect(() => {
    const known = new Set(parley.outbox.list().map((p) => p.clientMsgId));
    return parley.outbox.on('change', (pending) => {
      const sent = pending.some((p) => p.conversationId === conversationId && !known.has(p.clientMsgId));
      for (const p of pending) known.add(p.clientMsgId);
      if (!sent || !now.current.anchored) return;
      dispatch(jumpCleared(conversationId));
      now.current.onLatest();
    });
  }, [dispatch, conversationId]);
}

/** Tries at most this many frames to scroll to a row not measured yet. */
const SCROLL_TRIES = 10;

/**
 * The list's `onScrollToIndexFailed`: a row just loaded is not measured yet (rows have no fixed
 * height), so the list cannot know where it is. Scrolls near it by the average row height, then
 * tries again once the rows there are drawn.
 */
export function useScrollToUnmeasured(list: RefObject<FlatList<TimelineItem> | null>) {
  const tries = useRef({ index: -1, count: 0 });
  return useCallback(
    ({ index, averageItemLength }: { index: number; averageItemLength: number }) => {
      if (tries.current.index !== index) tries.current = { index, count: 0 };
      list.current?.scrollToOffset({ offset: averageItemLength * index, animated: false });
      if (++tries.current.count > SCROLL_TRIES) return;
      requestAnimationFrame(() => list.current?.scrollToIndex({ index, animated: false, viewPosition: 0.5 }));
    },
    [list],
  );
}
