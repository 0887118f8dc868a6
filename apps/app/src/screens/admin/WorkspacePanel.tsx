import type { Workspace, WorkspaceSettings } from '@parley/protocol';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Pressable, StyleSheet, Switch, Text, View } from 'react-native';
import { toFormError, type FormError } from '../../api/errors';
import { parley } from '../../api/parley';
import { pickers } from '../../api/pick-files';
import { releasePreview } from '../../api/picked-file';
import { Button } from '../../components/Button';
import { FormErrorText } from '../../components/FormErrorText';
import { TextField } from '../../components/TextField';
import { WorkspaceMark } from '../../components/WorkspaceSwitcher';
import { errorText, useFormErrors } from '../../i18n/error-text';
import { useAppDispatch } from '../../store';
import { workspaceUpdated } from '../../store/workspaces';
import { accentPalette, isHex } from '../../theme/accent';
import { dark, light } from '../../theme/palette';
import { useTheme } from '../../theme/theme';

/** A few brand-like colours to start from; any `#rrggbb` may be typed. */
export const ACCENT_SWATCHES = ['#2563eb', '#7c3aed', '#db2777', '#dc2626', '#ea580c', '#ffcc00', '#16a34a', '#0f766e'];

const asWorkspace = ({ id, slug, name, accentColor, logoUrl }: WorkspaceSettings): Workspace => ({
  id,
  slug,
  name,
  accentColor,
  logoUrl,
});

/**
 * The workspace's name, accent colour, logo and sign-up policy. What is saved reaches this app
 * at once (and every other open app of the workspace by `workspace.updated`).
 */
export function WorkspacePanel() {
  const { t } = useTranslation();
  const { colors } = useTheme();
  const dispatch = useAppDispatch();
  const [settings, setSettings] = useState<WorkspaceSettings | null>(null);
  const [loadError, setLoadError] = useState<FormError | null>(null);
  useEffect(() => {
    parley.workspace.get().then(setSettings, (e: unknown) => setLoadError(toFormError(e)));
  }, []);

  const saved = (next: WorkspaceSettings) => {
    setSettings(next);
    dispatch(workspaceUpdated(asWorkspace(next)));
  };

  if (!settings) return <FormErrorText message={loadError && errorText(t, loadError)} />;
  return (
    <View>
      <NameAndAccent settings={settings} onSaved={saved} />
      <LogoEditor settings={settings} onSaved={saved} />
      <SignupSwitch settings={settings} onSaved={saved} />
      <Text style={{ color: colors.textMuted, fontSize: 13, marginTop: 8 }}>
        {t('admin.workspace.slug', { slug: settings.slug })}
      </Text>
    </View>
  );
}

interface PartProps {
  settings: WorkspaceSettings;
  onSaved: (settings: WorkspaceSettings) => void;
}

