import type { Invite, WorkspaceRole } from '@parley/protocol';
import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Platform, StyleSheet, Text, View } from 'react-native';
import { toFormError, type FormError } from '../../api/errors';
import { parley, serverUrl } from '../../api/parley';
import { Button } from '../../components/Button';
import { Chip } from '../../components/Chip';
import { FormErrorText } from '../../components/FormErrorText';
import { TextField } from '../../components/TextField';
import { errorText } from '../../i18n/error-text';
import { useTheme } from '../../theme/theme';
import { DEFAULT_INVITE_DRAFT, inviteBody, inviteLink, type InviteDraft, type UsesChoice } from './invite-form';
import { roleLabel } from './RolesPanel';

const USES = {
  one: 'admin.invites.usesOne',
  count: 'admin.invites.usesCount',
  unlimited: 'admin.invites.usesUnlimited',
} as const satisfies Record<UsesChoice, string>;

/** Where the app is served: the page's own origin on the web, the server's elsewhere. */
const appOrigin = () => (Platform.OS === 'web' && typeof window !== 'undefined' ? window.location.origin : serverUrl());

/**
 * Links to join this workspace with a role: made here (the link is shown once, to copy), listed
 * with how often they were used and until when they work, and revoked.
 */
export function InvitesPanel() {
  const { t } = useTranslation();
  const { colors } = useTheme();
  const [roles, setRoles] = useState<WorkspaceRole[]>([]);
  const [invites, setInvites] = useState<Invite[]>([]);
  const [created, setCreated] = useState<string | null>(null);
  const [error, setError] = useState<FormError | null>(null);
  const reload = useCallback(async () => {
    try {
      setInvites((await parley.invites.list()).items);
      setError(null);
    } catch (e) {
      setError(toFormError(e));
    }
  }, []);
  useEffect(() => {
    void reload();
    parley.roles.list().then(
      ({ items }) => setRoles(items),
      (e: unknown) => setError(toFormError(e)),
    );
  }, [reload]);

  return (
    <View>
      <Text accessibilityRole="header" style={[styles.subheading, { color: colors.text }]}>
        {t('admin.invites.new')}
      </Text>
      <InviteForm
        roles={roles}
        onCreated={(link) => {
          setCreated(link);
          void reload();
        }}
      />
      {created ? <CreatedLink link={created} onDone={() => setCreated(null)} /> : null}
      <Text accessibilityRole="header" style={[styles.subheading, { color: colors.text }]}>
        {t('admin.invites.list')}
      </Text>
      {invites.length === 0 ? <Text style={{ color: colors.textMuted }}>{t('admin.invites.none')}</Text> : null}
      {invites.map((invite) => (
        <InviteRow key={invite.id} invite={invite} roles={roles} onRevoked={() => void reload()} />
      ))}
      <FormErrorText message={error && errorText(t, error)} />
    </View>
  );
}

function InviteForm({ roles, onCreated }: { roles: WorkspaceRole[]; onCreated: (link: string) => void }) {
  const { t } = useTranslation();
  const { colors } = useTheme();
  const [draft, setDraft] = useState<InviteDraft>(DEFAULT_INVITE_DRAFT);
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const set = (changes: Partial<InviteDraft>) => setDraft((d) => ({ ...d, ...changes }));

  const create = async () => {
    const checked = inviteBody(draft);
    if ('problem' in checked) {
      setProblem(t(`admin.invites.${checked.problem}`));
      return;
    }
    setBusy(true);
    try {
      const { path } = await parley.invites.create(checked.body);
      setProblem(null);
      onCreated(inviteLink(appOrigin(), path));
    } catch (e) {
      setProblem(errorText(t, toFormError(e)));
    } finally {
      setBusy(false);
    }
  };

  return (
    <View style={[styles.card, { borderColor: colors.border, backgroundColor: colors.surfaceRaised }]}>
      <Text style={[styles.label, { color: colors.text }]}>{t('admin.invites.role')}</Text>
      <View role="radiogroup" aria-label={t('admin.invites.role')} style={styles.chips}>
        {roles.map((role) => (
          <Chip
            key={role.id}
            label={roleLabel(t, role)}
            selected={draft.roleId === role.id}
            onPress={() => set({ roleId: role.id })}
          />
        ))}
      </View>
      <Text style={[styles.label, { color: colors.text }]}>{t('admin.invites.uses')}</Text>
      <View role="radiogroup" aria-label={t('admin.invites.uses')} style={styles.chips}>
        {(Object.keys(USES) as UsesChoice[]).map((uses) => (
          <Chip key={uses} label={t(USES[uses])} selected={draft.uses === uses} onPress={() => set({ uses })} />
        ))}
      </View>
      {draft.uses === 'count' ? (
        <TextField
          label={t('admin.invites.count')}
          value={draft.count}
          inputMode="numeric"
          onChangeText={(count) => set({ count })}
        />
      ) : null}
      <View style={styles.chips}>
        <TextField
          label={t('admin.invites.expiresIn')}
          value={draft.expiry}
          inputMode="numeric"
          onChangeText={(expiry) => set({ expiry })}
          style={styles.expiry}
        />
        <View role="radiogroup" aria-label={t('admin.invites.unit')} style={styles.chips}>
          {(['hours', 'days'] as const).map((unit) => (
            <Chip
              key={unit}
              label={t(`admin.invites.${unit}`)}
              selected={draft.unit === unit}
              onPress={() => set({ unit })}
            />
          ))}
        </View>
      </View>
      <FormErrorText message={problem} />
      <Button label={t('admin.invites.create')} busy={busy} onPress={() => void create()} />
    </View>
  );
}

