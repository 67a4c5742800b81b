package io.ledgerlake.indexer;

import java.time.Duration;

/**
 * How far the index is behind the node: {@code blocks = head - indexedBlock}, and the chain time between the two
 * blocks ({@code head timestamp - indexed block timestamp}), so an idle chain does not look behind.
 */
public record IndexerLag(long chainId, long headBlock, long indexedBlock, Duration behind) {
  public long blocks() {
    return Math.max(0, headBlock - indexedBlock);
  }
}
