import { useTranslation } from 'react-i18next';
import { Pressable, StyleSheet, Text, View } from 'react-native';
import { useAppDispatch, useAppSelector } from '../store';
import { deleteWithUndo, failureDismissed, undoDelete } from '../store/undo-delete';
import { useTheme } from '../theme/theme';

/**
 * "Message deleted · Undo" while a deletion in this conversation waits to be sent, or, when the
 * server refused one, that the message is still there. Floats over the bottom of the timeline,
 * so the messages do not move when it comes and goes.
 */
export function UndoBar({ conversationId }: { conversationId: string }) {
  const { t } = useTranslation();
  const { colors } = useTheme();
  const dispatch = useAppDispatch();
  const undoable = useAppSelector((s) => s.undoDelete.undoable);
  const failed = useAppSelector((s) => s.undoDelete.failed);
  const pending = undoable?.conversationId === conversationId ? undoable : null;
  const refused = !pending && failed?.conversationId === conversationId ? failed : null;

  const action = (label: string, onPress: () => void) => (
    <Pressable
      accessibilityRole="button"
      accessibilityLabel={label}
      onPress={onPress}
      style={({ pressed, focused }: { pressed: boolean; focused?: boolean }) => [
        styles.action,
        pressed && { opacity: 0.7 },
        focused && { outlineColor: colors.onBanner, outlineWidth: 2, outlineStyle: 'solid' as const },
      ]}
    >
      <Text style={[styles.actionText, { color: colors.onBanner }]}>{label}</Text>
    </Pressable>
  );

  return (
    <View style={styles.anchor} accessibilityLiveRegion="polite" pointerEvents="box-none">
      {pending ? (
        <View style={[styles.bar, { backgroundColor: colors.banner }]} testID="undo-bar">
          <Text style={[styles.text, { color: colors.onBanner }]}>{t('chat.deletedUndo')}</Text>
          {action(t('chat.undo'), () => dispatch(undoDelete()))}
        </View>
      ) : refused ? (
        <View style={[styles.bar, { backgroundColor: colors.banner }]} testID="undo-bar">
          <Text style={[styles.text, { color: colors.onBanner }]}>{t('chat.deleteFailed')}</Text>
          {action(t('chat.tryAgain'), () => dispatch(deleteWithUndo(refused)))}
          {action(t('chat.dismiss'), () => dispatch(failureDismissed()))}
        </View>
      ) : null}
    </View>
  );
}

const styles = StyleSheet.create({
  anchor: { position: 'absolute', left: 0, right: 0, bottom: 8, alignItems: 'center' },
  bar: {
    flexDirection: 'row',
    alignItems: 'center',
    borderRadius: 10,
    paddingLeft: 14,
    paddingRight: 4,
    minHeight: 40,
    maxWidth: '92%',
    shadowColor: '#000',
    shadowOpacity: 0.2,
    shadowRadius: 8,
    shadowOffset: { width: 0, height: 2 },
  },
  text: { fontSize: 14, flexShrink: 1 },
  action: { paddingHorizontal: 10, minHeight: 36, justifyContent: 'center', borderRadius: 6, marginLeft: 4 },
  actionText: { fontSize: 14, fontWeight: '700', textDecorationLine: 'underline' },
});
