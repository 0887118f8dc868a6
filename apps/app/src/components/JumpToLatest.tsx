import { useTranslation } from 'react-i18next';
import { Pressable, StyleSheet, Text, View } from 'react-native';
import { useTheme } from '../theme/theme';

/**
 * "Jump to latest", while the timeline shows a part of the history far back (a link, a search
 * result, a pin): back to the newest messages. Floats over the bottom corner of the timeline,
 * above where the Undo bar comes, so nothing moves when it comes and goes.
 */
export function JumpToLatest({ onPress }: { onPress: () => void }) {
  const { t } = useTranslation();
  const { colors } = useTheme();
  return (
    <View style={styles.anchor} pointerEvents="box-none">
      <Pressable
        accessibilityRole="button"
        accessibilityLabel={t('timeline.jumpToLatest')}
        onPress={onPress}
        testID="jump-to-latest"
        style={({ pressed, focused }: { pressed: boolean; focused?: boolean }) => [
          styles.button,
          { backgroundColor: colors.surfaceRaised, borderColor: colors.border },
          pressed && { backgroundColor: colors.surface },
          focused && { outlineColor: colors.link, outlineWidth: 2, outlineStyle: 'solid' as const },
        ]}
      >
        <Text style={[styles.text, { color: colors.link }]} aria-hidden>
          ↓{' '}
        </Text>
        <Text style={[styles.text, { color: colors.link }]}>{t('timeline.jumpToLatest')}</Text>
      </Pressable>
    </View>
  );
}

const styles = StyleSheet.create({
  anchor: { position: 'absolute', right: 16, bottom: 56, alignItems: 'flex-end' },
  button: {
    flexDirection: 'row',
    alignItems: 'center',
    minHeight: 40,
    paddingHorizontal: 14,
    borderRadius: 20,
    borderWidth: 1,
    shadowColor: '#000',
    shadowOpacity: 0.15,
    shadowRadius: 6,
    shadowOffset: { width: 0, height: 2 },
  },
  text: { fontSize: 14, fontWeight: '700' },
});
