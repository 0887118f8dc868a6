import type { CannedResponse, Team } from '@parley/protocol';
import { CANNED_PLACEHOLDERS } from '@parley/protocol/constants';
import { ParleyError } from '@parley/client';
import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { StyleSheet, Text, View } from 'react-native';
import { toFormError, type FormError } from '../../api/errors';
import { parley } from '../../api/parley';
import { Button } from '../../components/Button';
import { Chip } from '../../components/Chip';
import { FormErrorText } from '../../components/FormErrorText';
import { TextField } from '../../components/TextField';
import { errorText, useFormErrors } from '../../i18n/error-text';
import { useTheme } from '../../theme/theme';
import { useAction } from './use-action';

type Mode = 'personal' | 'shared';
/** A rule that sends a response, as a refused delete names it. */
type RuleRef = { id: string; name: string };

/**
 * Canned responses to keep: `personal` (Profile: an agent's own) or `shared` (Admin, with
 * `settings.manage`: the workspace's and every team's). Each can be changed or deleted; one an
 * automation rule sends cannot be deleted, and the panel names the rules.
 */
export function CannedResponsesPanel({ mode }: { mode: Mode }) {
  const { t } = useTranslation();
  const { colors } = useTheme();
  const [items, setItems] = useState<CannedResponse[]>([]);
  const [teams, setTeams] = useState<Team[]>([]);
  const [loadError, setLoadError] = useState<FormError | null>(null);
  const reload = useCallback(async () => {
    try {
      const list = await parley.cannedResponses.list({ purpose: 'manage' });
      setItems(list.items.filter((r) => (mode === 'personal') === (r.scope === 'personal')));
      setLoadError(null);
    } catch (e) {
      setLoadError(toFormError(e));
    }
  }, [mode]);
  useEffect(() => {
    void reload();
    if (mode === 'shared')
      void parley.teams.list().then(
        (list) => setTeams(list.items),
        () => undefined,
      );
  }, [reload, mode]);

  return (
    <View>
      <Text style={{ color: colors.textMuted, fontSize: 13, marginBottom: 8 }}>
        {mode === 'personal'
          ? t('canned.personalIntro')
          : t('canned.sharedIntro', { placeholders: CANNED_PLACEHOLDERS.map((p) => `{{${p}}}`).join(' ') })}
      </Text>
      {items.length === 0 ? <Text style={{ color: colors.textMuted }}>{t('canned.empty')}</Text> : null}
      {items.map((r) => (
        <CannedCard key={r.id} response={r} teams={teams} onChanged={() => void reload()} />
      ))}
      <FormErrorText message={loadError && errorText(t, loadError)} />
      <Text accessibilityRole="header" style={[styles.subheading, { color: colors.text }]}>
        {t('canned.newHeading')}
      </Text>
      <CannedForm
        mode={mode}
        teams={teams}
        submitLabel={t('canned.add')}
        resetAfterSubmit
        onSubmit={async (draft) => {
          await parley.cannedResponses.create({
            scope: mode === 'personal' ? 'personal' : draft.teamId ? 'team' : 'workspace',
            ...(mode === 'shared' && draft.teamId && { teamId: draft.teamId }),
            shortcut: draft.shortcut,
            title: draft.title,
            body: draft.body,
          });
          await reload();
        }}
      />
    </View>
  );
}

/** Admin → Canned responses: the workspace's and every team's. */
export const SharedCannedResponsesPanel = () => <CannedResponsesPanel mode="shared" />;

function scopeText(t: ReturnType<typeof useTranslation>['t'], r: CannedResponse, teams: Team[]): string {
  if (r.scope !== 'team') return t(`canned.scope.${r.scope}`);
  return t('canned.forTeam', { team: teams.find((team) => team.id === r.teamId)?.name ?? '…' });
}

function CannedCard({
  response,
  teams,
  onChanged,
}: {
  response: CannedResponse;
  teams: Team[];
  onChanged: () => void;
}) {
  const { t } = useTranslation();
  const { colors } = useTheme();
  const [editing, setEditing] = useState(false);
  const [confirmDelete, setConfirmDelete] = useState(false);
  const [removing, setRemoving] = useState(false);
  const [removeError, setRemoveError] = useState<string | null>(null);
  const removeIt = async () => {
    setRemoving(true);
    try {
      await parley.cannedResponses.remove(response.id);
      setRemoveError(null);
      onChanged();
    } catch (e) {
      // Rules that send it are named, so the admin knows which to change.
      const rules =
        e instanceof ParleyError && e.code === 'conflict' ? (e.details?.rules as RuleRef[] | undefined) : undefined;
      setRemoveError(
        rules
          ? t('canned.usedByRules', { rules: rules.map((r) => `“${r.name}”`).join(', ') })
          : errorText(t, toFormError(e)),
      );
    } finally {
      setRemoving(false);
    }
  };

  return (
    <View
      accessibilityLabel={response.title}
      style={[styles.card, { borderColor: colors.border, backgroundColor: colors.surfaceRaised }]}
    >
      <View style={styles.head}>
        <View style={styles.who}>
          <Text style={[styles.name, { color: colors.text }]}>
            {response.title} <Text style={{ color: colors.textMuted, fontWeight: '400' }}>/{response.shortcut}</Text>
          </Text>
          <Text style={{ color: colors.textMuted, fontSize: 13 }}>
            {scopeText(t, response, teams)} · {t('canned.uses', { count: response.usageCount })}
          </Text>
          <Text style={{ color: colors.text, fontSize: 13 }} numberOfLines={3}>
            {response.body}
          </Text>
        </View>
        {editing ? null : (
          <View style={styles.actions}>
            <Button
              variant="secondary"
              label={t('canned.edit')}
              accessibilityLabel={t('canned.editOf', { title: response.title })}
              onPress={() => setEditing(true)}
            />
            <Button
              variant="danger"
              label={t('canned.delete')}
              accessibilityLabel={t('canned.deleteOf', { title: response.title })}
              onPress={() => setConfirmDelete(true)}
            />
          </View>
        )}
      </View>
      {confirmDelete ? (
        <View style={styles.confirm}>
          <Text style={{ color: colors.textMuted, fontSize: 13 }}>{t('canned.deleteWarning')}</Text>
          <View style={styles.actions}>
            <Button
              variant="danger"
              label={t('canned.confirmDelete')}
              busy={removing}
              onPress={() => void removeIt()}
            />
            <Button variant="secondary" label={t('canned.cancel')} onPress={() => setConfirmDelete(false)} />
          </View>
          <FormErrorText message={removeError} />
        </View>
      ) : null}
      {editing ? (
        <CannedForm
          mode={response.scope === 'personal' ? 'personal' : 'shared'}
          teams={teams}
          fixedScope
          initial={{ shortcut: response.shortcut, title: response.title, body: response.body, teamId: response.teamId }}
          submitLabel={t('canned.save')}
          onCancel={() => setEditing(false)}
          onSubmit={async (draft) => {
            await parley.cannedResponses.update(response.id, {
              shortcut: draft.shortcut,
              title: draft.title,
              body: draft.body,
            });
            setEditing(false);
            onChanged();
          }}
        />
      ) : null}
    </View>
  );
}

