import { pickedFromWeb, type FilePickers, type PickedFile } from './picked-file';

/** The browser's file picker, for one image. Resolves null when nothing was picked. */
function pickImage(): Promise<PickedFile | null> {
  return new Promise((resolve) => {
    const input = document.createElement('input');
    input.type = 'file';
    input.accept = 'image/*';
    input.style.display = 'none';
    input.setAttribute('aria-hidden', 'true');
    const done = (file: File | null) => {
      input.remove();
      resolve(file && pickedFromWeb(file));
    };
    input.addEventListener('change', () => done(input.files?.[0] ?? null));
    input.addEventListener('cancel', () => done(null));
    document.body.appendChild(input);
    input.click();
  });
}

export const pickers: FilePickers = { image: pickImage, documents: null, camera: null };
