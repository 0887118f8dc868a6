/** What this device plays while a call rings: for the one rung, and for the caller (ringback). */
export type Tone = 'incoming' | 'ringback';

export interface Ringtone {
  /** Plays `tone` over and over until `stop` (or another tone); the same tone again changes nothing. */
  play(tone: Tone): void;
  stop(): void;
}
