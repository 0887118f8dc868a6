import type { Ticket } from '@parley/protocol';
import { useTranslation } from 'react-i18next';
import { Pressable, StyleSheet, Text, View } from 'react-native';
import { previewOf } from '../chat/message-preview';
import { anchorProps, hrefOf } from '../navigation/web-anchor';
import { personName } from '../people/person-name';
import type { StoredTicket } from '../store/tickets';
import { useTheme } from '../theme/theme';
import { Avatar } from './Avatar';
import { Badge } from './Badge';
import { ChannelMark, channelLabelKey } from './ChannelMark';
import { formatFull } from '../time/time-format';
import { RelativeTime, useRelativeText, useTimeStyle } from './RelativeTime';
import { SlaBadge, useSlaSummary } from './SlaBadge';
import { LabelChips, labelNames } from './LabelChips';

export const PRIORITY_COLOURS = { low: '#64748b', medium: '#2563eb', high: '#c2410c', urgent: '#b91c1c' } as const;

/**
 * One ticket of the queue: who asked, the subject and the last word in its thread, status,
 * priority, when it last moved, who has it, and what is unread. Until the list has brought
 * the row's details (a ticket that just arrived live), it shows what the ticket itself says.
 */
export function TicketQueueRow({
  ticket,
  selfId,
  selected,
  onPress,
}: {
  ticket: StoredTicket;
  selfId: string | undefined;
  /** Open beside the list (wide screens): marked as the current one. */
  selected: boolean;
  onPress: () => void;
}) {
  const { t } = useTranslation();
  const { colors } = useTheme();
  const updated = useRelativeText(ticket.updatedAt);
  const sla = useSlaSummary(ticket);
  const unread = ticket.unreadCount ?? 0;
  const requester = personName(ticket.requester, t);
  // A live reassignment may be ahead of the people the row knows: show the name once it is known.
  const assignee = ticket.assignee && ticket.assignee.id === ticket.assigneeId ? ticket.assignee : null;
  const preview = ticket.lastMessage ? previewOf(ticket.lastMessage, selfId, t) : ticket.description;
  const timeStyle = useTimeStyle();
  // Pending and snoozed tickets say so; a snoozed one also until when.
  const status =
    ticket.status === 'snoozed' && ticket.snoozedUntil
      ? t('tickets.snoozedUntil', { time: formatFull(ticket.snoozedUntil, timeStyle) })
      : t(`tickets.status.${ticket.status}`);
  const priority = t(`tickets.priorities.${ticket.priority}`);
  const assigneeText = ticket.assigneeId
    ? t('tickets.assignedTo', { name: personName(assignee, t) ?? '…' })
    : t('tickets.unassigned');
  const channelKey = channelLabelKey(ticket.channel);
  // The words it shows, in the order shown (voice control finds the row by them; the count
  // bubble's number is in "2 unread"), then who has it: inside, the pictures are hidden from
  // screen readers, which hear this label.
  const label = [
    ticket.subject,
    status,
    priority,
    requester,
    updated,
    preview,
    unread > 0 ? t('conversations.unread', { count: unread }) : null,
    channelKey && t(channelKey),
    sla?.text,
    assigneeText,
    labelNames(ticket.labels),
  ]
    .filter(Boolean)
    .join(', ');
  return (
    <Pressable
      accessibilityRole="link"
      accessibilityLabel={label}
      aria-current={selected ? 'page' : undefined}
      {...anchorProps(hrefOf('Ticket', { id: ticket.id }), onPress)}
      style={({ pressed, focused }: { pressed: boolean; focused?: boolean }) => [
        styles.row,
        { borderColor: colors.border, backgroundColor: pressed ? colors.surface : colors.surfaceRaised },
        selected && { borderColor: colors.primary, backgroundColor: colors.surface },
        focused && { outlineColor: colors.link, outlineWidth: 2, outlineStyle: 'solid' as const },
      ]}
    >
      <View style={[styles.stripe, { backgroundColor: PRIORITY_COLOURS[ticket.priority] }]} />
      <View aria-hidden>
        <Avatar name={ticket.requester?.displayName ?? ticket.subject} url={ticket.requester?.avatarUrl} size={40} />
      </View>
      {/* Each text ends in a space: the words of neighbouring boxes must not run together for
          tools that read the text without its layout (axe-core's label-in-name check). */}
      <View style={styles.body}>
        <Text
          style={[styles.subject, { color: colors.text, fontWeight: unread > 0 ? '700' : '600' }]}
          numberOfLines={1}
        >
          {ticket.subject}{' '}
        </Text>
        {/* It may wrap, never clip: a clipped time would leave the row's name saying more than it shows. */}
        <Text style={[styles.meta, { color: colors.textMuted }]}>
          {[status, priority, requester].filter(Boolean).join(' · ')} · <RelativeTime at={ticket.updatedAt} />{' '}
        </Text>
        <View style={styles.line}>
          <Text style={[styles.preview, { color: unread > 0 ? colors.text : colors.textMuted }]} numberOfLines={1}>
            {preview}{' '}
          </Text>
          <View aria-hidden>
            <Badge count={unread} label={t('conversations.unread', { count: unread })} />
          </View>
        </View>
        <View style={styles.marks}>
          <ChannelMark channel={ticket.channel} />
          <SlaBadge summary={sla} />
        </View>
        <LabelChips labels={ticket.labels} />
      </View>
      <View aria-hidden>
        <AssigneeMark ticket={ticket} name={assignee?.displayName} url={assignee?.avatarUrl} />
      </View>
    </Pressable>
  );
}

function AssigneeMark({
  ticket,
  name,
  url,
}: {
  ticket: Ticket;
  name: string | undefined;
  url: string | null | undefined;
}) {
  const { t } = useTranslation();
  const { colors } = useTheme();
  if (!ticket.assigneeId) {
    return (
      <View style={[styles.assignee, styles.empty, { borderColor: colors.border }]}>
        <Text style={{ color: colors.textMuted, fontSize: 16 }}>–</Text>
      </View>
    );
  }
  return (
    <View style={styles.assignee}>
      <Avatar name={name ?? t('tickets.assignee')} url={url} size={28} />
    </View>
  );
}

const styles = StyleSheet.create({
  row: { flexDirection: 'row', alignItems: 'center', borderWidth: 1, borderRadius: 10, padding: 12, marginBottom: 8 },
  stripe: { width: 5, alignSelf: 'stretch', borderRadius: 3, marginRight: 10 },
  body: { flex: 1, marginHorizontal: 10, minWidth: 0 },
  line: { flexDirection: 'row', alignItems: 'center', justifyContent: 'space-between' },
  marks: { flexDirection: 'row', flexWrap: 'wrap', gap: 4 },
  subject: { fontSize: 16 },
  meta: { fontSize: 13, marginTop: 2 },
  preview: { fontSize: 14, flexShrink: 1, marginTop: 2, marginRight: 8 },
  assignee: { width: 28, height: 28 },
  empty: { borderWidth: 1, borderStyle: 'dashed', borderRadius: 14, alignItems: 'center', justifyContent: 'center' },
});
