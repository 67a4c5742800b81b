package io.ledgerlake.ingestion.content;

import static java.util.Objects.requireNonNull;

/**
 * What a {@link ContentSink} returns once bytes are durable.
 *
 * @param cid content identifier (a CID string from the content module)
 * @param byteCount number of bytes stored
 */
public record StoredContent(String cid, long byteCount) {
  public StoredContent {
    requireNonNull(cid, "cid");
    if (byteCount < 0) {
      throw new IllegalArgumentException("byteCount must not be negative: " + byteCount);
    }
  }
}
