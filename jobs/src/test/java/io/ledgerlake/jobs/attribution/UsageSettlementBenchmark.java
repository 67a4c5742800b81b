package io.ledgerlake.jobs.attribution;

import io.ledgerlake.lakehouse.Lakehouse;
import io.ledgerlake.lakehouse.LakehouseOptions;
import io.ledgerlake.lakehouse.tables.TableModel;
import io.ledgerlake.lakehouse.write.Rows;
import io.ledgerlake.lakehouse.write.TableAppender;
import io.ledgerlake.provenance.merkle.UsagePayoutTree;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.apache.iceberg.Table;
import org.apache.iceberg.data.IcebergGenerics;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.expressions.Expressions;
import org.apache.iceberg.io.CloseableIterable;

/**
 * Settlement of one epoch (harness, not a test): N usage rows (default 1,000,000: 200,000 API calls of 5 retrieved
 * rows each, by 100 licensees) over C contributors (default 10,000) in a real embedded Iceberg table. Measures what
 * the settle job computes off chain — read the metered usage ({@link MeteredUsage}), split each licensee's net credit
 * ({@link UsageShares}), sum per contributor, build the epoch's payout tree ({@link UsagePayoutTree}) and every proof
 * — against a baseline measured in the same run: reading the same rows and columns alone. Median of 3 alternating
 * rounds; wall time and peak heap. Args: [rows] [contributors].
 */
public final class UsageSettlementBenchmark {
  static final int K = 5;
  static final int LICENSEES = 100;

  private UsageSettlementBenchmark() {}

  public static void main(String[] args) throws Exception {
    int rows = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
    int contributors = args.length > 1 ? Integer.parseInt(args[1]) : 10_000;
    Path dir = Files.createTempDirectory("settlement-bench");
    Duration day = Duration.ofDays(1);
    Instant start = Instant.parse("2026-01-01T00:00:00Z");
    try (Lakehouse lakehouse = Lakehouse.open(LakehouseOptions.embedded(dir))) {
      lakehouse.init();
      long g0 = System.nanoTime();
      write(lakehouse, rows, contributors, start);
      System.out.printf("wrote %,d usage rows (%,d calls, %,d contributors) in %.1f s%n", rows, rows / K,
          contributors, (System.nanoTime() - g0) / 1e9);
      Table usage = lakehouse.table(TableModel.ATTRIBUTION_USAGE);
      usage.refresh();
      long snapshot = usage.currentSnapshot().snapshotId();
      long[] base = new long[3];
      long[] work = new long[3];
      long[] baseHeap = new long[3];
      long[] workHeap = new long[3];
      int leaves = 0;
      for (int round = 0; round < 3; round++) {
        resetPeaks();
        long t0 = System.nanoTime();
        long read = readOnly(usage, snapshot);
        base[round] = System.nanoTime() - t0;
        baseHeap[round] = peakHeap();
        if (read != rows) {
          throw new IllegalStateException("read " + read + " rows, wrote " + rows);
        }
        resetPeaks();
        t0 = System.nanoTime();
        leaves = settle(lakehouse, snapshot, day);
        work[round] = System.nanoTime() - t0;
        workHeap[round] = peakHeap();
      }
      long b = median(base);
      long w = median(work);
      System.out.printf("baseline (read %,d rows, same columns): %.2f s, peak heap %.0f MB%n", rows, b / 1e9,
          median(baseHeap) / 1e6);
      System.out.printf("settlement (read + shares of %d settlements + tree of %,d leaves + every proof): %.2f s,"
          + " peak heap %.0f MB%n", LICENSEES, leaves, w / 1e9, median(workHeap) / 1e6);
      System.out.printf("ratio wall %.2f, ratio peak heap %.2f (max heap %.0f MB)%n", (double) w / b,
          (double) median(workHeap) / median(baseHeap), Runtime.getRuntime().maxMemory() / 1e6);
    }
  }

