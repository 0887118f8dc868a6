import { ParleyError } from '@parley/client';
import type { Attachment, PublicUser } from '@parley/protocol';
import { useEffect, useRef, useState, type RefObject } from 'react';
import { useTranslation } from 'react-i18next';
import type { TFunction } from 'i18next';
import {
  Image,
  Platform,
  Pressable,
  StyleSheet,
  Text,
  TextInput,
  View,
  type NativeSyntheticEvent,
  type TextInputKeyPressEventData,
} from 'react-native';
import { toFormError } from '../api/errors';
import { parley } from '../api/parley';
import { pickers } from '../api/pick-files';
import { pickedFromWeb, releasePreview, type PickedFile } from '../api/picked-file';
import { formatBytes, isImage, uploadAttachment } from '../chat/files';
import { errorText } from '../i18n/error-text';
import { useTheme } from '../theme/theme';
import { Button } from './Button';
import { useCannedPicker } from './CannedPicker';
import { useMentionPicker } from './MentionPicker';

/** `typing` frames at most this often (the server drops more anyway). */
const TYPING_EVERY_MS = 2_000;

/** What the composer shows of the message a reply answers. */
export interface ReplyDraft {
  id: string;
  /** A reply to an internal note is a note. */
  note: boolean;
  senderName: string;
  excerpt: string;
}

/** The phone's document picker and camera (null on the web, which has its own file input). */
const { documents, camera } = pickers;

/** A picked file (kept until sent, so a failed upload can be tried again) and how it went. */
interface Upload extends PickedFile {
  key: string;
  progress: number;
  attachment: Attachment | null;
  error: { message: string; retryable: boolean } | null;
}

/** Why an upload failed, in the reader's words, and whether trying again can help. */
function uploadError(error: unknown, t: TFunction): NonNullable<Upload['error']> {
  if (error instanceof ParleyError && error.code === 'network') {
    return { message: t('chat.uploadOffline'), retryable: true };
  }
  // The same file will be refused again: only Remove helps.
  if (error instanceof ParleyError && error.code === 'payload_too_large') {
    const quota = error.details?.reason === 'quota_exceeded';
    return { message: quota ? t('chat.uploadQuota') : t('chat.uploadTooLarge'), retryable: false };
  }
  // The server's English never reaches the screen: the code says it in the reader's words.
  const failure = toFormError(error);
  return { message: errorText(t, failure), retryable: failure.code !== 'unsupported_media_type' };
}

/**
 * The message box: multiline, Enter sends and Shift+Enter breaks the line on the web; typing
 * frames while typing; an internal-note toggle for staff on tickets; file attachments from the web's
 * file chooser or the phone's pickers and camera (uploaded at once, with progress and a preview).
 */
