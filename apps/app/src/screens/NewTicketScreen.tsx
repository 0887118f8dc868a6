import { can } from '../api/permissions';
import type { PublicUser, TicketPriority } from '@parley/protocol';
import type { NativeStackScreenProps } from '@react-navigation/native-stack';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Text, View } from 'react-native';
import type { FormError } from '../api/errors';
import { checkForm } from '../api/form-checks';
import { parley } from '../api/parley';
import { Button } from '../components/Button';
import { FormErrorText } from '../components/FormErrorText';
import { Chip } from '../components/Chip';
import { Screen } from '../components/Screen';
import { TextField } from '../components/TextField';
import { useFormErrors } from '../i18n/error-text';
import type { RootStackParamList } from '../navigation/types';
import { personName } from '../people/person-name';
import { useUserSearch } from '../search/useUserSearch';
import { useAppDispatch, useAppSelector } from '../store';
import { createTicket } from '../store/tickets';
import { useTheme } from '../theme/theme';

const PRIORITIES: TicketPriority[] = ['low', 'medium', 'high', 'urgent'];

interface Choices {
  /** Where the ticket can go: teams by name for staff, categories by label for customers. */
  destinations: Array<{ id: string; label: string }>;
  priorities: TicketPriority[];
}

/**
 * Customers choose what their ticket is about (team names are internal) and Urgent only when
 * the desk allows it; staff choose a team and any priority. Until the server has answered,
 * nothing beyond Low to High is offered.
 */
function useChoices(staff: boolean | undefined): Choices {
  const [choices, setChoices] = useState<Choices>({ destinations: [], priorities: PRIORITIES.slice(0, 3) });
  useEffect(() => {
    if (staff === undefined) return;
    let live = true;
    const load = staff
      ? parley.teams.list().then(({ items }) => ({
          destinations: items.map((team) => ({ id: team.id, label: team.name })),
          priorities: PRIORITIES,
        }))
      : Promise.all([parley.ticketCategories.list(), parley.settings.get()]).then(([categories, settings]) => ({
          destinations: categories.items,
          priorities: PRIORITIES.filter((p) => p !== 'urgent' || settings.customersMayChooseUrgent),
        }));
    load.then(
      (loaded) => live && setChoices(loaded),
      () => undefined,
    );
    return () => {
      live = false;
    };
  }, [staff]);
  return choices;
}

type ForWhom = 'self' | 'customer' | 'contact';

