import { SignJWT, jwtVerify } from 'jose';
import type { Clock } from '../clock';
import { AppError } from '../http/app-error';

export interface AccessClaims {
  userId: string;
  /** The workspace the token acts in; another workspace's resources do not exist for it. */
  workspaceId: string;
  /** The session (refresh-token family) it was issued to; absent in tokens from before sessions were listed. */
  sessionId?: string;
  /** A visitor of this chat widget (widget/): the token reaches only the guest routes and frames. */
  guestOf?: string;
}

export interface VerifiedAccess extends AccessClaims {
  /** Epoch ms when the token stops being valid. */
  expiresAt: number;
}

export interface AccessTokens {
  sign(claims: AccessClaims): Promise<string>;
  /** Throws `unauthorized` for anything but a valid, unexpired HS256 token of ours. */
  verify(token: string): Promise<VerifiedAccess>;
}

const ISSUER = 'parley';
const AUDIENCE = 'parley';

export function createAccessTokens(opts: { secret: string; ttlSeconds: number; clock: Clock }): AccessTokens {
  const key = new TextEncoder().encode(opts.secret);
  const nowSeconds = () => Math.floor(opts.clock.now() / 1000);
  return {
    sign: ({ userId, workspaceId, sessionId, guestOf }) =>
      new SignJWT({ wid: workspaceId, ...(sessionId && { sid: sessionId }), ...(guestOf && { gst: guestOf }) })
        .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
        .setSubject(userId)
        .setIssuer(ISSUER)
        .setAudience(AUDIENCE)
        .setIssuedAt(nowSeconds())
        .setExpirationTime(nowSeconds() + opts.ttlSeconds)
        .sign(key),
    async verify(token) {
      try {
        const { payload } = await jwtVerify(token, key, {
          // Pinning the algorithm is what turns away `alg: none` and algorithm-confusion tokens.
          algorithms: ['HS256'],
          issuer: ISSUER,
          audience: AUDIENCE,
          currentDate: new Date(opts.clock.now()),
        });
        if (!payload.sub || typeof payload.wid !== 'string') throw new Error('missing claims');
        return {
          userId: payload.sub,
          workspaceId: payload.wid,
          ...(typeof payload.sid === 'string' && { sessionId: payload.sid }),
          ...(typeof payload.gst === 'string' && { guestOf: payload.gst }),
          expiresAt: (payload.exp ?? 0) * 1000,
        };
      } catch (error) {
        const expired = (error as { code?: string }).code === 'ERR_JWT_EXPIRED';
        throw new AppError('unauthorized', expired ? 'Access token expired' : 'Invalid access token');
      }
    },
  };
}
