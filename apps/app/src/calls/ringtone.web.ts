import type { Ringtone, Tone } from './ringtone-contract';

/**
 * The tones, made with Web Audio: no sound file to ship, fetch or cache offline. Each cycle is
 * bursts of two sine waves together (as telephones ring), `every` ms apart.
 */
const PATTERNS: Record<Tone, { hz: [number, number]; bursts: [start: number, length: number][]; every: number }> = {
  // A double ring that stands out from a page's other sounds.
  incoming: {
    hz: [480, 620],
    bursts: [
      [0, 0.4],
      [0.6, 0.4],
    ],
    every: 3_000,
  },
  // The caller's "it is ringing at theirs": longer, softer, like a phone line's ringback.
  ringback: { hz: [440, 480], bursts: [[0, 1.5]], every: 4_000 },
};
const VOLUME: Record<Tone, number> = { incoming: 0.2, ringback: 0.08 };
/** Fades each burst in and out: a sine wave cut off mid-swing clicks. */
const FADE_S = 0.02;

function createRingtone(): Ringtone {
  let context: AudioContext | null = null;
  let playing: Tone | null = null;
  let timer: ReturnType<typeof setInterval> | undefined;

  // Browsers start audio only on a page the person has used (clicked, typed): until then the
  // context waits, and their next click or key lets the ringing be heard.
  const resumeOnUse = () => void context?.resume();
  const listen = (on: boolean) => {
    for (const type of ['pointerdown', 'keydown'] as const) {
      if (on) window.addEventListener(type, resumeOnUse, { capture: true });
      else window.removeEventListener(type, resumeOnUse, { capture: true });
    }
  };

  const cycle = (tone: Tone) => {
    if (!context) return;
    const { hz, bursts } = PATTERNS[tone];
    const now = context.currentTime;
    const gain = context.createGain();
    gain.gain.value = 0;
    gain.connect(context.destination);
    for (const [start, length] of bursts) {
      const from = now + start;
      const to = from + length;
      gain.gain.setValueAtTime(0, from);
      gain.gain.linearRampToValueAtTime(VOLUME[tone], from + FADE_S);
      gain.gain.setValueAtTime(VOLUME[tone], to - FADE_S);
      gain.gain.linearRampToValueAtTime(0, to);
      for (const frequency of hz) {
        const oscillator = context.createOscillator();
        oscillator.frequency.value = frequency;
        oscillator.connect(gain);
        oscillator.start(from);
        oscillator.stop(to);
      }
    }
  };

  const stop = () => {
    clearInterval(timer);
    timer = undefined;
    playing = null;
    listen(false);
    // Closed, not kept: an open context keeps the audio device busy (and the tab's speaker icon on).
    void context?.close();
    context = null;
  };

  return {
    play(tone) {
      if (playing === tone || typeof AudioContext === 'undefined') return;
      stop();
      playing = tone;
      context = new AudioContext();
      if (context.state === 'suspended') listen(true);
      cycle(tone);
      timer = setInterval(() => cycle(tone), PATTERNS[tone].every);
    },
    stop,
  };
}

export const ringtone = createRingtone();
