package io.ledgerlake.cli.index;

import io.ledgerlake.cli.LakehouseCommand;
import io.ledgerlake.indexer.Indexer;
import io.ledgerlake.indexer.IndexerLag;
import io.ledgerlake.indexer.RunSummary;
import io.ledgerlake.lakehouse.Lakehouse;
import io.ledgerlake.lakehouse.lineage.LineageClosure;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(
    name = "index",
    mixinStandardHelpOptions = true,
    description = {
      "Index the LedgerLake contracts into chain.events and the chain.* state tables.",
      "With --once: catch up with the node's head, print a summary with the lag, and exit.",
      "Without: keep following the head until interrupted (Ctrl-C); reorgs are rolled back.",
      "--rebuild-projections and --expire-snapshots do only that, then exit."
    })
public final class IndexCommand extends LakehouseCommand {
  @Option(names = "--once", description = "Catch up and exit.")
  boolean once;

  @Option(
      names = "--rebuild-projections",
      description = "Rebuild chain.assets/asset_versions/receipts/licenses/payments from chain.events, then exit.")
  boolean rebuildProjections;

  @Option(
      names = "--expire-snapshots",
      description = "Expire old snapshots of the chain.* tables now (ledgerlake.indexer.snapshot-retention-ms and"
          + " snapshot-retain-last; follow mode does this every expire-interval-ms), then exit.")
  boolean expireSnapshots;

  @Option(
      names = "--poll-interval-ms",
      paramLabel = "MS",
      description = "Time between catch-ups when following (default: ledgerlake.indexer.poll-interval-ms).")
  Long pollIntervalMs;

  @Override
  public Integer call() throws Exception {
    var settings = settings();
    try (Lakehouse lakehouse = openLakehouse();
        Indexer indexer = IndexSettings.connect(lakehouse, settings)) {
      if (rebuildProjections || expireSnapshots) {
        if (rebuildProjections) {
          out().println(indexer.rebuildProjections()
              ? "Rebuilt the chain.* state tables from chain.events"
              : "Nothing indexed yet: run 'ledgerlake index --once' first");
        }
        if (expireSnapshots) {
          out().printf("Expired %d snapshot(s) of the chain.* tables%n", indexer.expireSnapshots());
        }
        // a rebuild commits new chain.asset_versions snapshots, which lineage.closure records as its input
        LineageCommand.printRefresh(out(), LineageClosure.refresh(lakehouse));
        return 0;
      }
      if (once) {
        RunSummary summary = new io.ledgerlake.jobs.JobRunner(lakehouse, out()).run(
            new io.ledgerlake.jobs.maintenance.ChainIndexJob(indexer),
            new io.ledgerlake.jobs.maintenance.ChainIndexJob.Params()).summary();
        print(summary);
        refreshClosure(lakehouse, summary);
        return 0;
      }
      Duration poll =
          pollIntervalMs != null
              ? Duration.ofMillis(pollIntervalMs)
              : IndexSettings.options(settings).pollInterval();
      AtomicBoolean stop = new AtomicBoolean();
      CountDownLatch stopped = new CountDownLatch(1);
      // Ctrl-C: finish the current batch (its commit is atomic either way), then return normally.
      Thread hook =
          new Thread(
              () -> {
                stop.set(true);
                try {
                  stopped.await();
                } catch (InterruptedException e) {
                  Thread.currentThread().interrupt();
                }
              },
              "ledgerlake-index-stop");
      Runtime.getRuntime().addShutdownHook(hook);
      out().printf("Following %s every %d ms; Ctrl-C to stop%n", IndexSettings.chain(settings).rpcUrl(), poll.toMillis());
      out().flush();
      try {
        indexer.follow(poll, stop::get, s -> {
          printIfChanged(s);
          refreshClosure(lakehouse, s);
        });
      } finally {
        stopped.countDown();
        try {
          Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
          // the hook is running: the JVM is exiting anyway
        }
      }
      IndexerLag lag = indexer.lag();
      out().printf("Stopped at block %d (head %d, lag %d blocks)%n", lag.indexedBlock(), lag.headBlock(), lag.blocks());
      return 0;
    }
  }

  private void printIfChanged(RunSummary s) {
    if (s.commits() > 0) {
      print(s);
    }
  }

  private void print(RunSummary s) {
    out().printf("Indexed %s%n", s.describe());
    out().printf("Lag: %d block(s), %d s behind the head%n", s.lag().blocks(), s.lag().behind().toSeconds());
    out().flush();
  }

  /** On-chain parent links feed lineage.closure: refresh it after every catch-up that committed. */
  private void refreshClosure(Lakehouse lakehouse, RunSummary s) {
    if (s.commits() > 0) {
      LineageCommand.printRefresh(out(), LineageClosure.refresh(lakehouse));
    }
  }
}
