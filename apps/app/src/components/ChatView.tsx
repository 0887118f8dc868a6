import { hasGapBefore, hasNewerThanView, view, type TimelineItem } from '@parley/client';
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
import { personName } from '../people/person-name';
import { useAppDispatch, useAppSelector } from '../store';
import { markRead } from '../store/conversations';
import { markUnread } from '../store/unread';
import { jumpCleared, jumpToMessage, loadNewer, loadOlder, openTimeline, pendingChanged } from '../store/messages';
import { sendPendingDelete } from '../store/undo-delete';
import { useTheme } from '../theme/theme';
import { useFoundMessage, useLatestOnSend, useOpenAt, useScrollToUnmeasured } from './anchored-timeline';
import { Button } from './Button';
import { Composer, type ReplyDraft } from './Composer';
import { ImageViewer } from './ImageViewer';
import { JumpToLatest } from './JumpToLatest';
import { MessageBubble, type Quote } from './MessageBubble';
import { messageLink } from '../navigation/linking';
import type { RowKeyEvent, RowRoving } from './TimelineRow';
import { UndoBar } from './UndoBar';
import { UnreadDivider, useUnreadDivider } from './UnreadDivider';

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

/**
 * A conversation's timeline and composer, for ticket threads and direct chats: history pages,
 * live messages, own pending sends, seen marks, reactions, edits, deletions with Undo, typing,
 * read receipts, and a viewer for the conversation's images.
 */
