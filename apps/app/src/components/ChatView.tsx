import { hasGapBefore, view, type TimelineItem } from '@parley/client';
import { excerpt } from '@parley/markdown';
import type { Message, PublicUser } from '@parley/protocol';
import { useFocusEffect, useIsFocused } from '@react-navigation/native';
import { useCallback, useEffect, useMemo, useRef, useState, type ReactElement, type RefObject } from 'react';
import { useTranslation } from 'react-i18next';
import {
  ActivityIndicator,
  FlatList,
  Platform,
  Share,
  StyleSheet,
  Text,
  View,
  type ScrollView,
  type TextInput,
} from 'react-native';
import { parley } from '../api/parley';
import { isImage } from '../chat/files';
import { rememberUsers, useUsers } from '../chat/users';
import { useViewing } from '../chat/viewing';
import { useAppDispatch, useAppSelector } from '../store';
import { markRead } from '../store/conversations';
import { loadOlder, openTimeline, pendingChanged } from '../store/messages';
import { sendPendingDelete } from '../store/undo-delete';
import { useTheme } from '../theme/theme';
import { Button } from './Button';
import { Composer, type ReplyDraft } from './Composer';
import { ImageViewer } from './ImageViewer';
import { MessageBubble, type Quote } from './MessageBubble';
import { messageLink } from '../navigation/linking';
import type { RowKeyEvent, RowRoving } from './TimelineRow';
import { UndoBar } from './UndoBar';

/** Messages closer together than this from one sender share one name and avatar. */
const RUN_MS = 5 * 60_000;
const EMPTY: Record<string, number> = {};
const NO_PEOPLE: readonly PublicUser[] = [];

/** Who is typing here now (not me), re-evaluated when the earliest indicator runs out. */
function useTypers(conversationId: string, selfId: string): string[] {
  const typing = useAppSelector((s) => s.live.typing[conversationId] ?? EMPTY);
  const [now, setNow] = useState(() => Date.now());
  const active = Object.entries(typing).filter(([userId, until]) => userId !== selfId && until > now);
  const next = Math.min(...active.map(([, until]) => until));
  useEffect(() => {
    if (!Number.isFinite(next)) return;
    const timer = setTimeout(() => setNow(Date.now()), Math.max(0, next - Date.now()) + 50);
    return () => clearTimeout(timer);
  }, [next]);
  // A new frame must show at once even if `now` is stale.
  useEffect(() => setNow(Date.now()), [typing]);
  return active.map(([userId]) => userId);
}

/**
 * A deletion waiting for its Undo is sent when the user leaves: another screen, another
 * conversation, or the page itself (closed, reloaded, or hidden, after which a phone may kill it
 * without another word).
 */
function useSendPendingDeleteOnLeave(conversationId: string, focused: boolean) {
  const dispatch = useAppDispatch();
  useEffect(() => {
    if (!focused) void dispatch(sendPendingDelete());
  }, [dispatch, focused]);
  useEffect(() => () => void dispatch(sendPendingDelete()), [dispatch, conversationId]);
  useEffect(() => {
    if (Platform.OS !== 'web') return;
    const leave = () => void dispatch(sendPendingDelete({ keepalive: true }));
    const hidden = () => document.visibilityState === 'hidden' && leave();
    window.addEventListener('pagehide', leave);
    document.addEventListener('visibilitychange', hidden);
    return () => {
      window.removeEventListener('pagehide', leave);
      document.removeEventListener('visibilitychange', hidden);
    };
  }, [dispatch]);
}

/** Where the arrow keys, Home and End take the focus from row `index` of `count`. */
function rowAfterKey(key: string, index: number, count: number): number | null {
  switch (key) {
    case 'ArrowUp':
      return Math.max(0, index - 1);
    case 'ArrowDown':
      return Math.min(count - 1, index + 1);
    case 'Home':
      return 0;
    case 'End':
      return count - 1;
    default:
      return null;
  }
}

/**
 * The timeline as one Tab stop (WAI-ARIA APG roving tabindex, as Slack does it): Tab enters at
 * the newest row, or at the row the keyboard was last on; the arrow keys, Home and End move
 * between rows. Returns the key of the row in the Tab order and the handlers every row shares.
 */
