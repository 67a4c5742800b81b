package io.ledgerlake.content.blockstore;

/** Size accounting of a block store: block count and payload bytes (excluding filesystem overhead). */
public record BlockstoreStats(long blocks, long bytes, int pins) {}
