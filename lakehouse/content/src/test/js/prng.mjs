// Seeded byte source shared with the Java tests (io.ledgerlake.content.testing.SeededBytes).
// xorshift32 (Marsaglia 2003, shifts 13/17/5); each step emits the new state as 4 little-endian bytes.
// A zero seed would stay zero forever, so it is replaced by 0x9E3779B9. Chosen because it is
// trivial to implement identically in both languages and fast enough for 1 GiB inputs.
import os from 'node:os'

if (os.endianness() !== 'LE') {
  throw new Error('prng.mjs assumes a little-endian platform (Uint32Array views)')
}

export function * seededChunks (seed, length, chunkBytes = 4 * 1024 * 1024) {
  let x = seed >>> 0
  if (x === 0) x = 0x9E3779B9
  let remaining = length
  while (remaining > 0) {
    const n = Math.min(chunkBytes, remaining)
    const words = new Uint32Array(Math.ceil(n / 4))
    for (let i = 0; i < words.length; i++) {
      x ^= x << 13
      x ^= x >>> 17
      x ^= x << 5
      words[i] = x >>> 0
    }
    yield new Uint8Array(words.buffer, 0, n)
    remaining -= n
  }
}

export function seededBytes (seed, length) {
  const out = new Uint8Array(length)
  let off = 0
  for (const c of seededChunks(seed, length)) {
    out.set(c, off)
    off += c.length
  }
  return out
}
