package io.ledgerlake.indexer.store;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.FileScanTask;
import org.apache.iceberg.Table;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.data.parquet.GenericParquetReaders;
import org.apache.iceberg.expressions.Expression;
import org.apache.iceberg.io.CloseableIterable;
import org.apache.iceberg.parquet.Parquet;

/** Reads whole data files of a table, for rewrites that must keep a file's other rows (chain.events, projections). */
public final class TableFiles {
  private TableFiles() {}

  /** The data files of the current snapshot that may hold rows matching {@code filter}. */
  public static List<DataFile> filesMatching(Table table, Expression filter) {
    List<DataFile> out = new ArrayList<>();
    if (table.currentSnapshot() == null) {
      return out;
    }
    try (CloseableIterable<FileScanTask> tasks = table.newScan().filter(filter).planFiles()) {
      for (FileScanTask t : tasks) {
        if (!t.deletes().isEmpty()) {
          // The indexer never writes delete files; someone else did (e.g. a SQL DELETE): refuse to guess.
          throw new IllegalStateException(table.name() + " has delete files; compact it before indexing");
        }
        out.add(t.file());
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out;
  }

  /** Every row of {@code file}, in the table's current schema. */
  public static List<Record> read(Table table, DataFile file) {
    List<Record> out = new ArrayList<>();
    try (CloseableIterable<Record> rows = Parquet.read(table.io().newInputFile(file.location()))
        .project(table.schema())
        .createReaderFunc(fileSchema -> GenericParquetReaders.buildReader(table.schema(), fileSchema))
        .build()) {
      for (Record r : rows) {
        out.add(r.copy());
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out;
  }
}
