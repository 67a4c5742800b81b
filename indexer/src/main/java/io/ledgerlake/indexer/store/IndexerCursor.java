package io.ledgerlake.indexer.store;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ledgerlake.indexer.IndexerStateException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Where indexing stands: the last indexed block (every log up to and including it is in chain.events), the head
 * the finality column was computed against, and a log of recent block hashes to find a fork point after a
 * reorg. Committed as one snapshot-summary property of chain.events, in the same commit as the rows.
 *
 * <p>Format version 1:
 * {@code {"v":1,"chainId":31337,"block":120,"hash":"0x..","time":1700000000,"head":125,"recent":[[118,"0x.."],..]}}
 *
 * @param block last indexed block; {@code startBlock - 1} before the first batch
 * @param hash hash of {@code block}, or null when {@code block} is before genesis
 * @param blockTime unix seconds of {@code block}, 0 when unknown
 * @param head chain head when the rows' finality was last computed
 * @param recent recent (number, hash) pairs, ascending by number, the newest being {@code block}
 */
public record IndexerCursor(long chainId, long block, String hash, long blockTime, long head,
    List<BlockHash> recent) {
  public static final int FORMAT_VERSION = 1;
  /** The snapshot-summary key that holds the cursor. */
  public static final String SUMMARY_KEY = "ledgerlake.indexer.cursor";
  private static final ObjectMapper JSON = new ObjectMapper();

  /** A block's number and hash. */
  public record BlockHash(long number, String hash) {
    public BlockHash {
      requireNonNull(hash, "hash");
    }
  }

  public IndexerCursor {
    recent = recent.stream().sorted(Comparator.comparingLong(BlockHash::number)).toList();
  }

  /** A cursor that advanced to {@code block}, remembering it (and {@code seen}) in the hash log. */
  public IndexerCursor advance(long newBlock, String newHash, long newBlockTime, long newHead,
      List<BlockHash> seen, int logSize) {
    List<BlockHash> all = new ArrayList<>(recent);
    all.addAll(seen);
    all.add(new BlockHash(newBlock, newHash));
    List<BlockHash> dedup = all.stream()
        .filter(b -> b.number() <= newBlock)
        .sorted(Comparator.comparingLong(BlockHash::number))
        .distinct()
        .toList();
    List<BlockHash> kept = dedup.subList(Math.max(0, dedup.size() - logSize), dedup.size());
    return new IndexerCursor(chainId, newBlock, newHash, newBlockTime, newHead, kept);
  }

  /** The cursor after a rollback to {@code fork}: entries above it are forgotten. */
  public IndexerCursor rollBackTo(BlockHash fork, long forkTime, long newHead) {
    List<BlockHash> kept = recent.stream().filter(b -> b.number() <= fork.number()).toList();
    return new IndexerCursor(chainId, fork.number(), fork.hash().isEmpty() ? null : fork.hash(), forkTime, newHead,
        kept);
  }

  public String toJson() {
    ObjectNode n = JSON.createObjectNode();
    n.put("v", FORMAT_VERSION);
    n.put("chainId", chainId);
    n.put("block", block);
    if (hash != null) {
      n.put("hash", hash);
    }
    n.put("time", blockTime);
    n.put("head", head);
    ArrayNode r = n.putArray("recent");
    for (BlockHash b : recent) {
      r.addArray().add(b.number()).add(b.hash());
    }
    return n.toString();
  }

  public static IndexerCursor fromJson(String text) {
    JsonNode n;
    try {
      n = JSON.readTree(text);
    } catch (IOException e) {
      throw new IndexerStateException("the indexer cursor in chain.events is not valid JSON: " + text, e);
    }
    int version = n.path("v").asInt(-1);
    switch (version) {
      case 1: {
        List<BlockHash> recent = new ArrayList<>();
        for (JsonNode e : n.path("recent")) {
          recent.add(new BlockHash(e.get(0).asLong(), e.get(1).asText()));
        }
        return new IndexerCursor(n.path("chainId").asLong(), n.path("block").asLong(),
            n.hasNonNull("hash") ? n.get("hash").asText() : null, n.path("time").asLong(), n.path("head").asLong(),
            recent);
      }
      default:
        throw new IndexerStateException("the indexer cursor in chain.events has format version " + version
            + "; this build reads version " + FORMAT_VERSION + ": upgrade LedgerLake", null);
    }
  }
}
