import type { PinnedMessage } from '@parley/protocol';
import { MAX_PINS } from '@parley/protocol/constants';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Modal, Pressable, ScrollView, StyleSheet, Text, View } from 'react-native';
import { previewOf } from '../chat/message-preview';
import { useUsers } from '../chat/users';
import { errorText } from '../i18n/error-text';
import { personName } from '../people/person-name';
import { useAppDispatch, useAppSelector } from '../store';
import { jumpToMessage } from '../store/messages';
import { loadPins, refusalDismissed, selectPins, setPinned } from '../store/pins';
import { useTheme } from '../theme/theme';
import { Button } from './Button';
import { RelativeTime } from './RelativeTime';

/**
 * "Pinned (N)" in a chat's header, once something is pinned there: it opens the conversation's
 * pin board, newest pin first. A pin opens the thread at its message (the history around it,
 * not every page back to it); Unpin takes it off. The board follows the pin lines as they
 * arrive (store/pins.ts). A refused pin (the board is full) is said here too.
 */
export function PinBoard({ conversationId }: { conversationId: string }) {
  const { t } = useTranslation();
  const { colors } = useTheme();
  const dispatch = useAppDispatch();
  const pins = useAppSelector((s) => selectPins(s, conversationId));
  const refused = useAppSelector((s) => s.pins.refused[conversationId]);
  const [open, setOpen] = useState(false);

  useEffect(() => {
    void dispatch(loadPins(conversationId));
  }, [dispatch, conversationId]);
  // Nothing left to show: the board closes with its last pin.
  useEffect(() => {
    if (pins.length === 0) setOpen(false);
  }, [pins.length]);

  const jump = (pin: PinnedMessage) => {
    setOpen(false);
    dispatch(jumpToMessage({ conversationId, seq: pin.message.seq }));
  };

  if (pins.length === 0 && !refused) return null;
  return (
    <View style={styles.slot}>
      {pins.length > 0 ? (
        <Button
          variant="secondary"
          label={t('pins.button', { count: pins.length })}
          expanded={open}
          onPress={() => setOpen(true)}
          testID="pins-toggle"
        />
      ) : null}
      {refused ? (
        <View style={styles.refused}>
          <Text accessibilityRole="alert" style={{ color: colors.danger, fontSize: 13 }}>
            {refused === 'conflict' ? t('pins.full', { count: MAX_PINS }) : errorText(t, { code: refused, fields: {} })}
          </Text>
          <Button variant="link" label={t('chat.dismiss')} onPress={() => dispatch(refusalDismissed(conversationId))} />
        </View>
      ) : null}
      {open ? (
        <PinBoardDialog
          pins={pins}
          onJump={jump}
          onUnpin={(pin) => void dispatch(setPinned({ conversationId, messageId: pin.message.id, pinned: false }))}
          onClose={() => setOpen(false)}
        />
      ) : null}
    </View>
  );
}

/** The board itself: a small dialog on wide screens, a sheet from the bottom of a phone; Esc closes it. */
function PinBoardDialog({
  pins,
  onJump,
  onUnpin,
  onClose,
}: {
  pins: readonly PinnedMessage[];
  onJump: (pin: PinnedMessage) => void;
  onUnpin: (pin: PinnedMessage) => void;
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const { colors } = useTheme();
  const selfId = useAppSelector((s) => s.session.user?.id);
  const users = useUsers(pins.flatMap((pin) => [pin.pinnedBy, pin.message.senderId]));
  const nameOf = (id: string | null) =>
    id === null
      ? t('app.name')
      : id === selfId
        ? t('chat.youSender')
        : (personName(users.get(id), t) ?? t('chat.someone'));
  const title = t('pins.title');
  return (
    <Modal transparent visible onRequestClose={onClose} {...({ 'aria-label': title } as object)}>
      <View style={styles.backdrop}>
        <Pressable accessible={false} tabIndex={-1} onPress={onClose} style={[StyleSheet.absoluteFill, styles.scrim]} />
        <View
          testID="pin-board"
          style={[styles.sheet, { backgroundColor: colors.surfaceRaised, borderColor: colors.border }]}
        >
          <Text accessibilityRole="header" style={[styles.title, { color: colors.text }]}>
            {title}
          </Text>
          <ScrollView style={styles.list} role="list">
            {pins.map((pin) => (
              <View key={pin.message.id} role="listitem" style={[styles.pin, { borderTopColor: colors.border }]}>
                <Pressable
                  accessibilityRole="button"
                  onPress={() => onJump(pin)}
                  style={({ pressed, focused }: { pressed: boolean; focused?: boolean }) => [
                    styles.open,
                    pressed && { backgroundColor: colors.surface },
                    focused && { outlineColor: colors.link, outlineWidth: 2, outlineStyle: 'solid' as const },
                  ]}
                >
                  <Text style={[styles.meta, { color: colors.textMuted }]}>
                    {nameOf(pin.message.senderId)}
                    {pin.message.kind === 'note' ? ` · ${t('chat.note')}` : ''} ·{' '}
                    <RelativeTime at={pin.message.createdAt} />
                  </Text>
                  <Text style={[styles.body, { color: colors.text }]} numberOfLines={3}>
                    {previewOf(pin.message, undefined, t)}
                  </Text>
                  <Text style={[styles.meta, { color: colors.textMuted }]}>
                    {t('pins.pinnedBy', { name: nameOf(pin.pinnedBy) })}
                  </Text>
                </Pressable>
                <Button
                  variant="link"
                  label={t('pins.unpin')}
                  accessibilityLabel={t('pins.unpinLabel', { text: previewOf(pin.message, undefined, t) })}
                  onPress={() => onUnpin(pin)}
                />
              </View>
            ))}
          </ScrollView>
          <Pressable
            accessibilityRole="button"
            accessibilityLabel={t('pins.close')}
            onPress={onClose}
            style={({ pressed, focused }: { pressed: boolean; focused?: boolean }) => [
              styles.close,
              { borderTopColor: colors.border },
              pressed && { backgroundColor: colors.surface },
              focused && { outlineColor: colors.link, outlineWidth: 2, outlineStyle: 'solid' as const },
            ]}
          >
            <Text style={{ color: colors.text, fontSize: 16 }}>{t('pins.close')}</Text>
          </Pressable>
        </View>
      </View>
    </Modal>
  );
}

const styles = StyleSheet.create({
  slot: { alignItems: 'flex-end', marginHorizontal: 8, flexShrink: 0 },
  refused: { maxWidth: 240, marginTop: 4 },
  backdrop: { flex: 1, justifyContent: 'center', alignItems: 'center', padding: 16 },
  scrim: { backgroundColor: 'rgba(0, 0, 0, 0.4)' },
  sheet: { borderWidth: 1, borderRadius: 12, width: '100%', maxWidth: 440, maxHeight: '80%', paddingTop: 12 },
  title: { fontSize: 16, fontWeight: '700', paddingHorizontal: 16, paddingBottom: 8 },
  list: { paddingHorizontal: 8 },
  pin: { borderTopWidth: StyleSheet.hairlineWidth, paddingVertical: 6, flexDirection: 'row', alignItems: 'center' },
  open: { flex: 1, borderRadius: 8, paddingHorizontal: 8, paddingVertical: 6 },
  meta: { fontSize: 12 },
  body: { fontSize: 15, lineHeight: 21, marginVertical: 2 },
  close: { borderTopWidth: StyleSheet.hairlineWidth, minHeight: 48, alignItems: 'center', justifyContent: 'center' },
});