  /** What the settle job computes for an epoch, without the chain: shares of every settlement, then the tree. */
  static int settle(Lakehouse lakehouse, long snapshot, Duration epochLength) {
    long t0 = System.nanoTime();
    MeteredUsage usage = MeteredUsage.read(lakehouse, MeteredUsage.CallsTable.USAGE, snapshot, epochLength);
    long t1 = System.nanoTime();
    Map<String, BigInteger> owed = new TreeMap<>();
    long epoch = -1;
    for (MeteredUsage.Metered m : usage.metered().values()) {
      BigInteger net = BigInteger.valueOf(m.calls().size()).multiply(BigInteger.TEN.pow(13));
      for (UsageShares.Share s : UsageShares.split(net, usage.retrievals(m.calls()))) {
        owed.merge(s.contributor(), s.amountWei(), BigInteger::add);
      }
      epoch = m.epoch().start().getEpochSecond();
    }
    long t2 = System.nanoTime();
    UsagePayoutTree tree = UsagePayoutTree.build(epoch, owed);
    int proofs = 0;
    for (int i = 0; i < tree.size(); i++) {
      proofs += tree.leaf(i).proof().size();
    }
    if (proofs == 0 && tree.size() > 1) {
      throw new IllegalStateException("no proofs");
    }
    long t3 = System.nanoTime();
    System.out.printf("  phases: MeteredUsage.read %.2f s, shares %.2f s, tree + proofs %.2f s%n", (t1 - t0) / 1e9,
        (t2 - t1) / 1e9, (t3 - t2) / 1e9);
    return tree.size();
  }

  static long readOnly(Table table, long snapshot) throws Exception {
    long n = 0;
    long checksum = 0;
    try (CloseableIterable<Record> it = IcebergGenerics.read(table).useSnapshot(snapshot)
        .where(Expressions.equal("license_kind", "api"))
        .select("query_id", "caller", "license_asset_id", "record_cid", "contributor", "rank", "queried_at").build()) {
      for (Record r : it) {
        checksum += ((String) r.getField("contributor")).hashCode() + (Integer) r.getField("rank");
        n++;
      }
    }
    if (checksum == 42) {
      System.out.print("");
    }
    return n;
  }

  static void write(Lakehouse lakehouse, int rows, int contributors, Instant start) {
    Table table = lakehouse.table(TableModel.ATTRIBUTION_USAGE);
    Random random = new Random(15);
    List<Record> batch = new ArrayList<>();
    int calls = rows / K;
    for (int q = 0; q < calls; q++) {
      String licensee = String.format("0x%040x", 0xA000_0000L + q % LICENSEES);
      var at = start.plusMillis(q * 100L).atOffset(ZoneOffset.UTC);
      for (int rank = 1; rank <= K; rank++) {
        Map<String, Object> v = new HashMap<>();
        v.put("query_id", "q" + q);
        v.put("query_sha256", "00");
        v.put("caller", licensee);
        v.put("license_kind", "api");
        v.put("license_asset_id", "3");
        v.put("asset_id", "3");
        v.put("dataset_id", "bench");
        v.put("version_tag", "bench-v1");
        v.put("index_cid", "bafy-index");
        v.put("record_cid", "bafy-r" + random.nextInt(rows));
        v.put("chunk", 0);
        v.put("contributor", String.format("0x%040x", 0xC000_0000L + random.nextInt(contributors)));
        v.put("rank", rank);
        v.put("score", 1.0 / rank);
        v.put("k", K);
        v.put("queried_at", at);
        batch.add(Rows.of(table.schema(), v));
      }
      if (batch.size() >= 200_000) {
        TableAppender.append(table, batch);
        batch = new ArrayList<>();
      }
    }
    if (!batch.isEmpty()) {
      TableAppender.append(table, batch);
    }
  }

  static long median(long[] v) {
    long[] c = v.clone();
    Arrays.sort(c);
    return c[c.length / 2];
  }

  static void resetPeaks() {
    System.gc();
    for (MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans()) {
      if (p.getType() == MemoryType.HEAP) {
        p.resetPeakUsage();
      }
    }
  }

  static long peakHeap() {
    long sum = 0;
    for (MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans()) {
      if (p.getType() == MemoryType.HEAP) {
        sum += p.getPeakUsage().getUsed();
      }
    }
    return sum;
  }
}
