import { useTranslation } from 'react-i18next';
import { Pressable, StyleSheet, Text, useWindowDimensions } from 'react-native';
import { useAppDispatch, useAppSelector } from '../store';
import { setMuted } from '../store/unread';
import { useTheme } from '../theme/theme';

/** Narrower than this, the button shows its bell alone (its name stays for screen readers). */
const WORDS_MIN_WIDTH = 600;

/**
 * "Mute" / "Unmute" for a conversation the user is in: a muted one notifies them of mentions
 * only and stays out of their badge. Live across their devices (`conversation.muted`).
 */
export function MuteButton({ conversationId, withWords }: { conversationId: string; withWords?: boolean }) {
  const { t } = useTranslation();
  const { colors } = useTheme();
  const dispatch = useAppDispatch();
  const { width } = useWindowDimensions();
  const muted = useAppSelector((s) => s.conversations.byId[conversationId]?.muted);
  if (muted === undefined) return null;
  const label = muted ? t('unread.unmute') : t('unread.mute');
  const words = withWords ?? width >= WORDS_MIN_WIDTH;
  return (
    <Pressable
      accessibilityRole="button"
      accessibilityLabel={label}
      testID="mute-toggle"
      onPress={() => void dispatch(setMuted({ id: conversationId, muted: !muted }))}
      style={({ pressed, focused }: { pressed: boolean; focused?: boolean }) => [
        styles.button,
        { borderColor: colors.border },
        pressed && { opacity: 0.7 },
        focused && { outlineColor: colors.link, outlineWidth: 2, outlineStyle: 'solid' as const },
      ]}
    >
      {/* The bell says what pressing does: ring again, or go quiet. */}
      <Text style={styles.glyph} aria-hidden>
        {muted ? '🔔' : '🔕'}
      </Text>
      {words ? <Text style={[styles.label, { color: colors.link }]}>{label}</Text> : null}
    </Pressable>
  );
}

const styles = StyleSheet.create({
  button: {
    flexDirection: 'row',
    alignItems: 'center',
    minHeight: 40,
    minWidth: 40,
    paddingHorizontal: 10,
    borderRadius: 8,
    borderWidth: 1,
    justifyContent: 'center',
  },
  glyph: { fontSize: 15 },
  label: { fontSize: 15, fontWeight: '600', marginLeft: 6 },
});
