package io.ledgerlake.indexer;

import io.ledgerlake.indexer.source.RawLog;
import io.ledgerlake.indexer.source.Web3jChainSource;
import io.ledgerlake.lakehouse.Lakehouse;
import io.ledgerlake.lakehouse.LakehouseOptions;
import io.ledgerlake.provenance.chain.ProvenanceClient;
import io.ledgerlake.provenance.model.AssetKind;
import io.ledgerlake.provenance.model.ContentCommitment;
import io.ledgerlake.provenance.model.ContributorRole;
import io.ledgerlake.provenance.model.ReceiptShare;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Benchmark harness (run on purpose, not a test): backfill throughput of the indexer into Iceberg against the raw
 * eth_getLogs rate of the same anvil in the same run, then head-following lag at a steady transaction rate.
 *
 * <p>Arguments: [target events, default 100000] [receipts per transaction, default 100] [follow seconds, 15].
 */
public final class IndexerBenchmark {
  private IndexerBenchmark() {}

  public static void main(String[] args) throws Exception {
    int target = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
    int perTx = args.length > 1 ? Integer.parseInt(args[1]) : 100;
    int followSeconds = args.length > 2 ? Integer.parseInt(args[2]) : 15;
    Path dir = Files.createTempDirectory("ledgerlake-indexer-bench-");
    try (LocalAnvil chain = LocalAnvil.start(dir.resolve("chain"), 31337)) {
      long t0 = System.nanoTime();
      ProvenanceClient owner = chain.client(1);
      long asset = owner.registerAsset(AssetKind.DATASET, 0, "bafy-bench").value();
      List<ReceiptShare> shares = new ArrayList<>();
      for (int i = 0; i < perTx; i++) {
        shares.add(new ReceiptShare(String.format("0x%040x", i + 1), ContributorRole.DATA_PROVIDER,
            10_000 / perTx + (i < 10_000 % perTx ? 1 : 0)));
      }
      int versions = 0;
      // Each version: 1 VersionRegistered + per receipt Transfer, Locked, ReceiptRecorded + 1 DirectReceiptsRecorded.
      while ((long) versions * (3L * perTx + 2) < target) {
        long v = owner.registerVersion(asset, ContentCommitment.ofCidText("bafy-v" + versions), List.of()).value();
        owner.recordReceipts(v, shares);
        versions++;
      }
      long head = chain.head();
      System.out.printf("generated %d versions in %d blocks in %.1f s%n", versions, head,
          (System.nanoTime() - t0) / 1e9);

      IndexerOptions options = IndexerOptions.defaults();
      try (Web3jChainSource source = Web3jChainSource.connect(chain.options().rpcUrl(), Duration.ofMinutes(5))) {
        List<String> addresses = List.of(chain.deployment().assetRegistry(), chain.deployment().receipts(),
            chain.deployment().revenue(), chain.deployment().licensing());
        long start = chain.deployment().deployedAtBlock();
        double rawRate = 0;
        long rawEvents = 0;
        for (int round = 0; round < 3; round++) { // best of 3 (the first warms the JIT)
          long t = System.nanoTime();
          rawEvents = 0;
          for (long from = start; from <= head; from += options.initialRange()) {
            List<RawLog> logs = source.logs(from, Math.min(head, from + options.initialRange() - 1), addresses);
            rawEvents += logs.size();
          }
          rawRate = Math.max(rawRate, rawEvents / ((System.nanoTime() - t) / 1e9));
        }
        System.out.printf("raw eth_getLogs: %d events, best %.0f events/s%n", rawEvents, rawRate);

        // Warm-up backfill into a throw-away lakehouse: the first Iceberg/Parquet write in a JVM pays seconds of
        // class loading and JIT, as the raw baseline's first round does.
        try (Lakehouse warm = Lakehouse.open(LakehouseOptions.embedded(dir.resolve("warm")))) {
          warm.init();
          try (Indexer indexer = Indexer.create(warm, source, chain.deployment(), options)) {
            System.out.printf("warm-up backfill: %s%n", indexer.runOnce().describe());
          }
        }
        try (Lakehouse lakehouse = Lakehouse.open(LakehouseOptions.embedded(dir.resolve("lake")))) {
          lakehouse.init();
          try (Indexer indexer = Indexer.create(lakehouse, source, chain.deployment(), options)) {
            RunSummary s = indexer.runOnce();
            double rate = s.eventsIndexed() / (s.elapsed().toNanos() / 1e9);
            double eventsOnly = s.eventsIndexed() / (s.elapsed().minus(s.projectionElapsed()).toNanos() / 1e9);
            System.out.printf("indexer backfill: %s%n", s.describe());
            System.out.printf("indexer backfill incl. current-state tables: %.0f events/s = %.2f x raw eth_getLogs%n",
                rate, rate / rawRate);
            System.out.printf("indexer backfill chain.events only: %.0f events/s = %.2f x raw eth_getLogs%n",
                eventsOnly, eventsOnly / rawRate);

            followLag(chain, lakehouse, source, indexer, followSeconds);
          }
        }
      }
    }
  }

  /**
   * One registerAsset transaction (one block on anvil) every 200 ms while the indexer follows with a 250 ms poll;
   * a second, read-only indexer samples the lag (head - indexed block) after every transaction.
   */
  private static void followLag(LocalAnvil chain, Lakehouse lakehouse, Web3jChainSource source, Indexer indexer,
      int seconds) throws InterruptedException {
    AtomicBoolean done = new AtomicBoolean();
    List<IndexerLag> samples = new ArrayList<>();
    Thread sender = new Thread(() -> {
      ProvenanceClient c = chain.client(2);
      try (Indexer observer = Indexer.create(lakehouse, source, chain.deployment(), IndexerOptions.defaults())) {
        long end = System.nanoTime() + Duration.ofSeconds(seconds).toNanos();
        while (System.nanoTime() < end) {
          c.registerAsset(AssetKind.MODEL, 0, "bafy-follow");
          samples.add(observer.lag());
          Thread.sleep(200);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } finally {
        done.set(true);
      }
    });
    long headBefore = chain.head();
    List<RunSummary> runs = new ArrayList<>();
    sender.start();
    indexer.follow(Duration.ofMillis(250), done::get, runs::add);
    sender.join();
    System.out.printf("follow: %d blocks in %d s, %d runs; lag sampled after each tx: mean %.2f blocks, max %d "
            + "blocks, max %d s behind%n", chain.head() - headBefore, seconds, runs.size(),
        samples.stream().mapToLong(IndexerLag::blocks).average().orElse(0),
        samples.stream().mapToLong(IndexerLag::blocks).max().orElse(0),
        samples.stream().mapToLong(l -> l.behind().toSeconds()).max().orElse(0));
  }
}
