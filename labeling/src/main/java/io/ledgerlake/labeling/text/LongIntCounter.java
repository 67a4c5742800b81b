package io.ledgerlake.labeling.text;

import java.util.Arrays;

/**
 * Open-addressing counter from 64-bit keys to int counts, reusable across records ({@link #clear()} keeps the arrays).
 * Exists so the per-record n-gram counting does no boxing and almost no allocation. Not thread-safe.
 */
public final class LongIntCounter {
  private long[] keys;
  private int[] counts;
  private int size;
  private int mask;

  public LongIntCounter(int expected) {
    int cap = Integer.highestOneBit(Math.max(16, expected * 2 - 1)) << 1;
    keys = new long[cap];
    counts = new int[cap];
    mask = cap - 1;
  }

  public void clear() {
    if (size > 0) {
      Arrays.fill(counts, 0);
      size = 0;
    }
  }

  /** Adds one to {@code key}'s count and returns the new count. */
  public int increment(long key) {
    if ((size + 1) * 2 > keys.length) {
      grow();
    }
    int i = slot(key);
    while (counts[i] != 0) {
      if (keys[i] == key) {
        return ++counts[i];
      }
      i = (i + 1) & mask;
    }
    keys[i] = key;
    counts[i] = 1;
    size++;
    return 1;
  }

  public int get(long key) {
    int i = slot(key);
    while (counts[i] != 0) {
      if (keys[i] == key) {
        return counts[i];
      }
      i = (i + 1) & mask;
    }
    return 0;
  }

  public int size() {
    return size;
  }

  private int slot(long key) {
    return (int) Hashing.mix64(key) & mask;
  }

  private void grow() {
    long[] oldKeys = keys;
    int[] oldCounts = counts;
    keys = new long[oldKeys.length * 2];
    counts = new int[oldKeys.length * 2];
    mask = keys.length - 1;
    for (int j = 0; j < oldKeys.length; j++) {
      if (oldCounts[j] != 0) {
        int i = slot(oldKeys[j]);
        while (counts[i] != 0) {
          i = (i + 1) & mask;
        }
        keys[i] = oldKeys[j];
        counts[i] = oldCounts[j];
      }
    }
  }
}