export function NewTicketScreen({ navigation }: NativeStackScreenProps<RootStackParamList, 'NewTicket'>) {
  const { t } = useTranslation();
  const { colors } = useTheme();
  const dispatch = useAppDispatch();
  const [subject, setSubject] = useState('');
  const [description, setDescription] = useState('');
  const [priority, setPriority] = useState<TicketPriority>('medium');
  const [teamId, setTeamId] = useState<string | null>(null);
  const [error, setError] = useState<FormError | null>(null);
  const [busy, setBusy] = useState(false);
  const user = useAppSelector((s) => s.session.user);
  const staff = can(user, 'tickets.work');
  const { destinations, priorities } = useChoices(user ? staff : undefined);
  const destinationTitle = staff ? t('tickets.team') : t('tickets.category');
  const errors = useFormErrors(error, ['subject', 'description', 'requester.email', 'requester.name']);
  const [forWhom, setForWhom] = useState<ForWhom>('self');
  const [customerQuery, setCustomerQuery] = useState('');
  const [customer, setCustomer] = useState<PublicUser | null>(null);
  const [contactEmail, setContactEmail] = useState('');
  const [contactName, setContactName] = useState('');
  const found = useUserSearch(forWhom === 'customer' ? customerQuery : '', { role: 'customer', limit: 8 });
  const [noCustomer, setNoCustomer] = useState(false);

  const submit = async () => {
    const contact = forWhom === 'contact';
    const missing = checkForm(
      { subject, description, ...(contact && { 'requester.email': contactEmail, 'requester.name': contactName }) },
      {
        subject: { required: true },
        description: { required: true },
        ...(contact && { 'requester.email': { required: true, email: true }, 'requester.name': { required: true } }),
      },
    );
    setError(missing);
    setNoCustomer(forWhom === 'customer' && !customer);
    if (missing || (forWhom === 'customer' && !customer)) return;
    setBusy(true);
    const requester =
      forWhom === 'customer' && customer
        ? { requesterId: customer.id }
        : contact
          ? { requester: { email: contactEmail.trim(), name: contactName.trim() } }
          : {};
    const result = await dispatch(
      createTicket({ subject, description, priority, ...(teamId && { teamId }), ...requester }),
    );
    setBusy(false);
    if (createTicket.fulfilled.match(result)) navigation.replace('Ticket', { id: result.payload.id });
    else setError(result.payload ?? null);
  };

  return (
    <Screen title={t('tickets.new')}>
      {staff ? (
        <>
          <Text style={{ color: colors.textMuted, fontWeight: '600', marginBottom: 6 }}>{t('tickets.forWhom')}</Text>
          <View
            style={{ flexDirection: 'row', flexWrap: 'wrap', marginBottom: 8 }}
            accessibilityRole="radiogroup"
            accessibilityLabel={t('tickets.forWhom')}
          >
            {(['self', 'customer', 'contact'] as const).map((who) => (
              <Chip
                key={who}
                label={t(
                  who === 'self'
                    ? 'tickets.forSelf'
                    : who === 'customer'
                      ? 'tickets.forCustomer'
                      : 'tickets.forNewContact',
                )}
                selected={forWhom === who}
                onPress={() => setForWhom(who)}
              />
            ))}
          </View>
          {forWhom === 'customer' ? (
            <>
              <TextField
                label={t('tickets.findCustomer')}
                value={customerQuery}
                onChangeText={setCustomerQuery}
                inputMode="search"
              />
              <View
                style={{ flexDirection: 'row', flexWrap: 'wrap', marginBottom: 8 }}
                accessibilityRole="radiogroup"
                accessibilityLabel={t('tickets.forCustomer')}
              >
                {[...(customer && !found.some((u) => u.id === customer.id) ? [customer] : []), ...found].map((u) => (
                  <Chip
                    key={u.id}
                    label={`${personName(u, t)} (@${u.username})`}
                    selected={customer?.id === u.id}
                    onPress={() => setCustomer(u)}
                  />
                ))}
              </View>
              {customerQuery.trim() && found.length === 0 ? (
                <Text style={{ color: colors.textMuted, marginBottom: 8 }}>{t('tickets.noCustomerFound')}</Text>
              ) : null}
              {noCustomer ? <FormErrorText message={t('tickets.chooseCustomer')} /> : null}
            </>
          ) : null}
          {forWhom === 'contact' ? (
            <>
              <TextField
                label={t('tickets.contactEmail')}
                value={contactEmail}
                onChangeText={setContactEmail}
                inputMode="email"
                autoCapitalize="none"
                error={errors.field('requester.email')}
              />
              <TextField
                label={t('tickets.contactName')}
                value={contactName}
                onChangeText={setContactName}
                error={errors.field('requester.name')}
              />
            </>
          ) : null}
        </>
      ) : null}
      <TextField
        label={t('tickets.subject')}
        value={subject}
        onChangeText={setSubject}
        error={errors.field('subject')}
      />
      <TextField
        label={t('tickets.description')}
        value={description}
        onChangeText={setDescription}
        multiline
        numberOfLines={5}
        style={{ minHeight: 110, textAlignVertical: 'top' }}
        error={errors.field('description')}
      />
      <Text style={{ color: colors.textMuted, fontWeight: '600', marginBottom: 6 }}>{t('tickets.priority')}</Text>
      <View
        style={{ flexDirection: 'row', flexWrap: 'wrap', marginBottom: 8 }}
        accessibilityRole="radiogroup"
        accessibilityLabel={t('tickets.priority')}
      >
        {priorities.map((p) => (
          <Chip key={p} label={t(`tickets.priorities.${p}`)} selected={priority === p} onPress={() => setPriority(p)} />
        ))}
      </View>
      {destinations.length > 0 ? (
        <>
          <Text style={{ color: colors.textMuted, fontWeight: '600', marginBottom: 6 }}>{destinationTitle}</Text>
          <View
            style={{ flexDirection: 'row', flexWrap: 'wrap', marginBottom: 8 }}
            accessibilityRole="radiogroup"
            accessibilityLabel={destinationTitle}
          >
            <Chip
              label={staff ? t('tickets.noTeam') : t('tickets.noCategory')}
              selected={teamId === null}
              onPress={() => setTeamId(null)}
            />
            {destinations.map((d) => (
              <Chip key={d.id} label={d.label} selected={teamId === d.id} onPress={() => setTeamId(d.id)} />
            ))}
          </View>
        </>
      ) : null}
      <FormErrorText message={errors.summary} />
      <Button label={t('tickets.create')} onPress={submit} busy={busy} />
    </Screen>
  );
}
