import type { Webhook, WebhookDelivery, WebhookEventType } from '@parley/protocol';
import { WEBHOOK_EVENT_TYPES } from '@parley/protocol/constants';
import type { TFunction } from 'i18next';
import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { StyleSheet, Text, View } from 'react-native';
import { toFormError, type FormError } from '../../api/errors';
import { parley } from '../../api/parley';
import { Button } from '../../components/Button';
import { ConfirmStep } from '../../components/ConfirmStep';
import { Chip } from '../../components/Chip';
import { FormErrorText } from '../../components/FormErrorText';
import { MONOSPACE } from '../../components/markdown/MessageMarkdown';
import { RelativeTime, useTimeStyle } from '../../components/RelativeTime';
import { TextField } from '../../components/TextField';
import { errorText, useFormErrors } from '../../i18n/error-text';
import { useTheme } from '../../theme/theme';
import { formatClock, formatFull } from '../../time/time-format';
import { useAction } from './use-action';
import { useLoadedList } from '../../api/loaded-list';

const EVENT_TYPES: readonly WebhookEventType[] = WEBHOOK_EVENT_TYPES;

/** In the order the form lists them (the server keeps them sorted by name). */
const inOrder = (events: readonly WebhookEventType[]) => EVENT_TYPES.filter((type) => events.includes(type));

/** The most deliveries a webhook's log shows (the server keeps 30 days of them). */
const DELIVERIES_SHOWN = 20;

/** An event type in words ("Ticket created"); event types have dots, so not a key path of their own. */
const eventLabel = (t: TFunction, type: WebhookDelivery['eventType']): string =>
  (t('webhooks.eventTypes', { returnObjects: true }) as unknown as Record<string, string>)[type] ?? type;

/**
 * Admin → Webhooks: the HTTP endpoints the workspace's events are POSTed to (docs/webhooks.md),
 * to add (a URL, what it is for, the events it gets), edit, turn off and on, try with a test
 * event, and remove; each with its signing secret on request, a new one on request, and its
 * last deliveries, any finished one to send again.
 */
export function WebhooksPanel() {
  const { t } = useTranslation();
  const { colors } = useTheme();
  const { items: loaded, loadError, reload } = useLoadedList(() => parley.webhooks.list());
  const webhooks = loaded ?? [];

  return (
    <View>
      {webhooks.length === 0 ? <Text style={{ color: colors.textMuted }}>{t('webhooks.empty')}</Text> : null}
      {webhooks.map((hook) => (
        <WebhookCard key={hook.id} hook={hook} onChanged={() => void reload()} />
      ))}
      <Text style={[styles.help, { color: colors.textMuted }]}>{t('webhooks.help')}</Text>
      <FormErrorText message={loadError && errorText(t, loadError)} />
      <Text accessibilityRole="header" style={[styles.subheading, { color: colors.text }]}>
        {t('webhooks.newWebhook')}
      </Text>
      <WebhookForm
        submitLabel={t('webhooks.create')}
        initial={{ url: '', description: '', events: [] }}
        clearOnSave
        errorContext="webhooks"
        onSubmit={async (draft) => {
          await parley.webhooks.create({
            url: draft.url.trim(),
            description: draft.description.trim() || null,
            events: draft.events,
          });
          await reload();
        }}
      />
    </View>
  );
}

