import { createHash } from 'node:crypto';
import { Transform } from 'node:stream';

/** A pass-through that hashes (SHA-256) and counts what flows through it: for the manifests. */
export function digesting() {
  const hash = createHash('sha256');
  let bytes = 0;
  const stream = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      hash.update(chunk);
      bytes += chunk.length;
      done(null, chunk);
    },
  });
  return { stream, digest: () => ({ sha256: hash.digest('hex'), bytes }) };
}
