package io.ledgerlake.lakehouse.tables;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.Optional;
import java.util.OptionalLong;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.SnapshotSummary;
import org.apache.iceberg.Table;

/**
 * What {@code ledgerlake tables} shows for one table.
 *
 * @param rows total records in the current snapshot (0 for an empty table)
 */
public record TableStatus(
    String name, boolean exists, long rows, OptionalLong snapshotId, Optional<Instant> lastCommit) {

  public TableStatus {
    requireNonNull(name, "name");
    requireNonNull(snapshotId, "snapshotId");
    requireNonNull(lastCommit, "lastCommit");
  }

  public static TableStatus of(String name, Table table) {
    Snapshot current = table.currentSnapshot();
    if (current == null) {
      return new TableStatus(name, true, 0, OptionalLong.empty(), Optional.empty());
    }
    String total = current.summary().get(SnapshotSummary.TOTAL_RECORDS_PROP);
    long rows = total == null ? -1 : Long.parseLong(total);
    return new TableStatus(
        name,
        true,
        rows,
        OptionalLong.of(current.snapshotId()),
        Optional.of(Instant.ofEpochMilli(current.timestampMillis())));
  }

  public static TableStatus missing(String name) {
    return new TableStatus(name, false, 0, OptionalLong.empty(), Optional.empty());
  }
}
