import type { NotificationSettings, NotifyLevel, UpdateNotificationSettingsBody } from '@parley/protocol';
import { EMAIL_CATEGORIES } from '@parley/protocol/constants';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { StyleSheet, Text, View } from 'react-native';
import { parley } from '../api/parley';
import { toFormError, type FormError } from '../api/errors';
import { errorText } from '../i18n/error-text';
import { useTheme } from '../theme/theme';
import { Button } from './Button';
import { Chip } from './Chip';
import { FilterRow } from './FilterGroup';
import { FormErrorText } from './FormErrorText';
import { TextField } from './TextField';

const LEVELS: NotifyLevel[] = ['all', 'mentions', 'none'];
/** The device's own zone: quiet hours are the person's nights, wherever the server is. */
const deviceTimeZone = () => Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';

/**
 * How this workspace reaches the person outside the app: push and email levels, which mails,
 * quiet hours. Each change is saved at once (quiet hours with their button).
 */
export function NotificationSettingsPanel() {
  const { t } = useTranslation();
  const { colors } = useTheme();
  const [settings, setSettings] = useState<NotificationSettings | null>(null);
  const [error, setError] = useState<FormError | null>(null);
  const [from, setFrom] = useState('22:00');
  const [to, setTo] = useState('07:00');

  useEffect(() => {
    void parley.notifications.settings().then(
      (loaded) => {
        setSettings(loaded);
        if (loaded.quietHours) {
          setFrom(loaded.quietHours.from);
          setTo(loaded.quietHours.to);
        }
      },
      (e: unknown) => setError(toFormError(e)),
    );
  }, []);

  const save = async (change: UpdateNotificationSettingsBody) => {
    try {
      setSettings(await parley.notifications.updateSettings(change));
      setError(null);
    } catch (e) {
      setError(toFormError(e));
    }
  };

  if (!settings) return <FormErrorText message={error && errorText(t, error)} />;
  const level = (channel: 'push' | 'email') => (
    <FilterRow label={t(`notifySettings.${channel}`)} role="radiogroup">
      {LEVELS.map((value) => (
        <Chip
          key={value}
          label={t(`notifySettings.levels.${value}`)}
          selected={settings[channel] === value}
          onPress={() => void save({ [channel]: value })}
        />
      ))}
    </FilterRow>
  );
  return (
    <View testID="notification-settings">
      {level('push')}
      {level('email')}
      {settings.email !== 'none' ? (
        <FilterRow label={t('notifySettings.emailAbout')} role="group">
          {EMAIL_CATEGORIES.map((category) => {
            const on = !settings.emailOff.includes(category);
            return (
              <Chip
                key={category}
                role="checkbox"
                label={t(`notifySettings.categories.${category}`)}
                selected={on}
                onPress={() =>
                  void save({
                    emailOff: on ? [...settings.emailOff, category] : settings.emailOff.filter((c) => c !== category),
                  })
                }
              />
            );
          })}
        </FilterRow>
      ) : null}
      <Text style={[styles.hint, { color: colors.textMuted }]}>{t('notifySettings.quietHint')}</Text>
      <View style={styles.quiet}>
        <TextField
          label={t('notifySettings.quietFrom')}
          value={from}
          onChangeText={setFrom}
          style={styles.time}
          inputMode="numeric"
        />
        <TextField
          label={t('notifySettings.quietTo')}
          value={to}
          onChangeText={setTo}
          style={styles.time}
          inputMode="numeric"
        />
        <Button
          variant="secondary"
          label={settings.quietHours ? t('notifySettings.quietUpdate') : t('notifySettings.quietOn')}
          onPress={() => void save({ quietHours: { from, to, timeZone: deviceTimeZone() } })}
        />
        {settings.quietHours ? (
          <Button variant="link" label={t('notifySettings.quietOff')} onPress={() => void save({ quietHours: null })} />
        ) : null}
      </View>
      <Text style={[styles.hint, { color: colors.textMuted }]} testID="quiet-hours-state">
        {settings.quietHours ? t('notifySettings.quietNow', { ...settings.quietHours }) : t('notifySettings.quietNone')}
      </Text>
      <FormErrorText message={error && errorText(t, error)} />
    </View>
  );
}

const styles = StyleSheet.create({
  hint: { fontSize: 13, marginTop: 8 },
  quiet: { flexDirection: 'row', flexWrap: 'wrap', alignItems: 'flex-end', gap: 8 },
  time: { width: 90 },
});
