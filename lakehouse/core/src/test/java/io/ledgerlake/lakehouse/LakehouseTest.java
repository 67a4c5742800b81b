package io.ledgerlake.lakehouse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ledgerlake.common.ErrorCategory;
import io.ledgerlake.lakehouse.tables.LakehouseInitializer;
import io.ledgerlake.lakehouse.tables.TableDefinition;
import io.ledgerlake.lakehouse.tables.TableModel;
import io.ledgerlake.lakehouse.tables.TableStatus;
import io.ledgerlake.lakehouse.versions.DatasetVersions;
import io.ledgerlake.lakehouse.write.Rows;
import io.ledgerlake.lakehouse.write.TableAppender;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.Table;
import org.apache.iceberg.data.IcebergGenerics;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.expressions.Expressions;
import org.apache.iceberg.io.CloseableIterable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Real Iceberg JdbcCatalog on a real SQLite file under a temporary data directory. */
class LakehouseTest {
  @TempDir Path dir;

  static Record record(Table table, String dataset, int i) {
    Map<String, Object> v = new HashMap<>();
    v.put("record_cid", "bafkrei" + dataset + i);
    v.put("dataset_id", dataset);
    v.put("submission_id", "sub-" + dataset);
    v.put("contributor", "0x" + "ab".repeat(20));
    v.put("content_cid", "bafybeicontent");
    v.put("position", "line " + i);
    v.put("record_json", "{\"i\":" + i + "}");
    v.put("byte_size", 7);
    v.put("ingested_at", OffsetDateTime.of(2026, 11, 22, 0, 0, 0, 0, ZoneOffset.UTC));
    return Rows.of(table.schema(), v);
  }

  static List<Record> records(Table table, String dataset, int from, int to) {
    List<Record> out = new ArrayList<>();
    for (int i = from; i < to; i++) {
      out.add(record(table, dataset, i));
    }
    return out;
  }

  static long count(Table table) throws Exception {
    table.refresh();
    try (CloseableIterable<Record> rows = IcebergGenerics.read(table).build()) {
      long n = 0;
      for (Record ignored : rows) {
        n++;
      }
      return n;
    }
  }

  @Test
  void initCreatesEveryTableAndIsIdempotent() {
    try (Lakehouse lh = Lakehouse.open(LakehouseOptions.embedded(dir))) {
      LakehouseInitializer.Report first = lh.init();
      assertThat(first.created()).hasSize(TableModel.ALL.size()).contains("ingest.records", "attribution.revenue_shares");
      LakehouseInitializer.Report second = lh.init();
      assertThat(second.changedAnything()).isFalse();
      assertThat(second.unchanged()).hasSize(TableModel.ALL.size());
      assertThat(Files.exists(dir.resolve("catalog.db"))).isTrue();
    }
  }

  @Test
  void roundTripWithTagsIsTimeTravel() throws Exception {
    try (Lakehouse lh = Lakehouse.open(LakehouseOptions.embedded(dir))) {
      lh.init();
      Table records = lh.table(TableModel.INGEST_RECORDS);
      TableAppender.append(records, records(records, "ds1", 0, 10));
      TableAppender.append(records, records(records, "ds2", 0, 5));
      assertThat(count(records)).isEqualTo(15);

      DatasetVersions versions = lh.versions(TableModel.INGEST_RECORDS);
      String tag = DatasetVersions.tagName("ds1", 1);
      long tagged = versions.tagCurrent(tag);

      TableAppender.append(records, records(records, "ds1", 10, 30));
      assertThat(count(records)).isEqualTo(35);

      // The tag still reads exactly the rows of the tagged snapshot.
      assertThat(versions.snapshotOf(tag)).isEqualTo(tagged);
      List<Record> v1 = versions.read(tag, Expressions.equal("dataset_id", "ds1"));
      assertThat(v1).hasSize(10);
      assertThat(v1).extracting(r -> r.getField("record_cid")).doesNotContain("bafkreids110");
      assertThat(versions.tags()).containsEntry(tag, tagged);

      // Tags are immutable.
      assertThatThrownBy(() -> versions.tagCurrent(tag))
          .isInstanceOf(LakehouseException.class)
          .hasMessageContaining("already exists");

      List<TableStatus> status = lh.status();
      TableStatus recordsStatus =
          status.stream().filter(s -> s.name().equals("ingest.records")).findFirst().orElseThrow();
      assertThat(recordsStatus.rows()).isEqualTo(35);
      assertThat(recordsStatus.snapshotId()).isPresent();
      assertThat(recordsStatus.lastCommit()).isPresent();
    }
  }

  @Test
  void schemaSnapshotSummaryIsCommittedWithRows() {
    try (Lakehouse lh = Lakehouse.open(LakehouseOptions.embedded(dir))) {
      lh.init();
      Table records = lh.table(TableModel.INGEST_RECORDS);
      long id = TableAppender.append(records, records(records, "x", 0, 3), Map.of("ledgerlake.cursor", "42"));
      assertThat(records.snapshot(id).summary()).containsEntry("ledgerlake.cursor", "42");
    }
  }

