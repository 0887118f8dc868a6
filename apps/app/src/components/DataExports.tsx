import type { DataExport } from '@parley/protocol';
import { DATA_EXPORT_RETENTION_DAYS, MAX_DATA_EXPORTS_PER_DAY } from '@parley/protocol/constants';
import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Platform, StyleSheet, Text, View } from 'react-native';
import { toFormError, type FormError } from '../api/errors';
import { parley } from '../api/parley';
import { formatBytes } from '../chat/files';
import { errorText } from '../i18n/error-text';
import { useAppSelector } from '../store';
import { formatFull } from '../time/time-format';
import { useTheme } from '../theme/theme';
import { Button } from './Button';
import { FormErrorText } from './FormErrorText';
import { useTimeStyle } from './RelativeTime';

/**
 * Profile → Your data: a copy of the person's own data in this workspace, asked for here and
 * built by the server in the background. Its state (being prepared, ready to download until a
 * date, failed) is the latest export's; the `data_export.ready` notification, arriving live,
 * is the moment to look again.
 */
export function DataExports() {
  const { t } = useTranslation();
  const { colors } = useTheme();
  const time = useTimeStyle();
  const [latest, setLatest] = useState<DataExport | null>(null);
  const [error, setError] = useState<FormError | null>(null);
  const [busy, setBusy] = useState(false);
  const readySince = useAppSelector(
    (s) => s.notifications.items.find((n) => n.kind === 'data_export.ready')?.updatedAt,
  );

  const reload = useCallback(async () => {
    try {
      setLatest((await parley.dataExports.list()).items[0] ?? null);
    } catch (failure) {
      setError(toFormError(failure));
    }
  }, []);
  useEffect(() => void reload(), [reload, readySince]);

  const ask = async () => {
    setBusy(true);
    setError(null);
    try {
      setLatest(await parley.dataExports.create());
    } catch (failure) {
      setError(toFormError(failure));
    } finally {
      setBusy(false);
    }
  };

  // A day's wait is no count of seconds: say when.
  const errorMessage =
    error?.code === 'rate_limited' && error.retryAfterSeconds !== undefined
      ? t('dataExports.tooMany', {
          count: MAX_DATA_EXPORTS_PER_DAY,
          when: formatFull(Date.now() + error.retryAfterSeconds * 1000, time),
        })
      : error && errorText(t, error);

  return (
    <View>
      <Text style={[styles.help, { color: colors.textMuted }]}>
        {t('dataExports.help', { count: DATA_EXPORT_RETENTION_DAYS })}
      </Text>
      {latest ? <LatestExport latest={latest} onError={setError} /> : null}
      <FormErrorText message={errorMessage} />
      {/* With a copy to download, a new one is the lesser action. */}
      <Button
        label={t(latest?.status === 'ready' ? 'dataExports.askAgain' : 'dataExports.ask')}
        variant={latest?.status === 'ready' ? 'secondary' : 'primary'}
        busy={busy}
        disabled={latest?.status === 'pending'}
        onPress={() => void ask()}
        style={styles.alignStart}
      />
    </View>
  );
}

function LatestExport({ latest, onError }: { latest: DataExport; onError: (error: FormError) => void }) {
  const { t } = useTranslation();
  const { colors } = useTheme();
  const time = useTimeStyle();
  const [downloading, setDownloading] = useState(false);

  if (latest.status !== 'ready') {
    return (
      <Text accessibilityLiveRegion="polite" style={[styles.state, { color: colors.text }]} testID="data-export-state">
        {t(latest.status === 'pending' ? 'dataExports.pending' : 'dataExports.failed')}
      </Text>
    );
  }
  const size = formatBytes(latest.sizeBytes ?? 0);
  const download = async () => {
    setDownloading(true);
    try {
      saveAs(
        await parley.dataExports.download(latest.id),
        `parley-data-${(latest.readyAt ?? latest.createdAt).slice(0, 10)}.zip`,
      );
    } catch (failure) {
      onError(toFormError(failure));
    } finally {
      setDownloading(false);
    }
  };
  return (
    <View style={styles.ready}>
      <Text accessibilityLiveRegion="polite" style={[styles.state, { color: colors.text }]} testID="data-export-state">
        {t('dataExports.ready', { size, until: formatFull(latest.expiresAt, time) })}
      </Text>
      {Platform.OS === 'web' ? (
        <Button
          variant="link"
          label={t('dataExports.download', { size })}
          busy={downloading}
          onPress={() => void download()}
          style={styles.alignStart}
        />
      ) : (
        <Text style={[styles.help, { color: colors.textMuted }]}>{t('dataExports.webOnly')}</Text>
      )}
    </View>
  );
}

/** Hands a file fetched with the person's token to the browser, as a download of that name. */
function saveAs(file: Blob, fileName: string) {
  const url = URL.createObjectURL(file);
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  link.rel = 'noopener';
  document.body.appendChild(link);
  link.click();
  link.remove();
  // The browser has started reading it; the object URL only holds the bytes in memory.
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

const styles = StyleSheet.create({
  help: { fontSize: 13, marginBottom: 8 },
  state: { fontSize: 15, marginBottom: 8 },
  ready: { marginBottom: 8 },
  alignStart: { alignSelf: 'flex-start' },
});
