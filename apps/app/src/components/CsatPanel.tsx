import type { CsatSurvey, Ticket } from '@parley/protocol';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Pressable, StyleSheet, Text, View } from 'react-native';
import { toFormError, type FormError } from '../api/errors';
import { parley } from '../api/parley';
import { errorText } from '../i18n/error-text';
import { useAppSelector } from '../store';
import { useTheme } from '../theme/theme';
import { formatFull } from '../time/time-format';
import { Button } from './Button';
import { useTimeStyle } from './RelativeTime';
import { TextField } from './TextField';

/**
 * "How did we do?" on a closed ticket. Its requester sees the question (stars 1–5 and a comment)
 * until they answer, then a thank-you; staff see the latest answer (score, comment, when), live.
 */
export function CsatPanel({ ticket, staff }: { ticket: Ticket; staff: boolean }) {
  const { t } = useTranslation();
  const { colors } = useTheme();
  const timeStyle = useTimeStyle();
  const selfId = useAppSelector((s) => s.session.user?.id);
  // The survey arrives with its notification a moment after the closure: read again then.
  const asked = useAppSelector(
    (s) => s.notifications.items.find((n) => n.ticketId === ticket.id && n.kind === 'ticket.csat')?.updatedAt,
  );
  const [surveys, setSurveys] = useState<CsatSurvey[]>([]);
  const [score, setScore] = useState(0);
  const [comment, setComment] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<FormError | null>(null);
  const [thanked, setThanked] = useState(false);

  useEffect(() => {
    let live = true;
    parley.csat.list(ticket.id).then(
      ({ items }) => live && setSurveys(items),
      () => undefined,
    );
    return () => {
      live = false;
    };
  }, [ticket.id, ticket.status, ticket.closedAt, asked]);

  // A rating given meanwhile (`ticket.csat`) shows at once: to staff, and on the requester's other devices.
  useEffect(
    () =>
      parley.realtime.on('ticket.csat', ({ ticketId, survey }) => {
        if (ticketId !== ticket.id) return;
        setSurveys((all) =>
          all.some((s) => s.id === survey.id) ? all.map((s) => (s.id === survey.id ? survey : s)) : [survey, ...all],
        );
      }),
    [ticket.id],
  );

  const current = surveys.find((s) => s.isCurrent);
  const latestAnswer = surveys.find((s) => s.answeredAt !== null);

  if (staff) {
    if (!latestAnswer && !current) return null;
    return (
      <View style={styles.box} testID="csat-staff" role="group" aria-label={t('csat.staffTitle')}>
        <Text style={[styles.title, { color: colors.text }]}>{t('csat.staffTitle')}</Text>
        {latestAnswer ? (
          <>
            <Text style={{ color: colors.text }}>
              {'★'.repeat(latestAnswer.score ?? 0)}
              {'☆'.repeat(5 - (latestAnswer.score ?? 0))}{' '}
              {t('csat.staffAnswer', {
                score: latestAnswer.score,
                when: formatFull(latestAnswer.answeredAt!, timeStyle),
              })}
            </Text>
            <Text style={{ color: colors.textMuted }}>{latestAnswer.comment ?? t('csat.noComment')}</Text>
          </>
        ) : (
          <Text style={{ color: colors.textMuted }}>
            {t('csat.staffWaiting', { when: formatFull(current!.askedAt, timeStyle) })}
          </Text>
        )}
      </View>
    );
  }

  if (ticket.requesterId !== selfId || !current) return null;
  if (current.answeredAt !== null || thanked) {
    return (
      <View style={styles.box} testID="csat-thanks">
        <Text accessibilityRole="text" style={[styles.title, { color: colors.text }]}>
          {t('csat.thanks')}
        </Text>
        {current.score ? (
          <Text style={{ color: colors.textMuted }}>{t('csat.yourAnswer', { score: current.score })}</Text>
        ) : null}
      </View>
    );
  }

  const send = async () => {
    setBusy(true);
    try {
      const answered = await parley.csat.answer(ticket.id, {
        score,
        surveyId: current.id,
        ...(comment.trim() && { comment: comment.trim() }),
      });
      setSurveys((all) => all.map((s) => (s.id === answered.id ? answered : s)));
      setThanked(true);
      setError(null);
    } catch (e) {
      setError(toFormError(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <View style={[styles.box, { borderColor: colors.border }]} role="group" aria-label={t('csat.question')}>
      <Text accessibilityRole="header" aria-level={3} style={[styles.title, { color: colors.text }]}>
        {t('csat.question')}
      </Text>
      <Text style={{ color: colors.textMuted }}>{t('csat.hint')}</Text>
      <View style={styles.stars} accessibilityRole="radiogroup" accessibilityLabel={t('csat.question')}>
        {[1, 2, 3, 4, 5].map((n) => (
          <Pressable
            key={n}
            accessibilityRole="radio"
            accessibilityLabel={t('csat.star', { count: n })}
            accessibilityState={{ checked: score === n }}
            aria-checked={score === n}
            onPress={() => setScore(n)}
            style={styles.star}
          >
            <Text style={{ fontSize: 28, color: n <= score ? colors.warning : colors.textMuted }}>
              {n <= score ? '★' : '☆'}
            </Text>
          </Pressable>
        ))}
      </View>
      <TextField label={t('csat.comment')} value={comment} onChangeText={setComment} multiline maxLength={2000} />
      <Button label={t('csat.send')} disabled={score === 0} busy={busy} onPress={() => void send()} />
      {error ? (
        <Text accessibilityRole="alert" style={{ color: colors.danger }}>
          {errorText(t, error, 'ticket')}
        </Text>
      ) : null}
    </View>
  );
}

const styles = StyleSheet.create({
  box: { marginTop: 12, padding: 12, borderRadius: 8, borderWidth: StyleSheet.hairlineWidth, gap: 6 },
  title: { fontSize: 15, fontWeight: '700' },
  stars: { flexDirection: 'row', gap: 4 },
  star: { minWidth: 44, minHeight: 44, alignItems: 'center', justifyContent: 'center' },
});
