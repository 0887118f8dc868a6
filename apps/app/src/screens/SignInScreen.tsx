import type { NativeStackScreenProps } from '@react-navigation/native-stack';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { FormError } from '../api/errors';
import { Button } from '../components/Button';
import { FormErrorText } from '../components/FormErrorText';
import { Screen } from '../components/Screen';
import { TextField } from '../components/TextField';
import type { RootStackParamList } from '../navigation/types';
import { useAppDispatch } from '../store';
import { signIn } from '../store/session';

export function SignInScreen({ navigation }: NativeStackScreenProps<RootStackParamList, 'SignIn'>) {
  const { t } = useTranslation();
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
    <Screen title={t('auth.signIn')} narrow>
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
      <FormErrorText error={error} />
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