function WebhookCard({ hook, onChanged }: { hook: Webhook; onChanged: () => void }) {
  const { t } = useTranslation();
  const { colors } = useTheme();
  const timeStyle = useTimeStyle();
  const [editing, setEditing] = useState(false);
  const [confirmRemove, setConfirmRemove] = useState(false);
  const [showDeliveries, setShowDeliveries] = useState(false);
  // Bumped by a test event: an open delivery list loads again to show it.
  const [deliveriesVersion, setDeliveriesVersion] = useState(0);
  const [pinged, setPinged] = useState(false);
  const toggle = useAction();
  const toggleErrors = useFormErrors(toggle.error, []);
  const ping = useAction();
  const pingErrors = useFormErrors(ping.error, [], 'webhookOff');
  const remove = useAction();
  const removeErrors = useFormErrors(remove.error, []);
  const off = hook.disabledAt !== null;
  const { url } = hook;
  return (
    <View
      accessibilityLabel={url}
      style={[styles.card, { borderColor: colors.border, backgroundColor: colors.surfaceRaised }]}
    >
      <View style={styles.who}>
        <Text selectable style={[styles.url, { color: colors.text }]}>
          {url}
        </Text>
        {hook.description ? <Text style={{ color: colors.text, fontSize: 13 }}>{hook.description}</Text> : null}
        <Text style={{ color: colors.textMuted, fontSize: 13 }}>
          {t('webhooks.eventsShown', {
            events: inOrder(hook.events)
              .map((type) => eventLabel(t, type))
              .join(', '),
          })}
        </Text>
        <Text
          testID="webhook-state"
          style={[
            styles.state,
            { color: off ? (hook.disabledReason === 'failing' ? colors.danger : colors.textMuted) : colors.success },
          ]}
        >
          {t(
            off
              ? hook.disabledReason === 'failing'
                ? 'webhooks.state.failing'
                : 'webhooks.state.off'
              : 'webhooks.state.on',
          )}
        </Text>
        {hook.failingSince ? (
          <Text style={{ color: colors.warning, fontSize: 13 }}>
            {t('webhooks.failingSince', { time: formatFull(hook.failingSince, timeStyle) })}
          </Text>
        ) : null}
        {off ? <Text style={{ color: colors.textMuted, fontSize: 13 }}>{t('webhooks.offHelp')}</Text> : null}
      </View>
      {editing ? null : (
        <View style={styles.actions}>
          <Button
            variant="secondary"
            label={t('webhooks.edit')}
            accessibilityLabel={t('webhooks.editOf', { url })}
            onPress={() => setEditing(true)}
          />
          <Button
            variant="secondary"
            label={t(off ? 'webhooks.turnOn' : 'webhooks.turnOff')}
            accessibilityLabel={t(off ? 'webhooks.turnOnOf' : 'webhooks.turnOffOf', { url })}
            busy={toggle.busy}
            onPress={() =>
              void toggle
                .run(() => parley.webhooks.update(hook.id, { enabled: off }))
                .then((done) => done && onChanged())
            }
          />
          <Button
            variant="secondary"
            label={t('webhooks.ping')}
            accessibilityLabel={t('webhooks.pingOf', { url })}
            busy={ping.busy}
            onPress={() => {
              setPinged(false);
              void ping
                .run(() => parley.webhooks.ping(hook.id))
                .then((done) => {
                  if (!done) return;
                  setPinged(true);
                  setDeliveriesVersion((v) => v + 1);
                });
            }}
          />
          <Button
            variant="secondary"
            label={t('webhooks.deliveries')}
            accessibilityLabel={t('webhooks.deliveriesOf', { url })}
            expanded={showDeliveries}
            onPress={() => setShowDeliveries(!showDeliveries)}
          />
          <Button
            variant="danger"
            label={t('webhooks.remove')}
            accessibilityLabel={t('webhooks.removeOf', { url })}
            onPress={() => setConfirmRemove(true)}
          />
        </View>
      )}
      <FormErrorText message={toggleErrors.summary} />
      <FormErrorText message={pingErrors.summary} />
      {pinged ? (
        <Text accessibilityLiveRegion="polite" style={[styles.help, { color: colors.textMuted }]}>
          {t('webhooks.pinged')}
        </Text>
      ) : null}
      {confirmRemove ? (
        <ConfirmStep
          warning={t('webhooks.removeWarning')}
          confirmLabel={t('webhooks.confirmRemove')}
          cancelLabel={t('webhooks.cancel')}
          busy={remove.busy}
          error={removeErrors.summary}
          onConfirm={() => void remove.run(() => parley.webhooks.remove(hook.id)).then((done) => done && onChanged())}
          onCancel={() => setConfirmRemove(false)}
        />
      ) : null}
      {editing ? (
        <WebhookForm
          submitLabel={t('webhooks.save')}
          initial={{ url, description: hook.description ?? '', events: inOrder(hook.events) }}
          onCancel={() => setEditing(false)}
          onSubmit={async (draft) => {
            const next = draft.url.trim();
            await parley.webhooks.update(hook.id, {
              // The URL is checked again when sent: only when it changed.
              ...(next !== url && { url: next }),
              description: draft.description.trim() || null,
              events: draft.events,
            });
            setEditing(false);
            onChanged();
          }}
        />
      ) : null}
      <Secret hook={hook} onChanged={onChanged} />
      {showDeliveries ? <Deliveries hook={hook} version={deliveriesVersion} /> : null}
    </View>
  );
}

