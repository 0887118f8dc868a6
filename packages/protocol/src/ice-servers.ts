import { z } from 'zod';
import { TimestampSchema } from './common';

/**
 * The STUN and TURN servers a call's peer connection may use to find a path between two
 * members: `new RTCPeerConnection({ iceServers })` takes the list as it comes. TURN entries carry
 * short-lived credentials in coturn's REST API form (`use-auth-secret`), made for the member who
 * asked; they are never stored.
 */

export const IceServerSchema = z
  .object({
    urls: z.array(z.string()).min(1).describe('`stun:host[:port]`, or `turn:`/`turns:host[:port][?transport=udp|tcp]`'),
    username: z
      .string()
      .optional()
      .describe("TURN only: `<expiry in Unix seconds>:<your user id>` (coturn's `use-auth-secret` form)"),
    credential: z
      .string()
      .optional()
      .describe("TURN only: base64 HMAC-SHA1 of `username` under the TURN server's shared secret"),
  })
  .meta({ id: 'IceServer' });
export type IceServer = z.infer<typeof IceServerSchema>;

export const IceServersSchema = z
  .object({
    iceServers: z
      .array(IceServerSchema)
      .describe(
        'Empty when the installation configures none: the browser then offers only its own addresses ' +
          '(calls work on one network, or where a direct path exists); no public STUN server is contacted.',
      ),
    expiresAt: TimestampSchema.nullable().describe(
      'When the TURN credentials stop opening new relays (a relay already open lasts the call): fetch ' +
        'the list again for a call or an ICE restart after this. Null: nothing here expires (no TURN).',
    ),
  })
  .meta({
    id: 'IceServers',
    description:
      "What a call's RTCPeerConnection needs to traverse NATs: the installation's STUN servers and its TURN " +
      'relays with credentials made for you alone.',
  });
export type IceServers = z.infer<typeof IceServersSchema>;
