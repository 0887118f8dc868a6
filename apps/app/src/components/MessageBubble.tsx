import type { PendingMessage, TimelineItem } from '@parley/client';
import { parseMarkdown } from '@parley/markdown';
import type { Attachment, Message, PublicUser } from '@parley/protocol';
import { memo, useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import {
  Image,
  Platform,
  Pressable,
  StyleSheet,
  Text,
  View,
  type GestureResponderEvent,
  type ViewStyle,
} from 'react-native';
import { absoluteUrl, parley } from '../api/parley';
import { authedBlobUrl, formatBytes, isImage, openAttachment } from '../chat/files';
import { bodyWords, messageRowLabel } from '../chat/row-label';
import { systemLineText } from '../chat/system-line';
import { personName } from '../people/person-name';
import { useAppDispatch, useAppSelector } from '../store';
import { editMessage, toggleReaction } from '../store/messages';
import { useTheme } from '../theme/theme';
import { Avatar } from './Avatar';
import {
  MENU_ONLY_ACTIONS,
  MessageActionsMenu,
  MessageToolbar,
  toolbarWidth,
  useMessageActions,
} from './MessageActions';
import { EditHistory } from './EditHistory';
import { MessageEditor } from './MessageEditor';
import { linksAndSpoilers, openLink } from './markdown/links';
import { MessageMarkdown } from './markdown/MessageMarkdown';
import { RelativeTime, useTimeStyle } from './RelativeTime';
import { ReplyQuote } from './ReplyQuote';
import { TimelineRow, type RowRoving } from './TimelineRow';
import { formatClock } from '../time/time-format';

/** An image fetched with the user's token (attachments are private), shown from an object URL. */
export function AuthedImage({
  path,
  label,
  width,
  height,
}: {
  path: string;
  label: string;
  width: number;
  height: number;
}) {
  const { colors } = useTheme();
  const [uri, setUri] = useState<string | null>(null);
  useEffect(() => {
    let live = true;
    if (Platform.OS === 'web') {
      authedBlobUrl(path).then(
        (url) => live && setUri(url),
        () => undefined,
      );
    }
    return () => {
      live = false;
    };
  }, [path]);
  const box = { width, height, borderRadius: 8, backgroundColor: colors.surface };
  if (Platform.OS !== 'web') return <NativeAuthedImage path={path} label={label} style={box} />;
  return uri ? (
    <Image source={{ uri }} style={box} accessibilityLabel={label} resizeMode="cover" />
  ) : (
    <View style={box} accessibilityLabel={label} />
  );
}

/** Native images can carry the Bearer header themselves. */
function NativeAuthedImage({ path, label, style }: { path: string; label: string; style: object }) {
  const [token, setToken] = useState<string | null>(null);
  useEffect(() => {
    void parley.accessToken().then(setToken);
  }, []);
  if (!token) return <View style={style} />;
  return (
    <Image
      source={{ uri: absoluteUrl(path), headers: { authorization: `Bearer ${token}` } }}
      style={style}
      accessibilityLabel={label}
    />
  );
}

function Attachments({
  attachments,
  color,
  onOpenImage,
}: {
  attachments: readonly Attachment[];
  color: string;
  onOpenImage: (attachmentId: string) => void;
}) {
  const { t } = useTranslation();
  if (attachments.length === 0) return null;
  return (
    <View style={styles.attachments}>
      {attachments.map((a) => {
        const scale = Math.min(1, 220 / (a.width ?? 220), 180 / (a.height ?? 180));
        const image = isImage(a.contentType) && a.thumbnailUrl;
        return (
          <Pressable
            key={a.id}
            // Out of the Tab order (the row is the timeline's one stop): the keyboard opens files
            // from the row's actions menu, screen readers and pointers right here.
            tabIndex={-1}
            accessibilityRole="link"
            accessibilityLabel={
              image ? t('chat.viewImage', { name: a.fileName }) : `${a.fileName}, ${formatBytes(a.sizeBytes)}`
            }
            onPress={() => (image ? onOpenImage(a.id) : void openAttachment(a))}
            style={styles.attachment}
          >
            {image ? (
              <AuthedImage
                path={a.thumbnailUrl!}
                label={a.fileName}
                width={Math.max(48, Math.round((a.width ?? 220) * scale))}
                height={Math.max(48, Math.round((a.height ?? 180) * scale))}
              />
            ) : (
              <Text style={[styles.file, { color }]}>
                ↓ {a.fileName} · {formatBytes(a.sizeBytes)}
              </Text>
            )}
          </Pressable>
        );
      })}
    </View>
  );
}

export interface MessageBubbleProps {
  item: TimelineItem;
  selfId: string;
  sender: PublicUser | undefined;
  /** The first of a run by the same sender: show the name and avatar. */
  showSender: boolean;
  /** Another member has read up to this message. */
  seen: boolean;
  /** Deleted by the user here, the request not sent yet (Undo is still offered): shown as deleted. */
  deleting: boolean;
  /** Opens the conversation's image viewer on this attachment. */
  onOpenImage: (attachmentId: string) => void;
  /** The row the Tab key enters the timeline at (the others are reached with the arrow keys). */
  current: boolean;
  roving: RowRoving;
  /** The message the conversation was opened at (a search result, a link): marked. */
  found?: boolean;
  /** What a reply quotes of the message it answers (null: it answers none). */
  quote?: Quote | null;
  /** Starts a reply to this message in the composer. */
  onReply?: ((message: Message) => void) | undefined;
  /** Copies (or shares) the link to this message. */
  onCopyLink?: ((message: Message) => void) | undefined;
  /** Opens the conversation at a message (a reply's quote was pressed). */
  onJump?: ((seq: number) => void) | undefined;
  /** The user may pin messages here (they may write here). */
  canPin?: boolean | undefined;
  /** "Mark unread from here": the user's read cursor goes back to just before this message. */
  onMarkUnread?: ((message: Message) => void) | undefined;
}

/** A reply's quote of the message it answers, as the timeline knows it now. */
export interface Quote {
  seq: number;
  senderName: string;
  excerpt: string;
  deleted: boolean;
}

/** One row of the timeline: a message (own, other, note, system, deleted) or an own pending send. */
export const MessageBubble = memo(function MessageBubble(props: MessageBubbleProps) {
  const { item } = props;
  if (item.kind === 'pending') {
    return (
      <PendingBubble
        pending={item.pending as PendingMessage}
        itemKey={item.key}
        current={props.current}
        roving={props.roving}
        quote={props.quote ?? null}
      />
    );
  }
  return <ConfirmedBubble {...props} message={item.message} />;
});

/** The time of day (or date) a row's label says, as under the message. */
function useClockText(at: string): string {
  const style = useTimeStyle();
  return formatClock(at, { ...style, now: Date.now() });
}

function PendingBubble({
  pending,
  itemKey,
  current,
  roving,
  quote,
}: {
  pending: PendingMessage;
  itemKey: string;
  current: boolean;
  roving: RowRoving;
  quote: Quote | null;
}) {
  const { t } = useTranslation();
  const { colors } = useTheme();
  const note = pending.internal === true;
  const failed = pending.state === 'failed';
  const retry = () => void parley.outbox.retry(pending.clientMsgId);
  const state = failed ? t('chat.failed') : t('chat.pending');
  const blocks = useMemo(() => parseMarkdown(pending.body), [pending.body]);
  const words = useMemo(() => bodyWords(blocks, t), [blocks, t]);
  const label = t(note ? 'chat.rowNoteLabel' : 'chat.rowLabel', {
    name: t('chat.youSender'),
    time: useClockText(pending.createdAt),
    text: `${words}, ${state}`,
  });
  return (
    <TimelineRow
      itemKey={itemKey}
      label={label}
      current={current}
      roving={roving}
      onActivate={failed ? retry : undefined}
    >
      <View style={[styles.row, styles.own]} testID="pending-message">
        <View style={styles.column}>
          <View
            style={[
              styles.bubble,
              note
                ? { backgroundColor: colors.noteBubble, borderColor: colors.warning, borderWidth: 1 }
                : { backgroundColor: colors.ownBubble },
              { opacity: failed ? 1 : 0.85 },
            ]}
          >
            {note ? <Text style={[styles.noteLabel, { color: colors.onNoteBubble }]}>{t('chat.note')}</Text> : null}
            {quote ? <ReplyQuote {...quote} color={note ? colors.onNoteBubble : colors.onOwnBubble} /> : null}
            <MessageMarkdown
              blocks={blocks}
              color={note ? colors.onNoteBubble : colors.onOwnBubble}
              style={styles.body}
            />
          </View>
          {failed ? (
            <Pressable
              accessibilityRole="button"
              accessibilityLabel={t('chat.failed')}
              tabIndex={-1}
              onPress={retry}
              style={styles.metaRow}
            >
              <Text style={[styles.meta, { color: colors.danger, fontWeight: '600' }]}>⚠ {t('chat.failed')}</Text>
            </Pressable>
          ) : (
            <View style={styles.metaRow}>
              <Text style={[styles.meta, { color: colors.textMuted }]}>
                <RelativeTime at={pending.createdAt} variant="clock" /> · {t('chat.pending')}
              </Text>
            </View>
          )}
        </View>
      </View>
    </TimelineRow>
  );
}

/** Long presses open the actions menu on touch only: a mouse held still is someone selecting text. */
const isTouch = (event: GestureResponderEvent) =>
  Platform.OS !== 'web' || String((event.nativeEvent as { type?: string }).type).startsWith('touch');

/**
 * After a long press the browser still turns the finger's lift into mouse events and a click,
 * which would land on the menu that just opened under the finger (and close it). Cancelling
 * that touchend stops them.
 */
function swallowNextLift() {
  if (Platform.OS !== 'web') return;
  const done = new AbortController();
  const options = { capture: true, passive: false, signal: done.signal };
  document.addEventListener(
    'touchend',
    (event) => {
      if (event.cancelable) event.preventDefault();
      done.abort();
    },
    options,
  );
  document.addEventListener('touchcancel', () => done.abort(), options);
}

function ConfirmedBubble({
  message,
  selfId,
  sender,
  showSender,
  seen,
  deleting,
  onOpenImage,
  item,
  current,
  roving,
  found,
  quote,
  onReply,
  onCopyLink,
  onJump,
  canPin,
  onMarkUnread,
}: MessageBubbleProps & { message: Message }) {
  const { t } = useTranslation();
  const { colors } = useTheme();
  const dispatch = useAppDispatch();
  const [editing, setEditing] = useState(false);
  const [hovered, setHovered] = useState(false);
  const [menuOpen, setMenuOpen] = useState(false);
  const [bubbleWidth, setBubbleWidth] = useState(0);
  const own = message.senderId === selfId;
  const time = useClockText(message.createdAt);
  const [historyOpen, setHistoryOpen] = useState(false);
  const selfUsername = useAppSelector((s) => s.session.user?.username ?? null);
  const allActions = useMessageActions(message, own, {
    onEdit: () => setEditing(true),
    onReply: onReply && (() => onReply(message)),
    onCopyLink: onCopyLink && (() => onCopyLink(message)),
    canPin,
  });
  // The hover toolbar keeps to the quick ones; the menu has them all.
  const actions = allActions.filter((a) => !MENU_ONLY_ACTIONS.has(a.key));
  // Parsed once per body: the timeline draws many rows, and re-renders them often.
  const blocks = useMemo(() => parseMarkdown(message.body), [message.body]);
  const { links, hasSpoiler } = useMemo(() => linksAndSpoilers(blocks), [blocks]);
  const words = useMemo(() => bodyWords(blocks, t), [blocks, t]);
  const [spoilersShown, setSpoilersShown] = useState(false);
  const menuActions = [
    ...allActions,
    ...(message.editedAt && message.deletedAt === null
      ? [{ key: 'history', text: '', label: t('chat.history.title'), onPress: () => setHistoryOpen(true) }]
      : []),
    ...(quote && !quote.deleted && onJump
      ? [{ key: 'jump', text: '', label: t('chat.showOriginal'), onPress: () => onJump(quote.seq) }]
      : []),
    ...(onMarkUnread
      ? [{ key: 'unread', text: '', label: t('unread.markUnread'), onPress: () => onMarkUnread(message) }]
      : []),
    // The keyboard's way to files, links and spoilers: they are out of the Tab order.
    ...message.attachments.map((a) => ({
      key: `open-${a.id}`,
      text: '',
      label: t('chat.openAttachment', { name: a.fileName }),
      onPress: () => (isImage(a.contentType) && a.thumbnailUrl ? onOpenImage(a.id) : void openAttachment(a)),
    })),
    ...links.map((href) => ({
      key: `link-${href}`,
      text: '',
      label: t('chat.openLink', { url: href }),
      onPress: () => openLink(href),
    })),
    ...(hasSpoiler && !spoilersShown
      ? [{ key: 'spoilers', text: '', label: t('chat.showSpoilers'), onPress: () => setSpoilersShown(true) }]
      : []),
  ];

  // A system line, or an internal one (a label change: a note with the event's data).
  if (message.kind === 'system' || (message.kind === 'note' && message.system)) {
    return (
      <TimelineRow
        itemKey={item.key}
        label={`${systemLineText(message, t)} · ${time}`}
        current={current}
        roving={roving}
        found={found}
      >
        <View style={styles.system}>
          <Text style={[styles.systemText, { color: colors.textMuted }]}>
            {systemLineText(message, t)} · <RelativeTime at={message.createdAt} variant="clock" />
          </Text>
        </View>
      </TimelineRow>
    );
  }

  const note = message.kind === 'note';
  const deleted = message.deletedAt !== null || deleting;
  // No sender on a note or text: Parley wrote it by itself (an automation rule).
  const name = own
    ? t('chat.you')
    : message.senderId === null
      ? t('app.name')
      : (personName(sender, t) ?? t('chat.someone'));
  const ref = { conversationId: message.conversationId, messageId: message.id };
  const background = note ? colors.noteBubble : own ? colors.ownBubble : colors.otherBubble;
  const foreground = note ? colors.onNoteBubble : own ? colors.onOwnBubble : colors.text;
  const actionable = !deleted && !editing;

  // Over the bubble's inner top corner (towards the middle of the screen), or, on a bubble too
  // narrow for it, beside that corner in the free space: never over the edge of the screen.
  const fits = bubbleWidth >= toolbarWidth(actions.length);
  const toolbarPlace: ViewStyle = own
    ? fits
      ? { left: 0 }
      : { right: '100%', marginRight: -16 }
    : fits
      ? { right: 0 }
      : { left: '100%', marginLeft: -16 };

  const label = messageRowLabel(message, {
    name: own ? t('chat.youSender') : name,
    time,
    deleted,
    words,
    t,
  });
  return (
    <TimelineRow
      itemKey={item.key}
      label={label}
      current={current}
      roving={roving}
      found={found}
      onActivate={actionable ? () => setMenuOpen(true) : undefined}
    >
      <Pressable
        accessible={false}
        tabIndex={-1}
        // Pointer events, not onHoverIn/Out: a Pressable's hover ends when the pointer enters a
        // Pressable inside it (a toolbar button), and the toolbar would vanish under the pointer.
        onPointerEnter={({ nativeEvent }) => nativeEvent.pointerType !== 'touch' && setHovered(true)}
        onPointerLeave={() => setHovered(false)}
        onLongPress={(event) => {
          if (!actionable || !isTouch(event)) return;
          swallowNextLift();
          setMenuOpen(true);
        }}
        style={[styles.row, own ? styles.own : styles.other, hovered && styles.raised]}
        testID={note ? 'note-message' : 'message'}
      >
        {!own ? (
          <View style={styles.avatarSlot}>
            {showSender ? <Avatar name={sender?.displayName ?? name} url={sender?.avatarUrl} size={32} /> : null}
          </View>
        ) : null}
        <View style={[styles.column, own ? styles.alignEnd : styles.alignStart, editing && styles.editing]}>
          {showSender && !own ? <Text style={[styles.sender, { color: colors.textMuted }]}>{name}</Text> : null}
          <View onLayout={({ nativeEvent }) => setBubbleWidth(nativeEvent.layout.width)} style={editing && styles.fill}>
            <View
              style={[
                styles.bubble,
                { backgroundColor: deleted || editing ? colors.surface : background },
                note && { borderColor: colors.warning, borderWidth: 1 },
                (deleted || editing) && { borderColor: colors.border, borderWidth: 1 },
              ]}
              accessibilityLabel={note ? `${t('chat.note')}: ${name}` : undefined}
            >
              {note ? <Text style={[styles.noteLabel, { color: colors.onNoteBubble }]}>{t('chat.note')}</Text> : null}
              {quote && !deleted && !editing ? (
                <ReplyQuote {...quote} color={foreground} onPress={onJump && (() => onJump(quote.seq))} />
              ) : null}
              {deleted ? (
                <Text style={[styles.body, styles.deleted, { color: colors.textMuted }]}>{t('chat.deleted')}</Text>
              ) : editing ? (
                <MessageEditor
                  initial={message.body}
                  onSave={async (body) => void (await dispatch(editMessage({ ...ref, body })).unwrap())}
                  onClose={() => setEditing(false)}
                />
              ) : (
                <>
                  {message.body ? (
                    <MessageMarkdown
                      blocks={blocks}
                      selfUsername={selfUsername}
                      color={foreground}
                      style={styles.body}
                      selectable
                      revealSpoilers={spoilersShown}
                    />
                  ) : null}
                  <Attachments attachments={message.attachments} color={foreground} onOpenImage={onOpenImage} />
                </>
              )}
            </View>
            {hovered && actionable && !menuOpen ? <MessageToolbar actions={actions} style={toolbarPlace} /> : null}
          </View>
          <View style={styles.metaRow}>
            <Text style={[styles.meta, { color: colors.textMuted }]}>
              <RelativeTime at={message.createdAt} variant="clock" />
              {message.editedAt && !deleted ? ' · ' : ''}
              {message.editedAt && !deleted ? (
                <Text
                  accessibilityRole="button"
                  accessibilityLabel={t('chat.showHistory')}
                  // Out of the Tab order like the row's other parts: the row's menu offers it too.
                  {...({ tabIndex: -1 } as object)}
                  onPress={() => setHistoryOpen(true)}
                  style={styles.edited}
                >
                  {t('chat.edited')}
                </Text>
              ) : null}
              {own ? ` · ${seen && !note ? t('chat.seen') : t('chat.sent')}` : ''}
            </Text>
            {actionable ? (
              <Pressable
                accessibilityRole="button"
                accessibilityLabel={t('chat.actions')}
                // The row itself opens this menu with Enter: one Tab stop for the whole timeline.
                tabIndex={-1}
                accessibilityState={{ expanded: menuOpen }}
                aria-expanded={menuOpen}
                onPress={() => setMenuOpen(true)}
                style={({ focused }: { pressed: boolean; focused?: boolean }) => [
                  styles.more,
                  focused && { outlineColor: colors.link, outlineWidth: 2, outlineStyle: 'solid' as const },
                ]}
              >
                <Text style={{ color: colors.textMuted, fontWeight: '700' }}>⋯</Text>
              </Pressable>
            ) : null}
          </View>
          {message.reactions.length > 0 && !deleted ? (
            <View style={[styles.reactions, own && styles.alignEndRow]}>
              {message.reactions.map((r) => {
                const mine = r.userIds.includes(selfId);
                return (
                  <Pressable
                    key={r.emoji}
                    tabIndex={-1}
                    accessibilityRole="button"
                    accessibilityLabel={t('chat.reaction', { emoji: r.emoji, count: r.userIds.length })}
                    accessibilityState={{ selected: mine }}
                    // A toggle: pressed while my reaction is among them (the web needs the aria- form).
                    aria-pressed={mine}
                    onPress={() => void dispatch(toggleReaction({ ...ref, emoji: r.emoji }))}
                    style={[
                      styles.reaction,
                      {
                        borderColor: mine ? colors.primary : colors.border,
                        backgroundColor: colors.surfaceRaised,
                      },
                    ]}
                  >
                    <Text style={{ color: colors.text, fontSize: 13 }}>
                      {r.emoji} {r.userIds.length}
                    </Text>
                  </Pressable>
                );
              })}
            </View>
          ) : null}
        </View>
        {menuOpen && actionable ? (
          <MessageActionsMenu actions={menuActions} preview={words} onClose={() => setMenuOpen(false)} />
        ) : null}
        {historyOpen ? <EditHistory message={message} onClose={() => setHistoryOpen(false)} /> : null}
      </Pressable>
    </TimelineRow>
  );
}

const styles = StyleSheet.create({
  edited: { textDecorationLine: 'underline' },
  row: { flexDirection: 'row', paddingHorizontal: 12, paddingVertical: 3 },
  own: { justifyContent: 'flex-end' },
  other: { justifyContent: 'flex-start' },
  avatarSlot: { width: 32, marginRight: 8, paddingTop: 18 },
  column: { maxWidth: '78%', flexShrink: 1 },
  alignEnd: { alignItems: 'flex-end' },
  alignStart: { alignItems: 'flex-start' },
  alignEndRow: { justifyContent: 'flex-end' },
  sender: { fontSize: 12, fontWeight: '600', marginBottom: 2, marginLeft: 4 },
  bubble: { borderRadius: 14, paddingHorizontal: 12, paddingVertical: 8 },
  body: { fontSize: 15, lineHeight: 21 },
  deleted: { fontStyle: 'italic' },
  noteLabel: { fontSize: 11, fontWeight: '800', textTransform: 'uppercase', letterSpacing: 0.5, marginBottom: 2 },
  metaRow: { flexDirection: 'row', alignItems: 'center', marginTop: 2, marginHorizontal: 4 },
  meta: { fontSize: 12 },
  more: { marginLeft: 6, paddingHorizontal: 6, borderRadius: 6, minHeight: 22, justifyContent: 'center' },
  reactions: { flexDirection: 'row', flexWrap: 'wrap', marginTop: 3 },
  reaction: { borderWidth: 1, borderRadius: 12, paddingHorizontal: 8, paddingVertical: 2, marginRight: 4 },
  system: { alignItems: 'center', paddingVertical: 6, paddingHorizontal: 24 },
  systemText: { fontSize: 12, textAlign: 'center' },
  attachments: { marginTop: 4 },
  attachment: { marginTop: 4, borderRadius: 8 },
  file: { fontSize: 14, textDecorationLine: 'underline' },
  // The toolbar floats over the rows below and above this one.
  raised: { zIndex: 1 },
  editing: { flexGrow: 1 },
  fill: { alignSelf: 'stretch' },
});
