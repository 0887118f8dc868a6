import { useTranslation } from 'react-i18next';
import { Image, StyleSheet, Text, View } from 'react-native';
import type { PresenceStatus } from '@parley/protocol';
import { absoluteUrl } from '../api/parley';
import { useTheme } from '../theme/theme';

const PRESENCE_COLOURS: Record<PresenceStatus, string> = { online: '#16a34a', away: '#d97706', offline: '#9ca3af' };

/** A round avatar (the picture, or initials), with an optional presence dot. */
export function Avatar({
  name,
  url,
  size = 36,
  presence,
}: {
  name: string;
  url: string | null | undefined;
  size?: number;
  presence?: PresenceStatus | undefined;
}) {
  const { t } = useTranslation();
  const { colors } = useTheme();
  const initials = name
    .split(/\s+/)
    .map((part) => part[0] ?? '')
    .join('')
    .slice(0, 2)
    .toUpperCase();
  const round = { width: size, height: size, borderRadius: size / 2 };
  return (
    <View style={round}>
      {url ? (
        <Image
          source={{ uri: `${absoluteUrl(url)}?size=${size > 64 ? 256 : 64}` }}
          style={round}
          accessibilityLabel={name}
        />
      ) : (
        // An image to screen readers, named: the initials alone would be spelled out.
        <View style={[round, styles.initials, { backgroundColor: colors.primary }]} role="img" aria-label={name}>
          <Text style={{ color: colors.onPrimary, fontWeight: '700', fontSize: size * 0.38 }}>{initials}</Text>
        </View>
      )}
      {presence ? (
        <View
          role="img"
          aria-label={t(`presence.${presence}`)}
          style={[
            styles.dot,
            {
              backgroundColor: PRESENCE_COLOURS[presence],
              borderColor: colors.background,
              width: size / 3,
              height: size / 3,
              borderRadius: size / 6,
            },
          ]}
        />
      ) : null}
    </View>
  );
}

const styles = StyleSheet.create({
  initials: { alignItems: 'center', justifyContent: 'center' },
  dot: { position: 'absolute', right: -1, bottom: -1, borderWidth: 2 },
});
