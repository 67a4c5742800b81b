package io.ledgerlake.indexer.store;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import io.ledgerlake.indexer.IndexerStateException;
import java.util.Map;

/**
 * One row of {@code chain.events} as the indexer and the projections use it: the log's chain position, its
 * finality and its decoded arguments. {@link ChainEventsTable} owns the mapping to and from the table's columns.
 */
public record ChainEvent(long chainId, long block, String blockHash, String txHash, int logIndex, String finality,
    String name, JsonNode args) {
  public ChainEvent {
    requireNonNull(blockHash, "blockHash");
    requireNonNull(txHash, "txHash");
    requireNonNull(finality, "finality");
    requireNonNull(name, "name");
    requireNonNull(args, "args");
  }

  /** Writes the position columns every projected state row carries (chain id, block, hash, tx, log, finality). */
  public void position(Map<String, Object> row) {
    row.put("chain_id", chainId);
    row.put("block_number", block);
    row.put("block_hash", blockHash);
    row.put("tx_hash", txHash);
    row.put("log_index", logIndex);
    row.put("finality", finality);
  }

  /** A decoded argument as text; a missing one means the contract's ABI changed under the projection. */
  public String arg(String key) {
    JsonNode n = args.get(key);
    if (n == null) {
      throw new IndexerStateException("event " + name + " at " + txHash + ":" + logIndex + " has no argument "
          + key + "; its ABI changed: update the projection", null);
    }
    return n.asText();
  }
}
