import { Text } from 'react-native';
import type { FormError } from '../api/errors';
import { useTheme } from '../theme/theme';

/** A form's failure that belongs to no single field (the field ones show under their fields). */
export function FormErrorText({ error }: { error: FormError | null }) {
  const { colors } = useTheme();
  if (!error || Object.keys(error.fields).length > 0) return null;
  return (
    <Text accessibilityRole="alert" style={{ color: colors.danger, marginBottom: 12 }}>
      {error.message}
    </Text>
  );
}
