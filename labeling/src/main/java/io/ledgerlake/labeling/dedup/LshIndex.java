package io.ledgerlake.labeling.dedup;

import io.ledgerlake.labeling.InvalidLabelingInputException;
import io.ledgerlake.labeling.text.Hashing;
import java.util.Objects;
import java.util.function.BiConsumer;

/**
 * Bounded MinHash LSH index. Entries live in a ring buffer of {@code capacity} slots; when it is full the oldest entry
 * is evicted first (FIFO), so a near duplicate is found as long as its canonical was indexed fewer than
 * {@code capacity} canonical records ago. Evicting by age rather than by use keeps the state a deterministic function of
 * the input order, which a replay from a checkpoint relies on.
 *
 * <p>Band buckets are one open-addressing multimap from a 64-bit band key (band number mixed with the hash of that
 * band's rows) to the slot, with linear probing and backward-shift deletion, so lookups and evictions allocate nothing.
 * Memory: about {@code capacity * (4 * numHashes + 24 * bands)} bytes plus the CID strings.
 */
public final class LshIndex implements NearDuplicateIndex {
  private final LshParams params;
  private final int numHashes;
  private final String[] cids;
  private final int[] signatures;
  private int head;
  private int size;

  private final long[] tableKeys;
  /** slot + 1; 0 marks an empty cell. */
  private final int[] tableSlots;
  private final int tableMask;

  /** Per-slot stamp of the last query that looked at it: de-duplicates candidates without allocating a set. */
  private final int[] visited;
  private int queryStamp;
  private final long[] bandKeys;
  /** Band keys of the entry being evicted; separate from {@link #bandKeys}, which holds the query's during insert. */
  private final long[] evictKeys;

  public LshIndex(LshParams params) {
    this.params = Objects.requireNonNull(params, "params");
    this.numHashes = params.numHashes();
    int capacity = params.capacity();
    cids = new String[capacity];
    signatures = new int[Math.multiplyExact(capacity, numHashes)];
    long cells = Long.highestOneBit(Math.max(16L, 2L * capacity * params.bands() - 1)) << 1;
    InvalidLabelingInputException.check(
        cells <= (1 << 30), "LSH capacity %s x %s bands is too large for one index; shard it", capacity,
        params.bands());
    tableKeys = new long[(int) cells];
    tableSlots = new int[(int) cells];
    tableMask = (int) cells - 1;
    visited = new int[capacity];
    bandKeys = new long[params.bands()];
    evictKeys = new long[params.bands()];
  }

  @Override
  public LshParams params() {
    return params;
  }

  @Override
  public int size() {
    return size;
  }

  @Override
  public int capacity() {
    return cids.length;
  }

  @Override
  public NearDuplicateResult findOrInsert(String recordCid, int[] signature) {
    Objects.requireNonNull(recordCid, "recordCid");
    InvalidLabelingInputException.check(
        signature.length == numHashes, "signature has %s hashes, index expects %s", signature.length, numHashes);
    computeBandKeys(signature, 0, bandKeys);
    if (++queryStamp == 0) {
      java.util.Arrays.fill(visited, 0);
      queryStamp = 1;
    }
    int bestSlot = -1;
    int bestSame = -1;
    for (int band = 0; band < bandKeys.length; band++) {
      long key = bandKeys[band];
      for (int i = cell(key); tableSlots[i] != 0; i = (i + 1) & tableMask) {
        if (tableKeys[i] != key) {
          continue;
        }
        int slot = tableSlots[i] - 1;
        if (visited[slot] == queryStamp) {
          continue;
        }
        visited[slot] = queryStamp;
        if (cids[slot].equals(recordCid)) {
          return new NearDuplicateResult(NearDuplicateResult.Kind.REPLAY, recordCid, 1.0);
        }
        int same = sameCount(signature, slot);
        if (same > bestSame) {
          bestSame = same;
          bestSlot = slot;
        }
      }
    }
    if (bestSlot >= 0) {
      double jaccard = (double) bestSame / numHashes;
      if (jaccard >= params.threshold()) {
        return new NearDuplicateResult(NearDuplicateResult.Kind.DUPLICATE, cids[bestSlot], jaccard);
      }
    }
    insert(recordCid, signature, bandKeys);
    return new NearDuplicateResult(NearDuplicateResult.Kind.CANONICAL, recordCid, 1.0);
  }

