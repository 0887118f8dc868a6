import type { PublicUser } from '@parley/protocol';
import type { NativeStackScreenProps } from '@react-navigation/native-stack';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { StyleSheet, Text } from 'react-native';
import type { FormError } from '../api/errors';
import { checkForm } from '../api/form-checks';
import { refusedPeople } from '../chat/refused-people';
import { Button } from '../components/Button';
import { FormErrorText } from '../components/FormErrorText';
import { GROUP_FIELDS, GroupFields } from '../components/GroupFields';
import { PeoplePicker } from '../components/PeoplePicker';
import { Screen } from '../components/Screen';
import { useFormErrors } from '../i18n/error-text';
import type { RootStackParamList } from '../navigation/types';
import { personName } from '../people/person-name';
import { useAppDispatch } from '../store';
import { createGroup } from '../store/groups';
import { useTheme } from '../theme/theme';

/**
 * A new group: its name, an optional topic and the people in it (the creator is its first
 * admin). Created, the group's chat opens in place of the form.
 */
export function NewGroupScreen({ navigation }: NativeStackScreenProps<RootStackParamList, 'NewGroup'>) {
  const { t } = useTranslation();
  const { colors } = useTheme();
  const dispatch = useAppDispatch();
  const [title, setTitle] = useState('');
  const [topic, setTopic] = useState('');
  const [people, setPeople] = useState<PublicUser[]>([]);
  const [error, setError] = useState<FormError | null>(null);
  /** The people as they were sent: the server names refused ones by their place in it. */
  const [sent, setSent] = useState<PublicUser[]>([]);
  const [noPeople, setNoPeople] = useState(false);
  const [busy, setBusy] = useState(false);
  const refused = refusedPeople(error, 'memberIds', sent);
  const errors = useFormErrors(refused.length > 0 ? null : error, GROUP_FIELDS, 'groups');

  const submit = async () => {
    if (busy) return;
    const missing = checkForm({ title }, { title: { required: true } });
    setError(missing);
    setNoPeople(people.length === 0);
    if (missing || people.length === 0) return;
    setBusy(true);
    setSent(people);
    const result = await dispatch(
      createGroup({ title: title.trim(), memberIds: people.map((p) => p.id), ...(topic.trim() && { topic }) }),
    );
    setBusy(false);
    if (createGroup.fulfilled.match(result)) navigation.replace('Chat', { id: result.payload.id });
    else setError(result.payload ?? { code: 'internal', fields: {} });
  };

  return (
    <Screen title={t('groups.newGroup')}>
      <GroupFields
        title={title}
        topic={topic}
        onTitle={setTitle}
        onTopic={setTopic}
        error={error}
        onSubmit={() => void submit()}
        autoFocus
      />
      <Text accessibilityRole="header" aria-level={2} style={[styles.heading, { color: colors.text }]}>
        {t('groups.people')}
      </Text>
      <Text style={[styles.hint, { color: colors.textMuted }]}>{t('groups.peopleHint')}</Text>
      <PeoplePicker
        chosen={people}
        onChange={(next) => {
          setPeople(next);
          if (next.length > 0) setNoPeople(false);
        }}
        label={t('groups.people')}
      />
      {noPeople ? <FormErrorText message={t('groups.choosePeople')} /> : null}
      <FormErrorText
        message={
          refused.length > 0 ? t('groups.cannotAdd', { names: refused.map((p) => personName(p, t)).join(', ') }) : null
        }
      />
      <FormErrorText message={errors.summary} />
      <Button label={t('groups.create')} onPress={() => void submit()} busy={busy} testID="create-group" />
    </Screen>
  );
}

const styles = StyleSheet.create({
  heading: { fontSize: 17, fontWeight: '700', marginTop: 4, marginBottom: 4 },
  hint: { fontSize: 13, marginBottom: 8 },
});
