package io.ledgerlake.lakehouse.write;

import static java.util.Objects.requireNonNull;

import io.ledgerlake.lakehouse.LakehouseException;
import io.ledgerlake.lakehouse.LakehouseException.Category;
import java.io.IOException;
import java.util.Map;
import java.util.UUID;
import org.apache.iceberg.AppendFiles;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.FileFormat;
import org.apache.iceberg.PartitionKey;
import org.apache.iceberg.Table;
import org.apache.iceberg.data.GenericFileWriterFactory;
import org.apache.iceberg.data.InternalRecordWrapper;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.io.DataWriteResult;
import org.apache.iceberg.io.FanoutDataWriter;
import org.apache.iceberg.io.OutputFileFactory;

/**
 * Appends generic records to a table as Parquet in one atomic commit: either every row becomes
 * visible in a new snapshot, or none does (files written before a failure are deleted).
 *
 * <p>For batch writers in plain Java (the demo, the indexer, tests). Streaming writes go through
 * the engines' Iceberg sinks instead.
 */
public final class TableAppender {
  private static final long TARGET_FILE_SIZE = 128L * 1024 * 1024;

  private TableAppender() {}

  /**
   * Writes {@code rows} and commits them.
   *
   * @param summary extra snapshot-summary properties committed atomically with the rows (for
   *     example an indexer cursor)
   * @return the id of the new snapshot
   */
  public static long append(Table table, Iterable<Record> rows, Map<String, String> summary) {
    requireNonNull(table, "table");
    requireNonNull(rows, "rows");
    requireNonNull(summary, "summary");
    GenericFileWriterFactory factory =
        new GenericFileWriterFactory.Builder(table)
            .dataFileFormat(FileFormat.PARQUET)
            .dataSchema(table.schema())
            .build();
    OutputFileFactory files =
        OutputFileFactory.builderFor(table, 1, System.nanoTime())
            .format(FileFormat.PARQUET)
            .operationId(UUID.randomUUID().toString())
            .build();
    PartitionKey key = new PartitionKey(table.spec(), table.schema());
    // Partition transforms need Iceberg's internal representation (e.g. micros for timestamps).
    InternalRecordWrapper wrapper = new InternalRecordWrapper(table.schema().asStruct());
    FanoutDataWriter<Record> writer =
        new FanoutDataWriter<>(factory, files, table.io(), TARGET_FILE_SIZE);
    DataWriteResult result;
    try {
      try {
        for (Record row : rows) {
          key.partition(wrapper.wrap(row));
          writer.write(row, table.spec(), key.copy());
        }
      } finally {
        writer.close();
      }
      result = writer.result();
    } catch (IOException | RuntimeException e) {
      abort(table, writer);
      throw new LakehouseException(
          e instanceof IOException ? Category.EXTERNAL : Category.USER_ERROR,
          e,
          "writing rows to %s failed, nothing was committed: %s",
          table.name(),
          e.getMessage());
    }
    AppendFiles append = table.newAppend();
    for (DataFile file : result.dataFiles()) {
      append.appendFile(file);
    }
    summary.forEach(append::set);
    try {
      append.commit();
    } catch (org.apache.iceberg.exceptions.CommitStateUnknownException e) {
      // Unknown outcome: the files may be referenced by a committed snapshot, so keep them.
      throw e;
    } catch (RuntimeException e) {
      result.dataFiles().forEach(f -> table.io().deleteFile(f.location()));
      throw e;
    }
    table.refresh();
    return table.currentSnapshot().snapshotId();
  }

  public static long append(Table table, Iterable<Record> rows) {
    return append(table, rows, Map.of());
  }

  private static void abort(Table table, FanoutDataWriter<Record> writer) {
    try {
      writer.result().dataFiles().forEach(f -> table.io().deleteFile(f.location()));
    } catch (RuntimeException ignored) {
      // result() fails if the writer never closed cleanly; nothing committed either way
    }
  }
}
