import { can } from '../api/permissions';
import type { PublicUser, Team, Ticket, TicketCategory, TicketPriority, TicketStatus } from '@parley/protocol';
import { useEffect, useMemo, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { ActivityIndicator, StyleSheet, Text, View } from 'react-native';
import type { FormError } from '../api/errors';
import { parley } from '../api/parley';
import { useUsers } from '../chat/users';
import { errorText } from '../i18n/error-text';
import { personName } from '../people/person-name';
import { useAppDispatch, useAppSelector } from '../store';
import { updateTicket } from '../store/tickets';
import { useTheme } from '../theme/theme';
import { formatFull } from '../time/time-format';
import { Avatar } from './Avatar';
import { Button } from './Button';
import { Chip } from './Chip';
import { SlaTargets } from './SlaBadge';
import { LabelPicker } from './LabelPicker';
import { useTimeStyle } from './RelativeTime';
import { TextField } from './TextField';
import { RequiredFieldsPrompt, requiredFieldKeys, TicketFieldsPanel } from './TicketFields';

const STATUSES: TicketStatus[] = ['open', 'in_progress', 'pending', 'closed'];
const PRIORITIES: TicketPriority[] = ['low', 'medium', 'high', 'urgent'];

/** When each quick snooze ends, from `now`: in three hours, tomorrow 9:00, next Monday 9:00 (local time). */
export function snoozeChoices(now: Date): Record<'laterToday' | 'tomorrow' | 'nextWeek', Date> {
  const at9 = (daysAhead: number) => new Date(now.getFullYear(), now.getMonth(), now.getDate() + daysAhead, 9, 0, 0, 0);
  const toMonday = (8 - now.getDay()) % 7 || 7;
  return { laterToday: new Date(now.getTime() + 3 * 3600_000), tomorrow: at9(1), nextWeek: at9(toMonday) };
}

/** "2026-12-24 09:00" (or with a T) as local time; null unless it is such a time and ahead of `now`. */
export function parseSnoozeTime(text: string, now: Date): Date | null {
  const m = /^\s*(\d{4})-(\d{2})-(\d{2})[ T](\d{1,2}):(\d{2})\s*$/.exec(text);
  if (!m) return null;
  const [y, mo, d, h, mi] = m.slice(1).map(Number) as [number, number, number, number, number];
  const at = new Date(y, mo - 1, d, h, mi);
  const real = at.getFullYear() === y && at.getMonth() === mo - 1 && at.getDate() === d && h < 24 && mi < 60;
  return real && at.getTime() > now.getTime() ? at : null;
}

/** Staff: put the ticket away until a time (it wakes by itself, or when the customer writes). */
function SnoozePicker({ onSnooze }: { onSnooze: (until: Date) => void }) {
  const { t } = useTranslation();
  const { colors } = useTheme();
  const [text, setText] = useState('');
  const [invalid, setInvalid] = useState(false);
  const choices = snoozeChoices(new Date());
  return (
    <View style={styles.snooze} role="group" aria-label={t('tickets.snoozeTitle')}>
      <Text style={[styles.sectionTitle, { color: colors.textMuted }]}>{t('tickets.snoozeTitle')}</Text>
      <View style={styles.chips}>
        {(['laterToday', 'tomorrow', 'nextWeek'] as const).map((choice) => (
          <Button
            key={choice}
            variant="secondary"
            label={t(`tickets.snoozeOptions.${choice}`)}
            onPress={() => onSnooze(choices[choice])}
            style={styles.snoozeChoice}
          />
        ))}
      </View>
      <TextField
        label={t('tickets.snoozeAt')}
        value={text}
        onChangeText={(value) => {
          setText(value);
          setInvalid(false);
        }}
        error={invalid ? t('tickets.snoozeInvalid') : undefined}
      />
      <Button
        variant="secondary"
        label={t('tickets.snooze')}
        onPress={() => {
          const until = parseSnoozeTime(text, new Date());
          if (until) onSnooze(until);
          else setInvalid(true);
        }}
      />
    </View>
  );
}

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
  return { update, error, busy, clearError: () => setError(null) };
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

/** One fact about the ticket: its name above, its value below. */
function Fact({ label, children }: { label: string; children: ReactNode }) {
  const { colors } = useTheme();
  return (
    <View style={styles.fact}>
      <Text style={[styles.sectionTitle, { color: colors.textMuted }]}>{label}</Text>
      <View style={styles.factValue}>{children}</View>
    </View>
  );
}

/**
 * What a ticket is, at a glance: who asked and when; for customers also where it stands (staff
 * see that in the controls below, where they change it).
 */
export function TicketFacts({
  ticket,
  requester,
  assignee,
  category,
  staff,
}: {
  ticket: Ticket;
  requester: PublicUser | undefined;
  assignee: PublicUser | undefined;
  category: string | null;
  staff: boolean;
}) {
  const { t } = useTranslation();
  const { colors } = useTheme();
  const timeStyle = useTimeStyle();
  const text = { color: colors.text, fontSize: 14 };
  return (
    <View testID="ticket-facts">
      <Fact label={t('tickets.requester')}>
        {requester ? <Avatar name={requester.displayName} url={requester.avatarUrl} size={24} /> : null}
        <Text style={[text, styles.person]}>{personName(requester, t) ?? '…'}</Text>
      </Fact>
      <Fact label={t('tickets.created')}>
        <Text style={text}>{formatFull(ticket.createdAt, timeStyle)}</Text>
      </Fact>
      {staff && ticket.sla ? (
        <Fact label={t('sla.title')}>
          <SlaTargets ticket={ticket} />
        </Fact>
      ) : null}
      {!staff ? (
        <>
          <Fact label={t('tickets.statusLabel')}>
            <Text style={text}>{t(`tickets.status.${ticket.status}`)}</Text>
          </Fact>
          <Fact label={t('tickets.priority')}>
            <Text style={text}>{t(`tickets.priorities.${ticket.priority}`)}</Text>
          </Fact>
          <Fact label={t('tickets.assignee')}>
            <Text style={text}>{personName(assignee, t) ?? t('tickets.unassigned')}</Text>
          </Fact>
          {category ? (
            <Fact label={t('tickets.categoryLabel')}>
              <Text style={text}>{category}</Text>
            </Fact>
          ) : null}
        </>
      ) : null}
    </View>
  );
}

/** Staff: status, priority, assignee and team, changed in place (everyone sees it live). */
export function StaffPanel({ ticket, selfId, members }: { ticket: Ticket; selfId: string; members: PublicUser[] }) {
  const { t } = useTranslation();
  const { colors } = useTheme();
  const { update, error, busy, clearError } = useTicketUpdate(ticket.id);
  // A status that needs custom fields filled first (e.g. a root cause to close) asks for them.
  const [triedStatus, setTriedStatus] = useState<TicketStatus | null>(null);
  const requiredKeys = requiredFieldKeys(error);
  const mayChangePriority = useAppSelector((s) => can(s.session.user, 'tickets.priority'));
  const timeStyle = useTimeStyle();
  const [snoozing, setSnoozing] = useState(false);
  const snooze = (until: Date) => {
    setSnoozing(false);
    void update({ status: 'snoozed', snoozedUntil: until.toISOString() });
  };
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
      <LabelPicker of={{ ticketId: ticket.id }} />
      <Section title={t('tickets.statusLabel')}>
        {STATUSES.map((status) => (
          <Chip
            key={status}
            label={t(`tickets.status.${status}`)}
            selected={ticket.status === status}
            onPress={() => {
              setTriedStatus(status);
              if (ticket.status !== status) void update({ status });
            }}
          />
        ))}
        <Chip
          label={t('tickets.snooze')}
          selected={ticket.status === 'snoozed'}
          onPress={() => setSnoozing(!snoozing)}
        />
      </Section>
      {triedStatus && requiredKeys.length > 0 ? (
        <RequiredFieldsPrompt ticket={ticket} status={triedStatus} keys={requiredKeys} onDone={clearError} />
      ) : null}
      {ticket.status === 'snoozed' && ticket.snoozedUntil ? (
        <Text style={[styles.snoozedUntil, { color: colors.text }]}>
          {t('tickets.snoozedUntil', { time: formatFull(ticket.snoozedUntil, timeStyle) })}
        </Text>
      ) : null}
      {snoozing ? <SnoozePicker onSnooze={snooze} /> : null}
      {mayChangePriority ? (
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
      ) : null}
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
              label={member.id === selfId ? `${member.displayName} (${t('chat.you')})` : personName(member, t)}
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
      <TicketFieldsPanel ticket={ticket} />
      {busy ? <ActivityIndicator color={colors.primary} /> : null}
      {error && requiredKeys.length === 0 ? (
        <Text accessibilityRole="alert" style={{ color: colors.danger, marginTop: 4 }}>
          {errorText(t, error, 'ticket')}
        </Text>
      ) : null}
    </View>
  );
}

/** Customers: the status, and closing or reopening their ticket. */
export function CustomerActions({ ticket }: { ticket: Ticket }) {
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
export function useCategoryLabel(teamId: string | null): string | null {
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

const styles = StyleSheet.create({
  customerActions: { flexDirection: 'row', alignItems: 'center', marginTop: 8 },
  section: { marginBottom: 10 },
  sectionTitle: { fontSize: 13, fontWeight: '600', marginBottom: 6 },
  chips: { flexDirection: 'row', flexWrap: 'wrap' },
  assigneeHead: { flexDirection: 'row', alignItems: 'center', justifyContent: 'space-between', marginBottom: 4 },
  takeIt: { minHeight: 32, paddingHorizontal: 10 },
  fact: { marginBottom: 10 },
  factValue: { flexDirection: 'row', alignItems: 'center' },
  person: { marginLeft: 6 },
  snooze: { marginBottom: 10 },
  snoozeChoice: { minHeight: 32, paddingHorizontal: 10, marginRight: 6, marginBottom: 6 },
  snoozedUntil: { fontSize: 14, marginBottom: 10 },
});
