package io.ledgerlake.labeling.dedup;

import java.util.Objects;

/**
 * Outcome of one near-duplicate lookup.
 *
 * @param canonicalCid the indexed record this one duplicates; the record itself when it is canonical or a replay
 * @param jaccard estimated Jaccard similarity with {@code canonicalCid} (1.0 for canonical/replay)
 */
public record NearDuplicateResult(Kind kind, String canonicalCid, double jaccard) {
  public enum Kind {
    /** No indexed record is similar enough: this record was indexed as a new canonical. */
    CANONICAL,
    /** Similar to an earlier, still indexed record: not indexed itself. */
    DUPLICATE,
    /** This exact record (same CID) is already indexed: a replay, nothing changed. */
    REPLAY
  }

  public NearDuplicateResult {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(canonicalCid, "canonicalCid");
  }
}