  /** Visits entries oldest first: the order a restore must re-insert them in. */
  public void forEach(BiConsumer<String, int[]> visitor) {
    for (int k = 0; k < size; k++) {
      int slot = (head + k) % cids.length;
      int[] sig = new int[numHashes];
      System.arraycopy(signatures, slot * numHashes, sig, 0, numHashes);
      visitor.accept(cids[slot], sig);
    }
  }

  /** Appends an entry unconditionally (used by restore; evicts the oldest when full). */
  void append(String recordCid, int[] signature) {
    long[] keys = new long[params.bands()];
    computeBandKeys(signature, 0, keys);
    insert(recordCid, signature, keys);
  }

  private void insert(String recordCid, int[] signature, long[] keys) {
    int capacity = cids.length;
    int slot;
    if (size == capacity) {
      slot = head;
      evict(slot);
      head = (head + 1) % capacity;
    } else {
      slot = (head + size) % capacity;
      size++;
    }
    cids[slot] = recordCid;
    System.arraycopy(signature, 0, signatures, slot * numHashes, numHashes);
    for (long key : keys) {
      int i = cell(key);
      while (tableSlots[i] != 0) {
        i = (i + 1) & tableMask;
      }
      tableKeys[i] = key;
      tableSlots[i] = slot + 1;
    }
  }

  private void evict(int slot) {
    computeBandKeys(signatures, slot * numHashes, evictKeys);
    for (long key : evictKeys) {
      int i = cell(key);
      while (!(tableKeys[i] == key && tableSlots[i] == slot + 1)) {
        if (tableSlots[i] == 0) {
          throw new IllegalStateException("LSH index corrupt: band entry of slot " + slot + " missing");
        }
        i = (i + 1) & tableMask;
      }
      deleteCell(i);
    }
    cids[slot] = null;
  }

  /** Backward-shift deletion for linear probing (Knuth, TAOCP vol. 3, algorithm R). */
  private void deleteCell(int hole) {
    int j = hole;
    while (true) {
      j = (j + 1) & tableMask;
      if (tableSlots[j] == 0) {
        break;
      }
      int home = cell(tableKeys[j]);
      // move j into the hole unless its home lies cyclically in (hole, j]
      boolean homeInRange = hole <= j ? (hole < home && home <= j) : (hole < home || home <= j);
      if (!homeInRange) {
        tableKeys[hole] = tableKeys[j];
        tableSlots[hole] = tableSlots[j];
        hole = j;
      }
    }
    tableSlots[hole] = 0;
    tableKeys[hole] = 0;
  }

  private int sameCount(int[] signature, int slot) {
    int base = slot * numHashes;
    int same = 0;
    for (int k = 0; k < numHashes; k++) {
      if (signatures[base + k] == signature[k]) {
        same++;
      }
    }
    return same;
  }

  private void computeBandKeys(int[] sig, int offset, long[] out) {
    int rows = params.rows();
    for (int band = 0; band < out.length; band++) {
      long h = band * 0xD6E8FEB86659FD93L;
      int base = offset + band * rows;
      for (int r = 0; r < rows; r++) {
        h = (h ^ (sig[base + r] & 0xFFFFFFFFL)) * Hashing.COMBINE;
      }
      out[band] = Hashing.mix64(h);
    }
  }

  private int cell(long key) {
    return (int) (key ^ (key >>> 32)) & tableMask;
  }
}
