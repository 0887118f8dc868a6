import { StyleSheet, Text, View } from 'react-native';
import { useTheme } from '../theme/theme';
import { Button } from './Button';
import { FormErrorText } from './FormErrorText';

/**
 * The second step of an action that cannot be undone (remove, revoke, a new secret): what it
 * will do, the button that does it, and Cancel, with what went wrong below.
 */
export function ConfirmStep({
  warning,
  confirmLabel,
  confirmAccessibilityLabel,
  cancelLabel,
  busy,
  error,
  onConfirm,
  onCancel,
}: {
  warning: string;
  confirmLabel: string;
  confirmAccessibilityLabel?: string;
  cancelLabel: string;
  busy: boolean;
  error?: string | null;
  onConfirm: () => void;
  onCancel: () => void;
}) {
  const { colors } = useTheme();
  return (
    <View style={styles.confirm}>
      <Text style={[styles.warning, { color: colors.textMuted }]}>{warning}</Text>
      <View style={styles.actions}>
        <Button
          variant="danger"
          label={confirmLabel}
          {...(confirmAccessibilityLabel && { accessibilityLabel: confirmAccessibilityLabel })}
          busy={busy}
          onPress={onConfirm}
        />
        <Button variant="secondary" label={cancelLabel} onPress={onCancel} />
      </View>
      <FormErrorText message={error ?? null} />
    </View>
  );
}

const styles = StyleSheet.create({
  confirm: { marginTop: 8 },
  warning: { fontSize: 13 },
  actions: { flexDirection: 'row', flexWrap: 'wrap', gap: 6, alignItems: 'center', marginTop: 8 },
});
