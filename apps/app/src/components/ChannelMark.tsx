import type { Ticket } from '@parley/protocol';
import { useTranslation } from 'react-i18next';
import { StyleSheet, Text, View } from 'react-native';
import { useTheme } from '../theme/theme';

/** "✉ Email" on a ticket that came by mail (its public replies go back by mail); nothing on others. */
export function ChannelMark({ channel }: { channel: Ticket['channel'] }) {
  const { t } = useTranslation();
  const { colors } = useTheme();
  if (channel !== 'email') return null;
  return (
    <View style={[styles.pill, { borderColor: colors.border }]} testID="ticket-channel">
      <Text style={[styles.text, { color: colors.textMuted }]}>
        <Text aria-hidden>✉ </Text>
        {t('tickets.viaEmail')}{' '}
      </Text>
    </View>
  );
}

const styles = StyleSheet.create({
  pill: { alignSelf: 'flex-start', borderWidth: 1, borderRadius: 8, paddingHorizontal: 6, paddingVertical: 1 },
  text: { fontSize: 12, fontWeight: '600' },
});