interface Draft {
  shortcut: string;
  title: string;
  body: string;
  /** Shared ones: a team's, or (null) the workspace's. */
  teamId: string | null;
}

const EMPTY: Draft = { shortcut: '', title: '', body: '', teamId: null };

function CannedForm({
  mode,
  teams,
  initial = EMPTY,
  fixedScope = false,
  submitLabel,
  resetAfterSubmit = false,
  onSubmit,
  onCancel,
}: {
  mode: Mode;
  teams: Team[];
  initial?: Draft;
  /** Editing: who it is for stays. */
  fixedScope?: boolean;
  submitLabel: string;
  resetAfterSubmit?: boolean;
  onSubmit: (draft: Draft) => Promise<void>;
  onCancel?: () => void;
}) {
  const { t } = useTranslation();
  const [draft, setDraft] = useState(initial);
  const action = useAction();
  const set = (change: Partial<Draft>) => setDraft((d) => ({ ...d, ...change }));
  const errors = useFormErrors(action.error, ['shortcut', 'title', 'body']);
  const fieldError = (name: string) =>
    action.error?.fields[name]?.reason === 'taken' ? t('canned.shortcutTaken') : errors.field(name);
  const submit = async () => {
    const trimmed = { ...draft, shortcut: draft.shortcut.trim().toLowerCase().replace(/^\//, '') };
    if (!(await action.run(() => onSubmit(trimmed)))) return;
    if (resetAfterSubmit) setDraft(EMPTY);
  };
  return (
    <View style={styles.form}>
      {mode === 'shared' && !fixedScope ? (
        <View accessibilityRole="radiogroup" aria-label={t('canned.team')} style={styles.chips}>
          <Chip
            label={t('canned.scope.workspace')}
            selected={draft.teamId === null}
            onPress={() => set({ teamId: null })}
          />
          {teams.map((team) => (
            <Chip
              key={team.id}
              label={t('canned.forTeam', { team: team.name })}
              selected={draft.teamId === team.id}
              onPress={() => set({ teamId: team.id })}
            />
          ))}
        </View>
      ) : null}
      <TextField
        label={t('canned.shortcut')}
        value={draft.shortcut}
        autoCapitalize="none"
        onChangeText={(shortcut) => set({ shortcut })}
        error={fieldError('shortcut')}
      />
      <TextField
        label={t('canned.title')}
        value={draft.title}
        onChangeText={(title) => set({ title })}
        error={fieldError('title')}
      />
      <TextField
        label={t('canned.body')}
        value={draft.body}
        multiline
        numberOfLines={4}
        onChangeText={(body) => set({ body })}
        error={fieldError('body')}
      />
      <FormErrorText message={errors.summary} />
      <View style={styles.actions}>
        <Button
          label={submitLabel}
          busy={action.busy}
          disabled={!draft.shortcut.trim() || !draft.title.trim() || !draft.body.trim()}
          onPress={() => void submit()}
        />
        {onCancel ? <Button variant="secondary" label={t('canned.cancel')} onPress={onCancel} /> : null}
      </View>
    </View>
  );
}

const styles = StyleSheet.create({
  subheading: { fontSize: 16, fontWeight: '700', marginTop: 12, marginBottom: 8 },
  card: { borderWidth: 1, borderRadius: 10, padding: 12, marginBottom: 8 },
  head: { flexDirection: 'row', alignItems: 'flex-start', justifyContent: 'space-between', gap: 8 },
  who: { flexShrink: 1, gap: 2 },
  name: { fontSize: 16, fontWeight: '600' },
  actions: { flexDirection: 'row', flexWrap: 'wrap', gap: 6, alignItems: 'center', marginTop: 8 },
  confirm: { marginTop: 8 },
  form: { marginTop: 8 },
  chips: { flexDirection: 'row', flexWrap: 'wrap', gap: 6, marginBottom: 6 },
});
