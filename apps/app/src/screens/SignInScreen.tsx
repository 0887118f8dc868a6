import type { NativeStackScreenProps } from '@react-navigation/native-stack';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { StyleSheet, Text } from 'react-native';
import type { FormError } from '../api/errors';
import { checkForm } from '../api/form-checks';
import { Button } from '../components/Button';
import { FormErrorText } from '../components/FormErrorText';
import { Logo } from '../components/Logo';
import { Screen } from '../components/Screen';
import { TextField } from '../components/TextField';
import { useFormErrors } from '../i18n/error-text';
import type { RootStackParamList } from '../navigation/types';
import { useAppDispatch } from '../store';
import { signIn } from '../store/session';
import { useTheme } from '../theme/theme';

export function SignInScreen({ navigation, route }: NativeStackScreenProps<RootStackParamList, 'SignIn'>) {
  const { t } = useTranslation();
  const { colors } = useTheme();
  const dispatch = useAppDispatch();
  const [login, setLogin] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<FormError | null>(null);
  const [busy, setBusy] = useState(false);
  const errors = useFormErrors(error, ['login', 'password']);

  const submit = async () => {
    const missing = checkForm({ login, password }, { login: { required: true }, password: { required: true } });
    setError(missing);
    if (missing) return;
    setBusy(true);
    const result = await dispatch(signIn({ login: login.trim(), password }));
    setBusy(false);
    setError(signIn.rejected.match(result) ? (result.payload ?? null) : null);
  };

  return (
    <Screen title={t('auth.signIn')} narrow>
      <Logo />
      {route.params?.notice === 'passwordReset' ? (
        <Text accessibilityLiveRegion="polite" style={[styles.notice, { color: colors.success }]}>
          {t('auth.passwordChangedSignIn')}
        </Text>
      ) : null}
      <TextField
        label={t('auth.login')}
        value={login}
        onChangeText={setLogin}
        autoCapitalize="none"
        autoComplete="username"
        error={errors.field('login')}
      />
      <TextField
        label={t('auth.password')}
        value={password}
        onChangeText={setPassword}
        secureTextEntry
        autoComplete="current-password"
        onSubmitEditing={submit}
        error={errors.field('password')}
      />
      <FormErrorText message={errors.summary} />
      <Button label={t('auth.signIn')} onPress={submit} busy={busy} />
      <Button
        variant="link"
        label={t('auth.forgotPassword')}
        onPress={() => navigation.navigate('ForgotPassword')}
        style={styles.link}
      />
      <Button
        variant="link"
        label={t('auth.noAccount')}
        onPress={() => navigation.replace('Register')}
        style={styles.link}
      />
    </Screen>
  );
}

const styles = StyleSheet.create({
  notice: { fontSize: 15, fontWeight: '600', marginBottom: 12 },
  link: { marginTop: 12 },
});
