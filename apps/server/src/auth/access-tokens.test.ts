import { describe, expect, it } from 'vitest';
import { createAccessTokens } from './access-tokens';

const claims = { userId: '01JAAAAAAAAAAAAAAAAAAAAAAA', workspaceId: '01JBBBBBBBBBBBBBBBBBBBBBBB', sessionId: 's1' };

describe('access tokens', () => {
  const at = { ms: Date.UTC(2026, 11, 5, 12) };
  const tokens = createAccessTokens({ secret: 'a'.repeat(32), ttlSeconds: 900, clock: { now: () => at.ms } });

  it('accepts a token, again and again, until the second it expires, and then says it expired', async () => {
    const token = await tokens.sign(claims);
    const first = await tokens.verify(token);
    expect(first).toMatchObject({ ...claims, expiresAt: at.ms + 900_000 });
    expect(await tokens.verify(token)).toEqual(first);

    at.ms += 899_999;
    expect(await tokens.verify(token)).toEqual(first);
    at.ms += 1;
    await expect(tokens.verify(token)).rejects.toMatchObject({ code: 'unauthorized', message: 'Access token expired' });
    await expect(tokens.verify(token)).rejects.toMatchObject({ message: 'Access token expired' });
  });

  it('refuses a token whose claims or signature were changed, even after its original was accepted', async () => {
    const token = await tokens.sign(claims);
    await tokens.verify(token);
    const [header, payload, signature] = token.split('.') as [string, string, string];
    const other = Buffer.from(
      JSON.stringify({
        ...JSON.parse(Buffer.from(payload, 'base64url').toString()),
        sub: '01JCCCCCCCCCCCCCCCCCCCCCCC',
      }),
    ).toString('base64url');
    await expect(tokens.verify(`${header}.${other}.${signature}`)).rejects.toMatchObject({
      message: 'Invalid access token',
    });
    const flipped = signature.slice(0, -2) + (signature.endsWith('AA') ? 'BB' : 'AA');
    await expect(tokens.verify(`${header}.${payload}.${flipped}`)).rejects.toMatchObject({
      message: 'Invalid access token',
    });
  });

  it("refuses a token signed with another installation's secret", async () => {
    const elsewhere = createAccessTokens({ secret: 'b'.repeat(32), ttlSeconds: 900, clock: { now: () => at.ms } });
    const token = await elsewhere.sign(claims);
    await elsewhere.verify(token);
    await expect(tokens.verify(token)).rejects.toMatchObject({ message: 'Invalid access token' });
  });
});
