import type { Ticket } from '@parley/protocol';
import { useTranslation } from 'react-i18next';
import { Pressable, StyleSheet, Text, View } from 'react-native';
import { previewOf } from '../chat/message-preview';
import type { StoredTicket } from '../store/tickets';
import { useTheme } from '../theme/theme';
import { formatFull } from '../time/time-format';
import { Avatar } from './Avatar';
import { Badge } from './Badge';
import { RelativeTime, useTimeStyle } from './RelativeTime';

export const PRIORITY_COLOURS = { low: '#64748b', medium: '#2563eb', high: '#c2410c', urgent: '#b91c1c' } as const;

/**
 * One ticket of the queue: who asked, the subject and the last word in its thread, status,
 * priority, when it last moved, who has it, and what is unread. Until the list has brought
 * the row's details (a ticket that just arrived live), it shows what the ticket itself says.
 */
export function TicketQueueRow({
  ticket,
  selfId,
  onPress,
}: {
  ticket: StoredTicket;
  selfId: string | undefined;
  onPress: () => void;
}) {
  const { t } = useTranslation();
  const { colors } = useTheme();
  const timeStyle = useTimeStyle();
  const unread = ticket.unreadCount ?? 0;
  const requester = ticket.requester?.displayName;
  // A live reassignment may be ahead of the people the row knows: show the name once it is known.
  const assignee = ticket.assignee && ticket.assignee.id === ticket.assigneeId ? ticket.assignee : null;
  const preview = ticket.lastMessage ? previewOf(ticket.lastMessage, selfId, t) : ticket.description;
  const status = t(`tickets.status.${ticket.status}`);
  const priority = t(`tickets.priorities.${ticket.priority}`);
  const assigneeText = ticket.assigneeId
    ? t('tickets.assignedTo', { name: assignee?.displayName ?? '…' })
    : t('tickets.unassigned');
  const label = [
    ticket.subject,
    status,
    priority,
    requester && t('tickets.from', { name: requester }),
    preview,
    formatFull(ticket.updatedAt, timeStyle),
    assigneeText,
    unread > 0 ? t('conversations.unread', { count: unread }) : null,
  ]
    .filter(Boolean)
    .join(', ');
  return (
    <Pressable
      accessibilityRole="link"
      accessibilityLabel={label}
      onPress={onPress}
      style={({ pressed, focused }: { pressed: boolean; focused?: boolean }) => [
        styles.row,
        { borderColor: colors.border, backgroundColor: pressed ? colors.surface : colors.surfaceRaised },
        focused && { outlineColor: colors.link, outlineWidth: 2, outlineStyle: 'solid' as const },
      ]}
    >
      <View style={[styles.stripe, { backgroundColor: PRIORITY_COLOURS[ticket.priority] }]} />
      <Avatar name={requester ?? ticket.subject} url={ticket.requester?.avatarUrl} size={40} />
      <View style={styles.body}>
        <View style={styles.line}>
          <Text
            style={[styles.subject, { color: colors.text, fontWeight: unread > 0 ? '700' : '600' }]}
            numberOfLines={1}
          >
            {ticket.subject}
          </Text>
          <Text style={[styles.time, { color: colors.textMuted }]}>
            <RelativeTime at={ticket.updatedAt} />
          </Text>
        </View>
        <Text style={[styles.meta, { color: colors.textMuted }]} numberOfLines={1}>
          {[requester, status, priority].filter(Boolean).join(' · ')}
        </Text>
        <View style={styles.line}>
          <Text style={[styles.preview, { color: unread > 0 ? colors.text : colors.textMuted }]} numberOfLines={1}>
            {preview}
          </Text>
          <Badge count={unread} label={t('conversations.unread', { count: unread })} />
        </View>
      </View>
      <AssigneeMark ticket={ticket} name={assignee?.displayName} url={assignee?.avatarUrl} />
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
  subject: { fontSize: 16, flexShrink: 1, marginRight: 8 },
  time: { fontSize: 12 },
  meta: { fontSize: 13, marginTop: 2 },
  preview: { fontSize: 14, flexShrink: 1, marginTop: 2, marginRight: 8 },
  assignee: { width: 28, height: 28 },
  empty: { borderWidth: 1, borderStyle: 'dashed', borderRadius: 14, alignItems: 'center', justifyContent: 'center' },
});
