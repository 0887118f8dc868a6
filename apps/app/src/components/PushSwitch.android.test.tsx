import '../i18n';
import { beforeEach, describe, expect, it } from '@jest/globals';
import { createParleyClient, memoryStorage } from '@parley/client';
import { fireEvent, screen, waitFor } from '@testing-library/react-native';
import { phone } from '../../jest/phone';
import { renderOnPhone } from '../../jest/render';
import { devicePush } from '../api/device-push';
import { parley, serverUrl } from '../api/parley';
import { PushSwitch } from './PushSwitch';

/** The switch on an Android phone, against a real Parley server (jest/server.js). */

const PASSWORD = 'correct horse battery';
const PROJECT = 'b1a7c0de-0000-4000-8000-000000000001';
const LABEL = 'Notifications on this device';

/** A build made with an Expo project (app.json `expo.extra.eas.projectId`), which tokens belong to. */
const withProject = (projectId: string) => ({ ...phone.appConfig, extra: { eas: { projectId } } });

let people = 0;
async function signUp(): Promise<void> {
  people += 1;
  const name = `droid${Date.now().toString(36)}${people}`;
  await parley.auth.register({ email: `${name}@example.test`, username: name, password: PASSWORD });
}

const devices = async () => (await parley.push.devices()).items;
const toggle = () => screen.getByLabelText(LABEL);
/** Android's native switch (`AndroidSwitch`) is told `on`, not `value` as iOS's is. */
const isOn = (element: ReturnType<typeof toggle>) => element.props.on as boolean;
const showSwitch = async () => {
  renderOnPhone(<PushSwitch />);
  return screen.findByLabelText(LABEL);
};

describe('notifications on an Android phone', () => {
  beforeEach(async () => {
    phone.reset();
    phone.appConfig = withProject(PROJECT);
    await signUp();
  });

  it("registers the phone's Expo token with the server when turned on, and forgets it when turned off", async () => {
    expect(isOn(await showSwitch())).toBe(false);

    fireEvent(toggle(), 'valueChange', true);
    await waitFor(() => expect(isOn(toggle())).toBe(true));
    expect(phone.asked).toBe(1);
    expect([...phone.channels.keys()]).toEqual(['default']);
    expect(phone.tokenProjects).toEqual([PROJECT]);
    const registered = await devices();
    expect(registered).toHaveLength(1);
    expect(registered[0]!.kind).toBe('expo');

    fireEvent(toggle(), 'valueChange', false);
    await waitFor(() => expect(isOn(toggle())).toBe(false));
    expect(await devices()).toEqual([]);
  });

  it('shows on again when the app opens later, and signing out forgets the phone on the server', async () => {
    await devicePush.enable();
    expect(isOn(await showSwitch())).toBe(true);
    const [device] = await devices();

    await devicePush.disable(); // what signing out does first
    await expect(parley.push.unregister(device!.id)).rejects.toMatchObject({ status: 404 });
    expect(await devicePush.state()).toBe('off');
  });

  it('shows off once the server stopped pushing here: this phone was signed out from another device', async () => {
    await devicePush.enable();
    const me = parley.session.get()!.user!;
    // Elsewhere: the same person signs in and ends every other session (this phone's too).
    const elsewhere = createParleyClient({ baseUrl: serverUrl(), storage: memoryStorage() });
    await elsewhere.auth.login({ login: me.username, password: PASSWORD, workspace: me.workspace.slug });
    await elsewhere.me.endOtherSessions();
    // Signed in on the phone again, as the same person: the old registration is gone.
    await parley.auth.login({ login: me.username, password: PASSWORD, workspace: me.workspace.slug });
    expect(isOn(await showSwitch())).toBe(false);
    expect(await devices()).toEqual([]);
  });

  it("follows a new token from the phone's push service: the server pushes to the new one only", async () => {
    await devicePush.enable();
    const [before] = await devices();
    phone.newToken('ExponentPushToken[phoneToken2]');
    await waitFor(async () => expect((await devices()).map((d) => d.id)).not.toEqual([before!.id]));
    expect(await devices()).toHaveLength(1);
    expect(await devicePush.state()).toBe('on');
  });

  it('says where to allow notifications once the person refused them for good, and registers nothing', async () => {
    phone.notificationAnswer = 'never';
    fireEvent(await showSwitch(), 'valueChange', true);
    expect(
      await screen.findByText("Notifications are off for Parley: allow them in Android's settings for the app."),
    ).toBeTruthy();
    expect(toggle()).toBeDisabled();
    expect(phone.tokenProjects).toEqual([]);
    expect(await devices()).toEqual([]);
  });

  it('stays off, and can ask again, when the person says "not now"', async () => {
    phone.notificationAnswer = 'deny';
    fireEvent(await showSwitch(), 'valueChange', true);
    await waitFor(() => expect(phone.asked).toBe(1));
    expect(isOn(toggle())).toBe(false);
    expect(toggle()).toBeEnabled();
    expect(await devices()).toEqual([]);
  });

  it('is not offered in a build without an Expo project (as app.json is out of the box)', async () => {
    phone.reset();
    await showSwitch();
    expect(screen.getByText('Notifications are not set up for this build of Parley.')).toBeTruthy();
    expect(toggle()).toBeDisabled();
  });
});

describe('tapping a notification on the phone', () => {
  beforeEach(() => phone.reset());

  it("opens the push's place in the app, and ignores an address that is not the app's", () => {
    const opened: string[] = [];
    const stop = devicePush.links.subscribe!((url) => opened.push(url));
    phone.tap({ url: '/tickets/t1?seq=4', kind: 'ticket_reply' });
    phone.tap({ url: '//evil.example/x' });
    phone.tap({ url: 'https://evil.example/x' });
    phone.tap({});
    stop?.();
    phone.tap({ url: '/messages/c2' });
    expect(opened).toEqual(['parley://tickets/t1?seq=4']);
  });

  it('opens the place of the notification that started the app', async () => {
    phone.tap({ url: '/messages/c9' });
    expect(await devicePush.links.getInitialURL!()).toBe('parley://messages/c9');
  });
});