function useRovingRows(items: readonly TimelineItem[], list: RefObject<FlatList<TimelineItem> | null>) {
  const [chosen, setChosen] = useState<string | null>(null);
  const rows = useRef(new Map<string, View>());
  const itemsNow = useRef(items);
  itemsNow.current = items;
  // A row that is gone (a pending send confirmed, a page dropped) hands its place to the newest.
  const current = chosen !== null && items.some((i) => i.key === chosen) ? chosen : (items.at(-1)?.key ?? null);

  const roving = useMemo<RowRoving>(() => {
    const focusRow = (key: string, index: number, tries = 3) => {
      const element = rows.current.get(key) as unknown as { focus?: () => void } | undefined;
      if (element?.focus) return element.focus();
      // Not drawn yet (far up a long history): scroll there, then try again once it is.
      if (tries === 0) return;
      list.current?.scrollToIndex({ index, animated: false });
      requestAnimationFrame(() => focusRow(key, index, tries - 1));
    };
    return {
      register(key, element) {
        if (element) rows.current.set(key, element);
        else rows.current.delete(key);
      },
      focused: setChosen,
      focus(key) {
        const index = itemsNow.current.findIndex((i) => i.key === key);
        if (index >= 0) focusRow(key, index);
      },
      keyDown(key, event: RowKeyEvent) {
        const all = itemsNow.current;
        const next = rowAfterKey(
          event.key,
          all.findIndex((i) => i.key === key),
          all.length,
        );
        if (next === null || !all[next]) return;
        event.preventDefault(); // no scrolling by the same key
        setChosen(all[next].key);
        focusRow(all[next].key, next);
      },
    };
  }, [list]);
  return { current, roving };
}

/** Older pages read at most to reach a message to open at: 40 pages of 50 messages back. */
const MAX_PAGES_TO_FOUND = 40;

/**
 * Opens the timeline at message `foundSeq`: reads older pages until it is loaded (history stays
 * gap-free, with everything after it), then scrolls to it and gives it the keyboard focus.
 * Answers the key of its row while it is marked.
 */
function useFoundMessage({
  conversationId,
  foundSeq,
  items,
  gapBefore,
  loadingOlder,
  opened,
  list,
  roving,
  atBottom,
  jump,
}: {
  conversationId: string;
  foundSeq: number | null;
  /** A new object for each jump, so pressing the same quote again scrolls there again. */
  jump: object | null;
  items: readonly TimelineItem[];
  gapBefore: boolean;
  loadingOlder: boolean;
  opened: boolean;
  list: RefObject<FlatList<TimelineItem> | null>;
  roving: RowRoving;
  /** Whether new content keeps the list at its end: no longer, once it is scrolled to the message. */
  atBottom: RefObject<boolean>;
}): string | null {
  const dispatch = useAppDispatch();
  const pages = useRef(0);
  const [shown, setShown] = useState<string | null>(null);
  const index = foundSeq === null ? -1 : items.findIndex((i) => i.kind === 'message' && i.message.seq === foundSeq);
  const key = index >= 0 ? items[index]!.key : null;

  useEffect(() => {
    pages.current = 0;
    setShown(null);
  }, [conversationId, foundSeq, jump]);

  useEffect(() => {
    if (!opened || foundSeq === null || loadingOlder) return;
    if (key === null) {
      if (gapBefore && pages.current < MAX_PAGES_TO_FOUND) {
        pages.current += 1;
        void dispatch(loadOlder(conversationId));
      }
      return;
    }
    if (shown === key) return;
    setShown(key);
    // After this render has drawn the rows loaded last.
    requestAnimationFrame(() => {
      list.current?.scrollToIndex({ index, animated: false, viewPosition: 0.5 });
      // Scroll events are throttled: one from before this jump may still have said "at the
      // end", and the next content change would then scroll away from the message.
      atBottom.current = false;
      roving.focused(key);
      requestAnimationFrame(() => roving.focus(key));
    });
  }, [dispatch, conversationId, foundSeq, opened, loadingOlder, gapBefore, key, index, shown, list, roving, atBottom]);
  return shown;
}

/**
 * A conversation's timeline and composer, for ticket threads and direct chats: history pages,
 * live messages, own pending sends, seen marks, reactions, edits, deletions with Undo, typing,
 * read receipts, and a viewer for the conversation's images.
 */
