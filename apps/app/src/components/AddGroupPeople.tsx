import type { Conversation, PublicUser } from '@parley/protocol';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { StyleSheet, View } from 'react-native';
import type { FormError } from '../api/errors';
import { refusedPeople } from '../chat/refused-people';
import { errorText } from '../i18n/error-text';
import { personName } from '../people/person-name';
import { useAppDispatch } from '../store';
import { addGroupMembers } from '../store/groups';
import { Button } from './Button';
import { FormErrorText } from './FormErrorText';
import { PeoplePicker } from './PeoplePicker';

/** For the group's admins: "Add people" opens a picker of who is not in it yet. */
export function AddGroupPeople({ group }: { group: Conversation }) {
  const { t } = useTranslation();
  const dispatch = useAppDispatch();
  const [open, setOpen] = useState(false);
  const [people, setPeople] = useState<PublicUser[]>([]);
  const [sent, setSent] = useState<PublicUser[]>([]);
  const [error, setError] = useState<FormError | null>(null);
  const [busy, setBusy] = useState(false);
  const refused = refusedPeople(error, 'userIds', sent);

  const add = async () => {
    if (people.length === 0 || busy) return;
    setBusy(true);
    setSent(people);
    const result = await dispatch(addGroupMembers({ id: group.id, userIds: people.map((p) => p.id) }));
    setBusy(false);
    if (addGroupMembers.fulfilled.match(result)) {
      setPeople([]);
      setError(null);
      setOpen(false);
    } else setError(result.payload ?? { code: 'internal', fields: {} });
  };

  return (
    <View style={styles.section}>
      <Button
        variant="secondary"
        label={t('groups.addPeople')}
        expanded={open}
        onPress={() => setOpen((o) => !o)}
        style={styles.toggle}
        testID="group-add-people"
      />
      {open ? (
        <View style={styles.picker}>
          <PeoplePicker
            chosen={people}
            onChange={setPeople}
            exclude={group.members.map((m) => m.id)}
            label={t('groups.addPeople')}
          />
          <FormErrorText
            message={
              refused.length > 0
                ? t('groups.cannotAdd', { names: refused.map((p) => personName(p, t)).join(', ') })
                : error && errorText(t, error, 'groups')
            }
          />
          <Button
            label={people.length > 0 ? t('groups.addCount', { count: people.length }) : t('groups.add')}
            disabled={people.length === 0}
            busy={busy}
            onPress={() => void add()}
            testID="group-add-confirm"
          />
        </View>
      ) : null}
    </View>
  );
}

const styles = StyleSheet.create({
  section: { marginBottom: 16 },
  toggle: { alignSelf: 'flex-start' },
  picker: { marginTop: 8 },
});
