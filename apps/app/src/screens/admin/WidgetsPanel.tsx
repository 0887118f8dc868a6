import type { ChatWidget, Team } from '@parley/protocol';
import type { TFunction } from 'i18next';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { StyleSheet, Text, View } from 'react-native';
import { absoluteUrl, parley } from '../../api/parley';
import { Button } from '../../components/Button';
import { Chip } from '../../components/Chip';
import { FormErrorText } from '../../components/FormErrorText';
import { MONOSPACE } from '../../components/markdown/MessageMarkdown';
import { TextField } from '../../components/TextField';
import { errorText, useFormErrors } from '../../i18n/error-text';
import { useTheme } from '../../theme/theme';
import { useAction } from './use-action';
import { useLoadedList } from '../../api/loaded-list';

/**
 * Admin → Chat widget: the website chat widgets, to add (a name, the sites that may embed it,
 * the team its chats go to, a greeting), edit and remove. Each shows the tag to put on those
 * sites' pages and, on request, the secret the sites sign their signed-in users with.
 */
export function WidgetsPanel() {
  const { t } = useTranslation();
  const { colors } = useTheme();
  const [teams, setTeams] = useState<Team[]>([]);
  const { items: loaded, loadError, reload } = useLoadedList(() => parley.widgets.list());
  const widgets = loaded ?? [];
  useEffect(() => {
    parley.teams.list().then(
      ({ items }) => setTeams(items),
      () => setTeams([]),
    );
  }, []);

  return (
    <View>
      {widgets.length === 0 ? <Text style={{ color: colors.textMuted }}>{t('widgets.empty')}</Text> : null}
      {widgets.map((widget) => (
        <WidgetCard key={widget.id} widget={widget} teams={teams} onChanged={() => void reload()} />
      ))}
      <Text style={[styles.help, { color: colors.textMuted }]}>{t('widgets.help')}</Text>
      <FormErrorText message={loadError && errorText(t, loadError)} />
      <Text accessibilityRole="header" style={[styles.subheading, { color: colors.text }]}>
        {t('widgets.newWidget')}
      </Text>
      <WidgetForm
        submitLabel={t('widgets.create')}
        initial={{ name: '', sites: '', teamId: null, greeting: '' }}
        teams={teams}
        clearOnSave
        onSubmit={async (draft) => {
          await parley.widgets.create(bodyOf(draft));
          await reload();
        }}
      />
    </View>
  );
}

/** The tag for the sites' pages: the loader comes from the server this app talks to. */
const snippetOf = (widget: ChatWidget) =>
  `<script src="${absoluteUrl('/widget.js')}" data-parley-key="${widget.key}" async></script>`;

function WidgetCard({ widget, teams, onChanged }: { widget: ChatWidget; teams: Team[]; onChanged: () => void }) {
  const { t } = useTranslation();
  const { colors } = useTheme();
  const [editing, setEditing] = useState(false);
  const [confirmRemove, setConfirmRemove] = useState(false);
  const remove = useAction();
  const removeErrors = useFormErrors(remove.error, []);
  const team = widget.teamId ? (teams.find((x) => x.id === widget.teamId)?.name ?? '…') : null;
  return (
    <View
      accessibilityLabel={widget.name}
      style={[styles.card, { borderColor: colors.border, backgroundColor: colors.surfaceRaised }]}
    >
      <View style={styles.head}>
        <View style={styles.who}>
          <Text style={[styles.name, { color: colors.text }]}>{widget.name}</Text>
          <Text style={{ color: colors.textMuted, fontSize: 13 }}>
            {t('widgets.shown', {
              sites: widget.allowedOrigins.join(', '),
              team: team ?? t('widgets.defaultQueue'),
            })}
          </Text>
          {widget.greeting ? (
            <Text style={{ color: colors.textMuted, fontSize: 13 }}>
              {t('widgets.greetingShown', { greeting: widget.greeting })}
            </Text>
          ) : null}
        </View>
        {editing ? null : (
          <View style={styles.actions}>
            <Button
              variant="secondary"
              label={t('widgets.edit')}
              accessibilityLabel={t('widgets.editOf', { name: widget.name })}
              onPress={() => setEditing(true)}
            />
            <Button
              variant="danger"
              label={t('widgets.remove')}
              accessibilityLabel={t('widgets.removeOf', { name: widget.name })}
              onPress={() => setConfirmRemove(true)}
            />
          </View>
        )}
      </View>
      {confirmRemove ? (
        <View style={styles.confirm}>
          <Text style={{ color: colors.textMuted, fontSize: 13 }}>{t('widgets.removeWarning')}</Text>
          <View style={styles.actions}>
            <Button
              variant="danger"
              label={t('widgets.confirmRemove')}
              busy={remove.busy}
              onPress={() =>
                void remove.run(() => parley.widgets.remove(widget.id)).then((done) => done && onChanged())
              }
            />
            <Button variant="secondary" label={t('widgets.cancel')} onPress={() => setConfirmRemove(false)} />
          </View>
          <FormErrorText message={removeErrors.summary} />
        </View>
      ) : null}
      {editing ? (
        <WidgetForm
          submitLabel={t('widgets.save')}
          initial={{
            name: widget.name,
            sites: widget.allowedOrigins.join('\n'),
            teamId: widget.teamId,
            greeting: widget.greeting ?? '',
          }}
          teams={teams}
          onCancel={() => setEditing(false)}
          onSubmit={async (draft) => {
            await parley.widgets.update(widget.id, bodyOf(draft));
            setEditing(false);
            onChanged();
          }}
        />
      ) : null}
      <Text style={[styles.label, styles.snippetLabel, { color: colors.textMuted }]}>{t('widgets.snippet')}</Text>
      <Text
        selectable
        testID="widget-snippet"
        style={[styles.code, { color: colors.text, borderColor: colors.border, backgroundColor: colors.surface }]}
      >
        {snippetOf(widget)}
      </Text>
      <IdentitySecret widget={widget} onChanged={onChanged} />
    </View>
  );
}

