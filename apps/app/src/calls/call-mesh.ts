import { qualityOf, readStats, type CallQuality, type StatsTotals } from './call-quality';

/**
 * What one device sends another through `call.signal`. `session` names the sender's mesh: a
 * reloaded page is a new session, and the other side starts its connection to it over.
 */
export type CallSignal =
  { session: string; description: RTCSessionDescriptionInit } | { session: string; candidates: RTCIceCandidateInit[] };

/** Someone else in the call, as this device hears them. */
export interface RemotePeer {
  userId: string;
  stream: MediaStream;
  quality: CallQuality;
  /** Whether frames of their video arrive (a voice call, a camera off: none). */
  video: boolean;
}

export interface MeshOptions {
  selfId: string;
  iceServers: RTCIceServer[];
  /** Sends a signal to another joined person (through the realtime socket). */
  send: (toUserId: string, signal: CallSignal) => void;
  /** Something a tile shows changed: who, their video, their link. */
  onChange: () => void;
}

/** Candidates found within this long go out in one frame (a dozen per connection, not a dozen frames). */
const CANDIDATE_BATCH_MS = 50;
/** A link "disconnected" this long gets a new ICE path (a network blip, a new Wi-Fi). */
const RESTART_AFTER_MS = 3_000;
const STATS_EVERY_MS = 2_000;

/**
 * A full mesh of WebRTC connections, one per other person joined (at most 3). Of each pair, the
 * smaller user id offers and the other answers, so offers never cross; each connection carries
 * one audio and one video transceiver from the start, so the camera, a screen and mute change
 * tracks, never the negotiation.
 */
export class CallMesh {
  readonly session = Math.random().toString(36).slice(2);
  private readonly peers = new Map<string, Peer>();
  private audio: MediaStreamTrack | null = null;
  private video: MediaStreamTrack | null = null;
  private readonly stats: ReturnType<typeof setInterval>;

  constructor(readonly options: MeshOptions) {
    this.stats = setInterval(() => void this.measure(), STATS_EVERY_MS);
  }

  /** The tracks every connection sends (null: nothing, e.g. no camera in a voice call). */
  setTracks(audio: MediaStreamTrack | null, video: MediaStreamTrack | null): void {
    this.audio = audio;
    this.video = video;
    for (const peer of this.peers.values()) peer.sendTracks(audio, video);
  }

  get sending(): { audio: MediaStreamTrack | null; video: MediaStreamTrack | null } {
    return { audio: this.audio, video: this.video };
  }

  /**
   * Who else is joined now, and since when: connects to newcomers, drops who left. Someone who
   * joined again (the call moved to another device of theirs) gets a new offer from the side
   * that offers; the other side hears from that device and starts over (`receive`).
   */
  setJoined(joined: readonly { userId: string; joinedAt: string | null }[]): void {
    const others = new Map(joined.filter((p) => p.userId !== this.options.selfId).map((p) => [p.userId, p.joinedAt]));
    for (const [userId, peer] of this.peers) {
      const moved = peer.offerer && peer.joinedAt !== undefined && peer.joinedAt !== others.get(userId);
      if (!others.has(userId) || moved) {
        peer.close();
        this.peers.delete(userId);
      } else peer.joinedAt = others.get(userId);
    }
    for (const [userId, joinedAt] of others) {
      if (!this.peers.has(userId) && this.offersTo(userId)) this.open(userId).joinedAt = joinedAt;
    }
    this.options.onChange();
  }

  receive(fromUserId: string, signal: CallSignal): void {
    let peer = this.peers.get(fromUserId);
    // Their page was reloaded (or this is their first word): a new connection for a new session.
    if (peer && peer.remoteSession !== undefined && peer.remoteSession !== signal.session) {
      peer.close();
      peer = undefined;
    }
    peer ??= this.open(fromUserId);
    peer.receive(signal);
  }

  /** After the socket came back: a signal may have been lost on the way; try again where stuck. */
  recover(): void {
    for (const peer of this.peers.values()) peer.recover();
  }

  remotes(): RemotePeer[] {
    return [...this.peers.values()].map((peer) => peer.view());
  }

  close(): void {
    clearInterval(this.stats);
    for (const peer of this.peers.values()) peer.close();
    this.peers.clear();
  }

  private offersTo(userId: string): boolean {
    return this.options.selfId < userId;
  }

  private open(userId: string): Peer {
    const peer = new Peer(this, userId, this.offersTo(userId));
    this.peers.set(userId, peer);
    peer.sendTracks(this.audio, this.video);
    return peer;
  }

  private async measure(): Promise<void> {
    const before = this.remotes().map((r) => r.quality);
    await Promise.all([...this.peers.values()].map((peer) => peer.measure()));
    if (this.remotes().some((r, i) => r.quality !== before[i])) this.options.onChange();
  }
}

class Peer {
  readonly pc: RTCPeerConnection;
  readonly stream = new MediaStream();
  remoteSession: string | undefined;
  /** When the other person joined, as this connection knows it (undefined: not heard yet). */
  joinedAt: string | null | undefined;
  private quality: CallQuality = 'connecting';
  private last: StatsTotals = { packetsLost: 0, packetsReceived: 0, bytesReceived: 0 };
  private videoFlowing = false;
  private outgoing: RTCIceCandidateInit[] = [];
  private flushTimer: ReturnType<typeof setTimeout> | undefined;
  private restartTimer: ReturnType<typeof setTimeout> | undefined;
  /** Candidates that came before the description they belong to. */
  private early: RTCIceCandidateInit[] = [];
  /** Signals are applied one at a time, in order (each step awaits the browser). */
  private queue: Promise<void> = Promise.resolve();

