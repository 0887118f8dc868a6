import type { Call, CallKind } from '@parley/protocol';
import { callMedia } from './call-media';
import { CallMesh, type CallSignal, type RemotePeer } from './call-mesh';

/** What the call panel shows of the call on this device. */
export interface CallDeviceView {
  callId: string | null;
  local: MediaStream | null;
  remotes: RemotePeer[];
  muted: boolean;
  cameraOn: boolean;
  /** The screen being shared (shown in place of your camera's picture), or null. */
  sharing: MediaStream | null;
  /** The microphone and camera in use, to switch to the next. */
  deviceIds: { audio?: string; video?: string };
  /** How many microphones and cameras there are to switch between. */
  choices: { audio: number; video: number };
}

/** Enough for the offers and candidate batches of three others. */
const MAX_EARLY_SIGNALS = 64;

const IDLE: CallDeviceView = {
  callId: null,
  local: null,
  remotes: [],
  muted: false,
  cameraOn: false,
  sharing: null,
  deviceIds: {},
  choices: { audio: 0, video: 0 },
};

/**
 * The one call this device takes part in: its microphone, camera and screen, and the mesh of
 * connections to the others. Media objects live here, never in the store (they are not data);
 * the store says which call, and who is in it.
 */
function createCallDevice() {
  let view = IDLE;
  let local: MediaStream | null = null;
  let screen: MediaStreamTrack | null = null;
  let mesh: CallMesh | null = null;
  /**
   * Signals that came while this device was getting ready to join: the others connect as soon
   * as the server says it joined, which can be before its own answer is back. `begin` plays them.
   */
  let early: { callId: string; fromUserId: string; signal: CallSignal }[] | null = null;
  /** Whose call, and when this device joined it (the server's time: a later join moved it elsewhere). */
  let mine: { selfId: string; joinedAt: string | null } | null = null;
  const listeners = new Set<() => void>();
  const show = (change: Partial<CallDeviceView>) => {
    view = { ...view, ...change };
    for (const listener of listeners) listener();
  };
  const camera = () => local?.getVideoTracks()[0] ?? null;
  const microphone = () => local?.getAudioTracks()[0] ?? null;
  const sendTracks = () => mesh?.setTracks(microphone(), screen ?? (view.cameraOn ? camera() : null));
  const idsOf = (stream: MediaStream) => ({
    audio: stream.getAudioTracks()[0]?.getSettings().deviceId,
    video: stream.getVideoTracks()[0]?.getSettings().deviceId,
  });
  const stopAll = () => {
    for (const track of local?.getTracks() ?? []) track.stop();
    screen?.stop();
    local = null;
    screen = null;
  };

  return {
    subscribe(listener: () => void) {
      listeners.add(listener);
      return () => void listeners.delete(listener);
    },
    view: () => view,

    /** Asks for the microphone (and camera) before ringing anyone or answering: a refusal stops it there. */
    async prepare(callKind: CallKind): Promise<void> {
      early ??= [];
      if (local) return;
      // No camera, or one another app holds: still talk, by voice.
      local = await callMedia.open(callKind).catch((error: unknown) => {
        if (callKind === 'video') return callMedia.open('voice');
        throw error;
      });
      show({
        local,
        cameraOn: local.getVideoTracks().length > 0,
        muted: false,
        sharing: null,
        deviceIds: idsOf(local),
      });
      // Labels and the full list only once the browser has granted a device.
      const devices = await callMedia.devices();
      const many = (of: string) => devices.filter((d) => d.kind === of).length;
      show({ choices: { audio: many('audioinput'), video: many('videoinput') } });
    },

    /**
     * The call is on here: connect to whoever is joined, and to whoever joins later. `joined` is
     * the server's answer to this device's own start or join; `call` may be newer.
     */
    begin(
      call: Call,
      joined: Call,
      selfId: string,
      iceServers: RTCIceServer[],
      send: (to: string, signal: CallSignal) => void,
    ) {
      const waiting = early ?? [];
      early = null;
      mine = { selfId, joinedAt: joined.participants.find((p) => p.userId === selfId)?.joinedAt ?? null };
      if (mesh && view.callId === call.id) return;
      mesh?.close();
      mesh = new CallMesh({ selfId, iceServers, send, onChange: () => show({ remotes: mesh?.remotes() ?? [] }) });
      show({ callId: call.id });
      sendTracks();
      this.update(call);
      for (const { callId, fromUserId, signal } of waiting) if (callId === call.id) mesh.receive(fromUserId, signal);
    },

    update(call: Call) {
      if (call.id !== view.callId || !mesh) return;
      mesh.setJoined(call.participants.filter((p) => p.state === 'joined'));
    },

    /** Whether this device still has the person's place in `call`: in it, not ended, not moved to another device. */
    holds(call: Call): boolean {
      const self = call.participants.find((p) => p.userId === mine?.selfId);
      return call.state !== 'ended' && self?.state === 'joined' && self.joinedAt === mine?.joinedAt;
    },

    receive(callId: string, fromUserId: string, signal: CallSignal) {
      if (mesh && callId === view.callId) mesh.receive(fromUserId, signal);
      // Bounded: the server relays only between people joined in that call, but a device may wait long.
      else if (early && early.length < MAX_EARLY_SIGNALS) early.push({ callId, fromUserId, signal });
    },

    /** The socket is back: offers or answers sent meanwhile may be lost. */
    recover() {
      mesh?.recover();
    },

    end() {
      early = null;
      mine = null;
      mesh?.close();
      mesh = null;
      stopAll();
      show(IDLE);
    },

    toggleMute() {
      const track = microphone();
      if (!track) return;
      track.enabled = view.muted;
      show({ muted: !view.muted });
    },

    toggleCamera() {
      if (!camera()) return;
      show({ cameraOn: !view.cameraOn });
      sendTracks();
    },

    /** Shares a screen in place of the camera (the browser asks which); again: back to the camera. */
    async toggleScreen() {
      if (screen) {
        screen.stop();
        screen = null;
      } else {
        screen = await callMedia.openScreen();
        // Stopped from the browser's own "Stop sharing" bar: back to the camera, as the button would.
        screen.addEventListener('ended', () => {
          if (!screen) return;
          screen = null;
          show({ sharing: null });
          sendTracks();
        });
      }
      show({ sharing: screen ? new MediaStream([screen]) : null });
      sendTracks();
    },

    /** The next microphone or camera the browser knows, in place of the one in use. */
    async switchDevice(deviceKind: 'audio' | 'video') {
      const devices = (await callMedia.devices()).filter((d) => d.kind === `${deviceKind}input`);
      if (devices.length < 2 || !local) return;
      const at = devices.findIndex((d) => d.deviceId === view.deviceIds[deviceKind]);
      const next = devices[(at + 1) % devices.length]!;
      const fresh = await callMedia.open(deviceKind === 'audio' ? 'voice' : 'video', { [deviceKind]: next.deviceId });
      const track = deviceKind === 'audio' ? fresh.getAudioTracks()[0]! : fresh.getVideoTracks()[0]!;
      for (const other of fresh.getTracks()) if (other !== track) other.stop();
      const old = deviceKind === 'audio' ? microphone() : camera();
      if (old) {
        local.removeTrack(old);
        old.stop();
      }
      if (deviceKind === 'audio') track.enabled = !view.muted;
      local.addTrack(track);
      show({
        local: new MediaStream(local.getTracks()),
        deviceIds: { ...view.deviceIds, [deviceKind]: next.deviceId },
      });
      local = view.local;
      sendTracks();
    },
  };
}

export const callDevice = createCallDevice();
