package io.ledgerlake.indexer.source;

import static java.util.Objects.requireNonNull;

import java.time.Instant;

/** The parts of a block header the indexer needs: its place in the hash chain and its time. */
public record BlockHeader(long number, String hash, String parentHash, Instant timestamp) {
  public BlockHeader {
    requireNonNull(hash, "hash");
    requireNonNull(parentHash, "parentHash");
    requireNonNull(timestamp, "timestamp");
    hash = hash.toLowerCase();
    parentHash = parentHash.toLowerCase();
  }
}
