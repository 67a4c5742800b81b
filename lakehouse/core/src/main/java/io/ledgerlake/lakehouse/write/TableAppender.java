package io.ledgerlake.lakehouse.write;

import static java.util.Objects.requireNonNull;

import io.ledgerlake.common.ErrorCategory;
import io.ledgerlake.lakehouse.LakehouseException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import org.apache.iceberg.AppendFiles;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.FileFormat;
import org.apache.iceberg.OverwriteFiles;
import org.apache.iceberg.PartitionKey;
import org.apache.iceberg.SnapshotUpdate;
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
    List<DataFile> written = write(table, rows);
    AppendFiles append = table.newAppend();
    written.forEach(append::appendFile);
    summary.forEach(append::set);
    return commit(table, append, written);
  }

  /**
   * Atomically replaces {@code remove} (data files of the table) by files holding {@code rows}, with extra
   * snapshot-summary properties, for writers that rewrite part of a table (rollbacks, refreshed columns).
   *
   * @param expectedSnapshotId the snapshot the caller read {@code remove} from; the commit fails with a {@link
   *     LakehouseException} if another writer committed since (null for an empty table)
   * @return the id of the new snapshot
   */
  public static long replace(
      Table table,
      Collection<DataFile> remove,
      Iterable<Record> rows,
      Map<String, String> summary,
      Long expectedSnapshotId) {
    return replace(table, remove, List.of(rows), summary, expectedSnapshotId);
  }

  /**
   * {@link #replace(Table, Collection, Iterable, Map, Long)} writing each group of rows to its own files, so a
   * writer can keep rows it will rewrite soon apart from rows it never touches again.
   */
  public static long replace(
      Table table,
      Collection<DataFile> remove,
      List<? extends Iterable<Record>> rowGroups,
      Map<String, String> summary,
      Long expectedSnapshotId) {
    requireNonNull(table, "table");
    requireNonNull(remove, "remove");
    requireNonNull(rowGroups, "rowGroups");
    requireNonNull(summary, "summary");
    checkUnchanged(table, expectedSnapshotId);
    List<DataFile> written = new ArrayList<>();
    for (Iterable<Record> group : rowGroups) {
      written.addAll(write(table, group));
    }
    return commitReplace(table, remove, written, summary, expectedSnapshotId);
  }

  /**
   * Writes {@code rows} to new data files of {@code table} without committing them, for writers that write while
   * they read more input and commit everything at once ({@link #replaceWithFiles}). Files never committed must be
   * removed with {@link #discard}.
   */
  public static List<DataFile> writeFiles(Table table, Iterable<Record> rows) {
    requireNonNull(table, "table");
    requireNonNull(rows, "rows");
    return write(table, rows);
  }

  /**
   * {@link #replace(Table, Collection, List, Map, Long)} for rows already written by {@link #writeFiles}: commits
   * {@code written} in place of {@code remove} (the written files are deleted if the commit fails).
   */
  public static long replaceWithFiles(
      Table table,
      Collection<DataFile> remove,
      List<DataFile> written,
      Map<String, String> summary,
      Long expectedSnapshotId) {
    requireNonNull(table, "table");
    requireNonNull(remove, "remove");
    requireNonNull(written, "written");
    requireNonNull(summary, "summary");
    try {
      checkUnchanged(table, expectedSnapshotId);
    } catch (LakehouseException e) {
      discard(table, written);
      throw e;
    }
    return commitReplace(table, remove, written, summary, expectedSnapshotId);
  }

  private static void checkUnchanged(Table table, Long expectedSnapshotId) {
    table.refresh();
    Long current = table.currentSnapshot() == null ? null : table.currentSnapshot().snapshotId();
    if (!Objects.equals(current, expectedSnapshotId)) {
      throw new LakehouseException(
          ErrorCategory.EXTERNAL,
          "%s changed while it was being rewritten (snapshot %s, expected %s): another writer is running; "
              + "run one writer at a time and retry",
          table.name(),
          current,
          expectedSnapshotId);
    }
  }

  /** Deletes data files written by {@link #writeFiles} that will not be committed. */
  public static void discard(Table table, Collection<DataFile> written) {
    written.forEach(f -> table.io().deleteFile(f.location()));
  }

  private static long commitReplace(
      Table table,
      Collection<DataFile> remove,
      List<DataFile> written,
      Map<String, String> summary,
      Long expectedSnapshotId) {
    OverwriteFiles overwrite = table.newOverwrite();
    if (expectedSnapshotId != null) {
      // Fails the commit instead of silently rebasing it onto a concurrent writer's files.
      overwrite.validateFromSnapshot(expectedSnapshotId).validateNoConflictingData().validateNoConflictingDeletes();
    }
    remove.forEach(overwrite::deleteFile);
    written.forEach(overwrite::addFile);
    summary.forEach(overwrite::set);
    return commit(table, overwrite, written);
  }

  private static List<DataFile> write(Table table, Iterable<Record> rows) {
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
    try {
      try {
        for (Record row : rows) {
          key.partition(wrapper.wrap(row));
          writer.write(row, table.spec(), key.copy());
        }
      } finally {
        writer.close();
      }
      DataWriteResult result = writer.result();
      return result.dataFiles();
    } catch (IOException | RuntimeException e) {
      abort(table, writer);
      throw new LakehouseException(
          e instanceof IOException ? ErrorCategory.EXTERNAL : ErrorCategory.USER_ERROR,
          e,
          "writing rows to %s failed, nothing was committed: %s",
          table.name(),
          e.getMessage());
    }
  }

  private static long commit(Table table, SnapshotUpdate<?> update, List<DataFile> written) {
    try {
      update.commit();
    } catch (org.apache.iceberg.exceptions.CommitStateUnknownException e) {
      // Unknown outcome: the files may be referenced by a committed snapshot, so keep them.
      throw e;
    } catch (RuntimeException e) {
      written.forEach(f -> table.io().deleteFile(f.location()));
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
