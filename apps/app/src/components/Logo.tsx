import { useTranslation } from 'react-i18next';
import { StyleSheet, Text, View } from 'react-native';
import { useTheme } from '../theme/theme';

/** Parley's mark: a speech bubble holding a "P", the name beside it, what it is for below. */
export function Logo() {
  const { t } = useTranslation();
  const { colors } = useTheme();
  return (
    <View style={styles.logo} role="img" aria-label={t('app.name')} testID="logo">
      <View style={styles.markRow}>
        <View style={styles.mark}>
          <View style={[styles.bubble, { backgroundColor: colors.primary }]}>
            <Text style={[styles.letter, { color: colors.onPrimary }]}>P</Text>
          </View>
          <View style={[styles.tail, { borderTopColor: colors.primary }]} />
        </View>
        <Text style={[styles.name, { color: colors.text }]}>{t('app.name')}</Text>
      </View>
      <Text style={[styles.tagline, { color: colors.textMuted }]}>{t('app.tagline')}</Text>
    </View>
  );
}

const styles = StyleSheet.create({
  logo: { alignItems: 'center', marginTop: 16, marginBottom: 24 },
  markRow: { flexDirection: 'row', alignItems: 'center' },
  mark: { width: 52, height: 58, marginRight: 12 },
  bubble: { width: 52, height: 46, borderRadius: 14, alignItems: 'center', justifyContent: 'center' },
  letter: { fontSize: 28, fontWeight: '800' },
  // A small triangle under the bubble's left side, drawn with borders.
  tail: {
    position: 'absolute',
    left: 10,
    top: 44,
    width: 0,
    height: 0,
    borderLeftWidth: 0,
    borderRightWidth: 14,
    borderTopWidth: 12,
    borderLeftColor: 'transparent',
    borderRightColor: 'transparent',
  },
  name: { fontSize: 34, fontWeight: '800', letterSpacing: -0.5 },
  tagline: { fontSize: 15, marginTop: 4 },
});