export function Composer({
  conversationId,
  allowNotes,
  hint = null,
  inputRef,
  ticketId = null,
  replyTo = null,
  onCancelReply,
  people = [],
}: {
  /** Who may be mentioned here: `@` offers them. */
  people?: readonly PublicUser[];
  conversationId: string;
  allowNotes: boolean;
  /** A line under the field about where messages go ("also emailed to the customer"). */
  hint?: string | null;
  /** The message being answered: shown above the field, sent as `replyToId`. */
  replyTo?: ReplyDraft | null;
  onCancelReply?: () => void;
  /** Staff in a ticket: canned responses, with `/shortcut` or the picker button. */
  ticketId?: string | null;
  /** The text field, for whoever focuses it (the chat, when it opens). */
  inputRef?: RefObject<TextInput | null>;
}) {
  const { t } = useTranslation();
  const { colors } = useTheme();
  const [text, setText] = useState('');
  const [internal, setInternal] = useState(false);
  const [uploads, setUploads] = useState<Upload[]>([]);
  const [focused, setFocused] = useState(false);
  const [caret, setCaret] = useState(0);
  const lastTyping = useRef(0);
  const fileInput = useRef<HTMLInputElement | null>(null);
  const ownInput = useRef<TextInput>(null);
  const input = inputRef ?? ownInput;

  const change = (key: string, update: Partial<Upload>) =>
    setUploads((list) => list.map((u) => (u.key === key ? { ...u, ...update } : u)));

  const start = (key: string, { file, name }: PickedFile) =>
    uploadAttachment(conversationId, file, name, (progress) => change(key, { progress })).then(
      (attachment) => change(key, { attachment, progress: 1 }),
      (error: unknown) => change(key, { error: uploadError(error, t) }),
    );

  const upload = (picked: PickedFile) => {
    const key = `${Date.now()}-${Math.random()}`;
    setUploads((list) => [...list, { ...picked, key, progress: 0, attachment: null, error: null }]);
    void start(key, picked);
  };

  // The phone's pickers; the web has its file input (below).
  const pick = async (from: () => Promise<PickedFile | PickedFile[] | null>) => {
    const picked = await from();
    for (const file of [picked ?? []].flat()) upload(file);
  };

  const retry = (u: Upload) => {
    change(u.key, { error: null, progress: 0 });
    void start(u.key, u);
  };

  // The web's file picker: a hidden <input type="file"> that lives as long as the composer.
  const uploadRef = useRef(upload);
  uploadRef.current = upload;
  useEffect(() => {
    if (Platform.OS !== 'web') return;
    const element = document.createElement('input');
    element.type = 'file';
    element.multiple = true;
    element.style.display = 'none';
    element.setAttribute('aria-label', t('chat.attach'));
    element.dataset.testid = 'composer-file-input';
    element.addEventListener('change', () => {
      for (const file of Array.from(element.files ?? [])) uploadRef.current(pickedFromWeb(file));
      element.value = '';
    });
    document.body.appendChild(element);
    fileInput.current = element;
    return () => {
      element.remove();
      fileInput.current = null;
    };
  }, [t]);

  // What a picker puts in (a canned response, `@username`): the new text, the caret after it.
  const insert = (value: string, at: number) => {
    setText(value);
    setCaret(at);
    input.current?.focus();
  };
  const canned = useCannedPicker({ ticketId, text, caret, onInsert: insert });
  const mentions = useMentionPicker({ people, text, caret, onInsert: insert });

  const onChangeText = (value: string) => {
    // Typing at the end keeps the caret there, even before the selection event says so.
    if (caret >= text.length) setCaret(value.length);
    setText(value);
    const now = Date.now();
    if (value.trim() && now - lastTyping.current >= TYPING_EVERY_MS) {
      lastTyping.current = now;
      parley.realtime.send({ type: 'typing', conversationId, internal: allowNotes && internal });
    }
  };

  // A failed upload holds the send too: sending without it would drop the file unnoticed.
  const unresolved = uploads.some((u) => !u.attachment);
  const ready = uploads.filter((u) => u.attachment);
  const canSend = !unresolved && (text.trim().length > 0 || ready.length > 0);

  const send = () => {
    if (!canSend) return;
    const body = text.trim() || ready.map((u) => u.name).join(', ');
    void parley.outbox.send(conversationId, body, {
      internal: note,
      attachmentIds: ready.map((u) => u.attachment!.id),
      replyToId: replyTo?.id ?? null,
    });
    onCancelReply?.();
    uploads.forEach(releasePreview);
    setText('');
    setCaret(0);
    setUploads([]);
    lastTyping.current = 0;
    input.current?.focus();
  };

  const onKeyPress = (event: NativeSyntheticEvent<TextInputKeyPressEventData>) => {
    if (Platform.OS !== 'web' || canned.onKeyPress(event) || mentions.onKeyPress(event)) return;
    const native = event.nativeEvent as TextInputKeyPressEventData & { shiftKey?: boolean; isComposing?: boolean };
    if (native.key === 'Escape' && replyTo) {
      event.preventDefault();
      onCancelReply?.();
      return;
    }
    if (native.key === 'Enter' && !native.shiftKey && !native.isComposing) {
      event.preventDefault();
      send();
    }
  };

  // A reply to a note is a note, whatever the switch says (the server makes it one too).
  const note = (allowNotes && internal) || Boolean(replyTo?.note);
  return (
    <View style={[styles.root, { borderTopColor: colors.border, backgroundColor: colors.surface }]}>
      {replyTo ? (
        <View style={[styles.replyBar, { borderLeftColor: note ? colors.warning : colors.primary }]}>
          <View style={styles.replyText}>
            <Text style={{ color: colors.text, fontSize: 13, fontWeight: '600' }} numberOfLines={1}>
              {t('chat.replyingTo', { name: replyTo.senderName })}
            </Text>
            <Text style={{ color: colors.textMuted, fontSize: 13 }} numberOfLines={1}>
              {replyTo.excerpt}
            </Text>
          </View>
          <Pressable
            accessibilityRole="button"
            accessibilityLabel={t('chat.cancelReply')}
            onPress={() => {
              onCancelReply?.();
              input.current?.focus();
            }}
            style={styles.remove}
          >
            <Text style={{ color: colors.textMuted, fontSize: 16 }}>✕</Text>
          </Pressable>
        </View>
      ) : null}
      {uploads.length > 0 ? (
        <View style={styles.uploads}>
          {uploads.map((u) => (
            <View
              key={u.key}
              style={[styles.upload, { borderColor: u.error ? colors.danger : colors.border }]}
              accessibilityLabel={u.size === null ? u.name : `${u.name}, ${formatBytes(u.size)}`}
            >
              {u.previewUri && isImage(u.type) ? (
                <Image source={{ uri: u.previewUri }} style={styles.preview} accessibilityLabel={u.name} />
              ) : (
                <Text style={[styles.fileIcon, { color: colors.textMuted }]}>↓</Text>
              )}
              <View style={styles.uploadText}>
                <Text numberOfLines={1} style={{ color: colors.text, fontSize: 13, fontWeight: '600' }}>
                  {u.name}
                </Text>
                <Text
                  style={{ color: u.error ? colors.danger : colors.textMuted, fontSize: 12 }}
                  accessibilityRole={u.error ? 'alert' : undefined}
                >
                  {u.error?.message ??
                    (u.attachment
                      ? formatBytes(u.attachment.sizeBytes)
                      : t('chat.uploading', { percent: Math.round(u.progress * 100) }))}
                </Text>
                {!u.attachment && !u.error ? (
                  <View
                    style={[styles.progress, { backgroundColor: colors.border }]}
                    accessibilityRole="progressbar"
                    accessibilityValue={{ min: 0, max: 100, now: Math.round(u.progress * 100) }}
                  >
                    <View
                      style={[
                        styles.bar,
                        { width: `${Math.round(u.progress * 100)}%`, backgroundColor: colors.primary },
                      ]}
                    />
                  </View>
                ) : null}
              </View>
              {u.error?.retryable ? (
                <Button
                  variant="link"
                  label={t('chat.retryUpload')}
                  accessibilityLabel={t('chat.retryUploadLabel', { name: u.name })}
                  onPress={() => retry(u)}
                />
              ) : null}
              <Pressable
                accessibilityRole="button"
                accessibilityLabel={t('chat.removeAttachment', { name: u.name })}
                onPress={() => {
                  releasePreview(u);
                  setUploads((list) => list.filter((x) => x.key !== u.key));
                }}
                style={styles.remove}
              >
                <Text style={{ color: colors.textMuted, fontSize: 16 }}>✕</Text>
              </Pressable>
            </View>
          ))}
        </View>
      ) : null}
      {canned.picker}
      {mentions.picker}
      {allowNotes ? (
        <Pressable
          accessibilityRole="switch"
          accessibilityLabel={t('chat.internalNote')}
          accessibilityState={{ checked: internal }}
          // react-native-web does not map accessibilityState; a switch without aria-checked is no switch.
          aria-checked={internal}
          onPress={() => setInternal((v) => !v)}
          style={({ focused }: { pressed: boolean; focused?: boolean }) => [
            styles.toggle,
            focused && { outlineColor: colors.link, outlineWidth: 2, outlineStyle: 'solid' as const },
          ]}
        >
          <View
            style={[
              styles.checkbox,
              {
                borderColor: note ? colors.banner : colors.border,
                backgroundColor: note ? colors.banner : 'transparent',
              },
            ]}
          >
            {note ? <Text style={{ color: colors.onBanner, fontSize: 11, fontWeight: '800' }}>✓</Text> : null}
          </View>
          <Text style={{ color: note ? colors.text : colors.textMuted, fontSize: 13, fontWeight: '600' }}>
            {t('chat.internalNote')}
          </Text>
        </Pressable>
      ) : null}
      <View style={styles.row}>
        <TextInput
          ref={input}
          accessibilityLabel={note ? t('chat.notePlaceholder') : t('chat.placeholder')}
          placeholder={note ? t('chat.notePlaceholder') : t('chat.placeholder')}
          placeholderTextColor={note ? colors.onNoteBubble : colors.textMuted}
          value={text}
          onChangeText={onChangeText}
          onKeyPress={onKeyPress}
          onSelectionChange={(event) => setCaret(event.nativeEvent.selection.end)}
          onFocus={() => setFocused(true)}
          onBlur={() => setFocused(false)}
          multiline
          numberOfLines={2}
          style={[
            styles.input,
            note
              ? { backgroundColor: colors.noteBubble, color: colors.onNoteBubble, borderColor: colors.warning }
              : { backgroundColor: colors.surfaceRaised, color: colors.text, borderColor: colors.border },
            // A visible focus ring of our own instead of the browser's black outline.
            focused && {
              borderColor: colors.link,
              outlineColor: colors.link,
              outlineWidth: 1,
              outlineStyle: 'solid' as const,
            },
          ]}
        />
        {canned.button}
        {/* After the field in the Tab order: from the timeline, one Tab lands in the text. */}
        {Platform.OS === 'web' ? (
          <AttachButton label={t('chat.attach')} glyph="+" onPress={() => fileInput.current?.click()} />
        ) : (
          <>
            {documents ? (
              <AttachButton label={t('chat.attach')} glyph="+" onPress={() => void pick(documents)} />
            ) : null}
            {camera ? <AttachButton label={t('chat.takePhoto')} glyph="◉" onPress={() => void pick(camera)} /> : null}
          </>
        )}
        <Button label={t('chat.send')} onPress={send} disabled={!canSend} style={styles.send} />
      </View>
      {hint ? <Text style={[styles.hint, { color: colors.textMuted }]}>{hint}</Text> : null}
    </View>
  );
}

