package io.ledgerlake.content.blockstore;

/** What a garbage collection removed and kept. */
public record GcResult(long removedBlocks, long removedBytes, long keptBlocks) {}
