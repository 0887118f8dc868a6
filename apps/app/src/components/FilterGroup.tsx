import type { ReactNode } from 'react';
import { StyleSheet, Text, View } from 'react-native';
import { useTheme } from '../theme/theme';
import { Chip } from './Chip';

export interface FilterOption<V> {
  value: V;
  label: string;
  /** How many items choosing it lists; left out while unknown. */
  count?: number | undefined;
}

/** A labelled row of chips, one of which is chosen: the label is seen, and is the group's name. */
export function FilterGroup<V>({
  label,
  options,
  selected,
  onSelect,
  countLabel,
}: {
  label: string;
  options: FilterOption<V>[];
  selected: V;
  onSelect: (value: V) => void;
  /** "Open (3)": the chip's text with its count, in the reader's language. */
  countLabel: (label: string, count: number) => string;
}) {
  return (
    <FilterRow label={label} role="radiogroup">
      {options.map((option) => (
        <Chip
          key={String(option.value)}
          label={option.count === undefined ? option.label : countLabel(option.label, option.count)}
          selected={option.value === selected}
          onPress={() => onSelect(option.value)}
        />
      ))}
    </FilterRow>
  );
}

/** The row a filter's chips sit in, its seen label naming the group (`group`: chips that tick on together). */
export function FilterRow({
  label,
  role,
  children,
}: {
  label: string;
  role: 'radiogroup' | 'group';
  children: ReactNode;
}) {
  const { colors } = useTheme();
  return (
    <View style={styles.group}>
      <Text style={[styles.label, { color: colors.textMuted }]}>{label}</Text>
      <View style={styles.chips} role={role} aria-label={label}>
        {children}
      </View>
    </View>
  );
}

const styles = StyleSheet.create({
  group: { flexDirection: 'row', alignItems: 'baseline', flexWrap: 'wrap' },
  label: { fontSize: 12, fontWeight: '700', textTransform: 'uppercase', minWidth: 72, marginRight: 8 },
  chips: { flexDirection: 'row', flexWrap: 'wrap', flexShrink: 1 },
});
