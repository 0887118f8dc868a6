import type { Message } from '@parley/protocol';
import { useTranslation } from 'react-i18next';
import { Modal, Pressable, StyleSheet, Text, useWindowDimensions, View, type ViewStyle } from 'react-native';
import { useAppDispatch, useAppSelector } from '../store';
import { toggleReaction } from '../store/messages';
import { selectIsPinned, setPinned } from '../store/pins';
import { setSaved } from '../store/saved-messages';
import { deleteWithUndo } from '../store/undo-delete';
import { useTheme } from '../theme/theme';

export const QUICK_REACTIONS = ['👍', '❤️', '🎉', '😄'] as const;

/** Actions only the menu offers: the hover toolbar keeps to the quick ones. */
export const MENU_ONLY_ACTIONS: ReadonlySet<string> = new Set(['link', 'pin', 'save']);

/** Toolbar buttons are square and this big, so its width is known before it is drawn. */
const BUTTON = 32;
const TOOLBAR_PADDING = 3;
const TOOLBAR_HEIGHT = BUTTON + 2 * TOOLBAR_PADDING + 2;
/** How far the toolbar reaches down over the bubble: its padding, not its first line of text. */
const OVERLAP = 10;

export interface MessageAction {
  key: string;
  /** What the button shows: an emoji or a short word. */
  text: string;
  label: string;
  onPress: () => void;
  danger?: boolean;
}

/**
 * What the user may do with a message: react, reply, save it for later, pin it to the
 * conversation's board, copy its link, and for their own, edit and delete (with Undo). Save,
 * pin and the link are the menu's (MENU_ONLY_ACTIONS), not the hover toolbar's few buttons.
 */
export function useMessageActions(
  message: Message,
  own: boolean,
  {
    onEdit,
    onReply,
    onCopyLink,
    canPin = false,
  }: {
    onEdit: () => void;
    onReply?: (() => void) | undefined;
    onCopyLink?: (() => void) | undefined;
    /** The user may write here (pinning needs that), not just read what is left of it. */
    canPin?: boolean | undefined;
  },
): MessageAction[] {
  const { t } = useTranslation();
  const dispatch = useAppDispatch();
  const ref = { conversationId: message.conversationId, messageId: message.id };
  const saved = useAppSelector((s) => s.savedMessages.ids[message.id] === true);
  const pinned = useAppSelector((s) => selectIsPinned(s, message.conversationId, message.id));
  const reactions: MessageAction[] = QUICK_REACTIONS.map((emoji) => ({
    key: emoji,
    text: emoji,
    label: t('chat.reactWith', { emoji }),
    onPress: () => void dispatch(toggleReaction({ ...ref, emoji })),
  }));
  const answer: MessageAction[] = onReply
    ? [{ key: 'reply', text: '↩', label: t('chat.replyLabel'), onPress: onReply }]
    : [];
  const link: MessageAction[] = onCopyLink
    ? [{ key: 'link', text: '🔗', label: t('chat.copyLink'), onPress: onCopyLink }]
    : [];
  const keep: MessageAction[] = [
    {
      key: 'save',
      text: '🔖',
      label: saved ? t('saved.remove') : t('saved.save'),
      onPress: () => void dispatch(setSaved({ message, saved: !saved })),
    },
    ...(canPin
      ? [
          {
            key: 'pin',
            text: '📌',
            label: pinned ? t('pins.unpin') : t('pins.pin'),
            onPress: () => void dispatch(setPinned({ ...ref, pinned: !pinned })),
          },
        ]
      : []),
  ];
  if (!own) return [...reactions, ...answer, ...keep, ...link];
  return [
    ...reactions,
    ...answer,
    ...keep,
    { key: 'edit', text: '✎', label: t('chat.editLabel'), onPress: onEdit },
    {
      key: 'delete',
      text: '🗑',
      label: t('chat.deleteLabel'),
      onPress: () => dispatch(deleteWithUndo(ref)),
      danger: true,
    },
    ...link,
  ];
}

export const toolbarWidth = (actions: number) => actions * BUTTON + 2 * TOOLBAR_PADDING + 2;

/**
 * The mouse's way to the actions: a small bar floating over the top corner of the message (so
 * nothing moves), shown while the pointer is on the message or on the bar itself (it is inside
 * the message's hover area). The keyboard gets the same actions with Enter (or the context-menu
 * key, Shift+F10) on the focused message, screen readers from its "More actions" button, touch
 * from a long press.
 */
export function MessageToolbar({ actions, style }: { actions: MessageAction[]; style: ViewStyle }) {
  const { colors } = useTheme();
  return (
    <View
      testID="message-toolbar"
      style={[styles.toolbar, { backgroundColor: colors.surfaceRaised, borderColor: colors.border }, style]}
    >
      {actions.map((action) => (
        <Pressable
          key={action.key}
          accessibilityRole="button"
          accessibilityLabel={action.label}
          onPress={action.onPress}
          style={({ hovered, pressed }: { hovered?: boolean; pressed: boolean }) => [
            styles.tool,
            (hovered || pressed) && { backgroundColor: colors.surface },
          ]}
        >
          <Text style={[styles.toolText, { color: action.danger ? colors.danger : colors.text }]}>{action.text}</Text>
        </Pressable>
      ))}
    </View>
  );
}