/** The signing secret, shown on request; a new one asks first (the old one signs for a day more). */
function Secret({ hook, onChanged }: { hook: Webhook; onChanged: () => void }) {
  const { t } = useTranslation();
  const { colors } = useTheme();
  const [shown, setShown] = useState(false);
  const [confirmRotate, setConfirmRotate] = useState(false);
  const rotate = useAction();
  const rotateErrors = useFormErrors(rotate.error, []);
  const { url } = hook;
  return (
    <View>
      <View style={styles.actions}>
        <Button
          variant="secondary"
          label={t(shown ? 'webhooks.hideSecret' : 'webhooks.showSecret')}
          accessibilityLabel={t(shown ? 'webhooks.hideSecretOf' : 'webhooks.showSecretOf', { url })}
          expanded={shown}
          onPress={() => setShown(!shown)}
        />
        {confirmRotate ? null : (
          <Button
            variant="secondary"
            label={t('webhooks.rotate')}
            accessibilityLabel={t('webhooks.rotateOf', { url })}
            onPress={() => setConfirmRotate(true)}
          />
        )}
      </View>
      {shown ? (
        <View style={styles.confirm}>
          <Text
            selectable
            testID="webhook-secret"
            style={[styles.code, { color: colors.text, borderColor: colors.border, backgroundColor: colors.surface }]}
          >
            {hook.secret}
          </Text>
          <Text style={[styles.help, { color: colors.textMuted }]}>{t('webhooks.secretHelp')}</Text>
        </View>
      ) : null}
      {confirmRotate ? (
        <ConfirmStep
          warning={t('webhooks.rotateWarning')}
          confirmLabel={t('webhooks.confirmRotate')}
          cancelLabel={t('webhooks.cancel')}
          busy={rotate.busy}
          error={rotateErrors.summary}
          onConfirm={() =>
            void rotate
              .run(() => parley.webhooks.update(hook.id, { rotateSecret: true }))
              .then((done) => {
                if (!done) return;
                setConfirmRotate(false);
                onChanged();
              })
          }
          onCancel={() => setConfirmRotate(false)}
        />
      ) : null}
    </View>
  );
}

/** The webhook's last deliveries, newest first, loaded when opened, on Refresh and after a test event. */
function Deliveries({ hook, version }: { hook: Webhook; version: number }) {
  const { t } = useTranslation();
  const { colors } = useTheme();
  const [items, setItems] = useState<WebhookDelivery[] | null>(null);
  const [loading, setLoading] = useState(false);
  const [loadError, setLoadError] = useState<FormError | null>(null);
  const webhookId = hook.id;
  const reload = useCallback(async () => {
    setLoading(true);
    try {
      setItems((await parley.webhooks.deliveries(webhookId, { limit: DELIVERIES_SHOWN })).items);
      setLoadError(null);
    } catch (e) {
      setLoadError(toFormError(e));
    } finally {
      setLoading(false);
    }
  }, [webhookId]);
  useEffect(() => void reload(), [reload, version]);
  return (
    <View style={[styles.deliveries, { borderColor: colors.border }]}>
      <View style={styles.deliveriesHead}>
        <Text style={[styles.label, { color: colors.textMuted }]}>{t('webhooks.lastDeliveries')}</Text>
        <Button
          variant="link"
          label={t('webhooks.refresh')}
          accessibilityLabel={t('webhooks.refreshOf', { url: hook.url })}
          busy={loading}
          onPress={() => void reload()}
        />
      </View>
      <FormErrorText message={loadError && errorText(t, loadError)} />
      {items?.length === 0 ? <Text style={{ color: colors.textMuted }}>{t('webhooks.noDeliveries')}</Text> : null}
      {items?.map((delivery) => (
        <DeliveryRow key={delivery.id} webhookId={webhookId} delivery={delivery} onRedelivered={() => void reload()} />
      ))}
    </View>
  );
}

