import type { CustomerContext, CustomerNote, PublicUser, Ticket } from '@parley/protocol';
import { useCallback, useEffect, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { StyleSheet, Text, View } from 'react-native';
import { toFormError } from '../api/errors';
import { can } from '../api/permissions';
import { parley } from '../api/parley';
import { errorText } from '../i18n/error-text';
import { personName } from '../people/person-name';
import { useUserSearch } from '../search/useUserSearch';
import { useAppDispatch, useAppSelector } from '../store';
import { loadTicket } from '../store/tickets';
import { useTheme } from '../theme/theme';
import { Button } from './Button';
import { FormErrorText } from './FormErrorText';
import { RelativeTime } from './RelativeTime';
import { TextField } from './TextField';

/**
 * Staff: who the ticket's requester is, beside the thread: since when, their other tickets (the
 * ones this agent may open), notes about them, and merging this ticket into one of theirs. A
 * website visitor (a widget guest) can be merged into a registered customer.
 * `customerFields`: what the workspace keeps about the customer (their custom fields).
 * `requester`: the ticket's requester as everyone sees them, which says whether it is a bot.
 */
export function CustomerContextPanel({
  ticket,
  requester,
  onOpenTicket,
  onMerged,
  customerFields,
}: {
  ticket: Ticket;
  requester: PublicUser | undefined;
  onOpenTicket: (id: string) => void;
  /** This ticket was merged into `targetId`: show that one. */
  onMerged: (targetId: string) => void;
  customerFields?: ReactNode;
}) {
  const { t, i18n } = useTranslation();
  const { colors } = useTheme();
  const user = useAppSelector((s) => s.session.user);
  const [context, setContext] = useState<CustomerContext | null>(null);
  const [guestMerged, setGuestMerged] = useState<string | null>(null);
  const customerId = ticket.requesterId;

  const load = useCallback(() => {
    let live = true;
    parley.customers.context(customerId, { excludeTicketId: ticket.id }).then(
      (c) => live && setContext(c),
      () => live && setContext(null),
    );
    return () => {
      live = false;
    };
  }, [customerId, ticket.id]);
  // What a guest merge did belongs to this ticket only.
  useEffect(() => setGuestMerged(null), [ticket.id]);
  // The ticket's own changes (a merge, a status) can change the list: read again on each.
  useEffect(load, [load, ticket.updatedAt]);
  // Notes another agent adds, edits or deletes show at once (`customer.notes`: all of them now).
  useEffect(
    () =>
      parley.realtime.on('customer.notes', ({ customerId: about, notes }) => {
        if (about === customerId) setContext((c) => c && { ...c, notes });
      }),
    [customerId],
  );

  if (!context) return null;
  const since = new Intl.DateTimeFormat(i18n.language, { year: 'numeric', month: 'long' }).format(
    new Date(context.customer.since),
  );
  const mergeTargets = ticket.status === 'closed' ? [] : context.tickets.filter((x) => x.status !== 'closed');

  return (
    <View role="region" aria-label={t('desk.customer')} style={[styles.panel, { borderTopColor: colors.border }]}>
      <Text style={[styles.title, { color: colors.textMuted }]}>{t('desk.customer')}</Text>
      <Text style={[styles.name, { color: colors.text }]}>
        {personName(requester, t) ?? context.customer.displayName}
      </Text>
      {context.customer.email ? (
        <Text style={[styles.small, { color: colors.textMuted }]}>{context.customer.email}</Text>
      ) : null}
      <Text style={[styles.small, { color: colors.textMuted }]}>{t('desk.customerSince', { date: since })}</Text>
      {guestMerged ? (
        <Text accessibilityRole="alert" style={[styles.small, { color: colors.text }]}>
          {guestMerged}
        </Text>
      ) : null}
      {context.customer.guest ? (
        <GuestMerge
          ticketId={ticket.id}
          guestId={customerId}
          contactEmail={context.customer.guest.contactEmail}
          onMerged={setGuestMerged}
        />
      ) : null}

      {customerFields}

      <View role="group" aria-label={t('desk.otherTickets')} style={styles.section}>
        <Text style={[styles.title, { color: colors.textMuted }]}>{t('desk.otherTickets')}</Text>
        {context.tickets.length === 0 ? (
          <Text style={[styles.small, { color: colors.textMuted }]}>{t('desk.noOtherTickets')}</Text>
        ) : (
          context.tickets.map((other) => (
            <View key={other.id} style={styles.ticketRow}>
              <Button
                variant="link"
                label={other.subject}
                accessibilityLabel={t('desk.openTicket', { subject: other.subject })}
                onPress={() => onOpenTicket(other.id)}
                style={styles.ticketLink}
              />
              <Text style={[styles.small, { color: colors.textMuted }]}>
                {t(`tickets.status.${other.status}`)} · <RelativeTime at={other.updatedAt} />
              </Text>
            </View>
          ))
        )}
      </View>

      {mergeTargets.length > 0 ? <MergeChoices ticket={ticket} targets={mergeTargets} onMerged={onMerged} /> : null}

      <CustomerNotes
        customerId={customerId}
        notes={context.notes}
        selfId={user?.id ?? ''}
        mayWrite={can(user, 'notes.write')}
        onChanged={load}
      />
    </View>
  );
}

/** A website visitor: who they said they are, and merging them into a registered customer. */
function GuestMerge({
  ticketId,
  guestId,
  contactEmail,
  onMerged,
}: {
  ticketId: string;
  guestId: string;
  contactEmail: string | null;
  /** What happened, to show once the panel shows the customer. */
  onMerged: (result: string) => void;
}) {
  const { t } = useTranslation();
  const { colors } = useTheme();
  const dispatch = useAppDispatch();
  const [open, setOpen] = useState(false);
  const [query, setQuery] = useState('');
  const found = useUserSearch(open ? query : '', { role: 'customer', limit: 8 }).filter((u) => u.id !== guestId);
  const [chosen, setChosen] = useState<PublicUser | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const merge = (into: PublicUser) => {
    setBusy(true);
    setError(null);
    parley.customers.mergeGuest(guestId, into.id).then(
      ({ tickets }) => {
        onMerged(t('desk.guestMerged', { count: tickets, name: personName(into, t) }));
        // The ticket's requester is the customer now: the panel follows the ticket.
        void dispatch(loadTicket(ticketId));
      },
      (failure: unknown) => {
        setError(errorText(t, toFormError(failure)));
        setBusy(false);
      },
    );
  };

  return (
    <View role="group" aria-label={t('desk.guest')} style={styles.section}>
      <Text style={[styles.small, { color: colors.text }]}>
        {contactEmail ? t('desk.guestGave', { email: contactEmail }) : t('desk.guest')}
      </Text>
      <Button
        variant="secondary"
        label={`${t('desk.mergeGuest')} ${open ? '▴' : '▾'}`}
        accessibilityLabel={t('desk.mergeGuest')}
        onPress={() => {
          setOpen((o) => !o);
          setChosen(null);
          setError(null);
        }}
      />
      {open && !chosen ? (
        <>
          <TextField label={t('tickets.findCustomer')} value={query} onChangeText={setQuery} inputMode="search" />
          {found.map((u) => (
            <Button
              key={u.id}
              variant="link"
              label={`${personName(u, t)} (@${u.username})`}
              accessibilityLabel={t('desk.mergeGuestInto', { name: personName(u, t) })}
              onPress={() => setChosen(u)}
              style={styles.ticketLink}
            />
          ))}
          {query.trim() && found.length === 0 ? (
            <Text style={[styles.small, { color: colors.textMuted }]}>{t('tickets.noCustomerFound')}</Text>
          ) : null}
        </>
      ) : null}
      {open && chosen ? (
        <View style={styles.section}>
          <Text style={[styles.small, { color: colors.text }]}>
            {t('desk.mergeGuestConfirm', { name: personName(chosen, t) })}
          </Text>
          <View style={styles.row}>
            <Button
              variant="danger"
              label={t('desk.mergeGuestDo', { name: personName(chosen, t) })}
              busy={busy}
              onPress={() => merge(chosen)}
            />
            <Button variant="link" label={t('desk.cancel')} onPress={() => setChosen(null)} />
          </View>
        </View>
      ) : null}
      <FormErrorText message={error} />
    </View>
  );
}

function MergeChoices({
  ticket,
  targets,
  onMerged,
}: {
  ticket: Ticket;
  targets: CustomerContext['tickets'];
  onMerged: (targetId: string) => void;
}) {
  const { t } = useTranslation();
  const { colors } = useTheme();
  const [open, setOpen] = useState(false);
  const [busy, setBusy] = useState<string | null>(null);
  return (
    <View role="group" aria-label={t('desk.mergeTitle')} style={styles.section}>
      <Button
        variant="secondary"
        label={`${t('desk.merge')} ${open ? '▴' : '▾'}`}
        accessibilityLabel={t('desk.merge')}
        onPress={() => setOpen((o) => !o)}
      />
      {open
        ? targets.map((target) => (
            <Button
              key={target.id}
              variant="link"
              label={t('desk.mergeInto', { subject: target.subject })}
              busy={busy === target.id}
              onPress={() => {
                setBusy(target.id);
                parley.tickets.merge(ticket.id, target.id).then(
                  () => onMerged(target.id),
                  () => setBusy(null),
                );
              }}
              style={[styles.ticketLink, { borderColor: colors.border }]}
            />
          ))
        : null}
    </View>
  );
}

function CustomerNotes({
  customerId,
  notes,
  selfId,
  mayWrite,
  onChanged,
}: {
  customerId: string;
  notes: CustomerNote[];
  selfId: string;
  mayWrite: boolean;
  onChanged: () => void;
}) {
  const { t } = useTranslation();
  const { colors } = useTheme();
  const [text, setText] = useState('');
  const [editing, setEditing] = useState<{ id: string; text: string } | null>(null);
  const [busy, setBusy] = useState(false);
  const run = (work: Promise<unknown>, after: () => void) => {
    setBusy(true);
    work
      .then(after, () => {})
      .finally(() => {
        setBusy(false);
        onChanged();
      });
  };
  return (
    <View role="group" aria-label={t('desk.notes')} style={styles.section}>
      <Text style={[styles.title, { color: colors.textMuted }]}>{t('desk.notes')}</Text>
      {notes.length === 0 ? <Text style={[styles.small, { color: colors.textMuted }]}>{t('desk.noNotes')}</Text> : null}
      {notes.map((note) =>
        editing?.id === note.id ? (
          <View key={note.id} style={styles.note}>
            <TextField
              label={t('desk.editNote')}
              value={editing.text}
              multiline
              onChangeText={(value) => setEditing({ id: note.id, text: value })}
            />
            <View style={styles.row}>
              <Button
                label={t('desk.saveNote')}
                busy={busy}
                disabled={!editing.text.trim()}
                onPress={() =>
                  run(parley.customers.editNote(customerId, note.id, editing.text.trim()), () => setEditing(null))
                }
              />
              <Button variant="link" label={t('desk.cancel')} onPress={() => setEditing(null)} />
            </View>
          </View>
        ) : (
          <View key={note.id} style={[styles.note, { borderColor: colors.border }]}>
            <Text style={{ color: colors.text }}>{note.body}</Text>
            <Text style={[styles.small, { color: colors.textMuted }]}>
              {note.author?.name ?? '—'} · <RelativeTime at={note.createdAt} />
            </Text>
            {mayWrite && note.author?.id === selfId ? (
              <View style={styles.row}>
                <Button
                  variant="link"
                  label={t('desk.editNote')}
                  onPress={() => setEditing({ id: note.id, text: note.body })}
                />
                <Button
                  variant="link"
                  label={t('desk.deleteNote')}
                  onPress={() => run(parley.customers.deleteNote(customerId, note.id), () => {})}
                />
              </View>
            ) : null}
          </View>
        ),
      )}
      {mayWrite ? (
        <>
          <TextField label={t('desk.noteText')} value={text} multiline onChangeText={setText} />
          <Button
            variant="secondary"
            label={t('desk.addNote')}
            busy={busy}
            disabled={!text.trim()}
            onPress={() => run(parley.customers.addNote(customerId, text.trim()), () => setText(''))}
          />
        </>
      ) : null}
    </View>
  );
}

const styles = StyleSheet.create({
  panel: { marginTop: 16, paddingTop: 12, borderTopWidth: 1 },
  title: { fontSize: 13, fontWeight: '600', marginBottom: 6 },
  name: { fontSize: 15, fontWeight: '700' },
  small: { fontSize: 12 },
  section: { marginTop: 14 },
  ticketRow: { marginBottom: 6 },
  ticketLink: { alignSelf: 'flex-start', minHeight: 28, paddingHorizontal: 0 },
  note: { marginBottom: 8, paddingBottom: 6, borderBottomWidth: StyleSheet.hairlineWidth },
  row: { flexDirection: 'row', gap: 8, alignItems: 'center' },
});
