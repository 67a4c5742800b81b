package io.ledgerlake.lakehouse.spark;

import io.ledgerlake.lakehouse.Lakehouse;
import io.ledgerlake.lakehouse.LakehouseOptions;
import io.ledgerlake.common.config.Settings;
import io.ledgerlake.lakehouse.lineage.LineageClosure;
import io.ledgerlake.lakehouse.lineage.LineageGraph;
import io.ledgerlake.lakehouse.lineage.LineageNode;
import io.ledgerlake.lakehouse.tables.TableModel;
import io.ledgerlake.lakehouse.write.TableAppender;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Iterator;
import java.util.NoSuchElementException;
import org.apache.iceberg.Schema;
import org.apache.iceberg.Table;
import org.apache.iceberg.data.GenericRecord;
import org.apache.iceberg.data.Record;

/**
 * SQL lineage over lineage.closure on a graph of about 1M edges in a real embedded lakehouse, against the Java walk
 * ({@link LineageGraph}) on the same graph in the same run (issue 6 performance item; docs/benchmarks.md,
 * "Lineage traversal").
 *
 * <p>Graph: 10,000 asset versions in 1,000 derivation chains of 10 (each derived from the previous one); each
 * version is registered from its own dataset version, which contains 99 uploads: 10,000 × (99 contains + 1
 * registered_as) + 1,000 × 9 derived_from = 1,009,000 edges. Measured: loading the graph into memory
 * ({@code LineageGraph.latest}), the Java upstream walk of the last version of a chain (depth limit 32: its whole
 * upstream, 1,009 nodes), the closure rebuild ({@code LineageClosure.refresh}), and the upstream query of
 * docs/sql.md section 6 for the same node through Spark SQL (literal filter, as documented, and the same start
 * joined from a CTE).
 */
public final class LineageClosureBenchmark {
  static final int CHAINS = 1_000;
  static final int CHAIN_LENGTH = 10;
  static final int UPLOADS = 99;
  static final int DEPTH = 32;

  private LineageClosureBenchmark() {}

  public static void main(String[] args) throws IOException {
    Path dir = Files.createTempDirectory("lineage-bench");
    LakehouseOptions options = LakehouseOptions.embedded(dir);
    try (Lakehouse lh = Lakehouse.open(options)) {
      lh.init();
      Table edges = lh.table(TableModel.LINEAGE_EDGES);
      long t0 = System.nanoTime();
      TableAppender.append(edges, () -> new Edges(edges.schema()));
      long writeNanos = System.nanoTime() - t0;

      String last = "1@v" + (CHAIN_LENGTH - 1) + "-c0";
      LineageNode start = new LineageNode("asset_version", last);

      long loadNanos = Long.MAX_VALUE;
      long walkNanos = Long.MAX_VALUE;
      LineageGraph graph = null;
      int reached = 0;
      for (int i = 0; i < 3; i++) {
        long a = System.nanoTime();
        graph = LineageGraph.latest(lh);
        long b = System.nanoTime();
        loadNanos = Math.min(loadNanos, b - a);
      }
      for (int i = 0; i < 20; i++) {
        long a = System.nanoTime();
        reached = graph.upstream(start, DEPTH).nodes().size();
        walkNanos = Math.min(walkNanos, System.nanoTime() - a);
      }

      long refreshNanos = Long.MAX_VALUE;
      long pairs = 0;
      for (int i = 0; i < 2; i++) {
        long a = System.nanoTime();
        // alternate the depth so each run rebuilds (an unchanged state is skipped)
        LineageClosure.Refresh r = LineageClosure.refresh(lh, DEPTH + i);
        refreshNanos = Math.min(refreshNanos, System.nanoTime() - a);
        pairs = r.rows();
      }

      SqlRunner sql = new SqlRunner(LakehouseSpark.session(options, SparkOptions.from(Settings.empty())));
      String query = "with start as (select 'asset_version' as kind, '" + last + "' as id, " + DEPTH + " as max_hops)\n"
          + "select c.ancestor_kind as kind, c.ancestor_id as id, c.depth, c.relation, c.via_kind, c.via_id, c.origin,\n"
          + "       max(c.depth = least(s.max_hops, c.max_depth) and c.upstream_continues) over () as truncated\n"
          + "from lineage.closure c\n"
          + "join start s on c.descendant_kind = s.kind and c.descendant_id = s.id and c.depth <= s.max_hops\n"
          + "order by c.depth, kind, id";
      // the same walk with the start node as literals in the filter, which Iceberg can push into the scan
      String literal = "select c.ancestor_kind as kind, c.ancestor_id as id, c.depth, c.relation, c.via_kind, c.via_id,"
          + " c.origin,\n       max(c.depth = least(" + DEPTH + ", c.max_depth) and c.upstream_continues) over () as truncated\n"
          + "from lineage.closure c\n"
          + "where c.descendant_kind = 'asset_version' and c.descendant_id = '" + last + "' and c.depth <= " + DEPTH + "\n"
          + "order by c.depth, kind, id";
      long[] cte = time(sql, query);
      long[] lit = time(sql, literal);
      long edgeCount = (long) CHAINS * CHAIN_LENGTH * (UPLOADS + 1) + (long) CHAINS * (CHAIN_LENGTH - 1);
      System.out.printf("edges=%d pairs=%d reached(java)=%d rows(sql)=%d/%d%n", edgeCount, pairs, reached, cte[2], lit[2]);
      System.out.printf("write edges to Iceberg: %.0f ms%n", writeNanos / 1e6);
      System.out.printf("LineageGraph.latest (load 1M edges): %.0f ms%n", loadNanos / 1e6);
      System.out.printf("LineageGraph.upstream (Java walk, baseline): %.3f ms%n", walkNanos / 1e6);
      System.out.printf("LineageClosure.refresh (rebuild): %.0f ms = %.1f x (load + walk)%n", refreshNanos / 1e6,
          (double) refreshNanos / (loadNanos + walkNanos));
      report("SQL upstream over lineage.closure, start joined from a CTE", cte, walkNanos, loadNanos);
      report("SQL upstream over lineage.closure, start as literals (docs/sql.md)", lit, walkNanos, loadNanos);
    }
  }