export function ChatView({
  conversationId,
  allowNotes = false,
  composerHint = null,
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
   * A message to open the conversation at (a search result, a message link): the history around
   * it is loaded (see `jumpToMessage`), and it is scrolled to, focused and marked.
   */
  foundSeq?: number | null;
  /** Staff in a ticket: the composer offers canned responses for it. */
  ticketId?: string | null;
  /** What screen readers call the timeline: "Messages with Sam", "Ticket thread". */
  label: string;
  /** Staff on a ticket: the composer can write internal notes. */
  allowNotes?: boolean;
  /** A line under the composer about where a message goes (staff on an email ticket). */
  composerHint?: string | null;
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
  const loadingNewer = useAppSelector((s) => s.messages.loadingNewer[conversationId] ?? false);
  const loadingAround = useAppSelector((s) => conversationId in s.messages.loadingAround);
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

  useOpenAt(conversationId, foundSeq);
  const items = useMemo(() => (timeline ? view(timeline) : []), [timeline]);
  const gapBefore = timeline ? hasGapBefore(timeline) : false;
  // Reading far back (a link, a search result, a pin): newer pages load as the reader scrolls down.
  const anchored = (timeline?.anchor ?? null) !== null;
  const newer = timeline ? hasNewerThanView(timeline) : false;
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
  const found = useFoundMessage({ conversationId, timeline, items, list, roving, atBottom });

  // The message being answered in the composer, by id: it follows the message's edits and deletion.
  const [replyingTo, setReplyingTo] = useState<string | null>(null);
  useEffect(() => setReplyingTo(null), [conversationId]);
  const nameOf = useCallback(
    (senderId: string | null) =>
      senderId === selfId
        ? t('chat.youSender')
        : senderId === null
          ? t('app.name')
          : (personName(users.get(senderId), t) ?? t('chat.someone')),
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
  // A quoted message, once its quote is pressed: opened like a link to it.
  const onJump = useCallback(
    (seq: number) => void dispatch(jumpToMessage({ conversationId, seq })),
    [dispatch, conversationId],
  );
  const unread = useUnreadDivider({ conversationId, items, gapBefore, selfId, markedSeq, onJump });
  const onMarkUnread = useCallback(
    (message: Message) => void dispatch(markUnread({ id: conversationId, seq: message.seq })),
    [dispatch, conversationId],
  );
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
  // Opened at a message (a link, a search result), that message has the focus instead.
  const focusComposer = (Platform.OS === 'web' || (opened && items.length === 0)) && foundSeq === null;
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
  // Not right after a "mark unread", though: until the user scrolls or writes (see useUnreadDivider).
  const readsPaused = unread.readsPaused;
  useEffect(() => {
    if (isEnded || !focused || readsPaused || newestSeq <= markedSeq.current) return;
    markedSeq.current = newestSeq;
    void dispatch(markRead({ id: conversationId, seq: newestSeq }));
  }, [dispatch, focused, conversationId, newestSeq, isEnded, readsPaused]);
  useEffect(() => {
    markedSeq.current = 0;
  }, [conversationId]);

  // The scroll view's own scrollToEnd: the list's would guess the heights of unmeasured rows.
  const scrollToEnd = () => (list.current?.getNativeScrollRef() as ScrollView | null)?.scrollToEnd({ animated: false });
  const toLatest = () => {
    atBottom.current = true;
    requestAnimationFrame(scrollToEnd);
  };
  useLatestOnSend(conversationId, toLatest);
  const scrollToUnmeasured = useScrollToUnmeasured(list);
  // The list says so once its last row is drawn and near: a block far back grows as it is read.
  const loadNewerNow = () => {
    if (newer && !loadingNewer) void dispatch(loadNewer(conversationId));
  };

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
    const bubble = (
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
        canPin={!isEnded}
        onMarkUnread={isEnded ? undefined : onMarkUnread}
      />
    );
    if (item.key !== unread.dividerKey) return bubble;
    return (
      <View>
        <UnreadDivider />
        {bubble}
      </View>
    );
  };

  const typingNames = typers.map((id) => personName(users.get(id), t) ?? t('chat.someone'));
  return (
    <View style={styles.root}>
      <View style={styles.listArea} role="log" aria-label={label}>
        <FlatList
          ref={list}
          data={items}
          keyExtractor={(item) => item.key}
          renderItem={renderItem}
          extraData={[users, seenUpTo, deleting, selfId, current, isEnded, unread.dividerKey]}
          {...unread.listProps}
          contentContainerStyle={styles.content}
          onScroll={({ nativeEvent: { contentOffset, contentSize, layoutMeasurement } }) => {
            // Following the end stops when the list is scrolled up, not when rows measured
            // after a scroll to the end grew the content below it (their heights come later).
            if (contentSize.height - (contentOffset.y + layoutMeasurement.height) < 80) atBottom.current = true;
            else if (contentOffset.y < offset.current) atBottom.current = false;
            offset.current = contentOffset.y;
          }}
          scrollEventThrottle={100}
          onScrollToIndexFailed={scrollToUnmeasured}
          onEndReached={loadNewerNow}
          onEndReachedThreshold={1}
          onContentSizeChange={() => {
            // Far back in the history, the end is not the newest: pages added there stay below.
            if ((atBottom.current && !anchored) || items.at(-1)?.kind === 'pending') scrollToEnd();
          }}
          onLayout={({ nativeEvent: { layout } }) => {
            // Keep the bottom where it was when the list gets shorter (a panel opens, a window shrinks).
            const shrunk = viewHeight.current - layout.height;
            viewHeight.current = layout.height;
            if (atBottom.current && !anchored) scrollToEnd();
            else if (shrunk > 0) list.current?.scrollToOffset({ offset: offset.current + shrunk, animated: false });
          }}
          ListHeaderComponent={
            gapBefore && items.length > 0 ? (
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
          ListFooterComponent={
            newer ? (
              <View style={styles.older}>
                <Button
                  variant="secondary"
                  label={t('timeline.newerMessages')}
                  busy={loadingNewer}
                  onPress={() => void dispatch(loadNewer(conversationId))}
                />
              </View>
            ) : null
          }
          ListEmptyComponent={
            !opened || loadingAround ? (
              <ActivityIndicator color={colors.primary} style={styles.spinner} />
            ) : failed || !opening ? (
              <Text style={[styles.empty, { color: failed ? colors.danger : colors.textMuted }]}>
                {failed ? t('chat.loadFailed') : t('chat.empty')}
              </Text>
            ) : null
          }
        />
        <UndoBar conversationId={conversationId} />
        {unread.jumpButton}
        {anchored ? (
          <JumpToLatest
            onPress={() => {
              dispatch(jumpCleared(conversationId));
              toLatest();
              // The button is gone: the keyboard goes on where the chat opens, in the composer.
              if (Platform.OS === 'web') composer.current?.focus();
            }}
          />
        ) : null}
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
            hint={composerHint}
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
