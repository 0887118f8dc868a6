import type { AccountSession } from '@parley/protocol';
import { PASSWORD_MIN_LENGTH } from '@parley/protocol/constants';
import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { StyleSheet, Text, View } from 'react-native';
import { deviceName } from '../api/device-name';
import { toFormError, type FormError } from '../api/errors';
import { checkForm } from '../api/form-checks';
import { parley } from '../api/parley';
import { errorText, useFormErrors } from '../i18n/error-text';
import { useAppDispatch, useAppSelector } from '../store';
import { refreshUser } from '../store/session';
import { useTheme } from '../theme/theme';
import { Button } from './Button';
import { FormErrorText } from './FormErrorText';
import { RelativeTime } from './RelativeTime';
import { TextField } from './TextField';

/** The current password and a new one; the server signs every other device out. */
export function PasswordChangeForm({ onChanged }: { onChanged?: () => void }) {
  const { t } = useTranslation();
  const { colors } = useTheme();
  const [currentPassword, setCurrentPassword] = useState('');
  const [newPassword, setNewPassword] = useState('');
  const [error, setError] = useState<FormError | null>(null);
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState(false);
  const errors = useFormErrors(error, ['currentPassword', 'newPassword'], 'password');

  const submit = async () => {
    setDone(false);
    const problem = checkForm(
      { currentPassword, newPassword },
      { currentPassword: { required: true }, newPassword: { required: true, minLength: PASSWORD_MIN_LENGTH } },
    );
    setError(problem);
    if (problem) return;
    setBusy(true);
    try {
      await parley.me.changePassword({ currentPassword, newPassword });
      setCurrentPassword('');
      setNewPassword('');
      setDone(true);
      onChanged?.();
    } catch (failure) {
      setError(toFormError(failure));
    } finally {
      setBusy(false);
    }
  };

  return (
    <View>
      <TextField
        label={t('account.currentPassword')}
        value={currentPassword}
        onChangeText={setCurrentPassword}
        secureTextEntry
        autoComplete="current-password"
        error={errors.field('currentPassword')}
      />
      <TextField
        label={t('account.newPassword')}
        value={newPassword}
        onChangeText={setNewPassword}
        secureTextEntry
        autoComplete="new-password"
        onSubmitEditing={() => void submit()}
        error={errors.field('newPassword')}
      />
      <FormErrorText message={errors.summary} />
      <View style={styles.row}>
        <Button label={t('account.changePassword')} onPress={() => void submit()} busy={busy} />
        {done ? (
          <Text accessibilityLiveRegion="polite" style={[styles.done, { color: colors.success }]}>
            ✓ {t('account.passwordChanged')}
          </Text>
        ) : null}
      </View>
    </View>
  );
}

/** Whether the address is verified; if not, a button that mails the link. */
export function EmailVerification() {
  const { t } = useTranslation();
  const { colors } = useTheme();
  const dispatch = useAppDispatch();
  const verified = useAppSelector((s) => s.session.user?.emailVerified ?? false);
  const [state, setState] = useState<'idle' | 'busy' | 'sent' | FormError>('idle');

  // The link may have been opened in another tab meanwhile.
  useEffect(() => void dispatch(refreshUser()), [dispatch]);

  if (verified) {
    return <Text style={[styles.hint, { color: colors.success }]}>✓ {t('account.emailVerified')}</Text>;
  }
  const send = async () => {
    setState('busy');
    try {
      await parley.me.requestEmailVerification();
      setState('sent');
    } catch (failure) {
      setState(toFormError(failure));
    }
  };
  return (
    <View style={styles.verification}>
      <Text style={[styles.hint, styles.beforeButton, { color: colors.textMuted }]}>
        {t('account.emailNotVerified')}
      </Text>
      {state === 'sent' ? (
        <Text accessibilityLiveRegion="polite" style={[styles.hint, { color: colors.success }]}>
          {t('account.verificationSent')}
        </Text>
      ) : (
        <Button
          variant="secondary"
          label={t('account.sendVerification')}
          onPress={() => void send()}
          busy={state === 'busy'}
          style={styles.alignStart}
        />
      )}
      {typeof state === 'object' ? <FormErrorText message={errorText(t, state)} /> : null}
    </View>
  );
}