  @Test
  void olderCatalogIsEvolvedByAddingColumns() throws Exception {
    TableDefinition v2 = TableModel.INGEST_REJECTIONS;
    // An "older" definition of the same table: two columns fewer and schema version 1.
    TableDefinition v1 =
        TableDefinition.of(
            "ingest",
            "rejections",
            1,
            new org.apache.iceberg.Schema(
                v2.schema().columns().stream()
                    .filter(f -> !f.name().equals("sample") && !f.name().equals("position"))
                    .toList()),
            s -> PartitionSpec.unpartitioned(),
            "old");
    TableDefinition v2Bumped =
        new TableDefinition(v2.identifier(), 2, v2.schema(), v2.partitioning(), v2.description());
    try (Lakehouse lh = Lakehouse.open(LakehouseOptions.embedded(dir))) {
      new LakehouseInitializer(lh.catalog()).initialize(List.of(v1));
      Table old = lh.table(v1);
      Map<String, Object> row = new HashMap<>();
      row.put("submission_id", "s1");
      row.put("dataset_id", "d1");
      row.put("contributor", "0x01");
      row.put("content_cid", "bafy");
      row.put("reason_code", "MALFORMED_JSON");
      row.put("reason", "bad");
      row.put("rejected_at", OffsetDateTime.now(ZoneOffset.UTC));
      TableAppender.append(old, List.of(Rows.of(old.schema(), row)));

      LakehouseInitializer.Report report = new LakehouseInitializer(lh.catalog()).initialize(List.of(v2Bumped));
      assertThat(report.evolved()).containsExactly("ingest.rejections");
      Table evolved = lh.table(v2);
      assertThat(evolved.schema().findField("sample")).isNotNull();
      assertThat(evolved.schema().findField("position").isOptional()).isTrue();
      assertThat(evolved.properties()).containsEntry(TableDefinition.SCHEMA_VERSION_PROPERTY, "2");
      // The old row reads with nulls in the new columns.
      try (CloseableIterable<Record> rows = IcebergGenerics.read(evolved).build()) {
        Record r = rows.iterator().next();
        assertThat(r.getField("reason_code")).isEqualTo("MALFORMED_JSON");
        assertThat(r.getField("sample")).isNull();
      }
      // And the old snapshot is still readable with its own schema.
      assertThat(count(evolved)).isEqualTo(1);
      // Evolving again is a no-op.
      assertThat(new LakehouseInitializer(lh.catalog()).initialize(List.of(v2Bumped)).changedAnything()).isFalse();
    }
  }

  @Test
  void missingTableIsAClearUserError() {
    try (Lakehouse lh = Lakehouse.open(LakehouseOptions.embedded(dir))) {
      assertThatThrownBy(() -> lh.table(TableModel.INGEST_RECORDS))
          .isInstanceOf(LakehouseException.class)
          .hasMessageContaining("ingest.records")
          .hasMessageContaining("ledgerlake init")
          .extracting(e -> ((LakehouseException) e).category())
          .isEqualTo(ErrorCategory.USER_ERROR);
    }
  }

  @Test
  void dataDirBlockedByAFileIsAClearError() throws Exception {
    Path file = Files.writeString(dir.resolve("not-a-dir"), "x");
    assertThatThrownBy(() -> Lakehouse.open(LakehouseOptions.embedded(file.resolve("data"))))
        .isInstanceOf(LakehouseException.class)
        .hasMessageContaining("data directory")
        .hasMessageContaining(file.toString());
  }

  @Test
  void corruptCatalogFileIsNamed() throws Exception {
    Files.writeString(dir.resolve("catalog.db"), "this is definitely not sqlite ".repeat(100));
    assertThatThrownBy(
            () -> {
              try (Lakehouse lh = Lakehouse.open(LakehouseOptions.embedded(dir))) {
                lh.init();
              }
            })
        .isInstanceOf(LakehouseException.class)
        .hasMessageContaining(dir.resolve("catalog.db").toString())
        .hasMessageContaining("corrupt");
  }

  @Test
  void catalogLockedByAnotherWriterIsNamed() throws Exception {
    Map<String, String> settings = new HashMap<>();
    settings.put(LakehouseOptions.DATA_DIR, dir.toString());
    settings.put(LakehouseOptions.SQLITE_BUSY_TIMEOUT_MS, "200");
    LakehouseOptions options = LakehouseOptions.from(io.ledgerlake.common.config.Settings.of(settings));
    try (Lakehouse lh = Lakehouse.open(options)) {
      lh.init();
    }
    // Hold an exclusive lock as another process would while it commits.
    try (Connection other = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("catalog.db"));
        Statement st = other.createStatement()) {
      st.execute("PRAGMA journal_mode=DELETE");
      st.execute("BEGIN EXCLUSIVE");
      assertThatThrownBy(
              () -> {
                try (Lakehouse lh = Lakehouse.open(options)) {
                  lh.init();
                  Table t = lh.table(TableModel.INGEST_RECORDS);
                  TableAppender.append(t, records(t, "locked", 0, 1));
                }
              })
          .isInstanceOf(LakehouseException.class)
          .hasMessageContaining(dir.resolve("catalog.db").toString())
          .hasMessageContaining("locked");
      st.execute("ROLLBACK");
    }
  }
}
