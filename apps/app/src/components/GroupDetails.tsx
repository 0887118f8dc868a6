import type { Conversation } from '@parley/protocol';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { StyleSheet, Text, View } from 'react-native';
import type { FormError } from '../api/errors';
import { checkForm } from '../api/form-checks';
import { useFormErrors } from '../i18n/error-text';
import { useAppDispatch } from '../store';
import { updateGroup } from '../store/groups';
import { useTheme } from '../theme/theme';
import { Button } from './Button';
import { FormErrorText } from './FormErrorText';
import { GROUP_FIELDS, GroupFields } from './GroupFields';

/** Its name and topic, and (any member may) their form: Enter saves, Esc cancels. */
export function GroupDetails({ group }: { group: Conversation }) {
  const { t } = useTranslation();
  const { colors } = useTheme();
  const dispatch = useAppDispatch();
  const [editing, setEditing] = useState(false);
  const [title, setTitle] = useState('');
  const [topic, setTopic] = useState('');
  const [error, setError] = useState<FormError | null>(null);
  const [busy, setBusy] = useState(false);
  const errors = useFormErrors(error, GROUP_FIELDS, 'groups');

  const edit = () => {
    setTitle(group.title ?? '');
    setTopic(group.topic ?? '');
    setError(null);
    setEditing(true);
  };
  const save = async () => {
    if (busy) return;
    const missing = checkForm({ title }, { title: { required: true } });
    setError(missing);
    if (missing) return;
    setBusy(true);
    const result = await dispatch(updateGroup({ id: group.id, title: title.trim(), topic: topic.trim() || null }));
    setBusy(false);
    if (updateGroup.fulfilled.match(result)) setEditing(false);
    else setError(result.payload ?? { code: 'internal', fields: {} });
  };

  if (!editing) {
    return (
      <View style={styles.section}>
        <View style={styles.row}>
          <View style={styles.words}>
            <Text style={[styles.title, { color: colors.text }]}>{group.title}</Text>
            <Text style={{ color: colors.textMuted }}>{group.topic || t('groups.noTopic')}</Text>
          </View>
          <Button
            variant="secondary"
            label={t('groups.edit')}
            accessibilityLabel={t('groups.editLabel')}
            onPress={edit}
            testID="group-edit"
          />
        </View>
      </View>
    );
  }
  return (
    <View style={styles.section}>
      <GroupFields
        title={title}
        topic={topic}
        onTitle={setTitle}
        onTopic={setTopic}
        error={error}
        onSubmit={() => void save()}
        onCancel={() => setEditing(false)}
        autoFocus
      />
      <FormErrorText message={errors.summary} />
      <View style={styles.actions}>
        <Button label={t('groups.save')} onPress={() => void save()} busy={busy} testID="group-save" />
        <Button variant="secondary" label={t('groups.cancel')} onPress={() => setEditing(false)} />
      </View>
    </View>
  );
}

const styles = StyleSheet.create({
  section: { marginBottom: 16 },
  row: { flexDirection: 'row', alignItems: 'flex-start', gap: 8 },
  words: { flex: 1 },
  title: { fontSize: 16, fontWeight: '700', marginBottom: 2 },
  actions: { flexDirection: 'row', gap: 8 },
});
