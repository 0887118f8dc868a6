import type { ApiToken, ApiTokenScope } from '@parley/protocol';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Platform, StyleSheet, Text, View } from 'react-native';
import { toFormError, type FormError } from '../api/errors';
import { parley } from '../api/parley';
import { errorText, useFormErrors } from '../i18n/error-text';
import { useTheme } from '../theme/theme';
import { Button } from './Button';
import { ConfirmStep } from './ConfirmStep';
import { Chip } from './Chip';
import { FormErrorText } from './FormErrorText';
import { MONOSPACE } from './markdown/MessageMarkdown';
import { RelativeTime } from './RelativeTime';
import { TextField } from './TextField';
import { useLoadedList } from '../api/loaded-list';

/**
 * Every scope, in the protocol's order, with its words (`apiTokens.scopes.*`; a scope's own name
 * has a colon, which i18next reads as a namespace). The app may not import the protocol's list:
 * the `Record` makes a scope added there a type error here until it has words.
 */
const SCOPE_KEYS = {
  'tickets:read': 'ticketsRead',
  'tickets:write': 'ticketsWrite',
  'messages:read': 'messagesRead',
  'messages:write': 'messagesWrite',
  'people:read': 'peopleRead',
  realtime: 'realtime',
} as const satisfies Record<ApiTokenScope, string>;
const SCOPES = Object.keys(SCOPE_KEYS) as ApiTokenScope[];

/** How long a new token lives: the server takes 1 to 366 days, 90 unless told. */
const EXPIRY_DAYS = [30, 90, 365] as const;
type ExpiryDays = (typeof EXPIRY_DAYS)[number];
const DEFAULT_EXPIRY: ExpiryDays = 90;

/** The server's limit on a token's name. */
const NAME_MAX = 100;

/** A just-made token and its secret: this is the only time anyone sees it. */
interface Created {
  token: ApiToken;
  secret: string;
}

/**
 * Personal API tokens for scripts and integrations: the live ones (name, start of the secret,
 * scopes, expiry, last use), each to revoke after a second press; a form for a new one (name,
 * scopes, lifetime), whose secret is shown once, to copy.
 */
export function ApiTokens() {
  const { t } = useTranslation();
  const { colors } = useTheme();
  const { items: tokens, loadError, reload } = useLoadedList(() => parley.apiTokens.list());
  const [created, setCreated] = useState<Created | null>(null);

  return (
    <View>
      <Text style={[styles.help, { color: colors.textMuted }]}>
        {t('apiTokens.help')}{' '}
        <Text selectable style={[styles.inlineCode, { color: colors.text, backgroundColor: colors.surface }]}>
          Authorization: Bearer pat_…
        </Text>
      </Text>
      <Text style={[styles.help, { color: colors.textMuted }]}>{t('apiTokens.limits')}</Text>

      {tokens?.length === 0 ? (
        <Text style={[styles.empty, { color: colors.textMuted }]}>{t('apiTokens.empty')}</Text>
      ) : null}
      {tokens && tokens.length > 0 ? (
        <View role="list" aria-label={t('apiTokens.section')}>
          {tokens.map((token) => (
            <TokenRow
              key={token.id}
              token={token}
              onRevoked={() => {
                // Its secret is no use any more: no reason to keep it on screen.
                if (created?.token.id === token.id) setCreated(null);
                void reload();
              }}
            />
          ))}
        </View>
      ) : null}
      <FormErrorText message={loadError && errorText(t, loadError)} />

      <Text accessibilityRole="header" style={[styles.subheading, { color: colors.text }]}>
        {t('apiTokens.newToken')}
      </Text>
      {created ? (
        <CreatedSecret created={created} onDone={() => setCreated(null)} />
      ) : (
        <TokenForm
          onCreated={(made) => {
            setCreated(made);
            void reload();
          }}
        />
      )}
    </View>
  );
}

/** The words for a scope in lists ("Read tickets"). */
function useScopeName() {
  const { t } = useTranslation();
  return (scope: ApiTokenScope) => t(`apiTokens.scopes.${SCOPE_KEYS[scope]}`);
}