/** Signed-in devices, this one first-marked; each other one can be signed out, or all at once. */
export function SessionsList({ reloadKey = 0 }: { reloadKey?: number }) {
  const { t } = useTranslation();
  const { colors } = useTheme();
  const [sessions, setSessions] = useState<AccountSession[] | null>(null);
  const [error, setError] = useState<FormError | null>(null);
  const [busy, setBusy] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);

  const load = useCallback(async () => {
    try {
      // This device first: the others are what a person looks through.
      const { items } = await parley.me.sessions();
      setSessions([...items.filter((s) => s.current), ...items.filter((s) => !s.current)]);
    } catch (failure) {
      setError(toFormError(failure));
    }
  }, []);
  useEffect(() => void load(), [load, reloadKey]);

  const nameOf = (session: AccountSession) => {
    const named = deviceName(session.userAgent);
    return named ? t('account.deviceOn', named) : t('account.unknownDevice');
  };
  const act = async (key: string, run: () => Promise<void>, done?: string) => {
    setBusy(key);
    setError(null);
    setNotice(null);
    try {
      await run();
      if (done) setNotice(done);
      await load();
    } catch (failure) {
      setError(toFormError(failure));
    } finally {
      setBusy(null);
    }
  };

  if (!sessions) return error ? <FormErrorText message={errorText(t, error)} /> : null;
  const others = sessions.filter((s) => !s.current);
  return (
    <View>
      <View role="list" aria-label={t('account.sessions')}>
        {sessions.map((session) => (
          <View
            key={session.id}
            role="listitem"
            style={[styles.session, { borderColor: colors.border }]}
            testID={`session-${session.id}`}
          >
            <View style={styles.sessionText}>
              <Text style={[styles.device, { color: colors.text }]}>
                {nameOf(session)}
                {session.current ? ` · ${t('account.thisDevice')}` : ''}
              </Text>
              <Text style={[styles.hint, { color: colors.textMuted }]}>
                {t('account.lastActive')} <RelativeTime at={session.lastUsedAt} /> ·{' '}
                {t('account.inWorkspace', { workspace: session.workspace.name })}
              </Text>
            </View>
            {session.current ? null : (
              <Button
                variant="secondary"
                label={t('account.signOutDevice')}
                accessibilityLabel={t('account.signOutDeviceLabel', { device: nameOf(session) })}
                onPress={() => void act(session.id, () => parley.me.endSession(session.id))}
                busy={busy === session.id}
              />
            )}
          </View>
        ))}
      </View>
      {others.length > 0 ? (
        <Button
          variant="danger"
          label={t('account.signOutOthers')}
          onPress={() => void act('others', () => parley.me.endOtherSessions(), t('account.othersSignedOut'))}
          busy={busy === 'others'}
          style={[styles.alignStart, styles.others]}
        />
      ) : (
        <Text style={[styles.hint, { color: colors.textMuted }]}>{t('account.noOtherSessions')}</Text>
      )}
      {notice ? (
        <Text accessibilityLiveRegion="polite" style={[styles.hint, { color: colors.success }]}>
          {notice}
        </Text>
      ) : null}
      {error ? <FormErrorText message={errorText(t, error)} /> : null}
    </View>
  );
}

const styles = StyleSheet.create({
  row: { flexDirection: 'row', alignItems: 'center', flexWrap: 'wrap' },
  done: { marginLeft: 12, fontWeight: '600' },
  hint: { fontSize: 13, marginTop: 6 },
  verification: { marginBottom: 12 },
  beforeButton: { marginBottom: 8 },
  alignStart: { alignSelf: 'flex-start' },
  session: {
    flexDirection: 'row',
    alignItems: 'center',
    borderBottomWidth: StyleSheet.hairlineWidth,
    paddingVertical: 10,
  },
  sessionText: { flex: 1, marginRight: 12 },
  device: { fontSize: 15, fontWeight: '600' },
  others: { marginTop: 12 },
});
