import { Text } from 'react-native';
import { useTheme } from '../theme/theme';

/** A form's failure that belongs to no field it shows (see `useFormErrors(...).summary`). */
export function FormErrorText({ message }: { message: string | null }) {
  const { colors } = useTheme();
  if (!message) return null;
  return (
    <Text accessibilityRole="alert" style={{ color: colors.danger, marginBottom: 12 }}>
      {message}
    </Text>
  );
}
