package io.ledgerlake.rag.index;

import static java.util.Objects.requireNonNull;

/** One vector of an index with what is stored beside it. The vector is not copied: treat it as read-only. */
public record IndexedChunk(String recordCid, int chunk, String contributor, String text, float[] vector) {
  public IndexedChunk {
    requireNonNull(recordCid, "recordCid");
    requireNonNull(contributor, "contributor");
    requireNonNull(text, "text");
    requireNonNull(vector, "vector");
  }
}
