import type { Message, MessageEdit } from '@parley/protocol';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ActivityIndicator, Modal, Pressable, ScrollView, StyleSheet, Text, View } from 'react-native';
import { toFormError } from '../api/errors';
import { parley } from '../api/parley';
import { errorText } from '../i18n/error-text';
import { useTheme } from '../theme/theme';
import { RelativeTime } from './RelativeTime';

/**
 * A message's versions, newest first: the text as it is now, then the text each edit replaced,
 * each with when it was written (only its sender edits a message). Opened from the "edited" mark; Esc, Close or a tap outside
 * closes it.
 */
export function EditHistory({ message, onClose }: { message: Message; onClose: () => void }) {
  const { t } = useTranslation();
  const { colors } = useTheme();
  const [edits, setEdits] = useState<MessageEdit[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    let live = true;
    parley.conversations.edits(message.conversationId, message.id).then(
      (history) => live && setEdits(history.items),
      (e: unknown) => live && setError(errorText(t, toFormError(e))),
    );
    return () => {
      live = false;
    };
  }, [message.conversationId, message.id, message.editedAt, t]);

  // Each version with the edit that ended it: now (the message) first, then back to the first text.
  const versions = edits
    ? [
        { key: 'now', body: message.body, label: t('chat.history.current'), at: message.editedAt },
        ...edits
          .map((edit, i) => ({
            key: `${i}`,
            body: edit.body,
            label: i === 0 ? t('chat.history.original') : t('chat.history.version', { n: i + 1 }),
            at: edits[i - 1]?.editedAt ?? message.createdAt,
          }))
          .reverse(),
      ]
    : [];

  return (
    <Modal transparent visible onRequestClose={onClose} {...({ 'aria-label': t('chat.history.title') } as object)}>
      <View style={styles.backdrop}>
        <Pressable accessible={false} tabIndex={-1} onPress={onClose} style={[StyleSheet.absoluteFill, styles.scrim]} />
        <View
          testID="edit-history"
          style={[styles.sheet, { backgroundColor: colors.surfaceRaised, borderColor: colors.border }]}
        >
          <Text accessibilityRole="header" style={[styles.title, { color: colors.text }]}>
            {t('chat.history.title')}
          </Text>
          <ScrollView style={styles.list}>
            {edits === null && !error ? <ActivityIndicator color={colors.primary} /> : null}
            {error ? <Text style={{ color: colors.danger }}>{error}</Text> : null}
            {versions.map((v) => (
              <View key={v.key} style={[styles.version, { borderTopColor: colors.border }]} role="listitem">
                <Text style={[styles.meta, { color: colors.textMuted }]}>
                  {v.label}
                  {v.at ? ' · ' : ''}
                  {v.at ? <RelativeTime at={v.at} /> : null}
                </Text>
                <Text selectable style={[styles.body, { color: colors.text }]}>
                  {v.body}
                </Text>
              </View>
            ))}
          </ScrollView>
          <Pressable
            accessibilityRole="button"
            accessibilityLabel={t('chat.history.close')}
            onPress={onClose}
            style={({ pressed, focused }: { pressed: boolean; focused?: boolean }) => [
              styles.close,
              { borderTopColor: colors.border },
              pressed && { backgroundColor: colors.surface },
              focused && { outlineColor: colors.link, outlineWidth: 2, outlineStyle: 'solid' as const },
            ]}
          >
            <Text style={{ color: colors.text, fontSize: 16 }}>{t('chat.history.close')}</Text>
          </Pressable>
        </View>
      </View>
    </Modal>
  );
}

const styles = StyleSheet.create({
  backdrop: { flex: 1, justifyContent: 'center', alignItems: 'center', padding: 16 },
  scrim: { backgroundColor: 'rgba(0, 0, 0, 0.4)' },
  sheet: { borderWidth: 1, borderRadius: 12, width: '100%', maxWidth: 420, maxHeight: '80%', paddingTop: 12 },
  title: { fontSize: 16, fontWeight: '700', paddingHorizontal: 16, paddingBottom: 8 },
  list: { paddingHorizontal: 16 },
  version: { borderTopWidth: StyleSheet.hairlineWidth, paddingVertical: 10 },
  meta: { fontSize: 12, marginBottom: 4 },
  body: { fontSize: 15, lineHeight: 21 },
  close: { borderTopWidth: StyleSheet.hairlineWidth, minHeight: 48, alignItems: 'center', justifyContent: 'center' },
});
