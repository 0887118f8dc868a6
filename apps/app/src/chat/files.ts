import { ParleyError, type UploadFile } from '@parley/client';
import type { Attachment, ErrorBody } from '@parley/protocol';
import { UPLOAD_FIELD } from '@parley/protocol/constants';
import { Platform } from 'react-native';
import { absoluteUrl, parley, serverUrl } from '../api/parley';

/** "12 KB", "3.4 MB". */
export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${Math.round(bytes / 1024)} KB`;
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}

export const isImage = (contentType: string) => contentType.startsWith('image/');

/**
 * Uploads a file to attach to the next message in `conversationId`. On the web it goes by
 * XMLHttpRequest, whose upload events give `onProgress` (0..1); on a phone through the SDK,
 * which hands the file's address to React Native's networking.
 * Fails with a `ParleyError` either way (`network` when the server could not be reached).
 */
export async function uploadAttachment(
  conversationId: string,
  file: UploadFile,
  fileName: string,
  onProgress: (fraction: number) => void,
): Promise<Attachment> {
  if (Platform.OS !== 'web' || typeof XMLHttpRequest === 'undefined' || !(file instanceof Blob)) {
    const attachment = await parley.conversations.uploadAttachment(conversationId, file, fileName);
    onProgress(1);
    return attachment;
  }
  const token = await parley.accessToken();
  const form = new FormData();
  form.append(UPLOAD_FIELD, file, fileName);
  return new Promise<Attachment>((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', `${serverUrl()}/conversations/${encodeURIComponent(conversationId)}/attachments`);
    if (token) xhr.setRequestHeader('authorization', `Bearer ${token}`);
    xhr.upload.onprogress = (event) => {
      if (event.lengthComputable && event.total > 0) onProgress(event.loaded / event.total);
    };
    xhr.onload = () => {
      let body: unknown = null;
      try {
        body = JSON.parse(xhr.responseText);
      } catch {
        // not JSON: reported by status below
      }
      if (xhr.status === 201 || xhr.status === 200) {
        onProgress(1);
        resolve(body as Attachment);
      } else {
        const error = (body as Partial<ErrorBody> | null)?.error;
        reject(
          error?.code
            ? new ParleyError(xhr.status, error.code, error.message, error.details)
            : new ParleyError(xhr.status, 'internal', `Upload failed (HTTP ${xhr.status})`),
        );
      }
    };
    xhr.onerror = () => reject(new ParleyError(0, 'network', 'The server could not be reached'));
    xhr.send(form);
  });
}

/** Object URLs of files fetched with the user's token (attachments are not public), by path. */
const blobUrls = new Map<string, Promise<string>>();

/** An object URL for an authenticated server path (web), fetched once per path. */
export function authedBlobUrl(path: string): Promise<string> {
  let url = blobUrls.get(path);
  if (!url) {
    url = (async () => {
      const token = await parley.accessToken();
      const response = await fetch(absoluteUrl(path), {
        headers: token ? { authorization: `Bearer ${token}` } : {},
      });
      if (!response.ok) throw new Error(`HTTP ${response.status}`);
      return URL.createObjectURL(await response.blob());
    })();
    url.catch(() => blobUrls.delete(path)); // try again next time
    blobUrls.set(path, url);
  }
  return url;
}

/** Downloads an attachment with the user's token, then hands it to the browser. */
export async function openAttachment(attachment: Attachment): Promise<void> {
  if (Platform.OS !== 'web') return;
  const url = await authedBlobUrl(attachment.url);
  const link = document.createElement('a');
  link.href = url;
  link.download = attachment.fileName;
  link.rel = 'noopener';
  document.body.appendChild(link);
  link.click();
  link.remove();
}
