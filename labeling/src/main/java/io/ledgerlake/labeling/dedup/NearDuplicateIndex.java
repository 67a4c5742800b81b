package io.ledgerlake.labeling.dedup;

/**
 * The state behind the near-duplicate labeler: a bounded set of canonical records' MinHash signatures. A Flink operator
 * holds one instance (as operator state, or one per key group when keyed by a shard of the band hash) and checkpoints
 * it with {@link LshIndexSerializer}. Not thread-safe: an operator instance is single-threaded.
 */
public interface NearDuplicateIndex {
  /**
   * Looks {@code signature} up; if no indexed record reaches the similarity threshold, indexes it under
   * {@code recordCid} (evicting the oldest entry when full).
   */
  NearDuplicateResult findOrInsert(String recordCid, int[] signature);

  int size();

  int capacity();

  LshParams params();
}
