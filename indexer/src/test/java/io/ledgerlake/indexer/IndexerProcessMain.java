package io.ledgerlake.indexer;

import io.ledgerlake.indexer.source.Web3jChainSource;
import io.ledgerlake.lakehouse.Lakehouse;
import io.ledgerlake.lakehouse.LakehouseOptions;
import io.ledgerlake.provenance.chain.Deployment;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * A separate indexer process for the kill test: {@code <rpc-url> <deployment-file> <lakehouse-dir>}. One block
 * per batch so a backfill takes many commits and can be killed in the middle.
 */
public final class IndexerProcessMain {
  private IndexerProcessMain() {}

  public static void main(String[] args) {
    IndexerOptions options = IndexerOptions.fromMap(Map.of(IndexerOptions.INITIAL_RANGE, "1",
        IndexerOptions.MAX_RANGE, "1", IndexerOptions.CONFIRMATIONS, "2", IndexerOptions.FINALIZED_DEPTH, "5",
        IndexerOptions.COMMIT_EVENTS, "1"));
    try (Lakehouse lakehouse = Lakehouse.open(LakehouseOptions.embedded(Path.of(args[2])));
        Web3jChainSource source = Web3jChainSource.connect(URI.create(args[0]), Duration.ofSeconds(30));
        Indexer indexer = Indexer.create(lakehouse, source, Deployment.read(Path.of(args[1])), options)) {
      System.out.println(indexer.runOnce().describe());
    }
  }
}
