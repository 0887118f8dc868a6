import { Pressable, StyleSheet, Text } from 'react-native';
import { useTheme } from '../theme/theme';

/**
 * A toggle in a row of choices (filters, priority, theme): one of a radio group, or (`checkbox`)
 * one of several that may be on together.
 */
export function Chip({
  label,
  selected,
  onPress,
  role = 'radio',
}: {
  label: string;
  selected: boolean;
  onPress: () => void;
  role?: 'radio' | 'checkbox';
}) {
  const { colors } = useTheme();
  return (
    <Pressable
      accessibilityRole={role}
      accessibilityState={{ checked: selected }}
      // react-native-web does not map accessibilityState to aria-checked: screen readers need it.
      aria-checked={selected}
      accessibilityLabel={label}
      onPress={onPress}
      style={({ focused }: { pressed: boolean; focused?: boolean }) => [
        styles.chip,
        {
          borderColor: selected ? colors.primary : colors.border,
          backgroundColor: selected ? colors.primary : colors.surfaceRaised,
        },
        focused && { outlineColor: colors.link, outlineWidth: 2, outlineStyle: 'solid' as const, outlineOffset: 2 },
      ]}
    >
      <Text style={{ color: selected ? colors.onPrimary : colors.text, fontSize: 13, fontWeight: '600' }}>{label}</Text>
    </Pressable>
  );
}

const styles = StyleSheet.create({
  chip: {
    borderWidth: 1,
    borderRadius: 16,
    paddingHorizontal: 12,
    paddingVertical: 6,
    marginRight: 6,
    marginBottom: 6,
  },
});