/** A square button beside the text field: attach a file, take a photo. */
function AttachButton({ label, glyph, onPress }: { label: string; glyph: string; onPress: () => void }) {
  const { colors } = useTheme();
  return (
    <Pressable
      accessibilityRole="button"
      accessibilityLabel={label}
      onPress={onPress}
      style={({ focused, pressed }: { focused?: boolean; pressed: boolean }) => [
        styles.attach,
        { borderColor: colors.border, backgroundColor: pressed ? colors.surface : colors.surfaceRaised },
        focused && { outlineColor: colors.link, outlineWidth: 2, outlineStyle: 'solid' as const },
      ]}
    >
      <Text style={{ color: colors.text, fontSize: 24, lineHeight: 26 }}>{glyph}</Text>
    </Pressable>
  );
}

const styles = StyleSheet.create({
  replyBar: { flexDirection: 'row', alignItems: 'center', borderLeftWidth: 3, paddingLeft: 8, marginBottom: 6, gap: 8 },
  replyText: { flex: 1, minWidth: 0 },
  root: { borderTopWidth: 1, paddingHorizontal: 12, paddingVertical: 8 },
  row: { flexDirection: 'row', alignItems: 'flex-end' },
  input: {
    flex: 1,
    borderWidth: 1,
    borderRadius: 10,
    paddingHorizontal: 12,
    paddingVertical: 9,
    fontSize: 15,
    minHeight: 42,
    maxHeight: 140,
    textAlignVertical: 'top',
  },
  attach: {
    width: 42,
    height: 42,
    borderRadius: 10,
    borderWidth: 1,
    alignItems: 'center',
    justifyContent: 'center',
    marginLeft: 8,
  },
  send: { marginLeft: 8, minHeight: 42 },
  hint: { fontSize: 12, marginTop: 4 },
  toggle: { flexDirection: 'row', alignItems: 'center', alignSelf: 'flex-start', marginBottom: 6, borderRadius: 6 },
  checkbox: {
    width: 18,
    height: 18,
    borderRadius: 4,
    borderWidth: 2,
    marginRight: 6,
    alignItems: 'center',
    justifyContent: 'center',
  },
  uploads: { flexDirection: 'row', flexWrap: 'wrap', marginBottom: 8 },
  upload: {
    flexDirection: 'row',
    alignItems: 'center',
    borderWidth: 1,
    borderRadius: 10,
    padding: 6,
    marginRight: 8,
    marginBottom: 4,
    width: 250,
  },
  preview: { width: 48, height: 48, borderRadius: 6 },
  fileIcon: { width: 48, textAlign: 'center', fontSize: 22 },
  uploadText: { flex: 1, marginLeft: 8 },
  progress: { height: 4, borderRadius: 2, marginTop: 4, overflow: 'hidden' },
  bar: { height: 4 },
  remove: { padding: 6, marginLeft: 4 },
});
