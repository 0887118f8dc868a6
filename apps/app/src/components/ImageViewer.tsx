import type { Attachment } from '@parley/protocol';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import {
  ActivityIndicator,
  Image,
  Modal,
  Platform,
  Pressable,
  StyleSheet,
  Text,
  useWindowDimensions,
  View,
} from 'react-native';
import { authedBlobUrl, openAttachment } from '../chat/files';

const ZOOMS = [1, 1.5, 2, 3, 4] as const;
/** Room around the picture at 100 %: the bar above, a margin below and on the sides. */
const BAR = 56;
const MARGIN = 24;

/** The full-size file, fetched with the user's token (attachments are private). */
function useImageUrl(path: string): string | null {
  const [url, setUrl] = useState<string | null>(null);
  useEffect(() => {
    let live = true;
    setUrl(null);
    if (Platform.OS === 'web')
      authedBlobUrl(path).then(
        (u) => live && setUrl(u),
        () => undefined,
      );
    return () => {
      live = false;
    };
  }, [path]);
  return url;
}

/**
 * A conversation's images, one at a time over everything (a lightbox): zoom in and out (then
 * scroll to move around), previous and next over all images of the conversation, download,
 * close. Keys: ← → to move, + − to zoom, Esc to close.
 */
export function ImageViewer({
  images,
  index,
  onIndex,
  onClose,
}: {
  images: readonly Attachment[];
  index: number;
  onIndex: (index: number) => void;
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const { width, height } = useWindowDimensions();
  const [zoom, setZoom] = useState(0);
  const image = images[index]!;
  const url = useImageUrl(image.url);
  const hasPrevious = index > 0;
  const hasNext = index < images.length - 1;

  useEffect(() => setZoom(0), [index]);

  useEffect(() => {
    if (Platform.OS !== 'web') return;
    const onKey = (event: KeyboardEvent) => {
      if (event.key === 'ArrowLeft' && hasPrevious) onIndex(index - 1);
      else if (event.key === 'ArrowRight' && hasNext) onIndex(index + 1);
      else if (event.key === '+' || event.key === '=') setZoom((z) => Math.min(ZOOMS.length - 1, z + 1));
      else if (event.key === '-') setZoom((z) => Math.max(0, z - 1));
      else return;
      event.preventDefault();
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, [index, hasPrevious, hasNext, onIndex]);

  // At 100 % the picture fits the window (never blown up past its own size).
  const natural = { width: image.width ?? 800, height: image.height ?? 600 };
  const fit = Math.min(1, (width - 2 * MARGIN) / natural.width, (height - BAR - 2 * MARGIN) / natural.height);
  const scale = ZOOMS[zoom]!;
  const shown = { width: natural.width * fit * scale, height: natural.height * fit * scale };

  const tool = (label: string, text: string, onPress: () => void, enabled = true) => (
    <Pressable
      accessibilityRole="button"
      accessibilityLabel={label}
      accessibilityState={{ disabled: !enabled }}
      disabled={!enabled}
      onPress={onPress}
      style={({ pressed, focused }: { pressed: boolean; focused?: boolean }) => [
        styles.tool,
        !enabled && styles.disabled,
        pressed && styles.pressed,
        focused && styles.focused,
      ]}
    >
      <Text style={styles.toolText}>{text}</Text>
    </Pressable>
  );

  return (
    <Modal
      visible
      transparent
      onRequestClose={onClose}
      {...({ 'aria-label': t('chat.viewer.title', { name: image.fileName }) } as object)}
    >
      <View style={styles.root} testID="image-viewer">
        <View style={styles.bar}>
          <Text style={styles.name} numberOfLines={1}>
            {image.fileName}
          </Text>
          <Text style={styles.counter}>{t('chat.viewer.position', { n: index + 1, count: images.length })}</Text>
          {tool(t('chat.viewer.zoomOut'), '−', () => setZoom((z) => z - 1), zoom > 0)}
          <Text style={styles.zoom} accessibilityLabel={t('chat.viewer.zoomLevel', { percent: scale * 100 })}>
            {scale * 100} %
          </Text>
          {tool(t('chat.viewer.zoomIn'), '+', () => setZoom((z) => z + 1), zoom < ZOOMS.length - 1)}
          {tool(t('chat.viewer.download'), '↓', () => void openAttachment(image))}
          {tool(t('chat.viewer.close'), '✕', onClose)}
        </View>
        {/* Scrolls both ways once zoomed past the window; the picture stays centred while it fits. */}
        <View style={styles.stage}>
          <View style={styles.stageContent}>
            {url ? (
              <Image
                source={{ uri: url }}
                style={shown}
                resizeMode="contain"
                accessibilityLabel={image.fileName}
                testID="viewer-image"
              />
            ) : (
              <View style={[shown, styles.loading]}>
                <ActivityIndicator color="#ffffff" />
              </View>
            )}
          </View>
        </View>
        {hasPrevious ? (
          <View style={[styles.side, styles.left]}>
            {tool(t('chat.viewer.previous'), '‹', () => onIndex(index - 1))}
          </View>
        ) : null}
        {hasNext ? (
          <View style={[styles.side, styles.right]}>{tool(t('chat.viewer.next'), '›', () => onIndex(index + 1))}</View>
        ) : null}
      </View>
    </Modal>
  );
}

// Light on dark whatever the theme: a photo reads best on black.
const styles = StyleSheet.create({
  root: { flex: 1, backgroundColor: 'rgba(0, 0, 0, 0.95)' },
  bar: { height: BAR, flexDirection: 'row', alignItems: 'center', paddingHorizontal: 12, backgroundColor: '#000000' },
  name: { flex: 1, color: '#ffffff', fontSize: 15, fontWeight: '600' },
  counter: { color: '#e4e4e7', fontSize: 13, marginHorizontal: 12 },
  zoom: { color: '#e4e4e7', fontSize: 13, minWidth: 48, textAlign: 'center' },
  tool: {
    width: 40,
    height: 40,
    borderRadius: 20,
    marginLeft: 4,
    alignItems: 'center',
    justifyContent: 'center',
    backgroundColor: 'rgba(255, 255, 255, 0.12)',
  },
  toolText: { color: '#ffffff', fontSize: 20, lineHeight: 22 },
  disabled: { opacity: 0.4 },
  pressed: { backgroundColor: 'rgba(255, 255, 255, 0.3)' },
  focused: { outlineColor: '#ffffff', outlineWidth: 2, outlineStyle: 'solid' },
  stage: { flex: 1, overflow: 'scroll' },
  stageContent: {
    alignSelf: 'flex-start',
    flexShrink: 0,
    minWidth: '100%',
    minHeight: '100%',
    alignItems: 'center',
    justifyContent: 'center',
    padding: MARGIN,
  },
  loading: { alignItems: 'center', justifyContent: 'center' },
  side: { position: 'absolute', top: '50%', marginTop: -20 },
  left: { left: 12 },
  right: { right: 12 },
});
