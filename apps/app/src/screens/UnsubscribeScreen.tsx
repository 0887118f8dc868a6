import type { EmailCategory, Unsubscribed } from '@parley/protocol';
import type { NativeStackScreenProps } from '@react-navigation/native-stack';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Text } from 'react-native';
import { toFormError, type FormError } from '../api/errors';
import { parley } from '../api/parley';
import { Button } from '../components/Button';
import { Logo } from '../components/Logo';
import { Screen } from '../components/Screen';
import { errorText } from '../i18n/error-text';
import type { RootStackParamList } from '../navigation/types';
import { useTheme } from '../theme/theme';
import { styles } from './ForgotPasswordScreen';

/** What a token's readable half says it is about (the server checks the whole token). */
function categoryIn(token: string | undefined): EmailCategory | null {
  try {
    const [, , category] = atob((token ?? '').split('.')[0]!.replace(/-/g, '+').replace(/_/g, '/')).split('.');
    return category === 'messages' || category === 'tickets' || category === 'assignments' ? category : null;
  } catch {
    return null;
  }
}

/**
 * The unsubscribe link of a mail: asks before it acts (mail scanners open links too), signed in
 * or not; the link is the proof of whose mail it is.
 */
export function UnsubscribeScreen({ route, navigation }: NativeStackScreenProps<RootStackParamList, 'Unsubscribe'>) {
  const { t } = useTranslation();
  const { colors } = useTheme();
  const token = route.params?.token;
  const category = categoryIn(token);
  const [outcome, setOutcome] = useState<'asking' | 'working' | Unsubscribed | FormError>('asking');

  const unsubscribe = async () => {
    setOutcome('working');
    try {
      setOutcome(await parley.notifications.unsubscribe(token ?? ''));
    } catch (failure) {
      setOutcome(toFormError(failure));
    }
  };

  return (
    <Screen title={t('unsubscribe.title')} narrow>
      <Logo />
      <Text accessibilityRole="header" style={[styles.title, { color: colors.text }]}>
        {t('unsubscribe.title')}
      </Text>
      {typeof outcome === 'object' && 'workspaceName' in outcome ? (
        <Text accessibilityLiveRegion="polite" style={[styles.text, { color: colors.success }]}>
          {t('unsubscribe.done', {
            what: t(`notifySettings.categories.${outcome.category}`),
            workspace: outcome.workspaceName,
          })}
        </Text>
      ) : typeof outcome === 'object' ? (
        <Text accessibilityRole="alert" style={[styles.text, { color: colors.danger }]}>
          {errorText(t, outcome, 'resetLink')}
        </Text>
      ) : (
        <>
          <Text style={[styles.text, { color: colors.textMuted }]}>
            {category
              ? t('unsubscribe.ask', { what: t(`notifySettings.categories.${category}`) })
              : t('unsubscribe.askAny')}
          </Text>
          <Button label={t('unsubscribe.confirm')} onPress={() => void unsubscribe()} busy={outcome === 'working'} />
        </>
      )}
      {typeof outcome === 'object' ? (
        <Button
          variant="link"
          label={t('unsubscribe.settings')}
          onPress={() => navigation.reset({ index: 0, routes: [{ name: 'Profile' }] })}
        />
      ) : null}
    </Screen>
  );
}