/**
 * The same actions as a sheet: from the focused message's Enter key, the "More actions" button
 * (screen readers) and a long press (touch). At the bottom on a phone, a small dialog on a wide screen; Esc,
 * Cancel or a tap outside closes it, and focus goes back where it was.
 */
export function MessageActionsMenu({
  actions,
  preview,
  onClose,
}: {
  actions: MessageAction[];
  /** The message's text, so the user knows which one the menu is for. */
  preview: string;
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const { colors } = useTheme();
  const { width } = useWindowDimensions();
  const phone = width < 600;
  const choose = (action: MessageAction) => () => {
    onClose();
    action.onPress();
  };
  const reactions = actions.filter((a) => QUICK_REACTIONS.includes(a.key as (typeof QUICK_REACTIONS)[number]));
  const others = actions.filter((a) => !reactions.includes(a));
  return (
    <Modal transparent visible onRequestClose={onClose} {...({ 'aria-label': t('chat.actionsTitle') } as object)}>
      <View style={[styles.backdrop, phone ? styles.bottom : styles.center]}>
        <Pressable accessible={false} tabIndex={-1} onPress={onClose} style={[StyleSheet.absoluteFill, styles.scrim]} />
        <View
          testID="message-actions-menu"
          style={[
            styles.sheet,
            phone ? styles.sheetPhone : styles.sheetWide,
            { backgroundColor: colors.surfaceRaised, borderColor: colors.border },
          ]}
        >
          <Text accessibilityRole="header" style={[styles.title, { color: colors.textMuted }]} numberOfLines={2}>
            {preview || t('chat.actionsTitle')}
          </Text>
          <View style={styles.reactions}>
            {reactions.map((action) => (
              <Pressable
                key={action.key}
                accessibilityRole="button"
                accessibilityLabel={action.label}
                onPress={choose(action)}
                style={({ pressed, focused }: { pressed: boolean; focused?: boolean }) => [
                  styles.reaction,
                  { borderColor: colors.border, backgroundColor: pressed ? colors.surface : colors.surfaceRaised },
                  focused && { outlineColor: colors.link, outlineWidth: 2, outlineStyle: 'solid' as const },
                ]}
              >
                <Text style={styles.emoji}>{action.text}</Text>
              </Pressable>
            ))}
          </View>
          {[...others, { key: 'cancel', text: '', label: t('chat.cancel'), onPress: () => undefined }].map((action) => (
            <Pressable
              key={action.key}
              accessibilityRole="button"
              accessibilityLabel={action.label}
              onPress={choose(action)}
              style={({ pressed, focused }: { pressed: boolean; focused?: boolean }) => [
                styles.item,
                { borderTopColor: colors.border },
                pressed && { backgroundColor: colors.surface },
                focused && { outlineColor: colors.link, outlineWidth: 2, outlineStyle: 'solid' as const },
              ]}
            >
              <Text style={[styles.itemText, { color: action.danger ? colors.danger : colors.text }]}>
                {action.label}
              </Text>
            </Pressable>
          ))}
        </View>
      </View>
    </Modal>
  );
}

const styles = StyleSheet.create({
  toolbar: {
    position: 'absolute',
    top: OVERLAP - TOOLBAR_HEIGHT,
    flexDirection: 'row',
    padding: TOOLBAR_PADDING,
    borderWidth: 1,
    borderRadius: 8,
    zIndex: 2,
    shadowColor: '#000',
    shadowOpacity: 0.15,
    shadowRadius: 6,
    shadowOffset: { width: 0, height: 2 },
  },
  tool: { width: BUTTON, height: BUTTON, borderRadius: 6, alignItems: 'center', justifyContent: 'center' },
  toolText: { fontSize: 16 },
  backdrop: { flex: 1 },
  scrim: { backgroundColor: 'rgba(0, 0, 0, 0.4)' },
  bottom: { justifyContent: 'flex-end' },
  center: { justifyContent: 'center', alignItems: 'center' },
  sheet: { borderWidth: 1, paddingVertical: 8 },
  sheetPhone: { borderTopLeftRadius: 16, borderTopRightRadius: 16, paddingBottom: 16 },
  sheetWide: { width: 340, borderRadius: 12 },
  title: { fontSize: 13, paddingHorizontal: 16, paddingVertical: 6 },
  reactions: { flexDirection: 'row', justifyContent: 'space-around', paddingHorizontal: 12, paddingVertical: 8 },
  reaction: { borderWidth: 1, borderRadius: 22, width: 44, height: 44, alignItems: 'center', justifyContent: 'center' },
  emoji: { fontSize: 20 },
  item: { borderTopWidth: StyleSheet.hairlineWidth, paddingHorizontal: 16, minHeight: 48, justifyContent: 'center' },
  itemText: { fontSize: 16 },
});
