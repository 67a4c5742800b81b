package io.ledgerlake.platform;

import io.ledgerlake.indexer.Indexer;
import io.ledgerlake.indexer.IndexerOptions;
import io.ledgerlake.lakehouse.Lakehouse;
import io.ledgerlake.lakehouse.LakehouseOptions;
import io.ledgerlake.lakehouse.lineage.LineageClosure;
import io.ledgerlake.provenance.ProvenanceOptions;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The chain indexer as a background thread of {@code ledgerlake up}: follows the head until {@link #close()},
 * which lets the current batch finish (its commit is atomic either way).
 */
public final class IndexFollower implements PlatformService {
  private static final Logger LOG = LoggerFactory.getLogger(IndexFollower.class);

  private final AtomicBoolean stop = new AtomicBoolean();
  private final Thread thread;
  private final ProvenanceOptions chain;

  private IndexFollower(LakehouseOptions lakehouse, ProvenanceOptions chain, IndexerOptions options) {
    this.chain = chain;
    this.thread = new Thread(() -> {
      try (Lakehouse lh = Lakehouse.open(lakehouse); Indexer indexer = Indexer.connect(lh, chain, options)) {
        // On-chain parent links feed lineage.closure: keep it current as the chain moves.
        indexer.follow(options.pollInterval(), stop::get, s -> {
          if (s.commits() > 0) {
            LineageClosure.refresh(lh);
          }
        });
      } catch (RuntimeException e) {
        LOG.error("Chain indexer stopped: {}", e.getMessage(), e);
      }
    }, "ledgerlake-indexer");
    thread.setDaemon(true);
  }

  /** Starts following {@code chain} (a node with the contracts deployed). */
  public static IndexFollower start(LakehouseOptions lakehouse, ProvenanceOptions chain, IndexerOptions options) {
    IndexFollower f = new IndexFollower(lakehouse, chain, options);
    f.thread.start();
    LOG.info("Chain indexer following {}", chain.rpcUrl());
    return f;
  }

  @Override
  public String name() {
    return "Chain indexer";
  }

  @Override
  public String describe() {
    return "following " + chain.rpcUrl();
  }

  @Override
  public void close() {
    stop.set(true);
    try {
      thread.join(30_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