/** The identity secret, shown on request; a new one breaks the sites' signatures, so it asks first. */
function IdentitySecret({ widget, onChanged }: { widget: ChatWidget; onChanged: () => void }) {
  const { t } = useTranslation();
  const { colors } = useTheme();
  const [shown, setShown] = useState(false);
  const [confirmRotate, setConfirmRotate] = useState(false);
  const rotate = useAction();
  const rotateErrors = useFormErrors(rotate.error, []);
  return (
    <View>
      <View style={styles.actions}>
        <Button
          variant="secondary"
          label={t(shown ? 'widgets.hideSecret' : 'widgets.showSecret')}
          accessibilityLabel={t(shown ? 'widgets.hideSecretOf' : 'widgets.showSecretOf', { name: widget.name })}
          expanded={shown}
          onPress={() => setShown(!shown)}
        />
      </View>
      {shown ? (
        <View style={styles.confirm}>
          <Text
            selectable
            testID="widget-secret"
            style={[styles.code, { color: colors.text, borderColor: colors.border, backgroundColor: colors.surface }]}
          >
            {widget.identitySecret}
          </Text>
          <Text style={[styles.help, { color: colors.textMuted }]}>{t('widgets.secretHelp')}</Text>
          {confirmRotate ? (
            <View>
              <Text style={{ color: colors.textMuted, fontSize: 13 }}>{t('widgets.rotateWarning')}</Text>
              <View style={styles.actions}>
                <Button
                  variant="danger"
                  label={t('widgets.confirmRotate')}
                  busy={rotate.busy}
                  onPress={() =>
                    void rotate
                      .run(() => parley.widgets.update(widget.id, { rotateIdentitySecret: true }))
                      .then((done) => {
                        if (!done) return;
                        setConfirmRotate(false);
                        onChanged();
                      })
                  }
                />
                <Button variant="secondary" label={t('widgets.cancel')} onPress={() => setConfirmRotate(false)} />
              </View>
              <FormErrorText message={rotateErrors.summary} />
            </View>
          ) : (
            <View style={styles.actions}>
              <Button variant="secondary" label={t('widgets.rotate')} onPress={() => setConfirmRotate(true)} />
            </View>
          )}
        </View>
      ) : null}
    </View>
  );
}

interface WidgetDraft {
  name: string;
  /** Origins, separated by commas or lines, as typed. */
  sites: string;
  /** null: the desk's default queue. */
  teamId: string | null;
  greeting: string;
}

