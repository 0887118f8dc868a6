import '../i18n';
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { cleanup, fireEvent, screen } from '@testing-library/react-native';
import { phone } from '../../jest/phone';
import { phoneFile, PNG } from '../../jest/phone-files';
import { renderOnPhone } from '../../jest/render';
import { absoluteUrl, parley } from '../api/parley';
import { createStore } from '../store';
import { register, signOut } from '../store/session';
import { AvatarEditor } from './ProfileScreen';

/** The picture on an Android phone, from its photo library, against a real Parley server. */
describe('changing the picture on an Android phone', () => {
  let store: ReturnType<typeof createStore>;
  beforeEach(async () => {
    phone.reset();
    store = createStore();
    const name = `pic${Date.now().toString(36)}`;
    await store.dispatch(
      register({ email: `${name}@example.test`, username: name, password: 'correct horse battery' }),
    );
  });
  afterEach(async () => {
    cleanup(); // the picture is off the screen before its person signs out
    await store.dispatch(signOut()); // and with it the app's socket
  });

  it('uploads the photo picked (square-cropped by the picker) and shows it as the new picture', async () => {
    phone.nextImage = {
      uri: phoneFile('me.png', PNG),
      width: 1,
      height: 1,
      mimeType: 'image/png',
      fileName: 'me.png',
      fileSize: PNG.length,
    } as typeof phone.nextImage;
    renderOnPhone(<AvatarEditor />, store);
    expect(store.getState().session.user?.avatarUrl).toBeNull();

    fireEvent.press(screen.getByText('Choose a picture'));
    expect(await screen.findByText('Picture updated.')).toBeTruthy();
    const avatarUrl = (await parley.me.get()).avatarUrl;
    expect(avatarUrl).toBeTruthy();
    expect(store.getState().session.user?.avatarUrl).toBe(avatarUrl);
    const served = await fetch(absoluteUrl(avatarUrl!));
    expect(served.status).toBe(200);
    expect(served.headers.get('content-type')).toMatch(/^image\//);
    expect((await served.arrayBuffer()).byteLength).toBeGreaterThan(0);
  });

  it('keeps the picture when the person closes the library without picking', async () => {
    renderOnPhone(<AvatarEditor />, store);
    fireEvent.press(screen.getByText('Choose a picture'));
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(screen.queryByText('Picture updated.')).toBeNull();
    expect((await parley.me.get()).avatarUrl).toBeNull();
  });
});
