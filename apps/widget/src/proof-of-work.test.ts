import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { leadingZeroBits, solveChallenge, type Sha256 } from './proof-of-work';

const nodeSha256: Sha256 = async (data) => {
  const digest = createHash('sha256').update(data).digest();
  return digest.buffer.slice(digest.byteOffset, digest.byteOffset + digest.byteLength) as ArrayBuffer;
};
const zeroBitsOf = (text: string) => leadingZeroBits(createHash('sha256').update(text, 'utf8').digest());

describe('the proof-of-work solver', () => {
  it('counts the leading zero bits of a hash', () => {
    expect(leadingZeroBits(new Uint8Array([0x80, 0]))).toBe(0);
    expect(leadingZeroBits(new Uint8Array([0x01, 0xff]))).toBe(7);
    expect(leadingZeroBits(new Uint8Array([0, 0x20]))).toBe(10);
    expect(leadingZeroBits(new Uint8Array([0, 0]))).toBe(16);
  });

  it('finds the first decimal nonce whose hash has enough zero bits, as the server checks it', async () => {
    const challenge = 'c1.01JD5Q0ZV3Y8K7Z3H2N4M5P6Q7.é';
    const nonce = await solveChallenge(challenge, 12, nodeSha256);
    expect(nonce).toMatch(/^(0|[1-9][0-9]*)$/);
    expect(zeroBitsOf(challenge + nonce)).toBeGreaterThanOrEqual(12);
    // The first such nonce: every smaller one falls short.
    for (let n = 0; n < Number(nonce); n++) expect(zeroBitsOf(challenge + n)).toBeLessThan(12);
  });

  it('takes the first nonce at difficulty 0, and also solves with the Web Crypto API', async () => {
    expect(await solveChallenge('anything', 0, nodeSha256)).toBe('0');
    const nonce = await solveChallenge('web-crypto', 8);
    expect(zeroBitsOf(`web-crypto${nonce}`)).toBeGreaterThanOrEqual(8);
  });
});
