import type { DeskSettings } from '@parley/protocol';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { StyleSheet, Switch, Text, View } from 'react-native';
import { toFormError, type FormError } from '../../api/errors';
import { parley } from '../../api/parley';
import { Chip } from '../../components/Chip';
import { FormErrorText } from '../../components/FormErrorText';
import { errorText } from '../../i18n/error-text';
import { useTheme } from '../../theme/theme';

/** The edit windows offered, in minutes: null any time, 0 never. */
const EDIT_WINDOWS = [null, 15, 60, 1_440, 0] as const;

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
      {settings ? (
        <View
          style={[styles.block, { borderColor: colors.border, backgroundColor: colors.surfaceRaised }]}
          accessibilityRole="radiogroup"
          accessibilityLabel={t('admin.editWindow')}
        >
          <Text style={[styles.label, { color: colors.text }]}>{t('admin.editWindow')}</Text>
          <Text style={{ color: colors.textMuted, fontSize: 13, marginBottom: 8 }}>{t('admin.editWindowHint')}</Text>
          <View style={styles.chips}>
            {EDIT_WINDOWS.map((minutes) => (
              <Chip
                key={String(minutes)}
                label={t(`admin.editWindows.${minutes === null ? 'always' : minutes}`)}
                selected={settings.messageEditWindowMinutes === minutes}
                onPress={() => void change({ messageEditWindowMinutes: minutes })}
              />
            ))}
            {/* A window set by the API to some other length still shows what it is. */}
            {!(EDIT_WINDOWS as readonly (number | null)[]).includes(settings.messageEditWindowMinutes) ? (
              <Chip
                label={t('admin.editWindows.minutes', { count: settings.messageEditWindowMinutes ?? 0 })}
                selected
                onPress={() => undefined}
              />
            ) : null}
          </View>
        </View>
      ) : null}
      <FormErrorText message={error && errorText(t, error)} />
    </View>
  );
}

const styles = StyleSheet.create({
  row: { flexDirection: 'row', alignItems: 'center', borderWidth: 1, borderRadius: 10, padding: 12, gap: 12 },
  block: { borderWidth: 1, borderRadius: 10, padding: 12, marginTop: 12 },
  chips: { flexDirection: 'row', flexWrap: 'wrap' },
  text: { flex: 1 },
  label: { fontSize: 15, fontWeight: '600' },
});
