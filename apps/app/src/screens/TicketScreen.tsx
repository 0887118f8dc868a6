import type { PublicUser, Team, Ticket, TicketCategory, TicketPriority, TicketStatus } from '@parley/protocol';
import type { NativeStackScreenProps } from '@react-navigation/native-stack';
import { useCallback, useEffect, useLayoutEffect, useMemo, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { ActivityIndicator, ScrollView, StyleSheet, Text, useWindowDimensions, View } from 'react-native';
import type { FormError } from '../api/errors';
import { errorText } from '../i18n/error-text';
import { parley } from '../api/parley';
import { useUsers } from '../chat/users';
import { Avatar } from '../components/Avatar';
import { Button } from '../components/Button';
import { ChatView } from '../components/ChatView';
import { DescriptionBubble } from '../components/DescriptionBubble';
import { Chip } from '../components/Chip';
import { Screen } from '../components/Screen';
import type { RootStackParamList } from '../navigation/types';
import { useAppDispatch, useAppSelector } from '../store';
import { loadConversation } from '../store/conversations';
import { loadTicket, updateTicket } from '../store/tickets';
import { useTheme } from '../theme/theme';
import { PRIORITY_COLOURS } from '../components/TicketQueueRow';

const STATUSES: TicketStatus[] = ['open', 'in_progress', 'closed'];
const PRIORITIES: TicketPriority[] = ['low', 'medium', 'high', 'urgent'];
/** At least this wide, the staff panel sits beside the chat; narrower, above it. */
const WIDE = 900;

/** Changes a ticket, keeping the server's refusal (if any) to show. */
function useTicketUpdate(id: string) {
  const dispatch = useAppDispatch();
  const [error, setError] = useState<FormError | null>(null);
  const [busy, setBusy] = useState(false);
  const update = async (changes: Parameters<typeof updateTicket>[0]['changes']) => {
    setBusy(true);
    setError(null);
    const result = await dispatch(updateTicket({ id, changes }));
    setBusy(false);
    if (updateTicket.rejected.match(result)) setError(result.payload ?? null);
  };
  return { update, error, busy };
}

function Section({ title, children }: { title: string; children: ReactNode }) {
  const { colors } = useTheme();
  return (
    <View style={styles.section}>
      <Text style={[styles.sectionTitle, { color: colors.textMuted }]}>{title}</Text>
      <View style={styles.chips} accessibilityRole="radiogroup" accessibilityLabel={title}>
        {children}
      </View>
    </View>
  );
}

/** Staff: status, priority, assignee and team, changed in place (everyone sees it live). */
function StaffPanel({ ticket, selfId, members }: { ticket: Ticket; selfId: string; members: PublicUser[] }) {
  const { t } = useTranslation();
  const { colors } = useTheme();
  const { update, error, busy } = useTicketUpdate(ticket.id);
  const [teams, setTeams] = useState<Team[]>([]);
  useEffect(() => {
    parley.teams.list().then(
      ({ items }) => setTeams(items),
      () => setTeams([]),
    );
  }, []);
  const assignee = useUsers([ticket.assigneeId]).get(ticket.assigneeId ?? '');
  const candidates = useMemo(() => {
    const list = [...members];
    if (assignee && !list.some((m) => m.id === assignee.id)) list.push(assignee);
    return list;
  }, [members, assignee]);

  return (
    <View>
      <Section title={t('tickets.statusLabel')}>
        {STATUSES.map((status) => (
          <Chip
            key={status}
            label={t(`tickets.status.${status}`)}
            selected={ticket.status === status}
            onPress={() => ticket.status !== status && void update({ status })}
          />
        ))}
      </Section>
      <Section title={t('tickets.priority')}>
        {PRIORITIES.map((priority) => (
          <Chip
            key={priority}
            label={t(`tickets.priorities.${priority}`)}
            selected={ticket.priority === priority}
            onPress={() => ticket.priority !== priority && void update({ priority })}
          />
        ))}
      </Section>
      <View style={styles.section}>
        <View style={styles.assigneeHead}>
          <Text style={[styles.sectionTitle, { color: colors.textMuted }]}>{t('tickets.assignee')}</Text>
          {ticket.assigneeId !== selfId ? (
            <Button
              variant="secondary"
              label={t('tickets.takeIt')}
              onPress={() => void update({ assigneeId: selfId })}
              style={styles.takeIt}
            />
          ) : null}
        </View>
        <View style={styles.chips} accessibilityRole="radiogroup" accessibilityLabel={t('tickets.assignee')}>
          <Chip
            label={t('tickets.unassigned')}
            selected={ticket.assigneeId === null}
            onPress={() => ticket.assigneeId !== null && void update({ assigneeId: null })}
          />
          {candidates.map((member) => (
            <Chip
              key={member.id}
              label={member.id === selfId ? `${member.displayName} (${t('chat.you')})` : member.displayName}
              selected={ticket.assigneeId === member.id}
              onPress={() => ticket.assigneeId !== member.id && void update({ assigneeId: member.id })}
            />
          ))}
        </View>
      </View>
      {teams.length > 0 ? (
        <Section title={t('tickets.team')}>
          <Chip
            label={t('tickets.noTeam')}
            selected={ticket.teamId === null}
            onPress={() => ticket.teamId !== null && void update({ teamId: null })}
          />
          {teams.map((team) => (
            <Chip
              key={team.id}
              label={team.name}
              selected={ticket.teamId === team.id}
              onPress={() => ticket.teamId !== team.id && void update({ teamId: team.id })}
            />
          ))}
        </Section>
      ) : null}
      {busy ? <ActivityIndicator color={colors.primary} /> : null}
      {error ? (
        <Text accessibilityRole="alert" style={{ color: colors.danger, marginTop: 4 }}>
          {errorText(t, error, 'ticket')}
        </Text>
      ) : null}
    </View>
  );
}

/** Customers: the status, and closing or reopening their ticket. */
function CustomerActions({ ticket }: { ticket: Ticket }) {
  const { t } = useTranslation();
  const { colors } = useTheme();
  const { update, error, busy } = useTicketUpdate(ticket.id);
  return (
    <View style={styles.customerActions}>
      {ticket.status === 'closed' ? (
        <Button
          variant="secondary"
          label={t('tickets.reopen')}
          busy={busy}
          onPress={() => void update({ status: 'open' })}
        />
      ) : (
        <Button
          variant="secondary"
          label={t('tickets.close')}
          busy={busy}
          onPress={() => void update({ status: 'closed' })}
        />
      )}
      {error ? (
        <Text accessibilityRole="alert" style={{ color: colors.danger, marginLeft: 8, flexShrink: 1 }}>
          {errorText(t, error, 'ticket')}
        </Text>
      ) : null}
    </View>
  );
}

/** The label customers know a ticket's team by (team names are internal), or null. */
function useCategoryLabel(teamId: string | null): string | null {
  const [categories, setCategories] = useState<TicketCategory[]>([]);
  useEffect(() => {
    if (!teamId) return;
    let live = true;
    parley.ticketCategories.list().then(
      ({ items }) => live && setCategories(items),
      () => undefined,
    );
    return () => {
      live = false;
    };
  }, [teamId]);
  return categories.find((c) => c.id === teamId)?.label ?? null;
}

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

/** A ticket: its header, its thread, and for staff the panel that runs it. */
export function TicketScreen({ route, navigation }: NativeStackScreenProps<RootStackParamList, 'Ticket'>) {
  const { id } = route.params;
  const { t } = useTranslation();
  const { colors } = useTheme();
  const dispatch = useAppDispatch();
  const { width } = useWindowDimensions();
  const ticket = useAppSelector((s) => s.tickets.byId[id]);
  const user = useAppSelector((s) => s.session.user);
  const [missing, setMissing] = useState(false);
  const [detailsOpen, setDetailsOpen] = useState(false);
  const [teamMembers, setTeamMembers] = useState<PublicUser[]>([]);
  const staff = !!user && user.role !== 'customer';
  const wide = width >= WIDE;

  useEffect(() => {
    void dispatch(loadTicket(id)).then((action) => setMissing(loadTicket.rejected.match(action)));
  }, [dispatch, id]);

  // The thread's conversation carries how far each member has read: the "seen" marks.
  const conversationId = ticket?.conversationId;
  useEffect(() => {
    if (conversationId) void dispatch(loadConversation(conversationId));
  }, [dispatch, conversationId]);

  useLayoutEffect(() => {
    if (ticket) navigation.setOptions({ title: ticket.subject });
  }, [navigation, ticket]);

  const teamId = ticket?.teamId ?? null;
  const category = useCategoryLabel(staff ? null : teamId);
  const goToTicket = useCallback((next: string) => navigation.replace('Ticket', { id: next }), [navigation]);
  useFollowUpRedirect(conversationId, goToTicket);
  useEffect(() => {
    if (!staff || !teamId) {
      setTeamMembers([]);
      return;
    }
    let live = true;
    parley.teams.get(teamId).then(
      (team) => live && setTeamMembers(team.members),
      () => live && setTeamMembers([]),
    );
    return () => {
      live = false;
    };
  }, [staff, teamId]);

  const users = useUsers([ticket?.requesterId, ticket?.assigneeId]);
  const requester = users.get(ticket?.requesterId ?? '');
  const assignee = users.get(ticket?.assigneeId ?? '');
  const people = useMemo(
    () => [...(requester ? [requester] : []), ...(assignee ? [assignee] : []), ...teamMembers],
    [requester, assignee, teamMembers],
  );

  if (!ticket) {
    return (
      <Screen title={t('tickets.title')}>
        {missing ? (
          <Text style={{ color: colors.textMuted }}>{t('tickets.notFound')}</Text>
        ) : (
          <ActivityIndicator color={colors.primary} />
        )}
      </Screen>
    );
  }

  const header = (
    <View style={[styles.header, { borderBottomColor: colors.border }]}>
      <View style={styles.headerTop}>
        <View style={[styles.priority, { backgroundColor: PRIORITY_COLOURS[ticket.priority] }]} />
        <View style={styles.headerText}>
          <Text style={[styles.meta, { color: colors.textMuted }]} testID="ticket-status">
            <Text style={{ color: colors.text, fontWeight: '700' }}>{t(`tickets.status.${ticket.status}`)}</Text>
            {' · '}
            {t(`tickets.priorities.${ticket.priority}`)}
            {staff ? ` · ${t('tickets.requester')}: ${requester?.displayName ?? '…'}` : ''}
            {!staff && category ? ` · ${category}` : ''}
            {!staff && assignee ? ` · ${t('tickets.assignee')}: ${assignee.displayName}` : ''}
          </Text>
          {ticket.followUpOf ? (
            <Button
              variant="link"
              label={t('tickets.followUpOf', { id: shortTicketId(ticket.followUpOf) })}
              accessibilityLabel={t('tickets.followUpOfLabel', { id: shortTicketId(ticket.followUpOf) })}
              onPress={() => navigation.push('Ticket', { id: ticket.followUpOf! })}
              style={styles.followUp}
            />
          ) : null}
        </View>
        {staff && requester ? <Avatar name={requester.displayName} url={requester.avatarUrl} size={32} /> : null}
      </View>
      {!staff ? <CustomerActions ticket={ticket} /> : null}
      {staff && !wide ? (
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
      allowNotes={staff}
      people={people}
      opening={opening}
      label={t('chat.timelineTicket')}
    />
  );
  const panel = staff && user ? <StaffPanel ticket={ticket} selfId={user.id} members={teamMembers} /> : null;

  return (
    <Screen title={ticket.subject} scroll={false}>
      {header}
      {wide ? (
        <View style={styles.wide}>
          <View style={styles.chat}>{chat}</View>
          {panel ? (
            <ScrollView
              style={[styles.side, { borderLeftColor: colors.border }]}
              contentContainerStyle={styles.sideContent}
              accessibilityLabel={t('tickets.details')}
            >
              {panel}
            </ScrollView>
          ) : null}
        </View>
      ) : (
        <View style={styles.chat}>
          {panel && detailsOpen ? (
            <ScrollView
              style={[styles.top, { borderBottomColor: colors.border }]}
              contentContainerStyle={styles.sideContent}
            >
              {panel}
            </ScrollView>
          ) : null}
          {chat}
        </View>
      )}
    </Screen>
  );
}

const styles = StyleSheet.create({
  header: { paddingHorizontal: 16, paddingVertical: 10, borderBottomWidth: 1 },
  headerTop: { flexDirection: 'row', alignItems: 'flex-start' },
  headerText: { flex: 1, marginRight: 8 },
  priority: { width: 6, alignSelf: 'stretch', borderRadius: 3, marginRight: 10 },
  meta: { fontSize: 13, marginBottom: 2 },
  followUp: { alignSelf: 'flex-start', minHeight: 28, paddingHorizontal: 0 },
  customerActions: { flexDirection: 'row', alignItems: 'center', marginTop: 8 },
  detailsToggle: { alignSelf: 'flex-start', marginTop: 4 },
  wide: { flex: 1, flexDirection: 'row', minHeight: 0 },
  chat: { flex: 1, minHeight: 0 },
  side: { width: 300, flexGrow: 0, borderLeftWidth: 1 },
  top: { maxHeight: 300, flexGrow: 0, borderBottomWidth: 1 },
  sideContent: { padding: 12 },
  section: { marginBottom: 10 },
  sectionTitle: { fontSize: 13, fontWeight: '600', marginBottom: 6 },
  chips: { flexDirection: 'row', flexWrap: 'wrap' },
  assigneeHead: { flexDirection: 'row', alignItems: 'center', justifyContent: 'space-between', marginBottom: 4 },
  takeIt: { minHeight: 32, paddingHorizontal: 10 },
});
