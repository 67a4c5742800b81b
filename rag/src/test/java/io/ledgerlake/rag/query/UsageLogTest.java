package io.ledgerlake.rag.query;

import static org.assertj.core.api.Assertions.assertThat;

import io.ledgerlake.lakehouse.Lakehouse;
import io.ledgerlake.lakehouse.LakehouseOptions;
import io.ledgerlake.lakehouse.tables.TableModel;
import io.ledgerlake.provenance.licence.LicenceGate;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.apache.iceberg.Table;
import org.apache.iceberg.data.IcebergGenerics;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.io.CloseableIterable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The usage journal on a real SQLite Iceberg catalog: acknowledged queries reach attribution.usage exactly once —
 * after a normal stop, after a crash (journal replayed at the next start), and after a crash between the table commit
 * and the journal's deletion (replayed ids skipped).
 */
class UsageLogTest {
  @TempDir Path dir;
  Lakehouse lakehouse;

  @BeforeEach
  void open() {
    lakehouse = Lakehouse.open(LakehouseOptions.embedded(dir));
    lakehouse.init();
  }

  @AfterEach
  void close() {
    lakehouse.close();
  }

  static UsageLog.Usage usage(String id, int k) {
    List<RagRetriever.Passage> passages = new ArrayList<>();
    for (int r = 1; r <= k; r++) {
      passages.add(new RagRetriever.Passage(r, "bafk-" + id + "-" + r, 0, "0xc" + r, 1.0 / r, "text " + r));
    }
    return new UsageLog.Usage(id, "sha-" + id, "0xcaller", new LicenceGate.Licence("api", 3),
        new RagAssets.Target(3, 3, 1, "ds-a", "ds-a-v1", "bafyindex"), passages, k,
        Instant.parse("2026-12-03T10:00:00Z"));
  }

  @Test
  void concurrentQueriesAreRecordedOnceAndReachTheTable() throws Exception {
    UsageLog log = new UsageLog(lakehouse);
    ExecutorService pool = Executors.newFixedThreadPool(8);
    List<Future<Boolean>> results = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      String id = "q" + (i % 20); // every id twice
      results.add(pool.submit(() -> log.record(usage(id, 3))));
    }
    int recordedNow = 0;
    for (Future<Boolean> f : results) {
      recordedNow += f.get() ? 1 : 0;
    }
    pool.shutdown();
    assertThat(recordedNow).as("each id recorded once, the other call is a retry").isEqualTo(20);
    assertThat(log.recorded("q7")).hasValueSatisfying(r -> assertThat(r.querySha256()).isEqualTo("sha-q7"));
    log.close();
    assertThat(rows()).hasSize(20 * 3);
    assertThat(journalFiles()).as("committed segments are deleted").isEmpty();
    // A restart knows every recorded id.
    UsageLog again = new UsageLog(lakehouse);
    assertThat(again.record(usage("q3", 3))).isFalse();
    again.close();
    assertThat(rows()).hasSize(20 * 3);
  }

  @Test
  void aCrashLosesNothingAcknowledgedAndDoublesNothing() throws Exception {
    UsageLog log = new UsageLog(lakehouse, java.time.Duration.ofHours(1)); // nothing reaches the table before the crash
    for (int i = 0; i < 5; i++) {
      assertThat(log.record(usage("c" + i, 2))).isTrue();
    }
    List<Path> journal = journalFiles();
    assertThat(journal).as("acknowledged = journaled").isNotEmpty();
    byte[] copy = Files.readAllBytes(journal.get(0));
    log.abandon(); // a crash: whatever was not committed to the table stays in the journal
    assertThat(rows()).isEmpty();

    UsageLog restarted = new UsageLog(lakehouse); // replays the journal
    assertThat(rows()).hasSize(5 * 2);
    assertThat(restarted.record(usage("c2", 2))).isFalse();
    restarted.close();

    // A crash after a commit and before the segment's deletion: the same lines once more at the next start.
    Files.createDirectories(journal.get(0).getParent());
    Files.write(journal.get(0), copy);
    Files.writeString(journal.get(0).resolveSibling("usage-9-torn.jsonl"), "{\"format\":1,\"query_id\":\"torn"); // cut short
    new UsageLog(lakehouse).close();
    assertThat(rows()).hasSize(5 * 2);
    assertThat(journalFiles()).isEmpty();
  }

  @Test
  void journalLinesRoundTrip() {
    UsageLog.Usage u = usage("rt", 2);
    UsageLog.Usage back = UsageLog.fromJson(json(UsageLog.toJson(u)));
    assertThat(back.queryId()).isEqualTo(u.queryId());
    assertThat(back.licence()).isEqualTo(u.licence());
    assertThat(back.target()).isEqualTo(u.target());
    assertThat(back.at()).isEqualTo(u.at());
    assertThat(back.passages()).extracting(RagRetriever.Passage::recordCid)
        .containsExactlyElementsOf(u.passages().stream().map(RagRetriever.Passage::recordCid).toList());
  }

  private static com.fasterxml.jackson.databind.JsonNode json(String text) {
    try {
      return new com.fasterxml.jackson.databind.ObjectMapper().readTree(text);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private List<Path> journalFiles() throws IOException {
    Path journal = dir.resolve("rag").resolve("usage-journal");
    if (!Files.isDirectory(journal)) {
      return List.of();
    }
    try (Stream<Path> files = Files.list(journal)) {
      return files.filter(p -> p.toString().endsWith(".jsonl")).toList();
    }
  }

  private List<Record> rows() throws IOException {
    Table t = lakehouse.table(TableModel.ATTRIBUTION_USAGE);
    t.refresh();
    List<Record> out = new ArrayList<>();
    if (t.currentSnapshot() == null) {
      return out;
    }
    try (CloseableIterable<Record> it = IcebergGenerics.read(t).build()) {
      it.forEach(r -> out.add(r.copy()));
    }
    return out;
  }
}
