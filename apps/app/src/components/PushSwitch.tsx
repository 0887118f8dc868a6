import { ParleyError } from '@parley/client';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Platform, StyleSheet, Switch, Text, View } from 'react-native';
import { toFormError } from '../api/errors';
import { devicePush } from '../api/device-push';
import type { PushState } from '../api/device-push-contract';
import { errorText } from '../i18n/error-text';
import { useTheme } from '../theme/theme';

const web = Platform.OS === 'web';

/**
 * "Notifications on this device": on, the browser or the phone asks for permission (once), gets
 * its push address and registers it with the server; off, the server forgets it.
 */
export function PushSwitch() {
  const { t } = useTranslation();
  const { colors } = useTheme();
  const [state, setState] = useState<PushState | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    let live = true;
    void devicePush.state().then((now) => live && setState(now));
    return () => {
      live = false;
    };
  }, []);

  const change = async (on: boolean) => {
    setBusy(true);
    setError(null);
    try {
      setState(await (on ? devicePush.enable() : devicePush.disable()));
    } catch (cause) {
      // The server's refusals say what went wrong; the platform's (its push service) say why.
      setError(
        cause instanceof ParleyError
          ? errorText(t, toFormError(cause))
          : t(web ? 'push.failed' : 'push.failedApp', {
              reason: cause instanceof Error ? cause.message : String(cause),
            }),
      );
    } finally {
      setBusy(false);
    }
  };

  if (state === null) return null;
  const note =
    state === 'unsupported'
      ? t(web ? 'push.unsupported' : 'push.unsupportedApp')
      : state === 'blocked'
        ? t(web ? 'push.blocked' : 'push.blockedApp')
        : t('push.hint');
  return (
    <View testID="push-switch">
      <View style={styles.row}>
        <Text style={[styles.label, { color: colors.text }]}>{t('push.label')}</Text>
        <Switch
          accessibilityLabel={t('push.label')}
          accessibilityHint={t('push.hint')}
          value={state === 'on'}
          disabled={busy || state === 'unsupported' || state === 'blocked'}
          onValueChange={(on) => void change(on)}
        />
      </View>
      <Text style={[styles.note, { color: colors.textMuted }]}>{note}</Text>
      {error ? (
        <Text accessibilityRole="alert" style={[styles.note, { color: colors.danger }]}>
          {error}
        </Text>
      ) : null}
    </View>
  );
}

const styles = StyleSheet.create({
  row: { flexDirection: 'row', alignItems: 'center', gap: 12 },
  label: { flex: 1, fontSize: 15, fontWeight: '600' },
  note: { fontSize: 13, marginTop: 6 },
});
