/**
 * STUN and TURN server URLs as RFC 7064 and RFC 7065 write them. Checked when the server starts
 * because a browser refuses the whole RTCPeerConnection (a SyntaxError) over one malformed
 * URL: a typo in the environment would otherwise break every call, not just its relay.
 */
export type IceUrlKind = 'stun' | 'turn';

const LABEL = '[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?';
/** A DNS name or an IPv4 address (which reads as one), or an IPv6 address in brackets. */
const HOST = `(?:${LABEL}(?:\\.${LABEL})*|\\[[0-9A-Fa-f:.]+\\])`;
const PORT = '(?::(?<port>\\d{1,5}))?';

const SHAPES: Record<IceUrlKind, { pattern: RegExp; expected: string }> = {
  stun: {
    pattern: new RegExp(`^stun:${HOST}${PORT}$`),
    expected: 'a stun: URL (stun:host[:port])',
  },
  turn: {
    pattern: new RegExp(`^turns?:${HOST}${PORT}(?:\\?transport=(?:udp|tcp))?$`),
    expected: 'a turn: or turns: URL (turn:host[:port][?transport=udp|tcp])',
  },
};

/** What is wrong with `url` as a STUN (or TURN) server's URL; null when nothing is. */
export function iceUrlProblem(url: string, kind: IceUrlKind): string | null {
  const { pattern, expected } = SHAPES[kind];
  const match = pattern.exec(url);
  if (!match) return `"${url}" is not ${expected}`;
  const port = match.groups?.port;
  if (port !== undefined && (Number(port) < 1 || Number(port) > 65535)) {
    return `"${url}" has no valid port (1 to 65535)`;
  }
  return null;
}
