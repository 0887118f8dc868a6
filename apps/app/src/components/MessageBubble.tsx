import type { PendingMessage, TimelineItem } from '@parley/client';
import type { Attachment, Message, PublicUser } from '@parley/protocol';
import { memo, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Image, Platform, Pressable, StyleSheet, Text, TextInput, View } from 'react-native';
import { absoluteUrl, parley } from '../api/parley';
import { authedBlobUrl, formatBytes, isImage, openAttachment } from '../chat/files';
import { useAppDispatch } from '../store';
import { deleteMessage, editMessage, toggleReaction } from '../store/messages';
import { useTheme } from '../theme/theme';
import { Avatar } from './Avatar';
import { Button } from './Button';

export const QUICK_REACTIONS = ['👍', '❤️', '🎉', '😄'] as const;

const time = (iso: string) => new Date(iso).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });

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

function Attachments({ attachments, color }: { attachments: readonly Attachment[]; color: string }) {
  if (attachments.length === 0) return null;
  return (
    <View style={styles.attachments}>
      {attachments.map((a) => {
        const scale = Math.min(1, 220 / (a.width ?? 220), 180 / (a.height ?? 180));
        return (
          <Pressable
            key={a.id}
            accessibilityRole="link"
            accessibilityLabel={`${a.fileName}, ${formatBytes(a.sizeBytes)}`}
            onPress={() => void openAttachment(a)}
            style={styles.attachment}
          >
            {isImage(a.contentType) && a.thumbnailUrl ? (
              <AuthedImage
                path={a.thumbnailUrl}
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
  actionsOpen: boolean;
  onToggleActions: (id: string) => void;
}

/** One row of the timeline: a message (own, other, note, system, deleted) or an own pending send. */
export const MessageBubble = memo(function MessageBubble(props: MessageBubbleProps) {
  const { item } = props;
  if (item.kind === 'pending') return <PendingBubble pending={item.pending as PendingMessage} />;
  return <ConfirmedBubble {...props} message={item.message} />;
});

function PendingBubble({ pending }: { pending: PendingMessage }) {
  const { t } = useTranslation();
  const { colors } = useTheme();
  const note = pending.internal === true;
  const failed = pending.state === 'failed';
  return (
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
          <Text style={[styles.body, { color: note ? colors.onNoteBubble : colors.onOwnBubble }]}>{pending.body}</Text>
        </View>
        {failed ? (
          <Pressable
            accessibilityRole="button"
            accessibilityLabel={t('chat.failed')}
            onPress={() => void parley.outbox.retry(pending.clientMsgId)}
            style={styles.metaRow}
          >
            <Text style={[styles.meta, { color: colors.danger, fontWeight: '600' }]}>⚠ {t('chat.failed')}</Text>
          </Pressable>
        ) : (
          <View style={styles.metaRow}>
            <Text style={[styles.meta, { color: colors.textMuted }]}>
              {time(pending.createdAt)} · {t('chat.pending')}
            </Text>
          </View>
        )}
      </View>
    </View>
  );
}

function ConfirmedBubble({
  message,
  selfId,
  sender,
  showSender,
  seen,
  actionsOpen,
  onToggleActions,
}: MessageBubbleProps & { message: Message }) {
  const { t } = useTranslation();
  const { colors } = useTheme();
  const dispatch = useAppDispatch();
  const [editing, setEditing] = useState<string | null>(null);
  const [hovered, setHovered] = useState(false);

  if (message.kind === 'system') {
    return (
      <View style={styles.system} accessibilityRole="text">
        <Text style={[styles.systemText, { color: colors.textMuted }]}>
          {message.body} · {time(message.createdAt)}
        </Text>
      </View>
    );
  }

  const own = message.senderId === selfId;
  const note = message.kind === 'note';
  const deleted = message.deletedAt !== null;
  const name = own ? t('chat.you') : (sender?.displayName ?? t('chat.someone'));
  const ref = { conversationId: message.conversationId, messageId: message.id };
  const background = note ? colors.noteBubble : own ? colors.ownBubble : colors.otherBubble;
  const foreground = note ? colors.onNoteBubble : own ? colors.onOwnBubble : colors.text;
  const canEdit = own && !deleted;
  const showActions = (actionsOpen || hovered) && !deleted && editing === null;

  const saveEdit = async () => {
    const body = editing?.trim();
    if (!body) return;
    if (body !== message.body) await dispatch(editMessage({ ...ref, body }));
    setEditing(null);
  };

  return (
    <Pressable
      accessible={false}
      focusable={false}
      onHoverIn={() => setHovered(true)}
      onHoverOut={() => setHovered(false)}
      style={[styles.row, own ? styles.own : styles.other]}
      testID={note ? 'note-message' : 'message'}
    >
      {!own ? (
        <View style={styles.avatarSlot}>
          {showSender ? <Avatar name={sender?.displayName ?? '?'} url={sender?.avatarUrl} size={32} /> : null}
        </View>
      ) : null}
      <View style={[styles.column, own ? styles.alignEnd : styles.alignStart]}>
        {showSender && !own ? <Text style={[styles.sender, { color: colors.textMuted }]}>{name}</Text> : null}
        <View
          style={[
            styles.bubble,
            { backgroundColor: deleted ? colors.surface : background },
            note && { borderColor: colors.warning, borderWidth: 1 },
            deleted && { borderColor: colors.border, borderWidth: 1 },
          ]}
          accessibilityLabel={note ? `${t('chat.note')}: ${name}` : undefined}
        >
          {note ? <Text style={[styles.noteLabel, { color: colors.onNoteBubble }]}>{t('chat.note')}</Text> : null}
          {deleted ? (
            <Text style={[styles.body, styles.deleted, { color: colors.textMuted }]}>{t('chat.deleted')}</Text>
          ) : editing !== null ? (
            <View style={styles.editBox}>
              <TextInput
                accessibilityLabel={t('chat.editLabel')}
                value={editing}
                onChangeText={setEditing}
                multiline
                autoFocus
                style={[
                  styles.editInput,
                  { color: colors.text, backgroundColor: colors.surfaceRaised, borderColor: colors.border },
                ]}
              />
              <View style={styles.editButtons}>
                <Button variant="secondary" label={t('chat.cancel')} onPress={() => setEditing(null)} />
                <Button label={t('chat.save')} onPress={() => void saveEdit()} style={styles.gapLeft} />
              </View>
            </View>
          ) : (
            <>
              {message.body ? (
                <Text selectable style={[styles.body, { color: foreground }]}>
                  {message.body}
                </Text>
              ) : null}
              <Attachments attachments={message.attachments} color={foreground} />
            </>
          )}
        </View>
        <View style={styles.metaRow}>
          <Text style={[styles.meta, { color: colors.textMuted }]}>
            {time(message.createdAt)}
            {message.editedAt && !deleted ? ` · ${t('chat.edited')}` : ''}
            {own ? ` · ${seen && !note ? t('chat.seen') : t('chat.sent')}` : ''}
          </Text>
          {!deleted ? (
            <Pressable
              accessibilityRole="button"
              accessibilityLabel={t('chat.actions')}
              accessibilityState={{ expanded: actionsOpen }}
              onPress={() => onToggleActions(message.id)}
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
                  accessibilityRole="button"
                  accessibilityLabel={t('chat.reaction', { emoji: r.emoji, count: r.userIds.length })}
                  accessibilityState={{ selected: mine }}
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
        {showActions ? (
          <View style={[styles.actions, own && styles.alignEndRow]}>
            {QUICK_REACTIONS.map((emoji) => (
              <Pressable
                key={emoji}
                accessibilityRole="button"
                accessibilityLabel={t('chat.reactWith', { emoji })}
                onPress={() => void dispatch(toggleReaction({ ...ref, emoji }))}
                style={({ pressed }) => [
                  styles.quick,
                  { borderColor: colors.border, backgroundColor: pressed ? colors.surface : colors.surfaceRaised },
                ]}
              >
                <Text style={{ fontSize: 15 }}>{emoji}</Text>
              </Pressable>
            ))}
            {canEdit ? (
              <>
                <Button variant="link" label={t('chat.edit')} onPress={() => setEditing(message.body)} />
                <Button
                  variant="link"
                  label={t('chat.delete')}
                  accessibilityLabel={t('chat.deleteLabel')}
                  onPress={() => void dispatch(deleteMessage(ref))}
                />
              </>
            ) : null}
          </View>
        ) : null}
      </View>
    </Pressable>
  );
}

const styles = StyleSheet.create({
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
  actions: { flexDirection: 'row', flexWrap: 'wrap', alignItems: 'center', marginTop: 3 },
  quick: { borderWidth: 1, borderRadius: 14, paddingHorizontal: 7, paddingVertical: 3, marginRight: 4 },
  system: { alignItems: 'center', paddingVertical: 6, paddingHorizontal: 24 },
  systemText: { fontSize: 12, textAlign: 'center' },
  attachments: { marginTop: 4 },
  attachment: { marginTop: 4, borderRadius: 8 },
  file: { fontSize: 14, textDecorationLine: 'underline' },
  editBox: { minWidth: 260 },
  editInput: { borderWidth: 1, borderRadius: 8, padding: 8, fontSize: 15, minHeight: 60 },
  editButtons: { flexDirection: 'row', justifyContent: 'flex-end', marginTop: 6 },
  gapLeft: { marginLeft: 6 },
});
