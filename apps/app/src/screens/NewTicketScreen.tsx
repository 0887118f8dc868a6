import type { Team, TicketPriority } from '@parley/protocol';
import type { NativeStackScreenProps } from '@react-navigation/native-stack';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Text, View } from 'react-native';
import type { FormError } from '../api/errors';
import { parley } from '../api/parley';
import { Button } from '../components/Button';
import { FormErrorText } from '../components/FormErrorText';
import { Chip } from '../components/Chip';
import { Screen } from '../components/Screen';
import { TextField } from '../components/TextField';
import type { RootStackParamList } from '../navigation/types';
import { useAppDispatch } from '../store';
import { createTicket } from '../store/tickets';
import { useTheme } from '../theme/theme';

const PRIORITIES: TicketPriority[] = ['low', 'medium', 'high', 'urgent'];

export function NewTicketScreen({ navigation }: NativeStackScreenProps<RootStackParamList, 'NewTicket'>) {
  const { t } = useTranslation();
  const { colors } = useTheme();
  const dispatch = useAppDispatch();
  const [subject, setSubject] = useState('');
  const [description, setDescription] = useState('');
  const [priority, setPriority] = useState<TicketPriority>('medium');
  const [teamId, setTeamId] = useState<string | null>(null);
  const [teams, setTeams] = useState<Team[]>([]);
  const [error, setError] = useState<FormError | null>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    parley.teams.list().then(
      ({ items }) => setTeams(items),
      () => setTeams([]),
    );
  }, []);

  const submit = async () => {
    setBusy(true);
    const result = await dispatch(createTicket({ subject, description, priority, ...(teamId && { teamId }) }));
    setBusy(false);
    if (createTicket.fulfilled.match(result)) navigation.replace('Ticket', { id: result.payload.id });
    else setError(result.payload ?? null);
  };

  return (
    <Screen title={t('tickets.new')}>
      <TextField label={t('tickets.subject')} value={subject} onChangeText={setSubject} error={error?.fields.subject} />
      <TextField
        label={t('tickets.description')}
        value={description}
        onChangeText={setDescription}
        multiline
        numberOfLines={5}
        style={{ minHeight: 110, textAlignVertical: 'top' }}
        error={error?.fields.description}
      />
      <Text style={{ color: colors.textMuted, fontWeight: '600', marginBottom: 6 }}>{t('tickets.priority')}</Text>
      <View style={{ flexDirection: 'row', flexWrap: 'wrap', marginBottom: 8 }} accessibilityRole="radiogroup">
        {PRIORITIES.map((p) => (
          <Chip key={p} label={t(`tickets.priorities.${p}`)} selected={priority === p} onPress={() => setPriority(p)} />
        ))}
      </View>
      {teams.length > 0 ? (
        <>
          <Text style={{ color: colors.textMuted, fontWeight: '600', marginBottom: 6 }}>{t('tickets.team')}</Text>
          <View style={{ flexDirection: 'row', flexWrap: 'wrap', marginBottom: 8 }} accessibilityRole="radiogroup">
            <Chip label={t('tickets.noTeam')} selected={teamId === null} onPress={() => setTeamId(null)} />
            {teams.map((team) => (
              <Chip key={team.id} label={team.name} selected={teamId === team.id} onPress={() => setTeamId(team.id)} />
            ))}
          </View>
        </>
      ) : null}
      <FormErrorText error={error} />
      <Button label={t('tickets.create')} onPress={submit} busy={busy} />
    </Screen>
  );
}
