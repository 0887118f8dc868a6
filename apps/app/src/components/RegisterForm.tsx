import { PASSWORD_MIN_LENGTH, USERNAME_MIN_LENGTH } from '@parley/protocol/constants';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { FormError } from '../api/errors';
import { checkForm } from '../api/form-checks';
import { useFormErrors } from '../i18n/error-text';
import { useAppDispatch } from '../store';
import { register } from '../store/session';
import { Button } from './Button';
import { FormErrorText } from './FormErrorText';
import { TextField } from './TextField';

/**
 * A new account: email, username, display name, password. With `invite`, the account starts in
 * the invite's workspace with its role. `onSending` runs just before the request (the app moves
 * on as soon as the session arrives), `onFailed` when it was refused.
 */
export function RegisterForm({
  invite,
  onSending,
  onFailed,
}: {
  invite?: string;
  onSending?: () => void;
  onFailed?: () => void;
}) {
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
    onSending?.();
    const result = await dispatch(
      register({
        ...rest,
        email: rest.email.trim(),
        username: rest.username.trim(),
        ...(displayName.trim() && { displayName }),
        ...(invite && { invite }),
      }),
    );
    setBusy(false);
    const failed = register.rejected.match(result);
    if (failed) onFailed?.();
    setError(failed ? (result.payload ?? null) : null);
  };

  return (
    <>
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
    </>
  );
}