  constructor(
    private readonly mesh: CallMesh,
    readonly userId: string,
    readonly offerer: boolean,
  ) {
    this.pc = new RTCPeerConnection({ iceServers: mesh.options.iceServers });
    if (offerer) {
      this.pc.addTransceiver('audio', { direction: 'sendrecv' });
      this.pc.addTransceiver('video', { direction: 'sendrecv' });
    }
    this.pc.ontrack = ({ track }) => {
      this.stream.addTrack(track);
      if (track.kind === 'video') {
        track.onunmute = () => this.videoChanged(true);
        track.onmute = () => this.videoChanged(false);
        this.videoChanged(!track.muted);
      }
      mesh.options.onChange();
    };
    this.pc.onicecandidate = ({ candidate }) => {
      if (!candidate) return;
      this.outgoing.push(candidate.toJSON());
      this.flushTimer ??= setTimeout(() => this.flush(), CANDIDATE_BATCH_MS);
    };
    this.pc.onnegotiationneeded = () => {
      if (this.offerer) this.enqueue(() => this.offer());
    };
    this.pc.onconnectionstatechange = () => {
      const state = this.pc.connectionState;
      clearTimeout(this.restartTimer);
      if (state === 'failed') this.restart();
      else if (state === 'disconnected') this.restartTimer = setTimeout(() => this.restart(), RESTART_AFTER_MS);
      if (state !== 'connected') this.quality = 'connecting';
      mesh.options.onChange();
    };
  }

  sendTracks(audio: MediaStreamTrack | null, video: MediaStreamTrack | null): void {
    for (const transceiver of this.pc.getTransceivers()) {
      const kind = transceiver.receiver.track.kind;
      if (transceiver.currentDirection === 'stopped' || (kind !== 'audio' && kind !== 'video')) continue;
      const track = kind === 'audio' ? audio : video;
      if (transceiver.sender.track !== track) void transceiver.sender.replaceTrack(track);
    }
  }

  receive(signal: CallSignal): void {
    this.remoteSession = signal.session;
    this.enqueue(async () => {
      if ('candidates' in signal) {
        if (!this.pc.remoteDescription) this.early.push(...signal.candidates);
        else await this.addCandidates(signal.candidates);
        return;
      }
      const { description } = signal;
      // An answer to an offer of a connection since replaced (their page was reloaded): too late.
      if (description.type === 'answer' && this.pc.signalingState !== 'have-local-offer') return;
      await this.pc.setRemoteDescription(description);
      await this.addCandidates(this.early.splice(0));
      if (description.type !== 'offer') return;
      // The answering side sends on the offer's own transceivers.
      for (const transceiver of this.pc.getTransceivers()) transceiver.direction = 'sendrecv';
      this.sendTracks(this.mesh.sending.audio, this.mesh.sending.video);
      await this.pc.setLocalDescription();
      this.send({ description: this.pc.localDescription!.toJSON() });
    });
  }

  recover(): void {
    if (!this.offerer) return;
    if (this.pc.signalingState === 'have-local-offer') this.send({ description: this.pc.localDescription!.toJSON() });
    else if (this.pc.connectionState !== 'connected') this.restart();
  }

  async measure(): Promise<void> {
    if (this.pc.connectionState !== 'connected') return;
    const report = await this.pc.getStats();
    const entries: Record<string, unknown>[] = [];
    report.forEach((entry: Record<string, unknown>) => entries.push(entry));
    const now = readStats(entries);
    this.quality = qualityOf({
      connected: true,
      roundTripSeconds: now.roundTripSeconds,
      packetsLost: Math.max(0, now.packetsLost - this.last.packetsLost),
      packetsReceived: Math.max(0, now.packetsReceived - this.last.packetsReceived),
    });
    this.last = now;
  }

  view(): RemotePeer {
    return { userId: this.userId, stream: this.stream, quality: this.quality, video: this.videoFlowing };
  }

  close(): void {
    clearTimeout(this.flushTimer);
    clearTimeout(this.restartTimer);
    this.pc.close();
  }

  private videoChanged(flowing: boolean): void {
    this.videoFlowing = flowing;
    this.mesh.options.onChange();
  }

  private restart(): void {
    // The offering side makes the new offer (`negotiationneeded`); the other one waits for it.
    if (this.offerer && this.pc.connectionState !== 'closed') this.pc.restartIce();
  }

  private async offer(): Promise<void> {
    await this.pc.setLocalDescription();
    this.send({ description: this.pc.localDescription!.toJSON() });
  }

  private async addCandidates(candidates: RTCIceCandidateInit[]): Promise<void> {
    for (const candidate of candidates) {
      // One from an earlier ICE generation (a restart overtook it) is of no use: skip it.
      await this.pc.addIceCandidate(candidate).catch(() => undefined);
    }
  }

  private flush(): void {
    this.flushTimer = undefined;
    const candidates = this.outgoing.splice(0);
    if (candidates.length > 0) this.send({ candidates });
  }

  private send(signal: { description: RTCSessionDescriptionInit } | { candidates: RTCIceCandidateInit[] }): void {
    this.mesh.options.send(this.userId, { session: this.mesh.session, ...signal });
  }

  private enqueue(step: () => Promise<void>): void {
    this.queue = this.queue.then(step).catch((error: unknown) => {
      // A broken step (a description out of turn after a reload) is retried by a restart.
      console.warn('call: signal step failed', error);
    });
  }
}
