import type { Conversation, Session } from '@parley/protocol';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { signUp } from '../../server/src/testing/test-app';
import { as, openTicket } from '../../server/src/testing/test-desk';
import { seriousViolations } from './axe';
import { count, type E2E, openAppAs, openDirect, screenshot, startE2E, thread, PHONE, visible, WIDE } from './support';

/**
 * Each page keeps the connections it opens, so the test can ask them what they receive
 * (`getStats()`), as a person hears and sees it. Chromium's fake camera, microphone and screen
 * (support.ts FLAGS) play a test pattern and a beep.
 */
/** Keeps each connection the page opens, for `getStats()` and the rest below. */
const keepConnections = (context: BrowserContext) =>
  context.addInitScript(() => {
    const Native = window.RTCPeerConnection;
    const opened: RTCPeerConnection[] = [];
    (window as unknown as { openedConnections: RTCPeerConnection[] }).openedConnections = opened;
    window.RTCPeerConnection = class extends Native {
      constructor(config?: RTCConfiguration) {
        super(config);
        opened.push(this);
      }
    };
  });

/**
 * Counts the tones the page starts (each burst of the ringtone or the ringback starts two) and
 * keeps its audio contexts, to ask whether it rings now.
 */
const keepTones = (context: BrowserContext) =>
  context.addInitScript(() => {
    const w = window as unknown as { tones: number; audioContexts: AudioContext[] };
    w.tones = 0;
    w.audioContexts = [];
    const start = OscillatorNode.prototype.start;
    OscillatorNode.prototype.start = function (this: OscillatorNode, ...args: Parameters<typeof start>) {
      w.tones += 1;
      return start.apply(this, args);
    };
    const Native = window.AudioContext;
    window.AudioContext = class extends Native {
      constructor(options?: AudioContextOptions) {
        super(options);
        w.audioContexts.push(this);
      }
    };
  });

/** Tones started so far, and whether one of the page's audio contexts plays now. */
const tones = (page: Page) =>
  page.evaluate(() => {
    const w = window as unknown as { tones: number; audioContexts: AudioContext[] };
    return { started: w.tones, playing: w.audioContexts.some((c) => c.state === 'running') };
  });

/** It rings out loud: bursts still start (a second round of them), in a context that plays. */
async function expectSounding(page: Page) {
  const before = (await tones(page)).started;
  await expect
    .poll(async () => {
      const now = await tones(page);
      return now.playing && now.started >= before + 2;
    })
    .toBe(true);
}

const expectSilent = (page: Page) => expect.poll(async () => (await tones(page)).playing).toBe(false);

async function openCallingPage(e2e: E2E, who: Session, path: string, viewport = WIDE): Promise<Page> {
  const page = await openAppAs(e2e, who, path, viewport, (context) =>
    Promise.all([keepConnections(context), keepTones(context)]),
  );
  await expect.poll(count(page.getByRole('textbox', { name: /^Write a/ })), { timeout: 15_000 }).toBe(1);
  return page;
}

const openCallingChat = (e2e: E2E, who: Session, chat: Conversation) =>
  openCallingPage(e2e, who, `/messages/${chat.id}`);

/** Bytes of sound and picture received so far, over the page's open connections. */
const bytesReceived = (page: Page) =>
  page.evaluate(async () => {
    let total = 0;
    const opened = (window as unknown as { openedConnections: RTCPeerConnection[] }).openedConnections;
    for (const pc of opened.filter((c) => c.connectionState !== 'closed')) {
      (await pc.getStats()).forEach((entry: { type: string; bytesReceived?: number }) => {
        if (entry.type === 'inbound-rtp') total += entry.bytesReceived ?? 0;
      });
    }
    return total;
  });

/** How many of the page's connections are up. */
const connected = (page: Page) =>
  page.evaluate(
    () =>
      (window as unknown as { openedConnections: RTCPeerConnection[] }).openedConnections.filter(
        (c) => c.connectionState === 'connected',
      ).length,
  );

/** What the page sends as its picture: the camera's track or the screen's, by the browser's label. */
const sentVideoLabels = (page: Page) =>
  page.evaluate(() =>
    (window as unknown as { openedConnections: RTCPeerConnection[] }).openedConnections
      .filter((c) => c.connectionState !== 'closed')
      .flatMap((c) => c.getSenders().map((s) => s.track))
      .filter((track) => track?.kind === 'video')
      .map((track) => track!.label),
  );