const sitesOf = (text: string) => text.split(/[\s,]+/).filter(Boolean);
/** An origin (scheme, host, port), as the server takes it; a path would be dropped there. */
const ORIGIN = /^https?:\/\/[^\s/?#@]+\/?$/i;
const MAX_SITES = 20;

const bodyOf = (draft: WidgetDraft) => ({
  name: draft.name.trim(),
  allowedOrigins: sitesOf(draft.sites),
  teamId: draft.teamId,
  greeting: draft.greeting.trim() || null,
});

/** What is wrong with the sites as typed, in words; null when the server may have them. */
function sitesProblem(t: TFunction, text: string): string | null {
  const sites = sitesOf(text);
  const bad = sites.find((site) => !ORIGIN.test(site));
  if (bad) return t('widgets.badSite', { site: bad });
  return sites.length > MAX_SITES ? t('widgets.tooManySites', { max: MAX_SITES }) : null;
}

/** A widget's name, sites, team and greeting. */
function WidgetForm({
  initial,
  teams,
  submitLabel,
  clearOnSave = false,
  onSubmit,
  onCancel,
}: {
  initial: WidgetDraft;
  teams: Team[];
  submitLabel: string;
  clearOnSave?: boolean;
  onSubmit: (draft: WidgetDraft) => Promise<void>;
  onCancel?: () => void;
}) {
  const { t } = useTranslation();
  const { colors } = useTheme();
  const [draft, setDraft] = useState(initial);
  const [badSites, setBadSites] = useState<string | null>(null);
  const save = useAction();
  const errors = useFormErrors(save.error, ['name', 'greeting']);
  const incomplete = !draft.name.trim() || sitesOf(draft.sites).length === 0;
  const submit = async () => {
    const problem = sitesProblem(t, draft.sites);
    setBadSites(problem);
    if (problem || incomplete) return;
    if ((await save.run(() => onSubmit(draft))) && clearOnSave) setDraft(initial);
  };
  return (
    <View style={styles.form}>
      <TextField
        label={t('widgets.name')}
        value={draft.name}
        onChangeText={(name) => setDraft({ ...draft, name })}
        error={errors.field('name')}
        maxLength={100}
        onSubmitEditing={() => void submit()}
      />
      <TextField
        label={t('widgets.sites')}
        value={draft.sites}
        onChangeText={(sites) => {
          setDraft({ ...draft, sites });
          setBadSites(null);
        }}
        error={badSites ?? undefined}
        inputMode="url"
        autoCapitalize="none"
        autoCorrect={false}
        multiline
        numberOfLines={2}
      />
      <Text style={[styles.help, { color: colors.textMuted }]}>{t('widgets.sitesHelp')}</Text>
      <Text style={[styles.label, { color: colors.textMuted }]}>{t('widgets.team')}</Text>
      <View style={styles.teams} accessibilityRole="radiogroup" accessibilityLabel={t('widgets.team')}>
        <Chip
          label={t('widgets.defaultQueue')}
          selected={draft.teamId === null}
          onPress={() => setDraft({ ...draft, teamId: null })}
        />
        {teams.map((team) => (
          <Chip
            key={team.id}
            label={team.name}
            selected={draft.teamId === team.id}
            onPress={() => setDraft({ ...draft, teamId: team.id })}
          />
        ))}
      </View>
      <TextField
        label={t('widgets.greeting')}
        value={draft.greeting}
        onChangeText={(greeting) => setDraft({ ...draft, greeting })}
        error={errors.field('greeting')}
        maxLength={500}
        multiline
        numberOfLines={2}
      />
      <View style={styles.actions}>
        <Button label={submitLabel} busy={save.busy} disabled={incomplete} onPress={() => void submit()} />
        {onCancel ? <Button variant="secondary" label={t('widgets.cancel')} onPress={onCancel} /> : null}
      </View>
      <FormErrorText message={errors.summary} />
    </View>
  );
}

const styles = StyleSheet.create({
  subheading: { fontSize: 16, fontWeight: '700', marginTop: 12, marginBottom: 8 },
  help: { fontSize: 13, marginTop: 4, marginBottom: 4 },
  card: { borderWidth: 1, borderRadius: 10, padding: 12, marginBottom: 8 },
  head: { flexDirection: 'row', alignItems: 'flex-start', justifyContent: 'space-between', gap: 8 },
  who: { flexShrink: 1, gap: 4 },
  name: { fontSize: 15, fontWeight: '600' },
  actions: { flexDirection: 'row', flexWrap: 'wrap', gap: 6, alignItems: 'center', marginTop: 8 },
  confirm: { marginTop: 8 },
  form: { gap: 8, marginTop: 8 },
  label: { fontSize: 13, fontWeight: '600' },
  snippetLabel: { marginTop: 12, marginBottom: 4 },
  code: { fontFamily: MONOSPACE, fontSize: 13, borderWidth: 1, borderRadius: 6, padding: 8 },
  teams: { flexDirection: 'row', flexWrap: 'wrap' },
});
