package io.ledgerlake.jobs.maintenance;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ledgerlake.common.ErrorCategory;
import io.ledgerlake.jobs.Job;
import io.ledgerlake.jobs.JobContext;
import io.ledgerlake.jobs.JobOutput;
import io.ledgerlake.jobs.JobParams;
import io.ledgerlake.jobs.JobResult;
import io.ledgerlake.jobs.PinnedInput;
import io.ledgerlake.jobs.PinnedInputs;
import io.ledgerlake.lakehouse.LakehouseException;
import io.ledgerlake.lakehouse.write.TableAppender;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.FileFormat;
import org.apache.iceberg.FileScanTask;
import org.apache.iceberg.RewriteFiles;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.StructLike;
import org.apache.iceberg.Table;
import org.apache.iceberg.TableProperties;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.data.parquet.GenericParquetReaders;
import org.apache.iceberg.io.CloseableIterable;
import org.apache.iceberg.parquet.Parquet;
import org.apache.iceberg.util.PropertyUtil;
import org.apache.iceberg.util.StructLikeWrapper;

/**
 * Table maintenance of chosen tables, without an engine: compaction of small data files, then snapshot expiry.
 *
 * <p>Compaction groups the current data files of each partition that are under three quarters of the table's target
 * file size ({@code write.target-file-size-bytes}); a partition with at least {@code minInputFiles} of them has them
 * rewritten into new files, at most {@code maxGroupBytes} of input at a time (the rows of a group are held in memory),
 * and committed as a {@code replace} snapshot validated from the snapshot read, so appends committed meanwhile (the
 * Flink writers keep running) are kept and nothing is counted twice by readers of appends. Partitions with delete
 * files are left alone. Only Parquet files are rewritten (the format every LedgerLake writer uses).
 *
 * <p>Expiry removes snapshots older than {@code expireOlderThan} beyond the newest {@code retainLast}, with the files
 * only they reference; snapshots of tags and branches (published versions) are kept by Iceberg. Runs that pinned an
 * expired snapshot can no longer be re-read at it: choose the age with that in mind.
 */
public final class TableMaintenanceJob implements Job<TableMaintenanceJob.Params, TableMaintenanceJob.Result> {
  public static final String NAME = "table-maintenance";
  public static final Duration EXPIRE_OLDER_THAN_DEFAULT = Duration.ofDays(7);
  public static final int RETAIN_LAST_DEFAULT = 10;
  public static final int MIN_INPUT_FILES_DEFAULT = 5;
  public static final long MAX_GROUP_BYTES_DEFAULT = 64L << 20;
  private static final Pattern TABLE = Pattern.compile("[a-z0-9_]+\\.[a-z0-9_]+");

  /**
   * {@code tables}: qualified names ({@code label.labels}); {@code compact}: rewrite small files;
   * {@code expireOlderThan} zero: no expiry.
   */
  public record Params(List<String> tables, boolean compact, int minInputFiles, long maxGroupBytes,
      Duration expireOlderThan, int retainLast) implements JobParams {
    public Params {
      tables = List.copyOf(tables);
      if (tables.isEmpty()) {
        throw new LakehouseException(ErrorCategory.USER_ERROR, "table-maintenance needs at least one table");
      }
      for (String t : tables) {
        if (!TABLE.matcher(t).matches()) {
          throw new LakehouseException(ErrorCategory.USER_ERROR, "bad table name '%s': expected namespace.table, e.g."
              + " label.labels", t);
        }
      }
      if (minInputFiles < 2) {
        throw new LakehouseException(ErrorCategory.USER_ERROR, "min input files must be at least 2, got %d",
            minInputFiles);
      }
      if (maxGroupBytes < 1 || retainLast < 1 || expireOlderThan.isNegative()) {
        throw new LakehouseException(ErrorCategory.USER_ERROR,
            "max group bytes and retain-last must be positive and the expiry age not negative");
      }
    }

    /** Compaction and expiry with the defaults. */
    public static Params of(List<String> tables) {
      return new Params(tables, true, MIN_INPUT_FILES_DEFAULT, MAX_GROUP_BYTES_DEFAULT, EXPIRE_OLDER_THAN_DEFAULT,
          RETAIN_LAST_DEFAULT);
    }

    @Override
    public ObjectNode toJson() {
      ObjectNode o = JsonNodeFactory.instance.objectNode();
      ArrayNode names = o.putArray("tables");
      tables.forEach(names::add);
      return o.put("compact", compact).put("min_input_files", minInputFiles).put("max_group_bytes", maxGroupBytes)
          .put("expire_older_than", expireOlderThan.toString()).put("retain_last", retainLast);
    }
  }

  /** What was done to one table. */
  public record TableOutcome(String table, int filesRewritten, int filesWritten, int snapshotsExpired,
      long snapshotId) {}

  public record Result(List<TableOutcome> tables) implements JobResult {
    public Result {
      tables = List.copyOf(tables);
    }

    @Override
    public List<JobOutput> outputs() {
      return tables.stream().filter(t -> t.filesRewritten() > 0 || t.snapshotsExpired() > 0)
          .map(t -> JobOutput.table(t.table(), t.snapshotId())).toList();
    }