export function ChatView({
  conversationId,
  allowNotes = false,
  people = NO_PEOPLE,
  opening = null,
  label,
  ticketId = null,
  foundSeq = null,
  threadPath,
  ended = null,
}: {
  conversationId: string;
  /**
   * The conversation ended for this user (they are no longer in the group): what to show
   * instead of the composer. The timeline stays as it was, up to the line saying so.
   */
  ended?: ReactElement | null;
  /** The thread's URL path, for links to its messages (default: the chat's, `/messages/:id`). */
  threadPath?: string;
  /**
   * A message to open the conversation at (a search result, a message link): history is loaded
   * back to it, and it is scrolled to, focused and marked.
   */
  foundSeq?: number | null;
  /** Staff in a ticket: the composer offers canned responses for it. */
  ticketId?: string | null;
  /** What screen readers call the timeline: "Messages with Sam", "Ticket thread". */
  label: string;
  /** Staff on a ticket: the composer can write internal notes. */
  allowNotes?: boolean;
  /** Users already known (ticket requester, team members) for names and avatars. */
  people?: readonly PublicUser[];
  /**
   * What starts the thread before its first message (a ticket's description): shown first once
   * the history is loaded back to the start, and instead of "No messages yet".
   */
  opening?: ReactElement | null;
}) {
  const { t } = useTranslation();
  const { colors } = useTheme();
  const dispatch = useAppDispatch();
  const focused = useIsFocused();
  // Out of the group: no longer one of those looking at it.
  useViewing(conversationId, focused && ended === null);
  const selfId = useAppSelector((s) => s.session.user?.id ?? '');
  const timeline = useAppSelector((s) => s.messages.byConversation[conversationId]);
  const loadingOlder = useAppSelector((s) => s.messages.loadingOlder[conversationId] ?? false);
  const members = useAppSelector((s) => s.conversations.byId[conversationId]?.members);
  const readers = useAppSelector((s) => s.conversations.readers[conversationId] ?? EMPTY);
  const [opened, setOpened] = useState(false);
  const [failed, setFailed] = useState(false);
  const deleting = useAppSelector((s) => s.undoDelete.hidden);
  const [viewing, setViewing] = useState<string | null>(null);
  const list = useRef<FlatList<TimelineItem>>(null);
  const composer = useRef<TextInput>(null);
  const atBottom = useRef(true);
  const offset = useRef(0);
  const viewHeight = useRef(0);
  const markedSeq = useRef(0);

  useEffect(() => {
    if (!selfId) return;
    let live = true;
    setOpened(false);
    setFailed(false);
    void dispatch(openTimeline({ conversationId, selfId })).then((action) => {
      if (!live) return;
      setOpened(true);
      setFailed(openTimeline.rejected.match(action));
      // Sends queued before this timeline existed (an earlier run, another screen).
      dispatch(pendingChanged(parley.outbox.list()));
    });
    return () => {
      live = false;
    };
  }, [dispatch, conversationId, selfId]);

  useSendPendingDeleteOnLeave(conversationId, focused);

  useEffect(() => rememberUsers([...(members ?? []), ...people]), [members, people]);

  const items = useMemo(() => (timeline ? view(timeline) : []), [timeline]);
  const gapBefore = timeline ? hasGapBefore(timeline) : false;
  const typers = useTypers(conversationId, selfId);
  const senderIds = useMemo(
    () => [
      ...items.flatMap((i) => (i.kind === 'message' ? [i.message.senderId, i.message.replyTo?.senderId] : [])),
      ...typers,
    ],
    [items, typers],
  );
  const users = useUsers(senderIds);
  const { current, roving } = useRovingRows(items, list);
  // A quoted message's seq, once its quote is pressed: opened like a link to it.
  const [jump, setJump] = useState<{ seq: number } | null>(null);
  useEffect(() => setJump(null), [conversationId, foundSeq]);
  const found = useFoundMessage({
    conversationId,
    foundSeq: jump?.seq ?? foundSeq,
    jump,
    items,
    gapBefore,
    loadingOlder,
    opened,
    list,
    roving,
    atBottom,
  });

  // The message being answered in the composer, by id: it follows the message's edits and deletion.
  const [replyingTo, setReplyingTo] = useState<string | null>(null);
  useEffect(() => setReplyingTo(null), [conversationId]);
  const nameOf = useCallback(
    (senderId: string | null) =>
      senderId === selfId
        ? t('chat.youSender')
        : senderId === null
          ? t('app.name')
          : (users.get(senderId)?.displayName ?? t('chat.someone')),
    [selfId, users, t],
  );
  const spoiler = t('chat.spoilerHidden');
  /** What a reply shows of its original: as loaded here (edited, deleted since), or as the server said. */
  const quoteOf = useCallback(
    (replyTo: Message['replyTo']): Quote | null => {
      if (!replyTo) return null;
      const original = timeline?.messages.get(replyTo.id);
      const deleted = original ? original.deletedAt !== null : replyTo.deleted;
      return {
        seq: replyTo.seq,
        senderName: nameOf(replyTo.senderId),
        excerpt: deleted ? '' : original ? excerpt(original.body, { spoiler }) : replyTo.excerpt,
        deleted,
      };
    },
    [timeline, nameOf, spoiler],
  );
  /** A pending reply's quote: its original is loaded here (it was answered from this timeline). */
  const pendingQuote = (replyToId: string | null | undefined): Quote | null => {
    const original = replyToId ? timeline?.messages.get(replyToId) : undefined;
    return original
      ? quoteOf({ id: original.id, seq: original.seq, senderId: original.senderId, excerpt: '', deleted: false })
      : null;
  };
  const replyDraft = useMemo((): ReplyDraft | null => {
    const original = replyingTo ? timeline?.messages.get(replyingTo) : undefined;
    if (!original || original.deletedAt !== null) return null;
    return {
      id: original.id,
      note: original.kind === 'note',
      senderName: nameOf(original.senderId),
      excerpt: excerpt(original.body, { spoiler }),
    };
  }, [replyingTo, timeline, nameOf, spoiler]);
  const onReply = useCallback((message: Message) => {
    setReplyingTo(message.id);
    composer.current?.focus();
  }, []);
  const onJump = useCallback((seq: number) => setJump({ seq }), []);
  // Everyone in the conversation and around it (a ticket's requester and team), but the writer.
  const mentionable = useMemo(() => {
    const byId = new Map([...(members ?? []), ...people].map((p) => [p.id, p]));
    byId.delete(selfId);
    return [...byId.values()];
  }, [members, people, selfId]);
  const path = threadPath ?? `/messages/${conversationId}`;
  const onCopyLink = useCallback(
    (message: Message) => {
      const url = messageLink(path, message.seq);
      if (Platform.OS === 'web') void navigator.clipboard?.writeText(url);
      else void Share.share({ message: url });
    },
    [path],
  );

  // Opening a chat puts the cursor in the composer, as Slack and GitHub do. On a phone only when
  // there is nothing to read yet: its keyboard would cover the messages the user opened to read.
  const focusComposer = Platform.OS === 'web' || (opened && items.length === 0);
  useFocusEffect(
    useCallback(() => {
      if (focusComposer) composer.current?.focus();
    }, [focusComposer, conversationId]),
  );

  const seenUpTo = Object.entries(readers).reduce(
    (max, [userId, seq]) => (userId === selfId ? max : Math.max(max, seq)),
    0,
  );

  // Read receipts: everything shown is read while this screen is in front (and the user is in it).
  const isEnded = ended !== null;
  const newestSeq = items.reduce((max, i) => (i.kind === 'message' ? Math.max(max, i.message.seq) : max), 0);
  useEffect(() => {
    if (isEnded || !focused || newestSeq <= markedSeq.current) return;
    markedSeq.current = newestSeq;
    void dispatch(markRead({ id: conversationId, seq: newestSeq }));
  }, [dispatch, focused, conversationId, newestSeq, isEnded]);
  useEffect(() => {
    markedSeq.current = 0;
  }, [conversationId]);

  // The scroll view's own scrollToEnd: the list's would guess the heights of unmeasured rows.
  const scrollToEnd = () => (list.current?.getNativeScrollRef() as ScrollView | null)?.scrollToEnd({ animated: false });

  // The viewer pages through every image still in the conversation, in timeline order.
  const images = useMemo(
    () =>
      items.flatMap((i) =>
        i.kind === 'message' && i.message.deletedAt === null && !(i.message.id in deleting)
          ? i.message.attachments.filter((a) => isImage(a.contentType) && a.thumbnailUrl)
          : [],
      ),
    [items, deleting],
  );
  const viewingIndex = viewing ? images.findIndex((a) => a.id === viewing) : -1;
  const openImage = useCallback((attachmentId: string) => setViewing(attachmentId), []);

  const renderItem = ({ item, index }: { item: TimelineItem; index: number }) => {
    let showSender = true;
    let seen = false;
    if (item.kind === 'message') {
      const previous = items[index - 1];
      showSender = !(
        previous?.kind === 'message' &&
        previous.message.kind !== 'system' &&
        previous.message.senderId === item.message.senderId &&
        Date.parse(item.message.createdAt) - Date.parse(previous.message.createdAt) < RUN_MS
      );
      seen = item.message.seq <= seenUpTo;
    }
    return (
      <MessageBubble
        item={item}
        selfId={selfId}
        sender={item.kind === 'message' && item.message.senderId ? users.get(item.message.senderId) : undefined}
        showSender={showSender}
        seen={seen}
        deleting={item.kind === 'message' && item.message.id in deleting}
        onOpenImage={openImage}
        current={item.key === current}
        roving={roving}
        found={item.key === found}
        quote={item.kind === 'message' ? quoteOf(item.message.replyTo) : pendingQuote(item.pending.replyToId)}
        onReply={isEnded ? undefined : onReply}
        onCopyLink={onCopyLink}
        onJump={onJump}
      />
    );
  };

  const typingNames = typers.map((id) => users.get(id)?.displayName ?? t('chat.someone'));
  return (
    <View style={styles.root}>
      <View style={styles.listArea} role="log" aria-label={label}>
        <FlatList
          ref={list}
          data={items}
          keyExtractor={(item) => item.key}
          renderItem={renderItem}
          extraData={[users, seenUpTo, deleting, selfId, current, isEnded]}
          contentContainerStyle={styles.content}
          onScroll={({ nativeEvent: { contentOffset, contentSize, layoutMeasurement } }) => {
            // Following the end stops when the list is scrolled up, not when rows measured
            // after a scroll to the end grew the content below it (their heights come later).
            if (contentSize.height - (contentOffset.y + layoutMeasurement.height) < 80) atBottom.current = true;
            else if (contentOffset.y < offset.current) atBottom.current = false;
            offset.current = contentOffset.y;
          }}
          scrollEventThrottle={100}
          onContentSizeChange={() => {
            if (atBottom.current || items.at(-1)?.kind === 'pending') scrollToEnd();
          }}
          onLayout={({ nativeEvent: { layout } }) => {
            // Keep the bottom where it was when the list gets shorter (a panel opens, a window shrinks).
            const shrunk = viewHeight.current - layout.height;
            viewHeight.current = layout.height;
            if (atBottom.current) scrollToEnd();
            else if (shrunk > 0) list.current?.scrollToOffset({ offset: offset.current + shrunk, animated: false });
          }}
          ListHeaderComponent={
            gapBefore ? (
              <View style={styles.older}>
                <Button
                  variant="secondary"
                  label={t('chat.olderMessages')}
                  busy={loadingOlder}
                  onPress={() => {
                    atBottom.current = false;
                    void dispatch(loadOlder(conversationId));
                  }}
                />
              </View>
            ) : opened && !failed ? (
              opening
            ) : null
          }
          ListEmptyComponent={
            !opened ? (
              <ActivityIndicator color={colors.primary} style={styles.spinner} />
            ) : failed || !opening ? (
              <Text style={[styles.empty, { color: failed ? colors.danger : colors.textMuted }]}>
                {failed ? t('chat.loadFailed') : t('chat.empty')}
              </Text>
            ) : null
          }
        />
        <UndoBar conversationId={conversationId} />
      </View>
      {ended ?? (
        <>
          <View style={styles.typingRow} accessibilityLiveRegion="polite">
            {typingNames.length > 0 ? (
              <Text style={[styles.typing, { color: colors.textMuted }]}>
                {t('chat.typing', { name: typingNames.join(', ') })}
              </Text>
            ) : null}
          </View>
          <Composer
            conversationId={conversationId}
            allowNotes={allowNotes}
            inputRef={composer}
            ticketId={ticketId}
            replyTo={replyDraft}
            onCancelReply={() => setReplyingTo(null)}
            people={mentionable}
          />
        </>
      )}
      {viewingIndex >= 0 ? (
        <ImageViewer
          images={images}
          index={viewingIndex}
          onIndex={(index) => setViewing(images[index]?.id ?? null)}
          onClose={() => setViewing(null)}
        />
      ) : null}
    </View>
  );
}

const styles = StyleSheet.create({
  root: { flex: 1, minHeight: 0 },
  listArea: { flex: 1, minHeight: 0 },
  // Room above the first message for its floating toolbar.
  content: { paddingTop: 32, paddingBottom: 8, flexGrow: 1, justifyContent: 'flex-end' },
  older: { alignItems: 'center', paddingVertical: 8 },
  spinner: { marginTop: 24 },
  empty: { textAlign: 'center', padding: 24 },
  typingRow: { minHeight: 20, paddingHorizontal: 16, justifyContent: 'center' },
  typing: { fontSize: 12, fontStyle: 'italic' },
});
