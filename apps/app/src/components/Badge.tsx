import { StyleSheet, Text, View } from 'react-native';
import { useTheme } from '../theme/theme';

/**
 * A count bubble (unread messages, notifications); nothing when zero. `dim`: counted, but asking
 * for less attention (a muted conversation's). `marker` goes before the number ("@" for mentions).
 */
export function Badge({
  count,
  label,
  dim = false,
  marker = '',
  testID,
}: {
  count: number;
  label: string;
  dim?: boolean;
  marker?: string;
  testID?: string;
}) {
  const { colors } = useTheme();
  if (count <= 0) return null;
  return (
    <View
      role="img"
      aria-label={label}
      testID={testID}
      style={[
        styles.badge,
        dim
          ? { backgroundColor: colors.surface, borderColor: colors.border, borderWidth: 1 }
          : { backgroundColor: colors.primary },
      ]}
    >
      <Text style={[styles.text, { color: dim ? colors.textMuted : colors.onPrimary }]}>
        {marker}
        {count > 99 ? '99+' : count}
      </Text>
    </View>
  );
}

const styles = StyleSheet.create({
  badge: {
    minWidth: 20,
    height: 20,
    borderRadius: 10,
    paddingHorizontal: 6,
    alignItems: 'center',
    justifyContent: 'center',
  },
  text: { fontSize: 12, fontWeight: '700' },
});
