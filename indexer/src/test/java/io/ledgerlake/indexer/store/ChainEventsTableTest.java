package io.ledgerlake.indexer.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ledgerlake.indexer.IndexerOptions;
import io.ledgerlake.indexer.store.IndexerCursor.BlockHash;
import io.ledgerlake.lakehouse.Lakehouse;
import io.ledgerlake.lakehouse.LakehouseException;
import io.ledgerlake.lakehouse.LakehouseOptions;
import io.ledgerlake.lakehouse.tables.TableModel;
import io.ledgerlake.lakehouse.write.Rows;
import io.ledgerlake.lakehouse.write.TableAppender;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.Table;
import org.apache.iceberg.TableProperties;
import org.apache.iceberg.data.IcebergGenerics;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.io.CloseableIterable;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.metadata.ColumnChunkMetaData;
import org.apache.parquet.io.LocalInputFile;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** chain.events commits on a real embedded Iceberg catalog, without a chain. */
class ChainEventsTableTest {
  private static final IndexerOptions OPTIONS = IndexerOptions.fromMap(Map.of(
      IndexerOptions.CONFIRMATIONS, "2", IndexerOptions.FINALIZED_DEPTH, "5"));

  @TempDir
  Path dir;
  private Lakehouse lakehouse;
  private ChainEventsTable events;

  @BeforeEach
  void open() {
    lakehouse = Lakehouse.open(LakehouseOptions.embedded(dir));
    lakehouse.init();
    events = new ChainEventsTable(lakehouse.table(TableModel.CHAIN_EVENTS), OPTIONS);
  }

  @AfterEach
  void close() {
    lakehouse.close();
  }

  @Test
  void cursorIsCommittedWithTheRowsAndReadBackFromHistory() {
    assertThat(events.cursor()).isEmpty();
    IndexerCursor c1 = cursor(10, 10);
    events.commit(List.of(row(5, 10), row(10, 10)), Long.MAX_VALUE, Long.MAX_VALUE, c1, null);
    assertThat(events.cursor()).contains(c1);
    // Another writer's snapshot without a cursor: the indexer's cursor is found in the history behind it.
    TableAppender.append(events.table(), List.of());
    assertThat(events.cursor()).contains(c1);
  }

  @Test
  void rollbackRemovesRowsAboveTheForkAndKeepsTheRestOfTheirFiles() {
    events.commit(List.of(row(3, 12), row(8, 12), row(11, 12), row(12, 12)), Long.MAX_VALUE, Long.MAX_VALUE,
        cursor(12, 12), null);
    ChainEventsTable.Committed c = events.commit(List.of(), Long.MAX_VALUE, 8, cursor(8, 12), events.snapshotId());
    assertThat(c.droppedRows()).isEqualTo(2);
    assertThat(blocks()).containsExactlyInAnyOrder(3L, 8L);
  }

  @Test
  void refreshRecomputesFinalityOfRecentRowsOnly() {
    events.commit(List.of(row(1, 10), row(9, 10), row(10, 10)), Long.MAX_VALUE, Long.MAX_VALUE, cursor(10, 10),
        null);
    assertThat(finality()).containsEntry(1L, "finalized").containsEntry(9L, "pending").containsEntry(10L, "pending");
    events.commit(List.of(row(12, 13)), 6, Long.MAX_VALUE, cursor(13, 13), events.snapshotId());
    assertThat(finality()).containsEntry(1L, "finalized").containsEntry(9L, "confirmed")
        .containsEntry(10L, "confirmed").containsEntry(12L, "pending");
  }

  @Test
  void aConcurrentWriterMakesTheCommitFail() {
    events.commit(List.of(row(1, 10)), Long.MAX_VALUE, Long.MAX_VALUE, cursor(10, 10), null);
    Long seen = events.snapshotId();
    TableAppender.append(events.table(), List.of(row(2, 10)));
    assertThatThrownBy(() -> events.commit(List.of(row(11, 11)), Long.MAX_VALUE, Long.MAX_VALUE, cursor(11, 11),
        seen)).isInstanceOf(LakehouseException.class).hasMessageContaining("another writer");
    assertThat(blocks()).containsExactlyInAnyOrder(1L, 2L);
  }

  @Test
  void writePropertiesAreAddedOnceAndAnOperatorsValueStays() throws IOException {
    events.table().updateProperties().set(TableProperties.PARQUET_COMPRESSION_LEVEL, "5").commit();
    assertThat(events.applyWriteProperties()).doesNotContain(TableProperties.PARQUET_COMPRESSION_LEVEL)
        .contains("parquet.enable.dictionary");
    assertThat(events.table().properties()).containsEntry(TableProperties.PARQUET_COMPRESSION_LEVEL, "5")
        .containsEntry("parquet.enable.dictionary", "false");
    assertThat(events.applyWriteProperties()).isEmpty();

    List<DataFile> written = events.write(List.of(row(5, 10), row(10, 10)));
    events.commit(written, List.of(), Long.MAX_VALUE, Long.MAX_VALUE, cursor(10, 10), null);
    assertThat(blocks()).containsExactlyInAnyOrder(5L, 10L);
    assertThat(written).isNotEmpty();
    for (DataFile f : written) {
      // No dictionary pages, and no min/max for args_json (Iceberg's metrics mode "none" for that column).
      String location = f.location();
      Path file = location.startsWith("file:") ? Path.of(URI.create(location)) : Path.of(location);
      try (ParquetFileReader reader = ParquetFileReader.open(new LocalInputFile(file))) {
        for (ColumnChunkMetaData column : reader.getFooter().getBlocks().get(0).getColumns()) {
          assertThat(column.hasDictionaryPage()).as(column.getPath().toDotString()).isFalse();
        }
      }
      int argsJson = events.table().schema().findField("args_json").fieldId();
      assertThat(f.lowerBounds()).doesNotContainKey(argsJson)
          .containsKey(events.table().schema().findField("block_number").fieldId());
      assertThat(f.upperBounds()).doesNotContainKey(argsJson);
    }
  }

  private static IndexerCursor cursor(long block, long head) {
    return new IndexerCursor(31337, block, "0x" + block, 0, head, List.of(new BlockHash(block, "0x" + block)));
  }

  private Record row(long block, long head) {
    Map<String, Object> v = new HashMap<>();
    v.put("chain_id", 31337L);
    v.put("block_number", block);
    v.put("block_hash", "0x" + block);
    v.put("tx_hash", "0xt" + block);
    v.put("log_index", 0);
    v.put("finality", OPTIONS.finalityOf(block, head).column());
    v.put("contract", "0xc");
    v.put("event_name", "E");
    v.put("args_json", "{}");
    v.put("indexed_at", OffsetDateTime.now(ZoneOffset.UTC));
    return Rows.of(events.table().schema(), v);
  }

  private List<Record> rows() {
    Table t = events.table();
    t.refresh();
    List<Record> out = new ArrayList<>();
    try (CloseableIterable<Record> it = IcebergGenerics.read(t).build()) {
      it.forEach(r -> out.add(r.copy()));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out;
  }

  private List<Long> blocks() {
    return rows().stream().map(r -> (Long) r.getField("block_number")).toList();
  }

  private Map<Long, String> finality() {
    Map<Long, String> out = new HashMap<>();
    rows().forEach(r -> out.put((Long) r.getField("block_number"), (String) r.getField("finality")));
    return out;
  }
}