  /** First run (includes Spark's start when it is the first query), best of 5 warm runs, rows. */
  private static long[] time(SqlRunner sql, String query) {
    long first = 0;
    long best = Long.MAX_VALUE;
    long rows = 0;
    for (int i = 0; i < 6; i++) {
      long a = System.nanoTime();
      rows = sql.run(query, 100_000).rows().size();
      long took = System.nanoTime() - a;
      if (i == 0) {
        first = took;
      } else {
        best = Math.min(best, took);
      }
    }
    return new long[] {first, best, rows};
  }

  private static void report(String what, long[] t, long walkNanos, long loadNanos) {
    System.out.printf("%s: first %.0f ms, best of 5 warm %.0f ms = %.0f x walk, %.2f x (load + walk)%n", what,
        t[0] / 1e6, t[1] / 1e6, (double) t[1] / walkNanos, (double) t[1] / (loadNanos + walkNanos));
  }

  /** The benchmark graph's edges, generated as they are written. */
  private static final class Edges implements Iterator<Record> {
    private final Schema schema;
    private final OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
    private int chain;
    private int position;
    private int item; // 0..UPLOADS-1: contains; UPLOADS: registered_as; UPLOADS+1: derived_from (not for the first)

    Edges(Schema schema) {
      this.schema = schema;
    }

    @Override
    public boolean hasNext() {
      return chain < CHAINS;
    }

    @Override
    public Record next() {
      if (!hasNext()) {
        throw new NoSuchElementException();
      }
      String suffix = "v" + position + "-c" + chain;
      Record r;
      if (item < UPLOADS) {
        r = edge("submission", "bafy-" + suffix + "-u" + item, "dataset_version", "ds-" + suffix, "contains");
      } else if (item == UPLOADS) {
        r = edge("dataset_version", "ds-" + suffix, "asset_version", "1@" + suffix, "registered_as");
      } else {
        r = edge("asset_version", "1@v" + (position - 1) + "-c" + chain, "asset_version", "1@" + suffix,
            "derived_from");
      }
      item++;
      if (item > UPLOADS + (position > 0 ? 1 : 0)) {
        item = 0;
        position++;
        if (position == CHAIN_LENGTH) {
          position = 0;
          chain++;
        }
      }
      return r;
    }

    private Record edge(String sk, String sid, String tk, String tid, String relation) {
      GenericRecord r = GenericRecord.create(schema);
      r.setField("source_kind", sk);
      r.setField("source_id", sid);
      r.setField("target_kind", tk);
      r.setField("target_id", tid);
      r.setField("relation", relation);
      r.setField("recorded_at", now);
      return r;
    }
  }
}