/** How many of the page's connections have offered and wait for the answer. */
const offersWaiting = (page: Page) =>
  page.evaluate(
    () =>
      (window as unknown as { openedConnections: RTCPeerConnection[] }).openedConnections.filter(
        (c) => c.signalingState === 'have-local-offer',
      ).length,
  );

/** The ICE username fragments the page's open connections use now (a restart changes them). */
const iceUsernames = (page: Page) =>
  page.evaluate(() =>
    (window as unknown as { openedConnections: RTCPeerConnection[] }).openedConnections
      .filter((c) => c.connectionState !== 'closed')
      .map((c) => /a=ice-ufrag:(\S+)/.exec(c.localDescription?.sdp ?? '')?.[1]),
  );

const restartIce = (page: Page) =>
  page.evaluate(() => {
    for (const c of (window as unknown as { openedConnections: RTCPeerConnection[] }).openedConnections) c.restartIce();
  });

/** Received bytes grow: sound and picture flow now, not only earlier. */
async function expectMediaFlowing(page: Page) {
  const before = await bytesReceived(page);
  await expect.poll(() => bytesReceived(page), { timeout: 15_000 }).toBeGreaterThan(before + 5_000);
}

const button = (page: Page, name: string | RegExp) => visible(page.getByRole('button', { name, exact: true }));
const panel = (page: Page) => visible(page.getByRole('region', { name: 'Call', exact: true }));
const ringing = (page: Page) => visible(page.getByRole('alertdialog'));

