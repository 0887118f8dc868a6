import type { NativeStackScreenProps } from '@react-navigation/native-stack';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { StyleSheet, Text } from 'react-native';
import { toFormError, type FormError } from '../api/errors';
import { checkForm } from '../api/form-checks';
import { parley } from '../api/parley';
import { Button } from '../components/Button';
import { FormErrorText } from '../components/FormErrorText';
import { Logo } from '../components/Logo';
import { Screen } from '../components/Screen';
import { TextField } from '../components/TextField';
import { useFormErrors } from '../i18n/error-text';
import type { RootStackParamList } from '../navigation/types';
import { useTheme } from '../theme/theme';

/** "Forgot password?": the login, then the same words whether or not such an account exists. */
export function ForgotPasswordScreen({ navigation }: NativeStackScreenProps<RootStackParamList, 'ForgotPassword'>) {
  const { t } = useTranslation();
  const { colors } = useTheme();
  const [login, setLogin] = useState('');
  const [error, setError] = useState<FormError | null>(null);
  const [busy, setBusy] = useState(false);
  const [sent, setSent] = useState(false);
  const errors = useFormErrors(error, ['login']);

  const submit = async () => {
    const missing = checkForm({ login }, { login: { required: true } });
    setError(missing);
    if (missing) return;
    setBusy(true);
    try {
      await parley.auth.requestPasswordReset({ login: login.trim() });
      setSent(true);
    } catch (failure) {
      setError(toFormError(failure));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Screen title={t('account.forgotTitle')} narrow>
      <Logo />
      <Text accessibilityRole="header" style={[styles.title, { color: colors.text }]}>
        {t('account.forgotTitle')}
      </Text>
      {sent ? (
        <Text accessibilityLiveRegion="polite" style={[styles.text, { color: colors.text }]}>
          {t('account.linkSent')}
        </Text>
      ) : (
        <>
          <Text style={[styles.text, { color: colors.textMuted }]}>{t('account.forgotIntro')}</Text>
          <TextField
            label={t('auth.login')}
            value={login}
            onChangeText={setLogin}
            autoCapitalize="none"
            autoComplete="username"
            onSubmitEditing={() => void submit()}
            error={errors.field('login')}
          />
          <FormErrorText message={errors.summary} />
          <Button label={t('account.sendLink')} onPress={() => void submit()} busy={busy} />
        </>
      )}
      <Button
        variant="link"
        label={t('account.backToSignIn')}
        onPress={() => navigation.replace('SignIn')}
        style={styles.link}
      />
    </Screen>
  );
}

export const styles = StyleSheet.create({
  title: { fontSize: 20, fontWeight: '700', marginBottom: 8 },
  text: { fontSize: 15, lineHeight: 21, marginBottom: 16 },
  link: { marginTop: 12 },
});
