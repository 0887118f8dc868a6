import { ActivityIndicator, Pressable, StyleSheet, Text, type StyleProp, type ViewStyle } from 'react-native';
import { useTheme } from '../theme/theme';

export interface ButtonProps {
  label: string;
  onPress: () => void;
  variant?: 'primary' | 'secondary' | 'danger' | 'link';
  disabled?: boolean;
  busy?: boolean;
  /** For screen readers when the visible label is not enough ("Accept Carla's request"). */
  accessibilityLabel?: string;
  style?: StyleProp<ViewStyle>;
  testID?: string;
  /** A disclosure's button: whether what it shows is open. */
  expanded?: boolean;
}

export function Button({
  label,
  onPress,
  variant = 'primary',
  disabled,
  busy,
  accessibilityLabel,
  style,
  testID,
  expanded,
}: ButtonProps) {
  const { colors } = useTheme();
  const filled = variant === 'primary';
  const color = filled ? colors.onPrimary : variant === 'danger' ? colors.danger : colors.link;
  return (
    <Pressable
      accessibilityRole="button"
      accessibilityLabel={accessibilityLabel ?? label}
      accessibilityState={{ disabled: !!(disabled || busy), busy: !!busy }}
      aria-expanded={expanded}
      disabled={disabled || busy}
      onPress={onPress}
      testID={testID}
      style={({ pressed, focused }: { pressed: boolean; focused?: boolean }) => [
        styles.base,
        variant === 'link' ? styles.link : null,
        filled && { backgroundColor: colors.primary },
        (variant === 'secondary' || variant === 'danger') && { borderColor: colors.border, borderWidth: 1 },
        (pressed || disabled) && { opacity: 0.7 },
        focused && { outlineColor: colors.link, outlineWidth: 2, outlineStyle: 'solid' as const },
        style,
      ]}
    >
      {busy ? <ActivityIndicator color={color} /> : <Text style={[styles.label, { color }]}>{label}</Text>}
    </Pressable>
  );
}

const styles = StyleSheet.create({
  base: { minHeight: 40, paddingHorizontal: 14, borderRadius: 8, alignItems: 'center', justifyContent: 'center' },
  link: { paddingHorizontal: 6, minHeight: 32 },
  label: { fontSize: 15, fontWeight: '600' },
});
