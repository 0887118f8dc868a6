import type { NativeStackScreenProps } from '@react-navigation/native-stack';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Text } from 'react-native';
import type { FormError } from '../api/errors';
import { Button } from '../components/Button';
import { Screen } from '../components/Screen';
import { TextField } from '../components/TextField';
import type { RootStackParamList } from '../navigation/types';
import { useAppDispatch } from '../store';
import { signIn } from '../store/session';
import { useTheme } from '../theme/theme';

export function SignInScreen({ navigation }: NativeStackScreenProps<RootStackParamList, 'SignIn'>) {
  const { t } = useTranslation();
  const { colors } = useTheme();
  const dispatch = useAppDispatch();
  const [login, setLogin] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<FormError | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async () => {
    setBusy(true);
    const result = await dispatch(signIn({ login: login.trim(), password }));
    setBusy(false);
    setError(signIn.rejected.match(result) ? (result.payload ?? null) : null);
  };

  return (
    <Screen title={t('auth.signIn')}>
      <TextField
        label={t('auth.login')}
        value={login}
        onChangeText={setLogin}
        autoCapitalize="none"
        autoComplete="username"
        error={error?.fields.login}
      />
      <TextField
        label={t('auth.password')}
        value={password}
        onChangeText={setPassword}
        secureTextEntry
        autoComplete="current-password"
        onSubmitEditing={submit}
        error={error?.fields.password}
      />
      {error && Object.keys(error.fields).length === 0 ? (
        <Text accessibilityRole="alert" style={{ color: colors.danger, marginBottom: 12 }}>
          {error.message}
        </Text>
      ) : null}
      <Button label={t('auth.signIn')} onPress={submit} busy={busy} />
      <Button
        variant="link"
        label={t('auth.noAccount')}
        onPress={() => navigation.replace('Register')}
        style={{ marginTop: 12 }}
      />
    </Screen>
  );
}
