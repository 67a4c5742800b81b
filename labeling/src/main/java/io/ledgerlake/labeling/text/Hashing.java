package io.ledgerlake.labeling.text;

/** Small, allocation-free 64-bit hashing helpers shared by the quality rules and MinHash. */
public final class Hashing {
  private static final long FNV_OFFSET = 0xcbf29ce484222325L;
  private static final long FNV_PRIME = 0x100000001b3L;
  /** Odd multiplier used to combine a sequence of word hashes into one n-gram hash. */
  public static final long COMBINE = 0x9E3779B97F4A7C15L;

  private Hashing() {}

  /** MurmurHash3's 64-bit finalizer: a bijection that spreads every input bit over the whole word. */
  public static long mix64(long z) {
    z = (z ^ (z >>> 33)) * 0xff51afd7ed558ccdL;
    z = (z ^ (z >>> 33)) * 0xc4ceb9fe1a85ec53L;
    return z ^ (z >>> 33);
  }

  /** FNV-1a over the UTF-16 units {@code s[from, to)}, finalized with {@link #mix64(long)}. */
  public static long hashChars(CharSequence s, int from, int to) {
    long h = FNV_OFFSET;
    for (int i = from; i < to; i++) {
      h ^= s.charAt(i);
      h *= FNV_PRIME;
    }
    return mix64(h);
  }

  /** Order-sensitive hash of {@code n} consecutive values of a ring buffer, oldest first. */
  public static long combine(long[] ring, int start, int n) {
    long h = 0;
    int len = ring.length;
    for (int k = 0; k < n; k++) {
      h = (h + ring[(start + k) % len]) * COMBINE;
    }
    return mix64(h ^ n);
  }
}
