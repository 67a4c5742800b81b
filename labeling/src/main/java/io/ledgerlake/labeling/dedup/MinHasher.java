package io.ledgerlake.labeling.dedup;

import io.ledgerlake.labeling.InvalidLabelingInputException;
import io.ledgerlake.labeling.text.Hashing;
import io.ledgerlake.labeling.text.TextNormalizer;
import java.io.Serial;
import java.io.Serializable;
import java.util.SplittableRandom;

/**
 * MinHash signatures over word shingles of the normalized text ({@link TextNormalizer}). Words are maximal runs of
 * letters or digits, so punctuation does not break near-duplicate matches. Each shingle of {@code shingleSize} words is
 * hashed to 64 bits (FNV-1a per word, combined and finalized with Murmur3's mixer), folded to 32 bits, and the i-th
 * hash function is {@code h_i(x) = a_i * x + b_i (mod 2^32)} with odd random {@code a_i}; the signature keeps the
 * minimum of each (in signed int order, which is as good a total order as any for MinHash). Doing it in 32-bit ints
 * lets the JIT vectorize the inner loop (multiply, add and min over int lanes); it does no boxing and no allocation
 * besides the normalized string.
 *
 * <p>Immutable and thread-safe; two hashers with the same parameters produce identical signatures.
 */
public final class MinHasher implements Serializable {
  @Serial private static final long serialVersionUID = 1L;

  private final int numHashes;
  private final int shingleSize;
  private final long seed;
  private final int[] a;
  private final int[] b;

  public MinHasher(int numHashes, int shingleSize, long seed) {
    InvalidLabelingInputException.check(numHashes > 0, "numHashes must be positive, got %s", numHashes);
    InvalidLabelingInputException.check(shingleSize > 0, "shingleSize must be positive, got %s", shingleSize);
    this.numHashes = numHashes;
    this.shingleSize = shingleSize;
    this.seed = seed;
    SplittableRandom random = new SplittableRandom(seed);
    a = new int[numHashes];
    b = new int[numHashes];
    for (int i = 0; i < numHashes; i++) {
      a[i] = random.nextInt() | 1;
      b[i] = random.nextInt();
    }
  }

  public int numHashes() {
    return numHashes;
  }

  public int shingleSize() {
    return shingleSize;
  }

  public long seed() {
    return seed;
  }

  /**
   * The signature of {@code text}, or {@code null} when it has no word at all. Texts shorter than one shingle get the
   * signature of their single, shorter shingle.
   */
  public int[] signature(String text) {
    String norm = TextNormalizer.normalize(text);
    int[] mins = new int[numHashes];
    java.util.Arrays.fill(mins, Integer.MAX_VALUE);
    long[] ring = new long[shingleSize];
    int words = 0;
    int len = norm.length();
    int i = 0;
    while (i < len) {
      // skip separators
      while (i < len && !isWordChar(norm.charAt(i))) {
        i++;
      }
      if (i >= len) {
        break;
      }
      int start = i;
      while (i < len && isWordChar(norm.charAt(i))) {
        i++;
      }
      ring[words % shingleSize] = Hashing.hashChars(norm, start, i);
      words++;
      if (words >= shingleSize) {
        update(mins, Hashing.combine(ring, words % shingleSize, shingleSize));
      }
    }
    if (words == 0) {
      return null;
    }
    if (words < shingleSize) {
      update(mins, Hashing.combine(ring, 0, words));
    }
    return mins;
  }

  private void update(int[] mins, long shingle) {
    int x = (int) (shingle ^ (shingle >>> 32));
    int[] aa = a;
    int[] bb = b;
    for (int k = 0; k < aa.length; k++) {
      mins[k] = Math.min(mins[k], aa[k] * x + bb[k]);
    }
  }

  private static boolean isWordChar(char c) {
    return Character.isLetterOrDigit(c) || Character.isSurrogate(c);
  }

  /** Fraction of equal positions: an unbiased estimate of the Jaccard similarity of the two shingle sets. */
  public static double estimateJaccard(int[] x, int[] y) {
    InvalidLabelingInputException.check(
        x.length == y.length, "signatures of different lengths: %s vs %s", x.length, y.length);
    int same = 0;
    for (int k = 0; k < x.length; k++) {
      if (x[k] == y[k]) {
        same++;
      }
    }
    return (double) same / x.length;
  }
}
