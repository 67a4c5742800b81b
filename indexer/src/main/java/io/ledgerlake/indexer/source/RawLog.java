package io.ledgerlake.indexer.source;

import static java.util.Objects.requireNonNull;

import java.util.List;

/** One log as the node returns it, before decoding. Hex strings are lower-case and 0x-prefixed. */
public record RawLog(
    long blockNumber, String blockHash, String txHash, int logIndex, String address, List<String> topics,
    String data) {
  public RawLog {
    blockHash = requireNonNull(blockHash, "blockHash").toLowerCase();
    txHash = requireNonNull(txHash, "txHash").toLowerCase();
    address = requireNonNull(address, "address").toLowerCase();
    topics = topics.stream().map(String::toLowerCase).toList();
    data = requireNonNull(data, "data");
  }
}
