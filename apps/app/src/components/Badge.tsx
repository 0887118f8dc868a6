import { StyleSheet, Text, View } from 'react-native';
import { useTheme } from '../theme/theme';

/** A count bubble (unread messages, notifications); nothing when zero. */
export function Badge({ count, label }: { count: number; label: string }) {
  const { colors } = useTheme();
  if (count <= 0) return null;
  return (
    <View role="img" aria-label={label} style={[styles.badge, { backgroundColor: colors.primary }]}>
      <Text style={[styles.text, { color: colors.onPrimary }]}>{count > 99 ? '99+' : count}</Text>
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
