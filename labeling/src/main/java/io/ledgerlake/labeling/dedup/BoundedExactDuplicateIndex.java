package io.ledgerlake.labeling.dedup;

import io.ledgerlake.labeling.InvalidLabelingInputException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * {@link ExactDuplicateIndex} bounded to {@code maxEntries} text hashes and as many CIDs, evicting the oldest insertion
 * first (FIFO, deterministic under replay). A duplicate whose canonical was evicted is labeled canonical itself.
 */
public final class BoundedExactDuplicateIndex implements ExactDuplicateIndex {
  private final int maxEntries;
  private final LinkedHashMap<String, String> canonicalByHash;
  private final LinkedHashMap<String, Long> occurrencesByCid;

  public BoundedExactDuplicateIndex(int maxEntries) {
    InvalidLabelingInputException.check(maxEntries > 0, "maxEntries must be positive, got %s", maxEntries);
    this.maxEntries = maxEntries;
    this.canonicalByHash = fifo(maxEntries);
    this.occurrencesByCid = fifo(maxEntries);
  }

  private static <V> LinkedHashMap<String, V> fifo(int max) {
    return new LinkedHashMap<>(16, 0.75f, false) {
      @Override
      protected boolean removeEldestEntry(Map.Entry<String, V> eldest) {
        return size() > max;
      }
    };
  }

  public int maxEntries() {
    return maxEntries;
  }

  @Override
  public String canonicalFor(String textHash, String recordCid) {
    Objects.requireNonNull(recordCid, "recordCid");
    String existing = canonicalByHash.putIfAbsent(Objects.requireNonNull(textHash, "textHash"), recordCid);
    return existing == null ? recordCid : existing;
  }

  @Override
  public long countOccurrence(String recordCid) {
    return occurrencesByCid.merge(Objects.requireNonNull(recordCid, "recordCid"), 1L, Long::sum);
  }

  @Override
  public int size() {
    return canonicalByHash.size();
  }

  Map<String, String> hashes() {
    return canonicalByHash;
  }

  Map<String, Long> occurrences() {
    return occurrencesByCid;
  }
}
