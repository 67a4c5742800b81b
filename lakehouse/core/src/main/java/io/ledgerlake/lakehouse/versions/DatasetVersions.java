package io.ledgerlake.lakehouse.versions;

import static java.util.Objects.requireNonNull;

import io.ledgerlake.common.ErrorCategory;
import io.ledgerlake.lakehouse.LakehouseException;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.SnapshotRef;
import org.apache.iceberg.Table;
import org.apache.iceberg.data.IcebergGenerics;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.expressions.Expression;
import org.apache.iceberg.expressions.Expressions;
import org.apache.iceberg.io.CloseableIterable;

/**
 * Dataset versions are Iceberg tags on snapshots: a tag pins the exact files of a snapshot, so a
 * published version reads back byte for byte however the table changes later (time travel), and
 * Spark reads it with {@code VERSION AS OF '<tag>'}.
 *
 * <p>Tag names are {@code <datasetId>-v<n>}; they are never moved or deleted once created,
 * because on-chain commitments point at them.
 */
public final class DatasetVersions {
  private static final Pattern SAFE = Pattern.compile("[A-Za-z0-9_.-]{1,128}");

  private final Table table;

  public DatasetVersions(Table table) {
    this.table = requireNonNull(table, "table");
  }

  /** The tag name of version {@code version} of {@code datasetId}. */
  public static String tagName(String datasetId, int version) {
    if (!SAFE.matcher(datasetId).matches()) {
      throw new LakehouseException(
          ErrorCategory.USER_ERROR,
          "dataset id '%s' cannot name a version tag; use letters, digits, '.', '_' or '-'",
          datasetId);
    }
    if (version < 1) {
      throw new LakehouseException(ErrorCategory.USER_ERROR, "version must be >= 1, got %s", version);
    }
    return datasetId + "-v" + version;
  }

  /**
   * Tags the table's current snapshot as {@code tag}.
   *
   * @return the tagged snapshot id
   * @throws LakehouseException if the table is empty or the tag already exists
   */
  public long tagCurrent(String tag) {
    table.refresh();
    Snapshot current = table.currentSnapshot();
    if (current == null) {
      throw new LakehouseException(
          ErrorCategory.USER_ERROR, "table %s has no data yet; nothing to tag as %s", table.name(), tag);
    }
    return tag(tag, current.snapshotId());
  }

  /** Tags snapshot {@code snapshotId}; tags are immutable, so an existing name is an error. */
  public long tag(String tag, long snapshotId) {
    if (table.refs().containsKey(tag)) {
      throw new LakehouseException(
          ErrorCategory.USER_ERROR,
          "tag %s already exists on %s (snapshot %s); versions are immutable, choose the next version number",
          tag,
          table.name(),
          table.refs().get(tag).snapshotId());
    }
    table.manageSnapshots().createTag(tag, snapshotId).commit();
    return snapshotId;
  }

  /** Snapshot id a tag points at. */
  public long snapshotOf(String tag) {
    table.refresh();
    SnapshotRef ref = table.refs().get(tag);
    if (ref == null || !ref.isTag()) {
      throw new LakehouseException(
          ErrorCategory.USER_ERROR,
          "no version tag %s on %s; list versions with 'ledgerlake tables' or check the name",
          tag,
          table.name());
    }
    return ref.snapshotId();
  }

  /** Every tag on the table with its snapshot id. */
  public Map<String, Long> tags() {
    table.refresh();
    Map<String, Long> out = new java.util.TreeMap<>();
    table.refs().forEach((name, ref) -> {
      if (ref.isTag()) {
        out.put(name, ref.snapshotId());
      }
    });
    return out;
  }

  /** Reads the rows of a tagged version, optionally filtered (e.g. by dataset id). */
  public List<Record> read(String tag, Expression filter) {
    long snapshotId = snapshotOf(tag);
    try (CloseableIterable<Record> rows =
        IcebergGenerics.read(table).useSnapshot(snapshotId).where(filter).build()) {
      List<Record> out = new java.util.ArrayList<>();
      rows.forEach(out::add);
      return out;
    } catch (java.io.IOException e) {
      throw new LakehouseException(
          ErrorCategory.EXTERNAL, e, "reading %s at tag %s failed: %s", table.name(), tag, e.getMessage());
    }
  }

  public List<Record> read(String tag) {
    return read(tag, Expressions.alwaysTrue());
  }
}
