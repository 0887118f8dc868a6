import type { SlaState, Ticket } from '@parley/protocol';
import { useTranslation } from 'react-i18next';
import { StyleSheet, Text, View } from 'react-native';
import { currentTarget, formatSpan, isCounting, useNow, type SlaTargetName } from '../sla/sla-countdown';
import { useTheme } from '../theme/theme';

/** What a target's state looks like: the word says it, the colour only repeats it. */
function useStateColours(state: SlaState, counting: boolean) {
  const { colors } = useTheme();
  if (state === 'breached') return { color: colors.danger, borderColor: colors.danger };
  if (state === 'at_risk') return { color: colors.warning, borderColor: colors.warning };
  if (state === 'met') return { color: colors.success, borderColor: colors.success };
  return { color: counting ? colors.text : colors.textMuted, borderColor: colors.border };
}

/** One target's text: "First response · at risk · 4m 10s left" (or overdue, met, paused). */
function useSlaText(ticket: Ticket, target: SlaTargetName | null, dueAt: string, state: SlaState): string {
  const { t } = useTranslation();
  const counting = target !== null && isCounting(ticket, state);
  const now = useNow(counting);
  if (target === null) return '';
  const left = Date.parse(dueAt) - now;
  const when = !counting
    ? ticket.sla?.pausedAt && state !== 'met'
      ? t('sla.paused')
      : ''
    : left < 0
      ? t('sla.overdue', { time: formatSpan(left) })
      : state === 'breached'
        ? '' // the server's word stands over this device's clock
        : t('sla.left', { time: formatSpan(left) });
  return [t(`sla.${target}`), t(`sla.state.${state}`), when].filter(Boolean).join(' · ');
}

export interface SlaSummary {
  target: SlaTargetName;
  state: SlaState;
  text: string;
  counting: boolean;
}

/** The target that matters now and its words, ticking while it counts (null: no SLA). */
export function useSlaSummary(ticket: Ticket): SlaSummary | null {
  const current = ticket.sla ? currentTarget(ticket.sla) : null;
  const text = useSlaText(ticket, current?.target ?? null, current?.dueAt ?? '', current?.state ?? 'ok');
  if (!current) return null;
  return { target: current.target, state: current.state, text, counting: isCounting(ticket, current.state) };
}

function Pill({ summary }: { summary: SlaSummary }) {
  const colours = useStateColours(summary.state, summary.counting);
  return (
    <View style={[styles.pill, { borderColor: colours.borderColor }]} testID={`sla-${summary.target}`}>
      <Text style={[styles.text, { color: colours.color }]}>
        {summary.state === 'breached' ? '⚠ ' : summary.state === 'at_risk' ? '⏱ ' : ''}
        {summary.text}{' '}
      </Text>
    </View>
  );
}

function SlaPill({
  ticket,
  target,
  dueAt,
  state,
}: {
  ticket: Ticket;
  target: SlaTargetName;
  dueAt: string;
  state: SlaState;
}) {
  const text = useSlaText(ticket, target, dueAt, state);
  return <Pill summary={{ target, state, text, counting: isCounting(ticket, state) }} />;
}

/** The queue row's badge: what `useSlaSummary` found, with its live countdown. */
export function SlaBadge({ summary }: { summary: SlaSummary | null }) {
  return summary ? <Pill summary={summary} /> : null;
}

/** The ticket screen: both targets. */
export function SlaTargets({ ticket }: { ticket: Ticket }) {
  const sla = ticket.sla;
  if (!sla) return null;
  return (
    <View style={styles.column} testID="ticket-sla">
      <SlaPill ticket={ticket} target="firstResponse" dueAt={sla.firstResponse.dueAt} state={sla.firstResponse.state} />
      <SlaPill ticket={ticket} target="resolution" dueAt={sla.resolution.dueAt} state={sla.resolution.state} />
    </View>
  );
}

const styles = StyleSheet.create({
  pill: { alignSelf: 'flex-start', borderWidth: 1, borderRadius: 8, paddingHorizontal: 6, paddingVertical: 1 },
  text: { fontSize: 12, fontWeight: '600' },
  column: { gap: 4 },
});