/** The new link, shown this once: the server keeps only its hash. */
function CreatedLink({ link, onDone }: { link: string; onDone: () => void }) {
  const { t } = useTranslation();
  const { colors } = useTheme();
  const [copied, setCopied] = useState<boolean | null>(null);
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(link);
      setCopied(true);
    } catch {
      setCopied(false);
    }
  };
  return (
    <View
      style={[styles.card, { borderColor: colors.primary, backgroundColor: colors.surfaceRaised }]}
      testID="invite-created"
    >
      <Text style={[styles.label, { color: colors.text }]}>{t('admin.invites.created')}</Text>
      <Text selectable testID="invite-link" style={{ color: colors.text, marginBottom: 8 }}>
        {link}
      </Text>
      <View style={styles.chips}>
        {Platform.OS === 'web' ? <Button label={t('admin.invites.copy')} onPress={() => void copy()} /> : null}
        <Button variant="secondary" label={t('admin.invites.done')} onPress={onDone} />
        {copied !== null ? (
          <Text accessibilityLiveRegion="polite" style={{ color: copied ? colors.success : colors.danger }}>
            {t(copied ? 'admin.invites.copied' : 'admin.invites.copyFailed')}
          </Text>
        ) : null}
      </View>
    </View>
  );
}

function InviteRow({ invite, roles, onRevoked }: { invite: Invite; roles: WorkspaceRole[]; onRevoked: () => void }) {
  const { t, i18n } = useTranslation();
  const { colors } = useTheme();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<FormError | null>(null);
  const role = roles.find((r) => r.id === invite.role.id);
  const name = role ? roleLabel(t, role) : invite.role.name;
  const expires = new Date(invite.expiresAt).toLocaleString(i18n.language, { dateStyle: 'medium', timeStyle: 'short' });
  const revoke = async () => {
    setBusy(true);
    try {
      await parley.invites.revoke(invite.id);
      onRevoked();
    } catch (e) {
      setError(toFormError(e));
    } finally {
      setBusy(false);
    }
  };
  const label = t('admin.invites.rowLabel', { role: name, expires });
  return (
    <View
      accessibilityLabel={label}
      testID={`invite-${invite.id}`}
      style={[styles.card, styles.row, { borderColor: colors.border, backgroundColor: colors.surfaceRaised }]}
    >
      <View style={styles.text}>
        <Text style={[styles.label, { color: colors.text }]}>
          {name} · {t(`admin.invites.states.${invite.state}`)}
        </Text>
        <Text style={{ color: colors.textMuted, fontSize: 13 }}>
          {invite.maxUses === null
            ? t('admin.invites.usedUnlimited', { count: invite.uses })
            : t('admin.invites.usedOf', { count: invite.uses, max: invite.maxUses })}
          {' · '}
          {t(invite.state === 'expired' ? 'admin.invites.expired' : 'admin.invites.expires', { at: expires })}
        </Text>
        <FormErrorText message={error && errorText(t, error)} />
      </View>
      {invite.state === 'active' ? (
        <Button
          variant="danger"
          label={t('admin.invites.revoke')}
          accessibilityLabel={t('admin.invites.revokeOf', { role: name, expires })}
          busy={busy}
          onPress={() => void revoke()}
        />
      ) : null}
    </View>
  );
}

const styles = StyleSheet.create({
  subheading: { fontSize: 16, fontWeight: '700', marginTop: 12, marginBottom: 8 },
  card: { borderWidth: 1, borderRadius: 10, padding: 12, marginBottom: 8 },
  row: { flexDirection: 'row', alignItems: 'center', gap: 12 },
  text: { flex: 1 },
  label: { fontSize: 15, fontWeight: '600', marginBottom: 6 },
  chips: { flexDirection: 'row', flexWrap: 'wrap', gap: 6, alignItems: 'center', marginBottom: 8 },
  expiry: { width: 100 },
});