function NameAndAccent({ settings, onSaved }: PartProps) {
  const { t } = useTranslation();
  const theme = useTheme();
  const { colors } = theme;
  const [name, setName] = useState(settings.name);
  const [accent, setAccent] = useState(settings.accentColor ?? '');
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState(false);
  const [error, setError] = useState<FormError | null>(null);
  const errors = useFormErrors(error, ['name', 'accentColor']);
  const typed = accent.trim();
  const accentValid = typed === '' || isHex(typed);
  // The accent as this theme will show it: the admin sees the readable variant, not only the pick.
  const shown = accentPalette(theme.dark ? dark : light, isHex(typed) ? typed : null);
  const adjusted = isHex(typed) && shown.primary.toLowerCase() !== typed.toLowerCase();

  const save = async () => {
    setBusy(true);
    setDone(false);
    try {
      onSaved(await parley.workspace.update({ name: name.trim(), accentColor: typed ? typed : null }));
      setError(null);
      setDone(true);
    } catch (e) {
      setError(toFormError(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <View style={[styles.card, { borderColor: colors.border, backgroundColor: colors.surfaceRaised }]}>
      <TextField label={t('admin.workspace.name')} value={name} onChangeText={setName} error={errors.field('name')} />
      <TextField
        label={t('admin.workspace.accent')}
        value={accent}
        onChangeText={setAccent}
        autoCapitalize="none"
        placeholder="#2563eb"
        error={accentValid ? errors.field('accentColor') : t('admin.workspace.accentInvalid')}
      />
      <View role="group" aria-label={t('admin.workspace.swatches')} style={styles.swatches}>
        {ACCENT_SWATCHES.map((swatch) => (
          <Pressable
            key={swatch}
            role="button"
            aria-label={t('admin.workspace.useColour', { colour: swatch })}
            aria-pressed={typed.toLowerCase() === swatch}
            onPress={() => setAccent(swatch)}
            style={({ focused }: { pressed: boolean; focused?: boolean }) => [
              styles.swatch,
              { backgroundColor: swatch, borderColor: typed.toLowerCase() === swatch ? colors.text : colors.border },
              focused && { outlineColor: colors.link, outlineWidth: 2, outlineStyle: 'solid' as const },
            ]}
          />
        ))}
        <Button variant="link" label={t('admin.workspace.noAccent')} onPress={() => setAccent('')} />
      </View>
      <View style={styles.previewRow} testID="accent-preview">
        <View style={[styles.previewButton, { backgroundColor: shown.primary }]} aria-hidden>
          <Text style={{ color: shown.onPrimary, fontWeight: '600' }}>{t('admin.workspace.previewButton')}</Text>
        </View>
        <Text style={{ color: shown.link, fontWeight: '600' }} aria-hidden>
          {t('admin.workspace.previewLink')}
        </Text>
      </View>
      <Text style={{ color: colors.textMuted, fontSize: 13, marginBottom: 8 }}>
        {adjusted ? t('admin.workspace.accentAdjusted', { colour: shown.primary }) : t('admin.workspace.accentAsIs')}
      </Text>
      <FormErrorText message={errors.summary} />
      <View style={styles.actions}>
        <Button
          label={t('admin.save')}
          busy={busy}
          disabled={!name.trim() || !accentValid}
          onPress={() => void save()}
        />
        {done ? (
          <Text accessibilityLiveRegion="polite" style={{ color: colors.success }}>
            {t('admin.workspace.saved')}
          </Text>
        ) : null}
      </View>
    </View>
  );
}

function LogoEditor({ settings, onSaved }: PartProps) {
  const { t } = useTranslation();
  const { colors } = useTheme();
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);

  const run = async (change: () => Promise<string | null>) => {
    setBusy(true);
    setProblem(null);
    try {
      onSaved({ ...settings, logoUrl: await change() });
    } catch (e) {
      const error = toFormError(e);
      setProblem(error.code === 'unsupported_media_type' ? t('profile.avatarUnsupported') : errorText(t, error));
    } finally {
      setBusy(false);
    }
  };
  const choose = async () => {
    const picked = await pickers.image();
    if (!picked) return;
    releasePreview(picked); // the logo shows once the server has it
    await run(async () => (await parley.workspace.setLogo(picked.file, picked.name)).logoUrl);
  };

  return (
    <View style={[styles.card, { borderColor: colors.border, backgroundColor: colors.surfaceRaised }]}>
      <Text style={[styles.label, { color: colors.text }]}>{t('admin.workspace.logo')}</Text>
      <View style={styles.actions}>
        <WorkspaceMark workspace={settings} size={56} />
        <Button variant="secondary" label={t('admin.workspace.uploadLogo')} busy={busy} onPress={() => void choose()} />
        {settings.logoUrl ? (
          <Button
            variant="danger"
            label={t('admin.workspace.removeLogo')}
            busy={busy}
            onPress={() =>
              void run(async () => {
                await parley.workspace.removeLogo();
                return null;
              })
            }
          />
        ) : null}
      </View>
      {problem ? (
        <Text role="alert" style={{ color: colors.danger, marginTop: 6 }}>
          {problem}
        </Text>
      ) : null}
    </View>
  );
}

function SignupSwitch({ settings, onSaved }: PartProps) {
  const { t } = useTranslation();
  const { colors } = useTheme();
  const [error, setError] = useState<FormError | null>(null);
  const change = async (openSignup: boolean) => {
    try {
      onSaved(await parley.workspace.update({ openSignup }));
      setError(null);
    } catch (e) {
      setError(toFormError(e));
    }
  };
  return (
    <View style={[styles.card, styles.row, { borderColor: colors.border, backgroundColor: colors.surfaceRaised }]}>
      <View style={styles.text}>
        <Text style={[styles.label, { color: colors.text }]}>{t('admin.workspace.openSignup')}</Text>
        <Text style={{ color: colors.textMuted, fontSize: 13 }}>{t('admin.workspace.openSignupHint')}</Text>
        <FormErrorText message={error && errorText(t, error)} />
      </View>
      <Switch
        accessibilityLabel={t('admin.workspace.openSignup')}
        value={settings.openSignup}
        onValueChange={(value) => void change(value)}
      />
    </View>
  );
}

const styles = StyleSheet.create({
  card: { borderWidth: 1, borderRadius: 10, padding: 12, marginBottom: 8 },
  row: { flexDirection: 'row', alignItems: 'center', gap: 12 },
  text: { flex: 1 },
  label: { fontSize: 15, fontWeight: '600', marginBottom: 6 },
  swatches: { flexDirection: 'row', flexWrap: 'wrap', gap: 6, alignItems: 'center', marginBottom: 8 },
  swatch: { width: 28, height: 28, borderRadius: 14, borderWidth: 2 },
  previewRow: { flexDirection: 'row', alignItems: 'center', gap: 12, marginBottom: 6 },
  previewButton: { paddingHorizontal: 14, paddingVertical: 8, borderRadius: 8 },
  actions: { flexDirection: 'row', flexWrap: 'wrap', gap: 8, alignItems: 'center' },
});
