import type { ReactNode } from 'react';
import { StyleSheet, Text, View } from 'react-native';
import { useTheme } from '../theme/theme';

/** A list beside what it opens (wide screens): the list a fixed column, the rest for the detail. */
export function SplitView({ list, listLabel, detail }: { list: ReactNode; listLabel: string; detail: ReactNode }) {
  const { colors } = useTheme();
  return (
    <View style={styles.split}>
      <View role="region" aria-label={listLabel} style={[styles.list, { borderRightColor: colors.border }]}>
        {list}
      </View>
      <View style={styles.detail}>{detail}</View>
    </View>
  );
}

/** The detail pane before anything is chosen: what to do to fill it. */
export function EmptyPane({ text }: { text: string }) {
  const { colors } = useTheme();
  return (
    <View style={styles.empty}>
      <Text style={{ color: colors.textMuted, fontSize: 15, textAlign: 'center' }}>{text}</Text>
    </View>
  );
}

const styles = StyleSheet.create({
  split: { flex: 1, flexDirection: 'row', minHeight: 0 },
  list: { width: 360, borderRightWidth: 1, minHeight: 0 },
  detail: { flex: 1, minWidth: 0, minHeight: 0 },
  empty: { flex: 1, alignItems: 'center', justifyContent: 'center', padding: 24 },
});
