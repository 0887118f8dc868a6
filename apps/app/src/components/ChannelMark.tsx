import type { Ticket } from '@parley/protocol';
import { useTranslation } from 'react-i18next';
import { StyleSheet, Text, View } from 'react-native';
import { useTheme } from '../theme/theme';

/** The channels a ticket says it came by: a picture (hidden from screen readers) and a name. */
const MARKS: Partial<Record<Ticket['channel'], { icon: string; label: string }>> = {
  email: { icon: '✉', label: 'tickets.viaEmail' },
  widget: { icon: '💬', label: 'tickets.viaWidget' },
};

/** The i18n key of the name its mark shows, for the ticket row's accessible name; null for the app. */
export const channelLabelKey = (channel: Ticket['channel']): string | null => MARKS[channel]?.label ?? null;

/**
 * "✉ Email" on a ticket that came by mail (its public replies go back by mail), "💬 Website" on
 * one from the website chat widget; nothing on others.
 */
export function ChannelMark({ channel }: { channel: Ticket['channel'] }) {
  const { t } = useTranslation();
  const { colors } = useTheme();
  const mark = MARKS[channel];
  if (!mark) return null;
  return (
    <View style={[styles.pill, { borderColor: colors.border }]} testID="ticket-channel">
      <Text style={[styles.text, { color: colors.textMuted }]}>
        <Text aria-hidden>{mark.icon} </Text>
        {t(mark.label)}{' '}
      </Text>
    </View>
  );
}

const styles = StyleSheet.create({
  pill: { alignSelf: 'flex-start', borderWidth: 1, borderRadius: 8, paddingHorizontal: 6, paddingVertical: 1 },
  text: { fontSize: 12, fontWeight: '600' },
});