    @Override
    public ObjectNode details() {
      ObjectNode o = JsonNodeFactory.instance.objectNode();
      ObjectNode byTable = o.putObject("tables");
      for (TableOutcome t : tables) {
        byTable.putObject(t.table()).put("files_rewritten", t.filesRewritten()).put("files_written", t.filesWritten())
            .put("snapshots_expired", t.snapshotsExpired());
      }
      return o;
    }
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public PinnedInputs inputs(Params params, JobContext context) {
    List<PinnedInput> pinned = new ArrayList<>();
    for (String name : params.tables()) {
      Snapshot s = table(context, name).currentSnapshot();
      pinned.add(PinnedInput.snapshot(name, s == null ? -1 : s.snapshotId()));
    }
    return PinnedInputs.of(pinned.toArray(PinnedInput[]::new));
  }

  @Override
  public Result run(Params params, PinnedInputs inputs, JobContext context) {
    List<TableOutcome> out = new ArrayList<>();
    for (String name : params.tables()) {
      Table table = table(context, name);
      int[] compacted = params.compact() ? compact(table, params) : new int[2];
      int expired = 0;
      if (!params.expireOlderThan().isZero()) {
        table.refresh();
        int before = size(table.snapshots());
        table.expireSnapshots()
            .expireOlderThan(context.clock().millis() - params.expireOlderThan().toMillis())
            .retainLast(params.retainLast()).commit();
        table.refresh();
        expired = before - size(table.snapshots());
      }
      table.refresh();
      long snapshot = table.currentSnapshot() == null ? -1 : table.currentSnapshot().snapshotId();
      context.progress().printf("%s: %d small file(s) rewritten into %d, %d snapshot(s) expired%n", name,
          compacted[0], compacted[1], expired);
      out.add(new TableOutcome(name, compacted[0], compacted[1], expired, snapshot));
    }
    return new Result(out);
  }

  /** Rewrites the small files of each partition that has enough of them; returns {files rewritten, written}. */
  static int[] compact(Table table, Params params) {
    table.refresh();
    Snapshot start = table.currentSnapshot();
    if (start == null) {
      return new int[2];
    }
    long target = PropertyUtil.propertyAsLong(table.properties(), TableProperties.WRITE_TARGET_FILE_SIZE_BYTES,
        TableProperties.WRITE_TARGET_FILE_SIZE_BYTES_DEFAULT);
    Map<StructLikeWrapper, List<DataFile>> small = new LinkedHashMap<>();
    java.util.Set<StructLikeWrapper> withDeletes = new java.util.HashSet<>();
    try (CloseableIterable<FileScanTask> tasks = table.newScan().useSnapshot(start.snapshotId()).planFiles()) {
      for (FileScanTask task : tasks) {
        DataFile f = task.file();
        StructLikeWrapper key = partitionKey(table, f);
        if (!task.deletes().isEmpty()) {
          withDeletes.add(key);
        }
        if (f.format() == FileFormat.PARQUET && f.fileSizeInBytes() < target * 3 / 4
            && f.specId() == table.spec().specId()) {
          small.computeIfAbsent(key, k -> new ArrayList<>()).add(f);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    int rewritten = 0;
    int written = 0;
    for (var e : small.entrySet()) {
      if (withDeletes.contains(e.getKey()) || e.getValue().size() < params.minInputFiles()) {
        continue;
      }
      for (List<DataFile> group : groups(e.getValue(), params.maxGroupBytes())) {
        if (group.size() < 2) {
          continue;
        }
        List<DataFile> added = rewrite(table, start, group);
        rewritten += group.size();
        written += added.size();
      }
    }
    return new int[] {rewritten, written};
  }

  private static StructLikeWrapper partitionKey(Table table, DataFile f) {
    StructLike partition = f.partition();
    return StructLikeWrapper.forType(table.specs().get(f.specId()).partitionType()).copyFor(partition);
  }

  private static List<List<DataFile>> groups(List<DataFile> files, long maxBytes) {
    List<List<DataFile>> out = new ArrayList<>();
    List<DataFile> current = new ArrayList<>();
    long bytes = 0;
    for (DataFile f : files) {
      if (!current.isEmpty() && bytes + f.fileSizeInBytes() > maxBytes) {
        out.add(current);
        current = new ArrayList<>();
        bytes = 0;
      }
      current.add(f);
      bytes += f.fileSizeInBytes();
    }
    if (!current.isEmpty()) {
      out.add(current);
    }
    return out;
  }

  private static List<DataFile> rewrite(Table table, Snapshot start, List<DataFile> group) {
    List<Record> rows = new ArrayList<>();
    for (DataFile f : group) {
      try (CloseableIterable<Record> read = Parquet.read(table.io().newInputFile(f.location()))
          .project(table.schema())
          .createReaderFunc(fileSchema -> GenericParquetReaders.buildReader(table.schema(), fileSchema))
          .build()) {
        read.forEach(rows::add);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    List<DataFile> added = TableAppender.writeFiles(table, rows);
    try {
      RewriteFiles rewrite = table.newRewrite().validateFromSnapshot(start.snapshotId())
          .dataSequenceNumber(start.sequenceNumber());
      group.forEach(rewrite::deleteFile);
      added.forEach(rewrite::addFile);
      rewrite.commit();
    } catch (RuntimeException e) {
      TableAppender.discard(table, added);
      throw e;
    }
    return added;
  }

  private static Table table(JobContext context, String name) {
    return context.lakehouse().table(TableIdentifier.parse(name)); // an unknown table is a USER_ERROR naming it
  }

  private static int size(Iterable<Snapshot> snapshots) {
    int n = 0;
    for (Snapshot ignored : snapshots) {
      n++;
    }
    return n;
  }
}
