import type { Permission, WorkspaceRole } from '@parley/protocol';
import { PERMISSIONS } from '@parley/protocol/constants';
import type { TFunction } from 'i18next';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Pressable, StyleSheet, Text, View } from 'react-native';
import { useAction } from './use-action';
import { parley } from '../../api/parley';
import { Button } from '../../components/Button';
import { FormErrorText } from '../../components/FormErrorText';
import { TextField } from '../../components/TextField';
import { errorText, useFormErrors } from '../../i18n/error-text';
import { useTheme } from '../../theme/theme';
import { useLoadedList } from '../../api/loaded-list';

/** Every permission, in the order the protocol lists them (work first, administration last). */

/** A role's name as people read it: the built-in ones in the app's language, the others as named. */
export const roleLabel = (t: TFunction, role: Pick<WorkspaceRole, 'name' | 'builtIn'>): string =>
  role.builtIn ? t(`admin.roles.${role.builtIn}`) : role.name;

/**
 * The workspace's roles: the built-in ones to look at, and its own to define, change and
 * delete. A role is a name and a set of permissions; who has it gets them at once.
 */
export function RolesPanel() {
  const { t } = useTranslation();
  const { colors } = useTheme();
  const { items: loaded, loadError, reload } = useLoadedList(() => parley.roles.list());
  const roles = loaded ?? [];

  return (
    <View>
      {roles.map((role) => (
        <RoleCard key={role.id} role={role} onChanged={() => void reload()} />
      ))}
      <FormErrorText message={loadError && errorText(t, loadError)} />
      <Text accessibilityRole="header" style={[styles.subheading, { color: colors.text }]}>
        {t('admin.newRole')}
      </Text>
      <RoleForm
        submitLabel={t('admin.createRole')}
        permissionsLabel={t('admin.newRolePermissions')}
        initial={{ name: '', permissions: [] }}
        resetAfterSubmit
        onSubmit={async (body) => {
          await parley.roles.create(body);
          await reload();
        }}
      />
    </View>
  );
}

function RoleCard({ role, onChanged }: { role: WorkspaceRole; onChanged: () => void }) {
  const { t } = useTranslation();
  const { colors } = useTheme();
  const [editing, setEditing] = useState(false);
  const [confirmDelete, setConfirmDelete] = useState(false);
  const remove = useAction();
  const removeErrors = useFormErrors(remove.error, [], 'roles');
  const label = roleLabel(t, role);

  return (
    <View
      testID={`admin-role-${role.name}`}
      accessibilityLabel={label}
      style={[styles.card, { borderColor: colors.border, backgroundColor: colors.surfaceRaised }]}
    >
      <View style={styles.head}>
        <View style={styles.who}>
          <Text style={[styles.name, { color: colors.text }]}>{label}</Text>
          <Text style={{ color: colors.textMuted, fontSize: 13 }}>
            {t('admin.roleMembers', { count: role.memberCount })}
            {role.builtIn ? ` · ${t('admin.builtInRole')}` : ''}
          </Text>
          <Text style={{ color: colors.textMuted, fontSize: 13 }}>
            {role.permissions.length > 0
              ? role.permissions.map((p) => t(`admin.permissions.${p}.label`)).join(', ')
              : t('admin.noPermissions')}
          </Text>
        </View>
        {role.builtIn || editing ? null : (
          <View style={styles.actions}>
            <Button
              variant="secondary"
              label={t('admin.edit')}
              accessibilityLabel={t('admin.editRoleOf', { name: label })}
              onPress={() => setEditing(true)}
            />
            <Button
              variant="danger"
              label={t('admin.deleteRole')}
              accessibilityLabel={t('admin.deleteRoleOf', { name: label })}
              onPress={() => setConfirmDelete(true)}
            />
          </View>
        )}
      </View>
      {confirmDelete ? (
        <View style={styles.confirm}>
          <Text style={{ color: colors.textMuted, fontSize: 13 }}>{t('admin.deleteRoleWarning')}</Text>
          <View style={styles.actions}>
            <Button
              variant="danger"
              label={t('admin.confirmDeleteRole')}
              busy={remove.busy}
              onPress={() => void remove.run(() => parley.roles.remove(role.id)).then((done) => done && onChanged())}
            />
            <Button variant="secondary" label={t('admin.cancel')} onPress={() => setConfirmDelete(false)} />
          </View>
          <FormErrorText message={removeErrors.summary} />
        </View>
      ) : null}
      {editing ? (
        <RoleForm
          submitLabel={t('admin.save')}
          permissionsLabel={t('admin.rolePermissions', { name: label })}
          initial={{ name: role.name, permissions: role.permissions }}
          onCancel={() => setEditing(false)}
          onSubmit={async (body) => {
            await parley.roles.update(role.id, body);
            setEditing(false);
            onChanged();
          }}
        />
      ) : null}
    </View>
  );
}

