import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import {
  Platform,
  StyleSheet,
  Text,
  TextInput,
  View,
  type NativeSyntheticEvent,
  type TextInputKeyPressEventData,
} from 'react-native';
import { toFormError } from '../api/errors';
import { errorText } from '../i18n/error-text';
import { useTheme } from '../theme/theme';
import { Button } from './Button';

/**
 * Editing a message in place: Enter saves, Shift+Enter breaks the line, Esc cancels (on the web),
 * with visible Cancel and Save buttons for touch. A failed save keeps the text and says why.
 */
export function MessageEditor({
  initial,
  onSave,
  onClose,
}: {
  initial: string;
  /** Resolves once saved; rejects with the reason it was not. */
  onSave: (body: string) => Promise<void>;
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const { colors } = useTheme();
  const [text, setText] = useState(initial);
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const input = useRef<TextInput>(null);

  // Focused after the current commit: an actions menu that just closed hands focus back to
  // its button, and that must not win over the editor.
  useEffect(() => {
    const timer = setTimeout(() => input.current?.focus(), 0);
    return () => clearTimeout(timer);
  }, []);

  const save = async () => {
    const body = text.trim();
    if (saving) return;
    if (!body || body === initial) return onClose();
    setSaving(true);
    setError(null);
    try {
      await onSave(body);
      onClose();
    } catch (failure) {
      setError(errorText(t, toFormError(failure)));
      setSaving(false);
    }
  };

  const onKeyPress = (event: NativeSyntheticEvent<TextInputKeyPressEventData>) => {
    if (Platform.OS !== 'web') return;
    const native = event.nativeEvent as TextInputKeyPressEventData & { shiftKey?: boolean; isComposing?: boolean };
    if (native.isComposing) return;
    if (native.key === 'Enter' && !native.shiftKey) {
      event.preventDefault();
      void save();
    } else if (native.key === 'Escape') {
      event.preventDefault();
      onClose();
    }
  };

  return (
    <View style={styles.box}>
      <TextInput
        ref={input}
        accessibilityLabel={t('chat.editLabel')}
        value={text}
        onChangeText={setText}
        onKeyPress={onKeyPress}
        multiline
        editable={!saving}
        style={[
          styles.input,
          { color: colors.text, backgroundColor: colors.surfaceRaised, borderColor: colors.border },
        ]}
      />
      {error ? (
        <Text accessibilityRole="alert" style={[styles.hint, { color: colors.danger }]}>
          {error}
        </Text>
      ) : Platform.OS === 'web' ? (
        <Text style={[styles.hint, { color: colors.textMuted }]}>{t('chat.editHint')}</Text>
      ) : null}
      <View style={styles.buttons}>
        <Button variant="secondary" label={t('chat.cancel')} onPress={onClose} />
        <Button label={t('chat.save')} busy={saving} onPress={() => void save()} style={styles.gapLeft} />
      </View>
    </View>
  );
}

const styles = StyleSheet.create({
  box: { minWidth: 260 },
  input: { borderWidth: 1, borderRadius: 8, padding: 8, fontSize: 15, minHeight: 60 },
  hint: { fontSize: 12, marginTop: 4 },
  buttons: { flexDirection: 'row', justifyContent: 'flex-end', marginTop: 6 },
  gapLeft: { marginLeft: 6 },
});
