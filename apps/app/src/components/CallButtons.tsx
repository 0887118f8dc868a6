import type { CallKind } from '@parley/protocol';
import { useTranslation } from 'react-i18next';
import { Pressable, StyleSheet, Text, View } from 'react-native';
import { callMedia } from '../calls/call-media';
import { useAppDispatch, useAppSelector } from '../store';
import { answerCall, selectCallIn, startCall } from '../store/calls';
import { useTheme } from '../theme/theme';

/**
 * "Voice call" and "Video call" for a conversation; "Join call" while one goes on there without
 * you. Nothing on a device that cannot take calls, or while this one is in a call.
 */
export function CallButtons({ conversationId }: { conversationId: string }) {
  const { t } = useTranslation();
  const { colors } = useTheme();
  const dispatch = useAppDispatch();
  const busy = useAppSelector((s) => s.calls.hereId !== null);
  const selfId = useAppSelector((s) => s.session.user?.id);
  const ongoing = useAppSelector((s) => selectCallIn(s, conversationId));
  // Ringing for them: the call bar's Answer is the way in.
  const rung = ongoing?.participants.some((p) => p.userId === selfId && p.state === 'ringing');
  if (!callMedia.supported() || busy || rung) return null;
  const button = (label: string, glyph: string, onPress: () => void) => (
    <Pressable
      key={label}
      accessibilityRole="button"
      accessibilityLabel={label}
      onPress={onPress}
      style={({ pressed, focused }: { pressed: boolean; focused?: boolean }) => [
        styles.button,
        { borderColor: colors.border },
        pressed && { opacity: 0.7 },
        focused && { outlineColor: colors.link, outlineWidth: 2, outlineStyle: 'solid' as const },
      ]}
    >
      <Text style={styles.glyph} aria-hidden>
        {glyph}
      </Text>
    </Pressable>
  );
  const call = (kind: CallKind) => () => void dispatch(startCall({ conversationId, kind }));
  if (ongoing) {
    return <View style={styles.row}>{button(t('calls.join'), '📞', () => void dispatch(answerCall(ongoing)))}</View>;
  }
  return (
    <View style={styles.row}>
      {button(t('calls.voice'), '📞', call('voice'))}
      {button(t('calls.video'), '🎥', call('video'))}
    </View>
  );
}

const styles = StyleSheet.create({
  row: { flexDirection: 'row', marginLeft: 8 },
  button: {
    minWidth: 40,
    minHeight: 40,
    borderWidth: 1,
    borderRadius: 20,
    alignItems: 'center',
    justifyContent: 'center',
    marginLeft: 6,
  },
  glyph: { fontSize: 18 },
});
