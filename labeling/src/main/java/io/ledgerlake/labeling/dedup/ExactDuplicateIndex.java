package io.ledgerlake.labeling.dedup;

/**
 * State behind the exact-duplicate labeler: which normalized-text hash was first seen under which record CID, and how
 * often each record CID was seen. Checkpointed with {@link ExactDuplicateIndexSerializer}. In Flink this maps naturally
 * onto keyed state (key = text hash); this bounded in-memory form serves one operator instance. Not thread-safe.
 */
public interface ExactDuplicateIndex {
  /** The canonical CID already recorded for {@code textHash}, or records {@code recordCid} as canonical and returns it. */
  String canonicalFor(String textHash, String recordCid);

  /** Counts one more occurrence of {@code recordCid} and returns the count, 1 for the first. */
  long countOccurrence(String recordCid);

  int size();
}
