import { PASSWORD_MIN_LENGTH, USERNAME_MIN_LENGTH } from '@parley/protocol/constants';
import type { NativeStackScreenProps } from '@react-navigation/native-stack';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
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
import { register } from '../store/session';

export function RegisterScreen({ navigation }: NativeStackScreenProps<RootStackParamList, 'Register'>) {
  const { t } = useTranslation();
  const dispatch = useAppDispatch();
  const [form, setForm] = useState({ email: '', username: '', displayName: '', password: '' });
  const [error, setError] = useState<FormError | null>(null);
  const [busy, setBusy] = useState(false);
  const errors = useFormErrors(error, Object.keys(form));
  const field = (name: keyof typeof form) => ({
    value: form[name],
    onChangeText: (value: string) => setForm((f) => ({ ...f, [name]: value })),
    error: errors.field(name),
  });

  const submit = async () => {
    const missing = checkForm(form, {
      email: { required: true, email: true },
      username: { required: true, minLength: USERNAME_MIN_LENGTH },
      password: { required: true, minLength: PASSWORD_MIN_LENGTH },
    });
    setError(missing);
    if (missing) return;
    setBusy(true);
    const { displayName, ...rest } = form;
    const result = await dispatch(
      register({
        ...rest,
        email: rest.email.trim(),
        username: rest.username.trim(),
        ...(displayName.trim() && { displayName }),
      }),
    );
    setBusy(false);
    setError(register.rejected.match(result) ? (result.payload ?? null) : null);
  };

  return (
    <Screen title={t('auth.register')} narrow>
      <Logo />
      <TextField
        label={t('auth.email')}
        autoCapitalize="none"
        autoComplete="email"
        inputMode="email"
        {...field('email')}
      />
      <TextField label={t('auth.username')} autoCapitalize="none" autoComplete="username" {...field('username')} />
      <TextField label={t('auth.displayName')} autoComplete="name" {...field('displayName')} />
      <TextField
        label={t('auth.password')}
        secureTextEntry
        autoComplete="new-password"
        onSubmitEditing={submit}
        {...field('password')}
      />
      <FormErrorText message={errors.summary} />
      <Button label={t('auth.register')} onPress={submit} busy={busy} />
      <Button
        variant="link"
        label={t('auth.haveAccount')}
        onPress={() => navigation.replace('SignIn')}
        style={{ marginTop: 12 }}
      />
    </Screen>
  );
}
