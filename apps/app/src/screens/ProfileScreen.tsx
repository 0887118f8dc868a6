import type { NativeStackScreenProps } from '@react-navigation/native-stack';
import { useEffect, useRef, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { ActivityIndicator, Image, Platform, Pressable, StyleSheet, Text, View } from 'react-native';
import { toFormError, type FormError } from '../api/errors';
import { pickers } from '../api/pick-files';
import { releasePreview } from '../api/picked-file';
import { EmailVerification, PasswordChangeForm, SessionsList } from '../components/AccountSecurity';
import { ApiTokens } from '../components/ApiTokens';
import { DataExports } from '../components/DataExports';
import { Avatar } from '../components/Avatar';
import { Button } from '../components/Button';
import { Chip } from '../components/Chip';
import { FormErrorText } from '../components/FormErrorText';
import { Screen } from '../components/Screen';
import { TextField } from '../components/TextField';
import { WorkspaceSwitcher } from '../components/WorkspaceSwitcher';
import { CannedResponsesPanel } from './admin/CannedResponsesPanel';
import { can } from '../api/permissions';
import { AvailabilitySwitch } from '../components/AvailabilitySwitch';
import { PushSwitch } from '../components/PushSwitch';
import { NotificationSettingsPanel } from '../components/NotificationSettingsPanel';
import { errorText, useFormErrors } from '../i18n/error-text';
import { useLayout } from '../navigation/layout';
import type { RootStackParamList } from '../navigation/types';
import { anchorProps, hrefOf } from '../navigation/web-anchor';
import { useAppDispatch, useAppSelector } from '../store';
import { setTheme, type Language, type ThemeChoice } from '../store/preferences';
import { chooseLanguage, signOut, updateProfile, uploadAvatar } from '../store/session';
import { useTheme } from '../theme/theme';

const THEMES: ThemeChoice[] = ['system', 'light', 'dark'];
const LANGUAGES: Language[] = ['en', 'de'];
const AVATAR_SIZE = 96;

function Section({ title, children }: { title: string; children: ReactNode }) {
  const { colors } = useTheme();
  return (
    <View style={[styles.section, { borderColor: colors.border, backgroundColor: colors.surfaceRaised }]}>
      <Text accessibilityRole="header" style={[styles.sectionTitle, { color: colors.text }]}>
        {title}
      </Text>
      {children}
    </View>
  );
}

/** The picture: the current avatar, or the picked one while it uploads; errors (415) said plainly. */
export function AvatarEditor() {
  const { t } = useTranslation();
  const { colors } = useTheme();
  const dispatch = useAppDispatch();
  const user = useAppSelector((s) => s.session.user);
  const [preview, setPreview] = useState<string | null>(null);
  const [uploading, setUploading] = useState(false);
  const [result, setResult] = useState<{ text: string; error: boolean } | null>(null);
  const previewRef = useRef<string | null>(null);

  useEffect(() => () => releasePreview({ previewUri: previewRef.current }), []);

  const showPreview = (url: string | null) => {
    releasePreview({ previewUri: previewRef.current });
    previewRef.current = url;
    setPreview(url);
  };

  const choose = async () => {
    const picked = await pickers.image();
    if (!picked) return;
    setResult(null);
    showPreview(picked.previewUri);
    setUploading(true);
    const action = await dispatch(uploadAvatar({ file: picked.file, name: picked.name }));
    setUploading(false);
    if (uploadAvatar.fulfilled.match(action)) {
      setResult({ text: t('profile.avatarSaved'), error: false });
    } else {
      const error = action.payload;
      const text =
        error?.code === 'unsupported_media_type'
          ? t('profile.avatarUnsupported') // 415: not an image we can read
          : errorText(t, error ?? toFormError(action.error));
      setResult({ text, error: true });
    }
    showPreview(null);
  };

  if (!user) return null;
  return (
    <View style={styles.avatarRow}>
      <View style={styles.avatarBox} testID="profile-avatar">
        {preview ? (
          <View>
            <Image
              source={{ uri: preview }}
              accessibilityLabel={t('profile.avatarPreview')}
              style={[styles.preview, { borderColor: colors.border }, uploading && styles.dimmed]}
            />
            {uploading ? (
              <View style={styles.uploading}>
                <ActivityIndicator color={colors.primary} size="large" />
              </View>
            ) : null}
          </View>
        ) : (
          <Avatar name={user.displayName} url={user.avatarUrl} size={AVATAR_SIZE} />
        )}
      </View>
      <View style={styles.avatarSide}>
        <Button
          variant="secondary"
          label={t('profile.changeAvatar')}
          onPress={() => void choose()}
          busy={uploading}
          style={styles.alignStart}
        />
        {uploading ? (
          <Text accessibilityLiveRegion="polite" style={[styles.hint, { color: colors.textMuted }]}>
            {t('profile.uploading')}
          </Text>
        ) : null}
        {result ? (
          <Text
            accessibilityRole={result.error ? 'alert' : undefined}
            accessibilityLiveRegion="polite"
            style={[styles.hint, { color: result.error ? colors.danger : colors.success }]}
          >
            {result.text}
          </Text>
        ) : null}
      </View>
    </View>
  );
}

/** Display name and status text, saved together; the server's field errors show under the fields. */
function ProfileForm() {
  const { t } = useTranslation();
  const { colors } = useTheme();
  const dispatch = useAppDispatch();
  const user = useAppSelector((s) => s.session.user);
  const [displayName, setDisplayName] = useState(user?.displayName ?? '');
  const [statusText, setStatusText] = useState(user?.statusText ?? '');
  const [saving, setSaving] = useState(false);
  const [saved, setSaved] = useState(false);
  const [error, setError] = useState<FormError | null>(null);
  const errors = useFormErrors(error, ['displayName', 'statusText']);

  const save = async () => {
    setSaving(true);
    setSaved(false);
    setError(null);
    const action = await dispatch(updateProfile({ displayName, statusText: statusText.trim() || null }));
    setSaving(false);
    if (updateProfile.fulfilled.match(action)) {
      setDisplayName(action.payload.displayName);
      setStatusText(action.payload.statusText ?? '');
      setSaved(true);
    } else {
      setError(action.payload ?? toFormError(action.error));
    }
  };

  return (
    <View>
      <TextField
        label={t('profile.displayName')}
        value={displayName}
        onChangeText={(text) => {
          setDisplayName(text);
          setSaved(false);
        }}
        error={errors.field('displayName')}
        maxLength={80}
      />
      <TextField
        label={t('profile.statusText')}
        placeholder={t('profile.statusHint')}
        value={statusText}
        onChangeText={(text) => {
          setStatusText(text);
          setSaved(false);
        }}
        onSubmitEditing={() => void save()}
        error={errors.field('statusText')}
        maxLength={160}
      />
      <FormErrorText message={errors.summary} />
      <View style={styles.saveRow}>
        <Button label={t('profile.save')} onPress={() => void save()} busy={saving} />
        {saved ? (
          <Text accessibilityLiveRegion="polite" style={[styles.saved, { color: colors.success }]}>
            ✓ {t('profile.saved')}
          </Text>
        ) : null}
      </View>
    </View>
  );
}

/**
 * Who I am (name, status, picture), how the app looks and speaks, and signing out; on phones,
 * where the tab bar has no room for it, the workspace switcher too (for people in several).
 */
export function ProfileScreen({ navigation }: NativeStackScreenProps<RootStackParamList, 'Profile'>) {
  const { t } = useTranslation();
  const { colors } = useTheme();
  const dispatch = useAppDispatch();
  const user = useAppSelector((s) => s.session.user);
  const phone = useLayout().nav === 'tabs';
  const severalWorkspaces = useAppSelector((s) => s.workspaces.items.length > 1);
  const { theme, language } = useAppSelector((s) => s.preferences);
  const [signingOut, setSigningOut] = useState(false);
  // A password change signs the other devices out: the list shows it.
  const [sessionsKey, setSessionsKey] = useState(0);

  const leave = async () => {
    setSigningOut(true);
    await dispatch(signOut());
  };

  return (
    <Screen title={t('profile.title')}>
      {/* The user's own things to come back to: one step from here on every screen size. */}
      <Pressable
        role="link"
        {...anchorProps(hrefOf('Saved'), () => navigation.navigate('Saved'))}
        style={({ pressed, focused }: { pressed: boolean; focused?: boolean }) => [
          styles.section,
          styles.savedLink,
          { borderColor: colors.border, backgroundColor: pressed ? colors.surface : colors.surfaceRaised },
          focused && { outlineColor: colors.link, outlineWidth: 2, outlineStyle: 'solid' as const },
        ]}
      >
        <Text style={[styles.sectionTitle, styles.savedText, { color: colors.text }]}>{t('saved.title')}</Text>
        <Text style={{ color: colors.textMuted }} aria-hidden>
          ›
        </Text>
      </Pressable>
      {user ? (
        <Section title={t('profile.account')}>
          <AvatarEditor />
          <Text style={[styles.identity, { color: colors.textMuted }]}>
            {/* The role as the workspace names it (it may be one of its own); a session stored before names were sent says the built-in one. */}
            @{user.username} · {user.email} · {user.roleName || t(`profile.roles.${user.role}`)}
          </Text>
          <EmailVerification />
          <ProfileForm key={user.id} />
        </Section>
      ) : null}

      {user ? (
        <Section title={t('account.passwordSection')}>
          <PasswordChangeForm onChanged={() => setSessionsKey((k) => k + 1)} />
        </Section>
      ) : null}

      {user ? (
        <Section title={t('account.sessions')}>
          <SessionsList reloadKey={sessionsKey} />
        </Section>
      ) : null}

      {/* Scripts' own way in, acting as the person: with the devices, where access is looked after. */}
      {user ? (
        <Section title={t('apiTokens.section')}>
          <ApiTokens />
        </Section>
      ) : null}

      {/* A copy of what the person put into this workspace: theirs to take (the right of access). */}
      {user ? (
        <Section title={t('dataExports.section')}>
          <DataExports />
        </Section>
      ) : null}

      {/* Phones have no side navigation to carry it. */}
      {phone && user && can(user, 'tickets.work') ? (
        <Section title={t('availability.label')}>
          <AvailabilitySwitch />
        </Section>
      ) : null}

      {user && can(user, 'tickets.work') ? (
        <Section title={t('canned.section')}>
          <CannedResponsesPanel mode="personal" />
        </Section>
      ) : null}

      {phone && severalWorkspaces ? (
        <Section title={t('workspaces.label')}>
          <WorkspaceSwitcher
            titled={false}
            onSwitched={() => navigation.reset({ index: 0, routes: [{ name: 'Home' }] })}
          />
        </Section>
      ) : null}

      {user ? (
        <Section title={t('push.section')}>
          {/* Browsers only: the Android app's notifications come with Expo's push. */}
          {Platform.OS === 'web' ? <PushSwitch /> : null}
          <NotificationSettingsPanel />
        </Section>
      ) : null}

      <Section title={t('profile.appearance')}>
        <Text style={[styles.label, { color: colors.textMuted }]}>{t('profile.theme')}</Text>
        <View style={styles.chips} accessibilityRole="radiogroup" accessibilityLabel={t('profile.theme')}>
          {THEMES.map((choice) => (
            <Chip
              key={choice}
              label={t(`profile.themes.${choice}`)}
              selected={theme === choice}
              onPress={() => dispatch(setTheme(choice))}
            />
          ))}
        </View>
        <Text style={[styles.label, { color: colors.textMuted }]}>{t('profile.language')}</Text>
        <View style={styles.chips} accessibilityRole="radiogroup" accessibilityLabel={t('profile.language')}>
          {LANGUAGES.map((choice) => (
            <Chip
              key={choice}
              label={t(`profile.languages.${choice}`)}
              selected={language === choice}
              onPress={() => void dispatch(chooseLanguage(choice))}
            />
          ))}
        </View>
      </Section>

      <Button
        variant="danger"
        label={t('profile.signOut')}
        onPress={() => void leave()}
        busy={signingOut}
        style={styles.alignStart}
      />
    </Screen>
  );
}

const styles = StyleSheet.create({
  section: { borderWidth: 1, borderRadius: 12, padding: 16, marginBottom: 16 },
  sectionTitle: { fontSize: 17, fontWeight: '700', marginBottom: 12 },
  avatarRow: { flexDirection: 'row', alignItems: 'center', marginBottom: 12 },
  avatarBox: { width: AVATAR_SIZE, height: AVATAR_SIZE },
  preview: { width: AVATAR_SIZE, height: AVATAR_SIZE, borderRadius: AVATAR_SIZE / 2, borderWidth: 1 },
  uploading: {
    position: 'absolute',
    top: 0,
    left: 0,
    right: 0,
    bottom: 0,
    borderRadius: AVATAR_SIZE / 2,
    alignItems: 'center',
    justifyContent: 'center',
  },
  dimmed: { opacity: 0.5 },
  avatarSide: { flex: 1, marginLeft: 16 },
  alignStart: { alignSelf: 'flex-start' },
  hint: { fontSize: 13, marginTop: 6 },
  identity: { fontSize: 13, marginBottom: 12 },
  label: { fontSize: 13, fontWeight: '600', marginBottom: 6 },
  chips: { flexDirection: 'row', flexWrap: 'wrap', marginBottom: 8 },
  saveRow: { flexDirection: 'row', alignItems: 'center' },
  saved: { marginLeft: 12, fontWeight: '600' },
  savedLink: { flexDirection: 'row', alignItems: 'center' },
  savedText: { flex: 1, marginBottom: 0 },
});
