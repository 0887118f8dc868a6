import type { UploadFile } from '@parley/client';

/** A file the person picked, ready to upload and to preview. */
export interface PickedFile {
  file: UploadFile;
  name: string;
  type: string;
  /** Bytes, or null when the platform did not say. */
  size: number | null;
  /** Shown while it uploads: an image's own address (`blob:` on the web, `file://` on a phone). */
  previewUri: string | null;
}

/**
 * The platform's pickers (`pick-files.web.ts`, `pick-files.native.ts`; Metro, the type check and
 * the tests pick the file by platform). What a platform lacks is null.
 */
export interface FilePickers {
  /** One image, for an avatar or a logo; null when nothing was picked. */
  image(): Promise<PickedFile | null>;
  /**
   * Files to attach. Null on the web: the composer keeps a file input of its own there, open
   * for as long as the composer is (so a second pick adds to the first).
   */
  documents: (() => Promise<PickedFile[]>) | null;
  /** A photo taken now (resolves null when cancelled or the camera was refused); null on the web. */
  camera: (() => Promise<PickedFile | null>) | null;
}

/** A File from the browser, with a preview address when it is an image (revoke it when done). */
export function pickedFromWeb(file: File): PickedFile {
  return {
    file,
    name: file.name,
    type: file.type,
    size: file.size,
    previewUri: file.type.startsWith('image/') ? URL.createObjectURL(file) : null,
  };
}

/** A preview address made here goes back to the browser; a phone's file address needs nothing. */
export function releasePreview(picked: Pick<PickedFile, 'previewUri'>): void {
  if (picked.previewUri?.startsWith('blob:')) URL.revokeObjectURL(picked.previewUri);
}