function TokenRow({ token, onRevoked }: { token: ApiToken; onRevoked: () => void }) {
  const { t, i18n } = useTranslation();
  const { colors } = useTheme();
  const scopeName = useScopeName();
  const [confirming, setConfirming] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<FormError | null>(null);
  const expires = new Date(token.expiresAt).toLocaleDateString(i18n.language, { dateStyle: 'medium' });

  const revoke = async () => {
    setBusy(true);
    setError(null);
    try {
      await parley.apiTokens.revoke(token.id);
      onRevoked();
    } catch (failure) {
      setError(toFormError(failure));
      setBusy(false);
    }
  };

  return (
    <View role="listitem" style={[styles.token, { borderColor: colors.border }]} testID={`api-token-${token.id}`}>
      <View style={styles.tokenLine}>
        <View style={styles.tokenText}>
          <Text style={[styles.name, { color: colors.text }]}>{token.name}</Text>
          <Text style={[styles.hint, { color: colors.textMuted }]}>
            <Text style={styles.prefix}>{token.prefix}</Text> · {token.scopes.map(scopeName).join(', ')}
          </Text>
          <Text style={[styles.hint, { color: colors.textMuted }]}>
            {t('apiTokens.expires', { date: expires })} ·{' '}
            {token.lastUsedAt ? (
              <>
                {t('apiTokens.lastUsed')} <RelativeTime at={token.lastUsedAt} />
              </>
            ) : (
              t('apiTokens.neverUsed')
            )}
          </Text>
        </View>
        {confirming ? null : (
          <Button
            variant="secondary"
            label={t('apiTokens.revoke')}
            accessibilityLabel={t('apiTokens.revokeOf', { name: token.name })}
            onPress={() => setConfirming(true)}
          />
        )}
      </View>
      {confirming ? (
        <ConfirmStep
          warning={t('apiTokens.revokeWarning')}
          confirmLabel={t('apiTokens.confirmRevoke')}
          confirmAccessibilityLabel={t('apiTokens.confirmRevokeOf', { name: token.name })}
          cancelLabel={t('apiTokens.cancel')}
          busy={busy}
          onConfirm={() => void revoke()}
          onCancel={() => setConfirming(false)}
        />
      ) : null}
      {error ? <FormErrorText message={errorText(t, error)} /> : null}
    </View>
  );
}

/** A new token's name, scopes (one at least) and lifetime. */
function TokenForm({ onCreated }: { onCreated: (created: Created) => void }) {
  const { t } = useTranslation();
  const { colors } = useTheme();
  const scopeName = useScopeName();
  const [name, setName] = useState('');
  const [scopes, setScopes] = useState<ApiTokenScope[]>([]);
  const [days, setDays] = useState<ExpiryDays>(DEFAULT_EXPIRY);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<FormError | null>(null);
  const errors = useFormErrors(error, ['name', 'scopes'], 'apiTokens');
  const incomplete = !name.trim() || scopes.length === 0;

  const toggle = (scope: ApiTokenScope) =>
    // In the protocol's order, as the server keeps them.
    setScopes((chosen) =>
      chosen.includes(scope)
        ? chosen.filter((s) => s !== scope)
        : SCOPES.filter((s) => s === scope || chosen.includes(s)),
    );

  const create = async () => {
    if (incomplete || busy) return;
    setBusy(true);
    setError(null);
    try {
      const made = await parley.apiTokens.create({ name: name.trim(), scopes, expiresInDays: days });
      setName('');
      setScopes([]);
      setDays(DEFAULT_EXPIRY);
      onCreated(made);
    } catch (failure) {
      setError(toFormError(failure));
    } finally {
      setBusy(false);
    }
  };

  return (
    <View>
      <TextField
        label={t('apiTokens.name')}
        placeholder={t('apiTokens.namePlaceholder')}
        value={name}
        onChangeText={setName}
        maxLength={NAME_MAX}
        onSubmitEditing={() => void create()}
        error={errors.field('name')}
      />
      <Text style={[styles.label, { color: colors.textMuted }]}>{t('apiTokens.scopesLabel')}</Text>
      <View role="group" aria-label={t('apiTokens.scopesLabel')} style={styles.chips}>
        {SCOPES.map((scope) => (
          <Chip
            key={scope}
            role="checkbox"
            label={
              scope.endsWith(':write') ? t('apiTokens.includesRead', { scope: scopeName(scope) }) : scopeName(scope)
            }
            selected={scopes.includes(scope)}
            onPress={() => toggle(scope)}
          />
        ))}
      </View>
      <Text style={[styles.help, { color: colors.textMuted }]}>
        {scopes.length === 0 ? `${t('apiTokens.pickScope')} ` : ''}
        {t('apiTokens.scopesHelp')}
      </Text>
      <FormErrorText message={errors.field('scopes') ?? null} />
      <Text style={[styles.label, { color: colors.textMuted }]}>{t('apiTokens.expiresIn')}</Text>
      <View role="radiogroup" aria-label={t('apiTokens.expiresIn')} style={styles.chips}>
        {EXPIRY_DAYS.map((choice) => (
          <Chip
            key={choice}
            label={t('apiTokens.days', { count: choice })}
            selected={days === choice}
            onPress={() => setDays(choice)}
          />
        ))}
      </View>
      <FormErrorText message={errors.summary} />
      <Button
        label={t('apiTokens.create')}
        busy={busy}
        disabled={incomplete}
        onPress={() => void create()}
        style={styles.alignStart}
      />
    </View>
  );
}

