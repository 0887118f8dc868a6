import type { InvitePreview } from '@parley/protocol';
import type { NativeStackScreenProps } from '@react-navigation/native-stack';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ActivityIndicator, StyleSheet, Text, View } from 'react-native';
import { toFormError, type FormError } from '../api/errors';
import { parley } from '../api/parley';
import { Button } from '../components/Button';
import { FormErrorText } from '../components/FormErrorText';
import { RegisterForm } from '../components/RegisterForm';
import { Screen } from '../components/Screen';
import { WorkspaceMark } from '../components/WorkspaceSwitcher';
import { errorText } from '../i18n/error-text';
import type { RootStackParamList } from '../navigation/types';
import { useAppDispatch, useAppSelector } from '../store';
import { joinWorkspace } from '../store/workspaces';
import { accentPalette } from '../theme/accent';
import { dark, light } from '../theme/palette';
import { useTheme } from '../theme/theme';

type Preview =
  { kind: 'loading' } | { kind: 'ok'; preview: InvitePreview } | { kind: 'invalid' | 'failed'; error: FormError };

/**
 * Invites whose registration is under way: once the session arrives the page gives way to Home
 * (kept outside the screen, which may be mounted anew when the signed-in screens take over).
 */
const registering = new Set<string>();

/** A built-in role's name in the reader's language; a workspace's own role as named. */
const BUILT_IN = { Customer: 'customer', Agent: 'agent', Admin: 'admin' } as const;

/**
 * `/join/:token`: the workspace an invite leads to, and the way in. Signed in: one button joins
 * (and switches there). Signed out: a new account in that workspace, or sign in first and come
 * back here (the stack keeps this page under the sign-in one).
 */
export function JoinScreen({ navigation, route }: NativeStackScreenProps<RootStackParamList, 'Join'>) {
  const { t } = useTranslation();
  const theme = useTheme();
  const { colors } = theme;
  const dispatch = useAppDispatch();
  const { token } = route.params;
  const status = useAppSelector((s) => s.session.status);
  const [state, setState] = useState<Preview>({ kind: 'loading' });
  const [joining, setJoining] = useState(false);
  const [joinError, setJoinError] = useState<FormError | null>(null);

  useEffect(() => {
    parley.invites.preview(token).then(
      (preview) => setState({ kind: 'ok', preview }),
      (e: unknown) => {
        const error = toFormError(e);
        setState({ kind: error.code === 'not_found' || error.code === 'bad_request' ? 'invalid' : 'failed', error });
      },
    );
  }, [token]);

  const home = () => navigation.reset({ index: 0, routes: [{ name: 'Home' }] });
  useEffect(() => {
    if (status === 'signedIn' && registering.delete(token)) home();
  });

  const join = async () => {
    setJoining(true);
    const result = await dispatch(joinWorkspace(token));
    setJoining(false);
    if (joinWorkspace.rejected.match(result)) setJoinError(toFormError(result.error));
    else home();
  };

  if (state.kind === 'loading') {
    return (
      <Screen title={t('join.title')} narrow>
        <ActivityIndicator color={colors.primary} accessibilityLabel={t('join.loading')} />
      </Screen>
    );
  }
  if (state.kind !== 'ok') {
    return (
      <Screen title={t('join.title')} narrow>
        <Text role="alert" style={[styles.message, { color: colors.text }]}>
          {state.kind === 'invalid' ? t('join.invalid') : errorText(t, state.error)}
        </Text>
        <Button
          variant="link"
          label={t('join.toApp')}
          onPress={() => navigation.navigate(status === 'signedIn' ? 'Home' : 'SignIn')}
        />
      </Screen>
    );
  }

  const { workspace, role } = state.preview;
  const builtIn = BUILT_IN[role.name as keyof typeof BUILT_IN];
  const roleName = builtIn ? t(`admin.roles.${builtIn}`) : role.name;
  const own = accentPalette(theme.dark ? dark : light, workspace.accentColor);
  return (
    <Screen title={t('join.titleOf', { name: workspace.name })} narrow>
      <View style={[styles.card, { borderColor: own.primary, backgroundColor: colors.surfaceRaised }]}>
        <WorkspaceMark workspace={workspace} size={64} />
        <View style={styles.text}>
          <Text style={[styles.name, { color: own.link }]} testID="join-workspace">
            {workspace.name}
          </Text>
          <Text style={{ color: colors.textMuted }}>{t('join.asRole', { role: roleName })}</Text>
        </View>
      </View>
      {status === 'signedIn' ? (
        <>
          <FormErrorText message={joinError && errorText(t, joinError)} />
          <Button label={t('join.join', { name: workspace.name })} busy={joining} onPress={() => void join()} />
        </>
      ) : (
        <>
          <Text accessibilityRole="header" style={[styles.heading, { color: colors.text }]}>
            {t('join.newAccount')}
          </Text>
          <RegisterForm
            invite={token}
            onSending={() => registering.add(token)}
            onFailed={() => registering.delete(token)}
          />
          <Button
            variant="link"
            label={t('join.haveAccount')}
            onPress={() => navigation.navigate('SignIn')}
            style={{ marginTop: 12 }}
          />
        </>
      )}
    </Screen>
  );
}

const styles = StyleSheet.create({
  card: {
    flexDirection: 'row',
    alignItems: 'center',
    gap: 16,
    borderWidth: 2,
    borderRadius: 12,
    padding: 16,
    marginBottom: 16,
  },
  text: { flex: 1 },
  name: { fontSize: 20, fontWeight: '700' },
  heading: { fontSize: 16, fontWeight: '700', marginBottom: 8 },
  message: { fontSize: 16, marginBottom: 12 },
});
