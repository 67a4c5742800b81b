package io.ledgerlake.jobs;

import static java.util.Objects.requireNonNull;

/**
 * One input of a run, pinned: a table at a snapshot id (optionally reached through a tag, e.g. a dataset version), or
 * content by CID. There is no "latest": a job that reads the current state resolves the current snapshot id here,
 * before it runs, and reads exactly that snapshot. Immutable.
 *
 * @param snapshotId -1 only for a table that has no snapshot yet (nothing to read)
 */
public record PinnedInput(String table, long snapshotId, String tag, String cid) {
  public PinnedInput {
    if ((table == null) == (cid == null)) {
      throw new IllegalArgumentException("an input is either a table snapshot or a CID: " + table + ", " + cid);
    }
    if (table != null && snapshotId < -1) {
      throw new IllegalArgumentException("snapshot id of " + table + " must be >= -1: " + snapshotId);
    }
  }

  public static PinnedInput snapshot(String table, long snapshotId) {
    return new PinnedInput(requireNonNull(table, "table"), snapshotId, null, null);
  }

  public static PinnedInput tag(String table, String tag, long snapshotId) {
    return new PinnedInput(requireNonNull(table, "table"), snapshotId, requireNonNull(tag, "tag"), null);
  }

  /** {@code table} at its current snapshot (-1 when it has none yet): how a job pins "what is there now". */
  public static PinnedInput currentSnapshot(io.ledgerlake.lakehouse.Lakehouse lakehouse,
      io.ledgerlake.lakehouse.tables.TableDefinition table) {
    org.apache.iceberg.Table t = lakehouse.table(table);
    t.refresh();
    return snapshot(table.qualifiedName(), t.currentSnapshot() == null ? -1 : t.currentSnapshot().snapshotId());
  }

  public static PinnedInput content(String cid) {
    return new PinnedInput(null, -1, null, requireNonNull(cid, "cid"));
  }

  /** {@code ingest.records@123#ds-a-v1}, {@code label.labels@45}, {@code ipfs://bafy...}: as stored in ops.job_runs. */
  @Override
  public String toString() {
    if (cid != null) {
      return "ipfs://" + cid;
    }
    return table + "@" + snapshotId + (tag == null ? "" : "#" + tag);
  }
}
