import '../i18n';
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import type { Message } from '@parley/protocol';
import { fireEvent, screen, waitFor } from '@testing-library/react-native';
import { phone } from '../../jest/phone';
import { phoneFile, PNG } from '../../jest/phone-files';
import { renderOnPhone } from '../../jest/render';
import { absoluteUrl, parley } from '../api/parley';
import { Composer } from './Composer';

/**
 * Attaching on an Android phone, against a real Parley server (jest/server.js): the system's
 * document picker and the camera hand the app file addresses, which React Native uploads.
 */

let conversationId: string;
let people = 0;

async function newestMessage(): Promise<Message | undefined> {
  const page = await parley.conversations.messages(conversationId, { limit: 5 });
  return page.items.at(-1);
}

async function download(url: string): Promise<Buffer> {
  const token = await parley.accessToken();
  const response = await fetch(absoluteUrl(url), { headers: { authorization: `Bearer ${token}` } });
  expect(response.status).toBe(200);
  return Buffer.from(await response.arrayBuffer());
}

describe('attaching files on an Android phone', () => {
  beforeEach(async () => {
    phone.reset();
    people += 1;
    const name = `attach${Date.now().toString(36)}${people}`;
    await parley.auth.register({ email: `${name}@example.test`, username: name, password: 'correct horse battery' });
    ({ conversationId } = await parley.tickets.create({ subject: 'The printer jams', description: 'Every page' }));
  });
  afterEach(async () => {
    parley.realtime.close();
    await parley.auth.logout().catch(() => undefined);
  });

  it('uploads a picked document at once, and sends it with the message', async () => {
    const invoice = 'Invoice 42: three printers';
    phone.nextDocuments = [
      {
        uri: phoneFile('invoice.txt', invoice),
        name: 'invoice.txt',
        mimeType: 'text/plain',
        size: invoice.length,
        lastModified: 0,
      },
    ];
    await parley.connect();
    renderOnPhone(<Composer conversationId={conversationId} allowNotes={false} />);

    fireEvent.press(screen.getByLabelText('Attach a file'));
    expect(await screen.findByLabelText(`invoice.txt, ${invoice.length} B`)).toBeTruthy();
    // The size under the name is the server's, once it has the file.
    expect(await screen.findByText(`${invoice.length} B`)).toBeTruthy();

    fireEvent.changeText(screen.getByLabelText('Write a message'), 'Here is the invoice');
    fireEvent.press(screen.getByText('Send'));
    await waitFor(async () => expect((await newestMessage())?.body).toBe('Here is the invoice'), { timeout: 10_000 });
    const [attachment] = (await newestMessage())!.attachments;
    expect(attachment).toMatchObject({ fileName: 'invoice.txt', sizeBytes: invoice.length });
    expect((await download(attachment!.url)).toString()).toBe(invoice);
  });

  it('takes a photo with the camera and previews it while it uploads', async () => {
    const uri = phoneFile('photo.png', PNG);
    phone.nextPhoto = {
      uri,
      width: 1,
      height: 1,
      mimeType: 'image/png',
      fileName: 'IMG_0001.png',
      fileSize: PNG.length,
    } as typeof phone.nextPhoto;
    renderOnPhone(<Composer conversationId={conversationId} allowNotes={false} />);

    fireEvent.press(screen.getByLabelText('Take a photo'));
    const preview = await screen.findByLabelText('IMG_0001.png');
    expect(preview.props.source).toEqual({ uri });
    expect(await screen.findByText(`${PNG.length} B`)).toBeTruthy();
  });

  it('adds nothing when the person closes the picker or refuses the camera', async () => {
    phone.cameraAllowed = false;
    phone.nextPhoto = { uri: phoneFile('never.png', PNG), width: 1, height: 1 } as typeof phone.nextPhoto;
    renderOnPhone(<Composer conversationId={conversationId} allowNotes={false} />);

    fireEvent.press(screen.getByLabelText('Attach a file'));
    fireEvent.press(screen.getByLabelText('Take a photo'));
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(screen.queryByText(/Uploading/)).toBeNull();
    expect(screen.getByText('Send')).toBeDisabled();
  });
});
