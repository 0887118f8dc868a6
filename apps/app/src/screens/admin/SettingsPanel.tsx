import type { DeskSettings } from '@parley/protocol';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { StyleSheet, Switch, Text, View } from 'react-native';
import { toFormError, type FormError } from '../../api/errors';
import { parley } from '../../api/parley';
import { FormErrorText } from '../../components/FormErrorText';
import { errorText } from '../../i18n/error-text';
import { useTheme } from '../../theme/theme';

/** The desk's settings, each saved as soon as it is changed. */
export function SettingsPanel() {
  const { t } = useTranslation();
  const { colors } = useTheme();
  const [settings, setSettings] = useState<DeskSettings | null>(null);
  const [error, setError] = useState<FormError | null>(null);
  useEffect(() => {
    parley.settings.get().then(setSettings, (e: unknown) => setError(toFormError(e)));
  }, []);

  const change = async (body: Partial<DeskSettings>) => {
    try {
      setSettings(await parley.settings.update(body));
      setError(null);
    } catch (e) {
      setError(toFormError(e));
    }
  };

  return (
    <View>
      {settings ? (
        <View style={[styles.row, { borderColor: colors.border, backgroundColor: colors.surfaceRaised }]}>
          <View style={styles.text}>
            <Text style={[styles.label, { color: colors.text }]}>{t('admin.customersMayChooseUrgent')}</Text>
            <Text style={{ color: colors.textMuted, fontSize: 13 }}>{t('admin.customersMayChooseUrgentHint')}</Text>
          </View>
          <Switch
            accessibilityLabel={t('admin.customersMayChooseUrgent')}
            value={settings.customersMayChooseUrgent}
            onValueChange={(value) => void change({ customersMayChooseUrgent: value })}
          />
        </View>
      ) : null}
      <FormErrorText message={error && errorText(t, error)} />
    </View>
  );
}

const styles = StyleSheet.create({
  row: { flexDirection: 'row', alignItems: 'center', borderWidth: 1, borderRadius: 10, padding: 12, gap: 12 },
  text: { flex: 1 },
  label: { fontSize: 15, fontWeight: '600' },
});
