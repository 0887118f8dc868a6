import type { AdminUser, PublicUser, WorkspaceRole } from '@parley/protocol';
import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { StyleSheet, Text, View } from 'react-native';
import { toFormError, type FormError } from '../../api/errors';
import { parley } from '../../api/parley';
import { Avatar } from '../../components/Avatar';
import { Button } from '../../components/Button';
import { Chip } from '../../components/Chip';
import { FormErrorText } from '../../components/FormErrorText';
import { TextField } from '../../components/TextField';
import { errorText } from '../../i18n/error-text';
import { personName } from '../../people/person-name';
import { useAppSelector } from '../../store';
import { useTheme } from '../../theme/theme';
import { roleLabel } from './RolesPanel';

/** Admins get every person in the admin form; the cast only narrows what the server sends them. */
const asAdminUsers = (items: (PublicUser | AdminUser)[]) => items as AdminUser[];

/**
 * Everyone in the workspace: find a person, give them any of its roles (built-in or its own),
 * deactivate or reactivate them.
 */
export function PeoplePanel() {
  const { t } = useTranslation();
  const [query, setQuery] = useState('');
  const [people, setPeople] = useState<AdminUser[]>([]);
  const [roles, setRoles] = useState<WorkspaceRole[]>([]);
  const [error, setError] = useState<FormError | null>(null);
  useEffect(() => {
    parley.roles.list().then(
      ({ items }) => setRoles(items),
      (e: unknown) => setError(toFormError(e)),
    );
  }, []);

  const load = useCallback(async (q: string) => {
    try {
      const page = await parley.users.search({ limit: 100, ...(q.trim() && { q: q.trim() }) });
      setPeople(asAdminUsers(page.items));
      setError(null);
    } catch (e) {
      setError(toFormError(e));
    }
  }, []);
  useEffect(() => {
    const timer = setTimeout(() => void load(query), 250);
    return () => clearTimeout(timer);
  }, [load, query]);

  const replace = (user: AdminUser) => setPeople((list) => list.map((p) => (p.id === user.id ? user : p)));

  return (
    <View>
      <TextField label={t('admin.findPeople')} value={query} onChangeText={setQuery} inputMode="search" />
      <FormErrorText message={error && errorText(t, error)} />
      {people.map((person) => (
        <PersonAdminRow key={person.id} person={person} roles={roles} onChanged={replace} />
      ))}
    </View>
  );
}

function PersonAdminRow({
  person,
  roles,
  onChanged,
}: {
  person: AdminUser;
  roles: WorkspaceRole[];
  onChanged: (user: AdminUser) => void;
}) {
  const { t } = useTranslation();
  const { colors } = useTheme();
  const selfId = useAppSelector((s) => s.session.user?.id);
  const [confirming, setConfirming] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<FormError | null>(null);
  const self = person.id === selfId;
  const deactivated = person.deactivatedAt !== null;
  const name = personName(person, t);

  const change = async (body: { roleId?: string; deactivated?: boolean }) => {
    setBusy(true);
    try {
      onChanged(await parley.users.update(person.id, body));
      setError(null);
      setConfirming(false);
    } catch (e) {
      setError(toFormError(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <View
      testID={`admin-person-${person.username}`}
      accessibilityLabel={name}
      style={[styles.row, { borderColor: colors.border, backgroundColor: colors.surfaceRaised }]}
    >
      <View style={styles.head}>
        <Avatar name={person.displayName} url={person.avatarUrl} size={40} />
        <View style={styles.who}>
          <Text style={[styles.name, { color: deactivated ? colors.textMuted : colors.text }]} numberOfLines={1}>
            {name}
          </Text>
          <Text style={{ color: colors.textMuted, fontSize: 13 }} numberOfLines={1}>
            @{person.username}
            {deactivated ? ` · ${t('admin.deactivated')}` : ''}
            {person.awaySince && !deactivated ? ` · ${t('admin.away')}` : ''}
            {self ? ` · ${t('admin.you')}` : ''}
          </Text>
        </View>
      </View>
      <View style={styles.controls}>
        <View style={styles.chips} accessibilityRole="radiogroup" accessibilityLabel={t('admin.roleOf', { name })}>
          {roles.map((role) => (
            <Chip
              key={role.id}
              label={roleLabel(t, role)}
              selected={person.roleId === role.id}
              onPress={() => !self && !busy && role.id !== person.roleId && void change({ roleId: role.id })}
            />
          ))}
        </View>
        {self ? null : deactivated ? (
          <Button
            variant="secondary"
            label={t('admin.reactivate')}
            busy={busy}
            onPress={() => void change({ deactivated: false })}
          />
        ) : confirming ? (
          <View style={styles.chips}>
            <Button
              variant="danger"
              label={t('admin.confirmDeactivate')}
              busy={busy}
              onPress={() => void change({ deactivated: true })}
            />
            <Button variant="secondary" label={t('admin.cancel')} onPress={() => setConfirming(false)} />
          </View>
        ) : (
          <Button variant="secondary" label={t('admin.deactivate')} onPress={() => setConfirming(true)} />
        )}
      </View>
      {confirming ? (
        <Text accessibilityRole="alert" style={{ color: colors.danger, marginTop: 6 }}>
          {t('admin.deactivateWarning', { name })}
        </Text>
      ) : null}
      <FormErrorText message={error && errorText(t, error)} />
    </View>
  );
}

const styles = StyleSheet.create({
  row: { borderWidth: 1, borderRadius: 10, padding: 12, marginBottom: 8 },
  head: { flexDirection: 'row', alignItems: 'center' },
  who: { marginLeft: 12, flexShrink: 1 },
  name: { fontSize: 16, fontWeight: '600' },
  controls: {
    flexDirection: 'row',
    flexWrap: 'wrap',
    alignItems: 'center',
    justifyContent: 'space-between',
    marginTop: 8,
    gap: 8,
  },
  chips: { flexDirection: 'row', flexWrap: 'wrap', gap: 6, alignItems: 'center' },
});