function DeliveryRow({
  webhookId,
  delivery,
  onRedelivered,
}: {
  webhookId: string;
  delivery: WebhookDelivery;
  onRedelivered: () => void;
}) {
  const { t } = useTranslation();
  const { colors } = useTheme();
  const timeStyle = useTimeStyle();
  const redeliver = useAction();
  const redeliverErrors = useFormErrors(redeliver.error, [], 'webhookOff');
  const event = eventLabel(t, delivery.eventType);
  const statusColor =
    delivery.status === 'delivered' ? colors.success : delivery.status === 'failed' ? colors.danger : colors.warning;
  const details = [
    t('webhooks.attempts', { count: delivery.attempts }),
    delivery.responseStatus !== null ? t('webhooks.httpStatus', { status: delivery.responseStatus }) : null,
    delivery.error,
    delivery.redelivery > 0 ? t('webhooks.redelivery') : null,
    delivery.status === 'pending' && delivery.nextAttemptAt
      ? t('webhooks.nextAttempt', { time: formatClock(delivery.nextAttemptAt, { ...timeStyle, now: Date.now() }) })
      : null,
  ].filter(Boolean);
  return (
    <View testID="webhook-delivery" style={[styles.delivery, { borderColor: colors.border }]}>
      <View style={styles.deliveryLine}>
        <View style={styles.who}>
          <Text style={{ color: colors.text, fontSize: 14 }}>
            <Text style={{ fontWeight: '600' }}>{event}</Text>
            {' · '}
            <Text testID="webhook-delivery-status" style={{ color: statusColor, fontWeight: '600' }}>
              {t(`webhooks.status.${delivery.status}`)}
            </Text>
          </Text>
          <Text selectable style={{ color: colors.textMuted, fontSize: 13 }}>
            {details.join(' · ')} · <RelativeTime at={delivery.createdAt} />
          </Text>
        </View>
        {delivery.status === 'pending' ? null : (
          <Button
            variant="secondary"
            label={t('webhooks.redeliver')}
            accessibilityLabel={t('webhooks.redeliverOf', { event, time: formatFull(delivery.createdAt, timeStyle) })}
            busy={redeliver.busy}
            onPress={() =>
              void redeliver
                .run(() => parley.webhooks.redeliver(webhookId, delivery.id))
                .then((done) => done && onRedelivered())
            }
          />
        )}
      </View>
      <FormErrorText message={redeliverErrors.summary} />
    </View>
  );
}

interface WebhookDraft {
  url: string;
  description: string;
  events: WebhookEventType[];
}