interface RoleDraft {
  name: string;
  permissions: Permission[];
}

/** A role's name and a checkbox per permission, each with a line saying what it allows. */
function RoleForm({
  initial,
  submitLabel,
  permissionsLabel,
  resetAfterSubmit = false,
  onSubmit,
  onCancel,
}: {
  initial: RoleDraft;
  submitLabel: string;
  permissionsLabel: string;
  resetAfterSubmit?: boolean;
  onSubmit: (draft: RoleDraft) => Promise<void>;
  onCancel?: () => void;
}) {
  const { t } = useTranslation();
  const [name, setName] = useState(initial.name);
  const [permissions, setPermissions] = useState<ReadonlySet<Permission>>(new Set(initial.permissions));
  const action = useAction();
  const errors = useFormErrors(action.error, ['name']);
  const toggle = (permission: Permission) =>
    setPermissions((set) => {
      const next = new Set(set);
      if (!next.delete(permission)) next.add(permission);
      return next;
    });
  const submit = async () => {
    const chosen = PERMISSIONS.filter((p) => permissions.has(p));
    if (!(await action.run(() => onSubmit({ name: name.trim(), permissions: chosen })))) return;
    if (resetAfterSubmit) {
      setName('');
      setPermissions(new Set());
    }
  };
  return (
    <View style={styles.form}>
      <TextField label={t('admin.roleName')} value={name} onChangeText={setName} error={errors.field('name')} />
      <View accessibilityRole="list" aria-label={permissionsLabel} style={styles.permissions}>
        {PERMISSIONS.map((permission) => (
          <PermissionBox
            key={permission}
            permission={permission}
            checked={permissions.has(permission)}
            onToggle={() => toggle(permission)}
          />
        ))}
      </View>
      <FormErrorText message={errors.summary} />
      <View style={styles.actions}>
        <Button label={submitLabel} busy={action.busy} disabled={!name.trim()} onPress={() => void submit()} />
        {onCancel ? <Button variant="secondary" label={t('admin.cancel')} onPress={onCancel} /> : null}
      </View>
    </View>
  );
}

function PermissionBox({
  permission,
  checked,
  onToggle,
}: {
  permission: Permission;
  checked: boolean;
  onToggle: () => void;
}) {
  const { t } = useTranslation();
  const { colors } = useTheme();
  const label = t(`admin.permissions.${permission}.label`);
  const hint = t(`admin.permissions.${permission}.hint`);
  return (
    <Pressable
      accessibilityRole="checkbox"
      accessibilityLabel={label}
      accessibilityHint={hint}
      accessibilityState={{ checked }}
      // react-native-web does not map accessibilityState: a checkbox without aria-checked is none.
      aria-checked={checked}
      onPress={onToggle}
      style={({ focused }: { pressed: boolean; focused?: boolean }) => [
        styles.permission,
        focused && { outlineColor: colors.link, outlineWidth: 2, outlineStyle: 'solid' as const },
      ]}
    >
      <View
        style={[
          styles.checkbox,
          {
            borderColor: checked ? colors.primary : colors.border,
            backgroundColor: checked ? colors.primary : 'transparent',
          },
        ]}
      >
        {checked ? <Text style={{ color: colors.onPrimary, fontSize: 11, fontWeight: '800' }}>✓</Text> : null}
      </View>
      <View style={styles.permissionText}>
        <Text style={{ color: colors.text, fontSize: 14, fontWeight: '600' }}>{label}</Text>
        <Text style={{ color: colors.textMuted, fontSize: 13 }}>{hint}</Text>
      </View>
    </Pressable>
  );
}

const styles = StyleSheet.create({
  subheading: { fontSize: 16, fontWeight: '700', marginTop: 12, marginBottom: 8 },
  card: { borderWidth: 1, borderRadius: 10, padding: 12, marginBottom: 8 },
  head: { flexDirection: 'row', alignItems: 'flex-start', justifyContent: 'space-between', gap: 8, flexWrap: 'wrap' },
  who: { flexShrink: 1 },
  name: { fontSize: 16, fontWeight: '600' },
  actions: { flexDirection: 'row', flexWrap: 'wrap', gap: 6, alignItems: 'center', marginTop: 4 },
  confirm: { marginTop: 8 },
  form: { marginTop: 8 },
  permissions: { marginBottom: 8 },
  permission: { flexDirection: 'row', alignItems: 'flex-start', gap: 10, paddingVertical: 6 },
  checkbox: {
    width: 18,
    height: 18,
    borderWidth: 2,
    borderRadius: 4,
    alignItems: 'center',
    justifyContent: 'center',
    marginTop: 2,
  },
  permissionText: { flexShrink: 1 },
});