describe('calls', () => {
  let e2e: E2E;
  beforeAll(async () => {
    e2e = await startE2E();
  });
  afterAll(() => e2e?.close());

  let pages: Page[] = [];
  afterEach(async (context) => {
    if (context.task.result?.state === 'fail') {
      for (const [i, page] of pages.entries()) await screenshot(page, `calls-failure-${i}`);
    }
    pages = [];
  });

  it(
    'Ada video-calls Ben: it rings on his devices, they see and hear each other, she shares her screen, a blip and a reconnect do not drop it, and hanging up ends it for both',
    { timeout: 180_000 },
    async () => {
      const { t } = e2e;
      const ada = await signUp(t, 'agent', { displayName: 'Ada Agent' });
      const ben = await signUp(t, 'agent', { displayName: 'Ben Agent' });
      const chat = await openDirect(t, ada, ben);
      const ap = await openCallingChat(e2e, ada, chat);
      const bp = await openCallingChat(e2e, ben, chat);
      // Ben has a second tab open: it rings there too, and stops once he answers in the first.
      const { context: bp2Profile, page: bp2 } = await e2e.person();
      await Promise.all([keepConnections(bp2Profile), keepTones(bp2Profile)]);
      await bp2.addInitScript((session) => localStorage.setItem('parley.session', session), JSON.stringify(ben));
      await bp2.goto('/');
      pages = [ap, bp, bp2];

      await button(ap, 'Video call').click();
      await expect.poll(() => visible(ap.getByTestId('call-status')).textContent()).toBe('Ringing Ben Agent…');
      await expect.poll(() => ringing(bp).getAttribute('aria-label')).toBe('Ada Agent is calling you (video)');
      await expect.poll(count(ringing(bp2))).toBe(1);
      // It rings out loud in both his tabs; Ada hears it ring at his end (the ringback).
      await Promise.all([bp, bp2, ap].map(expectSounding));
      expect(await seriousViolations(bp)).toBe('');
      await screenshot(bp, 'call-ringing', { forDocs: true });

      await button(bp, 'Answer').click();
      await expect.poll(count(ringing(bp2))).toBe(0);
      await expect.poll(count(panel(bp2))).toBe(0);
      await Promise.all([bp, bp2, ap].map(expectSilent));
      // Both connect, and sound and picture flow both ways.
      await expect.poll(() => connected(ap), { timeout: 20_000 }).toBe(1);
      await expect.poll(() => connected(bp), { timeout: 20_000 }).toBe(1);
      await expectMediaFlowing(ap);
      await expectMediaFlowing(bp);
      await expect.poll(() => visible(bp.getByTestId('call-status')).textContent()).toBe('In a call of 2');
      // Ben's tile of Ada shows her picture, and says how the link is.
      await expect
        .poll(() => visible(bp.getByTestId('call-tile')).getAttribute('aria-label'), { timeout: 10_000 })
        .toMatch(/^Ada Agent, connection (good|fair)$/);
      await expect.poll(count(bp.getByLabel('Video of Ada Agent', { exact: true }))).toBe(1);

      // Mute silences her microphone's track (it stays, so unmuting needs no new negotiation).
      await button(ap, 'Mute').click();
      await expect.poll(count(button(ap, 'Unmute'))).toBe(1);
      await button(ap, 'Unmute').click();

      // She shares her screen: Ben receives the screen in place of her camera.
      const camera = await sentVideoLabels(ap);
      await button(ap, 'Share screen').click();
      await expect.poll(count(button(ap, 'Stop sharing'))).toBe(1);
      await expect.poll(async () => (await sentVideoLabels(ap))[0]).not.toBe(camera[0]);
      await expectMediaFlowing(bp);
      await screenshot(ap, 'call-screen-share', { forDocs: true });
      await button(ap, 'Stop sharing').click();
      await expect.poll(() => sentVideoLabels(ap)).toEqual(camera);

      // A network blip: the connections find a new path (an ICE restart), and the call goes on.
      const before = await iceUsernames(ap);
      await restartIce(ap);
      await restartIce(bp);
      await expect.poll(() => iceUsernames(ap), { timeout: 15_000 }).not.toEqual(before);
      await expect.poll(() => connected(ap), { timeout: 15_000 }).toBe(1);
      await expectMediaFlowing(bp);

      // Ben's socket drops and comes back: the call is still on, and still his.
      let reconnects = 0;
      bp.on('websocket', () => (reconnects += 1));
      await bp.context().setOffline(true);
      await expect.poll(count(bp.getByText(/^You are offline\./)), { timeout: 15_000 }).toBeGreaterThan(0);
      await bp.context().setOffline(false);
      await expect.poll(count(bp.getByText(/^You are offline\./)), { timeout: 15_000 }).toBe(0);
      await expect.poll(() => reconnects, { timeout: 15_000 }).toBeGreaterThan(0);
      await expect.poll(count(panel(bp))).toBe(1);
      await expectMediaFlowing(ap);

      // Ben takes the call to his other tab ("Join here"): it moves there, and the first one lets go of it.
      await button(bp2, 'Join here').click();
      await expect.poll(count(panel(bp2)), { timeout: 10_000 }).toBe(1);
      await expect.poll(count(panel(bp))).toBe(0);
      await expect.poll(count(button(bp, 'Join here'))).toBe(1);
      await expect.poll(() => connected(bp)).toBe(0);
      await expect.poll(() => connected(bp2), { timeout: 20_000 }).toBe(1);
      await expect.poll(() => connected(ap), { timeout: 20_000 }).toBe(1);
      await expectMediaFlowing(bp2);
      await expectMediaFlowing(ap);

      // Ben hangs up: the call ends on both sides, and the thread says how long it lasted.
      await button(bp2, 'Hang up').click();
      await expect.poll(count(panel(bp2))).toBe(0);
      await expect.poll(count(panel(ap)), { timeout: 10_000 }).toBe(0);
      await expect.poll(count(panel(bp))).toBe(0);
      await expect.poll(() => connected(ap)).toBe(0);
      await expect
        .poll(count(thread(ap).getByText(/^Ada Agent made a video call \(\d+:\d\d\)/)), { timeout: 10_000 })
        .toBe(1);
      await expect.poll(count(thread(bp).getByText(/^Ada Agent made a video call \(\d+:\d\d\)/))).toBe(1);
    },
  );

  it(
    'three talk in a group call; one leaves and the other two go on; the last hang-up logs it',
    { timeout: 180_000 },
    async () => {
      const { t } = e2e;
      const ida = await signUp(t, 'agent', { displayName: 'Ida Agent' });
      const jon = await signUp(t, 'agent', { displayName: 'Jon Agent' });
      const kai = await signUp(t, 'agent', { displayName: 'Kai Agent' });
      const group = (
        await as(t, ida).post('/conversations/groups', { title: 'Night shift', memberIds: [jon.user.id, kai.user.id] })
      ).json<Conversation>();
      const [ip, jp, kp] = await Promise.all([ida, jon, kai].map((who) => openCallingChat(e2e, who, group)));
      pages = [ip!, jp!, kp!];

      await button(ip!, 'Voice call').click();
      await expect
        .poll(() => visible(ip!.getByTestId('call-status')).textContent())
        .toMatch(/^Ringing (Jon|Kai) Agent, (Jon|Kai) Agent…$/);
      await expect.poll(() => ringing(jp!).getAttribute('aria-label')).toBe('Ida Agent is calling you');
      await button(jp!, 'Answer').click();
      await expect.poll(count(ringing(kp!))).toBe(1);
      // Kai's network is slow: Ida's and Jon's offers (they are older: the smaller ids offer)
      // reach his page before it is ready to connect. They used to be dropped, and he heard no one.
      let ready!: () => void;
      const slow = new Promise<void>((resolve) => (ready = resolve));
      await kp!.route('**/calls/ice-servers', async (route) => {
        await slow;
        await route.continue();
      });
      await button(kp!, 'Answer').click();
      for (const page of [ip!, jp!]) await expect.poll(() => offersWaiting(page)).toBe(1);
      await kp!.waitForTimeout(500);
      ready();

      // A full mesh: each hears the two others.
      for (const page of [ip!, jp!, kp!]) {
        await expect.poll(() => connected(page), { timeout: 20_000 }).toBe(2);
        await expect.poll(() => visible(page.getByTestId('call-status')).textContent()).toBe('In a call of 3');
        await expect.poll(count(page.getByTestId('call-tile'))).toBe(2);
      }
      for (const page of [ip!, jp!, kp!]) await expectMediaFlowing(page);
      await screenshot(ip!, 'call-group', { forDocs: true });

      // Kai leaves: Ida and Jon go on, between themselves.
      await button(kp!, 'Hang up').click();
      await expect.poll(count(panel(kp!))).toBe(0);
      for (const page of [ip!, jp!]) {
        await expect.poll(() => visible(page.getByTestId('call-status')).textContent()).toBe('In a call of 2');
        await expect.poll(() => connected(page)).toBe(1);
      }
      await expectMediaFlowing(jp!);

      await button(jp!, 'Hang up').click();
      for (const page of [ip!, jp!, kp!]) {
        await expect.poll(count(panel(page)), { timeout: 10_000 }).toBe(0);
        await expect
          .poll(count(thread(page).getByText(/^Ida Agent made a call \(\d+:\d\d\)/)), { timeout: 10_000 })
          .toBe(1);
      }
    },
  );

  it(
    'Sam calls Carla from her ticket; she answers on her phone, and the ticket thread logs it',
    { timeout: 180_000 },
    async () => {
      const { t } = e2e;
      const sam = await signUp(t, 'agent', { displayName: 'Sam Agent' });
      const carla = await signUp(t, 'customer', { displayName: 'Carla Customer' });
      const ticket = await openTicket(t, carla, { subject: 'The printer will not print' });
      await as(t, sam).patch(`/tickets/${ticket.id}`, { assigneeId: sam.user.id });
      const sp = await openCallingPage(e2e, sam, `/tickets/${ticket.id}`);
      const cp = await openCallingPage(e2e, carla, `/tickets/${ticket.id}`, PHONE);
      pages = [sp, cp];

      await button(sp, 'Voice call').click();
      await expect.poll(() => ringing(cp).getAttribute('aria-label')).toBe('Sam Agent is calling you');
      await button(cp, 'Answer').click();
      await expect.poll(() => connected(cp), { timeout: 20_000 }).toBe(1);
      await expectMediaFlowing(cp);
      await expectMediaFlowing(sp);
      await expect.poll(() => visible(cp.getByTestId('call-status')).textContent()).toBe('In a call of 2');
      expect(await seriousViolations(cp)).toBe('');
      await screenshot(cp, 'call-phone');

      await button(cp, 'Hang up').click();
      await expect.poll(count(panel(sp)), { timeout: 10_000 }).toBe(0);
      for (const page of [sp, cp]) {
        await expect
          .poll(count(thread(page).getByText(/^Sam Agent made a call \(\d+:\d\d\)/)), { timeout: 10_000 })
          .toBe(1);
      }
    },
  );
});