/** What the server takes at all; whether it may reach the address is its to say. */
const HTTP_URL = /^https?:\/\/[^\s/?#]+\S*$/i;

/** A webhook's URL, description and events. */
function WebhookForm({
  initial,
  submitLabel,
  clearOnSave = false,
  errorContext,
  onSubmit,
  onCancel,
}: {
  initial: WebhookDraft;
  submitLabel: string;
  clearOnSave?: boolean;
  /** Where the server's refusals get this form's own words (`errors.webhooks.conflict`: at most 20). */
  errorContext?: string;
  onSubmit: (draft: WebhookDraft) => Promise<void>;
  onCancel?: () => void;
}) {
  const { t } = useTranslation();
  const { colors } = useTheme();
  const [draft, setDraft] = useState(initial);
  const [badUrl, setBadUrl] = useState(false);
  const save = useAction();
  const errors = useFormErrors(save.error, ['url', 'description', 'events'], errorContext);
  const incomplete = !draft.url.trim() || draft.events.length === 0;
  // A refused address ('invalid': private, not resolving…) in this screen's own words.
  const urlError = badUrl
    ? t('webhooks.badUrl')
    : save.error?.fields.url?.reason === 'invalid'
      ? t('webhooks.urlRefused')
      : errors.field('url');
  const submit = async () => {
    const wrong = !HTTP_URL.test(draft.url.trim());
    setBadUrl(wrong);
    if (wrong || incomplete) return;
    if ((await save.run(() => onSubmit(draft))) && clearOnSave) setDraft(initial);
  };
  const toggleEvent = (type: WebhookEventType) =>
    setDraft({
      ...draft,
      // In the protocol's order, as the server keeps them.
      events: draft.events.includes(type)
        ? draft.events.filter((x) => x !== type)
        : EVENT_TYPES.filter((x) => x === type || draft.events.includes(x)),
    });
  return (
    <View style={styles.form}>
      <TextField
        label={t('webhooks.url')}
        value={draft.url}
        onChangeText={(url) => {
          setDraft({ ...draft, url });
          setBadUrl(false);
        }}
        error={urlError}
        inputMode="url"
        autoCapitalize="none"
        autoCorrect={false}
        maxLength={2000}
        onSubmitEditing={() => void submit()}
      />
      <TextField
        label={t('webhooks.description')}
        value={draft.description}
        onChangeText={(description) => setDraft({ ...draft, description })}
        error={errors.field('description')}
        maxLength={200}
        onSubmitEditing={() => void submit()}
      />
      <Text style={[styles.label, { color: colors.textMuted }]}>{t('webhooks.events')}</Text>
      <View role="group" aria-label={t('webhooks.events')} style={styles.chips}>
        {EVENT_TYPES.map((type) => (
          <Chip
            key={type}
            role="checkbox"
            label={eventLabel(t, type)}
            selected={draft.events.includes(type)}
            onPress={() => toggleEvent(type)}
          />
        ))}
      </View>
      {draft.events.length === 0 ? (
        <Text style={[styles.help, { color: colors.textMuted }]}>{t('webhooks.pickEvent')}</Text>
      ) : null}
      <FormErrorText message={errors.field('events') ?? null} />
      <View style={styles.actions}>
        <Button label={submitLabel} busy={save.busy} disabled={incomplete} onPress={() => void submit()} />
        {onCancel ? <Button variant="secondary" label={t('webhooks.cancel')} onPress={onCancel} /> : null}
      </View>
      <FormErrorText message={errors.summary} />
    </View>
  );
}

const styles = StyleSheet.create({
  subheading: { fontSize: 16, fontWeight: '700', marginTop: 12, marginBottom: 8 },
  help: { fontSize: 13, marginTop: 4, marginBottom: 4 },
  card: { borderWidth: 1, borderRadius: 10, padding: 12, marginBottom: 8 },
  who: { flexShrink: 1, gap: 4 },
  url: { fontSize: 15, fontWeight: '600' },
  state: { fontSize: 13, fontWeight: '600' },
  actions: { flexDirection: 'row', flexWrap: 'wrap', gap: 6, alignItems: 'center', marginTop: 8 },
  confirm: { marginTop: 8 },
  form: { gap: 8, marginTop: 8 },
  label: { fontSize: 13, fontWeight: '600' },
  chips: { flexDirection: 'row', flexWrap: 'wrap' },
  code: { fontFamily: MONOSPACE, fontSize: 13, borderWidth: 1, borderRadius: 6, padding: 8 },
  deliveries: { marginTop: 12, borderTopWidth: 1, paddingTop: 8 },
  deliveriesHead: { flexDirection: 'row', alignItems: 'center', justifyContent: 'space-between', gap: 8 },
  delivery: { borderBottomWidth: 1, paddingVertical: 8 },
  deliveryLine: { flexDirection: 'row', alignItems: 'center', justifyContent: 'space-between', gap: 8 },
});
