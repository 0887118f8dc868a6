import { createElement } from 'react';
import { useTranslation } from 'react-i18next';
import { Platform, Text } from 'react-native';
import { formatClock, formatFull, formatRelative } from '../time/time-format';
import { useTicking } from '../time/ticker';

export interface RelativeTimeProps {
  /** ISO timestamp. */
  at: string;
  /** `relative` ("5 min. ago") for lists; `clock` (the time of day, or the date) under messages. */
  variant?: 'relative' | 'clock';
}

/** The app language and the device's time zone: what the reader reads times in. */
export function useTimeStyle() {
  const { t, i18n } = useTranslation();
  return { locale: i18n.language, justNow: t('time.justNow') };
}

/**
 * The words a RelativeTime shows now, kept current: for the label of a row that shows one, which
 * must say the same words (voice control users say what they see).
 */
export function useRelativeText(at: string, variant: 'relative' | 'clock' = 'relative'): string {
  const style = useTimeStyle();
  return useTicking((now) =>
    variant === 'clock' ? formatClock(at, { ...style, now }) : formatRelative(at, { ...style, now }),
  );
}

/**
 * A time that keeps itself current, for use inside a `Text` (it takes that text's style). The
 * full date and time is its hover title on the web and what screen readers say.
 */
export function RelativeTime({ at, variant = 'relative' }: RelativeTimeProps) {
  const style = useTimeStyle();
  const text = useRelativeText(at, variant);
  const full = formatFull(at, style);
  if (Platform.OS === 'web') {
    // A real <time>: react-native-web's Text passes neither `title` nor `dateTime` on.
    return createElement('time', { dateTime: at, title: full, 'aria-label': full }, text);
  }
  return <Text accessibilityLabel={full}>{text}</Text>;
}
