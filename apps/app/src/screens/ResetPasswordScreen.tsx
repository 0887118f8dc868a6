import { PASSWORD_MIN_LENGTH } from '@parley/protocol/constants';
import type { NativeStackScreenProps } from '@react-navigation/native-stack';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Text } from 'react-native';
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
import { useAppDispatch, useAppSelector } from '../store';
import { signOut } from '../store/session';
import { useTheme } from '../theme/theme';
import { styles } from './ForgotPasswordScreen';

/**
 * The mailed link's screen: a new password, then sign-in with it (the reset signed every device
 * out, this one too). A used or expired link says so and offers a new one.
 */
export function ResetPasswordScreen({
  navigation,
  route,
}: NativeStackScreenProps<RootStackParamList, 'ResetPassword'>) {
  const { t } = useTranslation();
  const { colors } = useTheme();
  const dispatch = useAppDispatch();
  const signedIn = useAppSelector((s) => s.session.status === 'signedIn');
  const token = route.params?.token;
  const [newPassword, setNewPassword] = useState('');
  const [error, setError] = useState<FormError | null>(null);
  const [busy, setBusy] = useState(false);
  const errors = useFormErrors(error, ['newPassword'], 'resetLink');

  const submit = async () => {
    if (!token) return;
    const problem = checkForm({ newPassword }, { newPassword: { required: true, minLength: PASSWORD_MIN_LENGTH } });
    setError(problem);
    if (problem) return;
    setBusy(true);
    try {
      await parley.auth.confirmPasswordReset({ token, newPassword });
    } catch (failure) {
      setBusy(false);
      setError(toFormError(failure));
      return;
    }
    // Every session of the account ended, this device's too.
    if (signedIn) await dispatch(signOut());
    navigation.reset({ index: 0, routes: [{ name: 'SignIn', params: { notice: 'passwordReset' } }] });
  };

  const askAgain = () => navigation.replace('ForgotPassword');
  return (
    <Screen title={t('account.resetTitle')} narrow>
      <Logo />
      <Text accessibilityRole="header" style={[styles.title, { color: colors.text }]}>
        {t('account.resetTitle')}
      </Text>
      {token ? (
        <>
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
          <Button label={t('account.setPassword')} onPress={() => void submit()} busy={busy} />
          {error?.code === 'not_found' ? (
            <Button variant="link" label={t('account.askAgain')} onPress={askAgain} style={styles.link} />
          ) : null}
        </>
      ) : (
        <>
          <Text accessibilityRole="alert" style={[styles.text, { color: colors.danger }]}>
            {t('account.noToken')}
          </Text>
          <Button label={t('account.askAgain')} onPress={askAgain} />
        </>
      )}
    </Screen>
  );
}
