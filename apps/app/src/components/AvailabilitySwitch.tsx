import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { StyleSheet, Switch, Text, View } from 'react-native';
import { can } from '../api/permissions';
import { useAppDispatch, useAppSelector } from '../store';
import { setAvailability } from '../store/session';
import { useTheme } from '../theme/theme';

/**
 * Staff say whether they take new tickets: away, auto-assignment passes them by (what they have
 * stays theirs). Their status shows beside the switch.
 */
export function AvailabilitySwitch({ compact = false }: { compact?: boolean }) {
  const { t } = useTranslation();
  const { colors } = useTheme();
  const dispatch = useAppDispatch();
  const user = useAppSelector((s) => s.session.user);
  const [busy, setBusy] = useState(false);
  if (!user || !can(user, 'tickets.work')) return null;
  const away = user.awaySince !== null;
  const change = async (available: boolean) => {
    setBusy(true);
    try {
      await dispatch(setAvailability(!available));
    } finally {
      setBusy(false);
    }
  };
  return (
    <View style={[styles.row, compact && styles.stacked]} testID="availability">
      <View style={[styles.dot, { backgroundColor: away ? colors.textMuted : colors.primary }]} aria-hidden />
      {compact ? null : (
        <Text style={[styles.status, { color: colors.text }]} numberOfLines={1}>
          {away ? t('availability.away') : t('availability.available')}
        </Text>
      )}
      <Switch
        accessibilityLabel={t('availability.label')}
        accessibilityHint={t('availability.hint')}
        value={!away}
        disabled={busy}
        onValueChange={(available) => void change(available)}
      />
    </View>
  );
}

const styles = StyleSheet.create({
  row: { flexDirection: 'row', alignItems: 'center', gap: 8, paddingHorizontal: 12, paddingVertical: 6 },
  stacked: { flexDirection: 'column', paddingHorizontal: 4 },
  dot: { width: 10, height: 10, borderRadius: 5 },
  status: { flex: 1, fontSize: 14, fontWeight: '600' },
});
