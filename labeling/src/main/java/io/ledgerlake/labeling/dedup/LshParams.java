package io.ledgerlake.labeling.dedup;

import io.ledgerlake.labeling.InvalidLabelingInputException;
import java.io.Serial;
import java.io.Serializable;

/**
 * Parameters of the near-duplicate index. {@code bands * rows} must equal the signature length. A pair with Jaccard
 * similarity {@code s} becomes a candidate with probability {@code 1 - (1 - s^rows)^bands}; candidates are then
 * confirmed when the full-signature estimate reaches {@code threshold}. {@code hasherSeed} and {@code shingleSize}
 * identify the signature scheme so a checkpoint is never restored under a different hasher.
 */
public record LshParams(int bands, int rows, double threshold, int capacity, int shingleSize, long hasherSeed)
    implements Serializable {
  @Serial private static final long serialVersionUID = 1L;

  /** 20 bands x 6 rows = 120 hashes; see docs/decisions/labeling-minhash-lsh.md for the S-curve. */
  public static LshParams defaults() {
    return new LshParams(20, 6, 0.75, 100_000, 5, 0x4C65646765724C6BL);
  }

  public LshParams {
    InvalidLabelingInputException.check(bands > 0 && rows > 0, "LSH bands and rows must be positive, got %sx%s",
        bands, rows);
    InvalidLabelingInputException.check(threshold > 0 && threshold <= 1, "LSH threshold must be in (0, 1], got %s",
        threshold);
    InvalidLabelingInputException.check(capacity > 0, "LSH capacity must be positive, got %s", capacity);
    InvalidLabelingInputException.check(shingleSize > 0, "shingle size must be positive, got %s", shingleSize);
  }

  public int numHashes() {
    return bands * rows;
  }

  /** Probability that a pair with Jaccard {@code s} shares at least one band. */
  public double candidateProbability(double s) {
    return 1 - Math.pow(1 - Math.pow(s, rows), bands);
  }

  public MinHasher newHasher() {
    return new MinHasher(numHashes(), shingleSize, hasherSeed);
  }
}
