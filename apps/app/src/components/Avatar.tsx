import { useTranslation } from 'react-i18next';
import { Image, Platform, StyleSheet, Text, View } from 'react-native';
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
          {Platform.OS === 'web' ? (
            <Image source={{ uri: initialsPicture(initials, colors.onPrimary, size) }} style={round} />
          ) : (
            <Text style={{ color: colors.onPrimary, fontWeight: '700', fontSize: size * 0.38 }}>{initials}</Text>
          )}
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

const XML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' };

/**
 * On the web the initials are a picture (an SVG data URI), not text: as text they would join the
 * words of a link around the avatar (a queue row's "CCInvoice address"), so the words a reader
 * sees would no longer be part of the link's name (axe's label-content-name-mismatch).
 */
export function initialsPicture(initials: string, colour: string, size: number): string {
  const text = initials.replace(/[&<>"']/g, (c) => XML_ESCAPES[c]!);
  const svg =
    `<svg xmlns="http://www.w3.org/2000/svg" width="${size}" height="${size}">` +
    `<text x="50%" y="50%" dominant-baseline="central" text-anchor="middle" fill="${colour}" ` +
    `font-family="system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif" font-weight="700" ` +
    `font-size="${Math.round(size * 0.38)}">${text}</text></svg>`;
  return `data:image/svg+xml,${encodeURIComponent(svg)}`;
}

const styles = StyleSheet.create({
  initials: { alignItems: 'center', justifyContent: 'center' },
  dot: { position: 'absolute', right: -1, bottom: -1, borderWidth: 2 },
});