/** The secret, this once: selectable, with Copy where the browser can, and Done to put it away. */
function CreatedSecret({ created, onDone }: { created: Created; onDone: () => void }) {
  const { t } = useTranslation();
  const { colors } = useTheme();
  const [copied, setCopied] = useState<boolean | null>(null);
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(created.secret);
      setCopied(true);
    } catch {
      setCopied(false);
    }
  };
  return (
    <View
      testID="api-token-created"
      style={[styles.created, { borderColor: colors.primary, backgroundColor: colors.surfaceRaised }]}
    >
      <Text accessibilityLiveRegion="polite" style={[styles.name, { color: colors.text }]}>
        {t('apiTokens.created', { name: created.token.name })}
      </Text>
      <Text
        selectable
        testID="api-token-secret"
        style={[styles.code, { color: colors.text, borderColor: colors.border, backgroundColor: colors.surface }]}
      >
        {created.secret}
      </Text>
      <Text style={[styles.warning, { color: colors.text }]}>{t('apiTokens.copyNow')}</Text>
      <View style={styles.actions}>
        {Platform.OS === 'web' ? <Button label={t('apiTokens.copy')} onPress={() => void copy()} /> : null}
        <Button variant="secondary" label={t('apiTokens.done')} onPress={onDone} />
        {copied !== null ? (
          <Text accessibilityLiveRegion="polite" style={{ color: copied ? colors.success : colors.danger }}>
            {t(copied ? 'apiTokens.copied' : 'apiTokens.copyFailed')}
          </Text>
        ) : null}
      </View>
    </View>
  );
}

const styles = StyleSheet.create({
  help: { fontSize: 13, marginBottom: 8 },
  inlineCode: { fontFamily: MONOSPACE, fontSize: 12, borderRadius: 4, paddingHorizontal: 3 },
  empty: { marginBottom: 8 },
  subheading: { fontSize: 15, fontWeight: '700', marginTop: 12, marginBottom: 8 },
  token: { borderBottomWidth: StyleSheet.hairlineWidth, paddingVertical: 10 },
  tokenLine: { flexDirection: 'row', alignItems: 'center' },
  tokenText: { flex: 1, marginRight: 12 },
  name: { fontSize: 15, fontWeight: '600' },
  prefix: { fontFamily: MONOSPACE },
  hint: { fontSize: 13, marginTop: 4 },
  actions: { flexDirection: 'row', flexWrap: 'wrap', alignItems: 'center', gap: 8, marginTop: 8 },
  label: { fontSize: 13, fontWeight: '600', marginBottom: 6 },
  chips: { flexDirection: 'row', flexWrap: 'wrap', marginBottom: 4 },
  alignStart: { alignSelf: 'flex-start' },
  created: { borderWidth: 2, borderRadius: 10, padding: 12 },
  code: { fontFamily: MONOSPACE, fontSize: 13, borderWidth: 1, borderRadius: 6, padding: 8, marginTop: 8 },
  warning: { fontSize: 13, fontWeight: '600', marginTop: 8 },
});
