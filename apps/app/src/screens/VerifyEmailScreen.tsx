import type { NativeStackScreenProps } from '@react-navigation/native-stack';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Text } from 'react-native';
import { toFormError, type FormError } from '../api/errors';
import { parley } from '../api/parley';
import { Button } from '../components/Button';
import { Logo } from '../components/Logo';
import { Screen } from '../components/Screen';
import { errorText } from '../i18n/error-text';
import type { RootStackParamList } from '../navigation/types';
import { useAppDispatch, useAppSelector } from '../store';
import { refreshUser } from '../store/session';
import { useTheme } from '../theme/theme';
import { styles } from './ForgotPasswordScreen';

/** The mailed verification link: verified at once, signed in or not (the link is the proof). */
export function VerifyEmailScreen({ navigation, route }: NativeStackScreenProps<RootStackParamList, 'VerifyEmail'>) {
  const { t } = useTranslation();
  const { colors } = useTheme();
  const dispatch = useAppDispatch();
  const signedIn = useAppSelector((s) => s.session.status === 'signedIn');
  const token = route.params?.token;
  const [outcome, setOutcome] = useState<'verifying' | 'verified' | FormError>('verifying');

  useEffect(() => {
    if (!token) {
      setOutcome({ code: 'not_found', fields: {} });
      return;
    }
    let current = true;
    parley.auth.verifyEmail({ token }).then(
      () => {
        if (current) setOutcome('verified');
      },
      (failure: unknown) => {
        if (current) setOutcome(toFormError(failure));
      },
    );
    return () => void (current = false);
  }, [token]);

  useEffect(() => {
    if (outcome === 'verified' && signedIn) void dispatch(refreshUser());
  }, [dispatch, outcome, signedIn]);

  const next = () => navigation.reset({ index: 0, routes: [{ name: signedIn ? 'Profile' : 'SignIn' }] });
  return (
    <Screen title={t('account.verifyTitle')} narrow>
      <Logo />
      <Text accessibilityRole="header" style={[styles.title, { color: colors.text }]}>
        {t('account.verifyTitle')}
      </Text>
      {outcome === 'verifying' ? (
        <Text style={[styles.text, { color: colors.textMuted }]}>{t('account.verifying')}</Text>
      ) : outcome === 'verified' ? (
        <Text accessibilityLiveRegion="polite" style={[styles.text, { color: colors.success }]}>
          {t('account.verified')}
        </Text>
      ) : (
        <Text accessibilityRole="alert" style={[styles.text, { color: colors.danger }]}>
          {errorText(t, outcome, 'resetLink')}
        </Text>
      )}
      {outcome !== 'verifying' ? <Button label={t('account.continue')} onPress={next} /> : null}
    </Screen>
  );
}
