import { can } from '../api/permissions';
import type { PublicUser } from '@parley/protocol';
import { useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ActivityIndicator, ScrollView, StyleSheet, Text, View } from 'react-native';
import { parley } from '../api/parley';
import { useUsers } from '../chat/users';
import { personName } from '../people/person-name';
import { useAppDispatch, useAppSelector } from '../store';
import { loadConversation } from '../store/conversations';
import { loadTicket } from '../store/tickets';
import { useTheme } from '../theme/theme';
import { PRIORITY_COLOURS } from './TicketQueueRow';
import { Avatar } from './Avatar';
import { Button } from './Button';
import { CallButtons } from './CallButtons';
import { ChannelMark } from './ChannelMark';
import { ChatView } from './ChatView';
import { PinBoard } from './PinBoard';
import { DescriptionBubble } from './DescriptionBubble';
import { CsatPanel } from './CsatPanel';
import { CustomerActions, StaffPanel, TicketFacts, useCategoryLabel } from './TicketDetails';
import { CustomerContextPanel } from './CustomerContextPanel';
import { ViewersBar } from './ViewersBar';
import { CustomerFieldsPanel } from './TicketFields';

/** Ticket ids are long; people quote the end, which is the random part. */
export const shortTicketId = (id: string) => id.slice(-6);

/**
 * A reply to this ticket that the server moved to a follow-up ticket (it was closed too long
 * ago, [RT-REOPEN]): the writer goes where their message went.
 */
function useFollowUpRedirect(conversationId: string | undefined, go: (ticketId: string) => void) {
  useEffect(
    () =>
      parley.outbox.on('sent', ({ message, ack }) => {
        if (ack.movedToTicketId && message.conversationId === conversationId) go(ack.movedToTicketId);
      }),
    [conversationId, go],
  );
}

/** The members of the ticket's team (staff only): who it can be handed to, who is @-mentionable. */
function useTeamMembers(teamId: string | null, staff: boolean): PublicUser[] {
  const [members, setMembers] = useState<PublicUser[]>([]);
  useEffect(() => {
    if (!staff || !teamId) {
      setMembers([]);
      return;
    }
    let live = true;
    parley.teams.get(teamId).then(
      (team) => live && setMembers(team.members),
      () => live && setMembers([]),
    );
    return () => {
      live = false;
    };
  }, [staff, teamId]);
  return members;
}

/**
 * A ticket: its header, its thread and its details panel. `columns` puts the details beside the
 * thread (wide screens); otherwise staff fold them open above it.
 */
