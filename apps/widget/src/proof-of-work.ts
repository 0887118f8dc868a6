/** SHA-256 of some bytes: `crypto.subtle.digest` in the browser, anything alike in tests. */
export type Sha256 = (data: Uint8Array) => Promise<ArrayBuffer>;

/** Hashes per batch: between batches the event loop runs, so the page stays responsive. */
const BATCH = 256;

export const browserSha256: Sha256 = (data) => crypto.subtle.digest('SHA-256', data as Uint8Array<ArrayBuffer>);

/** How many zero bits the hash starts with. */
export function leadingZeroBits(hash: Uint8Array): number {
  let bits = 0;
  for (const byte of hash) {
    if (byte === 0) {
      bits += 8;
      continue;
    }
    return bits + Math.clz32(byte) - 24;
  }
  return bits;
}

/**
 * Solves `GET /widget/challenge`: the first `nonce` (a decimal counter, "0", "1", …) for which
 * SHA-256(UTF-8 of `challenge + nonce`) starts with `difficulty` zero bits. About 2^difficulty
 * hashes on average; each batch runs in parallel and then yields to the event loop.
 */
export async function solveChallenge(
  challenge: string,
  difficulty: number,
  sha256: Sha256 = browserSha256,
): Promise<string> {
  const encoder = new TextEncoder();
  for (let start = 0; ; start += BATCH) {
    const nonces = Array.from({ length: BATCH }, (_, i) => String(start + i));
    const hashes = await Promise.all(nonces.map((nonce) => sha256(encoder.encode(challenge + nonce))));
    const found = hashes.findIndex((hash) => leadingZeroBits(new Uint8Array(hash)) >= difficulty);
    if (found >= 0) return nonces[found]!;
    await new Promise((resolve) => setTimeout(resolve, 0));
  }
}