export function TicketView({
  id,
  columns,
  subjectHeading = false,
  onOpenTicket,
  onMovedTo,
  foundSeq = null,
}: {
  id: string;
  columns: boolean;
  /** Open the thread at this message (a search result, a message link). */
  foundSeq?: number | null;
  /** The subject as this pane's heading (when the screen's title names the list beside it). */
  subjectHeading?: boolean;
  /** Opens another ticket (the one this follows up), keeping this one to come back to. */
  onOpenTicket: (id: string) => void;
  /** This ticket's reply went to a follow-up ticket: show that one instead. */
  onMovedTo: (id: string) => void;
}) {
  const { t } = useTranslation();
  const { colors } = useTheme();
  const dispatch = useAppDispatch();
  const ticket = useAppSelector((s) => s.tickets.byId[id]);
  const user = useAppSelector((s) => s.session.user);
  const [missing, setMissing] = useState(false);
  const [detailsOpen, setDetailsOpen] = useState(false);
  const staff = can(user, 'tickets.work');

  useEffect(() => {
    void dispatch(loadTicket(id)).then((action) => setMissing(loadTicket.rejected.match(action)));
  }, [dispatch, id]);

  // The thread's conversation carries how far each member has read: the "seen" marks.
  const conversationId = ticket?.conversationId;
  useEffect(() => {
    if (conversationId) void dispatch(loadConversation(conversationId));
  }, [dispatch, conversationId]);

  const teamId = ticket?.teamId ?? null;
  const category = useCategoryLabel(staff ? null : teamId);
  useFollowUpRedirect(conversationId, onMovedTo);
  const teamMembers = useTeamMembers(teamId, staff);

  const users = useUsers([ticket?.requesterId, ticket?.assigneeId]);
  const requester = users.get(ticket?.requesterId ?? '');
  const assignee = users.get(ticket?.assigneeId ?? '');
  const people = useMemo(
    () => [...(requester ? [requester] : []), ...(assignee ? [assignee] : []), ...teamMembers],
    [requester, assignee, teamMembers],
  );

  if (!ticket) {
    return (
      <View style={styles.pending}>
        {missing ? (
          <Text style={{ color: colors.textMuted }}>{t('tickets.notFound')}</Text>
        ) : (
          <ActivityIndicator color={colors.primary} />
        )}
      </View>
    );
  }

  const header = (
    <View style={[styles.header, { borderBottomColor: colors.border }]}>
      <View style={styles.headerTop}>
        <View style={[styles.priority, { backgroundColor: PRIORITY_COLOURS[ticket.priority] }]} />
        <View style={styles.headerText}>
          {subjectHeading ? (
            <Text accessibilityRole="header" aria-level={2} style={[styles.subject, { color: colors.text }]}>
              {ticket.subject}
            </Text>
          ) : null}
          <Text style={[styles.meta, { color: colors.textMuted }]} testID="ticket-status">
            <Text style={{ color: colors.text, fontWeight: '700' }}>{t(`tickets.status.${ticket.status}`)}</Text>
            {' · '}
            {t(`tickets.priorities.${ticket.priority}`)}
            {staff ? ` · ${t('tickets.requester')}: ${personName(requester, t) ?? '…'}` : ''}
            {!staff && category ? ` · ${category}` : ''}
            {!staff && assignee ? ` · ${t('tickets.assignee')}: ${personName(assignee, t)}` : ''}
          </Text>
          <ChannelMark channel={ticket.channel} />
          {staff && user ? <ViewersBar conversationId={ticket.conversationId} selfId={user.id} /> : null}
          {ticket.followUpOf ? (
            <Button
              variant="link"
              label={t('tickets.followUpOf', { id: shortTicketId(ticket.followUpOf) })}
              accessibilityLabel={t('tickets.followUpOfLabel', { id: shortTicketId(ticket.followUpOf) })}
              onPress={() => onOpenTicket(ticket.followUpOf!)}
              style={styles.followUp}
            />
          ) : null}
        </View>
        <CallButtons conversationId={ticket.conversationId} />
        <PinBoard conversationId={ticket.conversationId} />
        {staff && requester ? <Avatar name={requester.displayName} url={requester.avatarUrl} size={32} /> : null}
      </View>
      {!staff ? <CustomerActions ticket={ticket} /> : null}
      <CsatPanel ticket={ticket} staff={staff} />
      {staff && !columns ? (
        <Button
          variant="link"
          label={`${t('tickets.details')} ${detailsOpen ? '▴' : '▾'}`}
          accessibilityLabel={t('tickets.details')}
          onPress={() => setDetailsOpen((open) => !open)}
          style={styles.detailsToggle}
        />
      ) : null}
    </View>
  );

  // The description opens the thread, in full: the header has no room for a long one.
  const opening = ticket.description ? (
    <DescriptionBubble
      text={ticket.description}
      createdAt={ticket.createdAt}
      requester={requester}
      own={ticket.requesterId === user?.id}
    />
  ) : null;
  const chat = (
    <ChatView
      conversationId={ticket.conversationId}
      allowNotes={staff && can(user, 'notes.write')}
      composerHint={staff && ticket.channel === 'email' ? t('chat.emailedHint') : null}
      ticketId={staff ? ticket.id : null}
      threadPath={`/tickets/${ticket.id}`}
      people={people}
      opening={opening}
      label={t('chat.timelineTicket')}
      foundSeq={foundSeq}
    />
  );
  const facts = (
    <>
      <TicketFacts ticket={ticket} requester={requester} assignee={assignee} category={category} staff={staff} />
    </>
  );
  const panel =
    staff && user ? (
      <>
        <StaffPanel ticket={ticket} selfId={user.id} members={teamMembers} />
        <CustomerContextPanel
          ticket={ticket}
          requester={requester}
          onOpenTicket={onOpenTicket}
          onMerged={onMovedTo}
          customerFields={<CustomerFieldsPanel userId={ticket.requesterId} />}
        />
      </>
    ) : null;

  return (
    <View style={styles.fill}>
      {header}
      {columns ? (
        <View style={styles.columns}>
          <View style={styles.fill}>{chat}</View>
          <ScrollView
            role="complementary"
            aria-label={t('tickets.details')}
            style={[styles.side, { borderLeftColor: colors.border }]}
            contentContainerStyle={styles.sideContent}
          >
            {facts}
            {panel}
          </ScrollView>
        </View>
      ) : (
        <View style={styles.fill}>
          {panel && detailsOpen ? (
            <ScrollView
              style={[styles.top, { borderBottomColor: colors.border }]}
              contentContainerStyle={styles.sideContent}
            >
              {facts}
              {panel}
            </ScrollView>
          ) : null}
          {chat}
        </View>
      )}
    </View>
  );
}

const styles = StyleSheet.create({
  pending: { padding: 16 },
  header: { paddingHorizontal: 16, paddingVertical: 10, borderBottomWidth: 1 },
  headerTop: { flexDirection: 'row', alignItems: 'flex-start' },
  headerText: { flex: 1, marginRight: 8 },
  priority: { width: 6, alignSelf: 'stretch', borderRadius: 3, marginRight: 10 },
  subject: { fontSize: 17, fontWeight: '700', marginBottom: 2 },
  meta: { fontSize: 13, marginBottom: 2 },
  followUp: { alignSelf: 'flex-start', minHeight: 28, paddingHorizontal: 0 },
  detailsToggle: { alignSelf: 'flex-start', marginTop: 4 },
  columns: { flex: 1, flexDirection: 'row', minHeight: 0 },
  fill: { flex: 1, minHeight: 0 },
  side: { width: 280, flexGrow: 0, borderLeftWidth: 1 },
  top: { maxHeight: 300, flexGrow: 0, borderBottomWidth: 1 },
  sideContent: { padding: 12 },
});
