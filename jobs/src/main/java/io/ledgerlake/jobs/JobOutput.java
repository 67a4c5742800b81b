package io.ledgerlake.jobs;

import static java.util.Objects.requireNonNull;

/** One thing a run wrote: a table snapshot, or content in the content store. Immutable. */
public record JobOutput(String table, long snapshotId, String cid) {
  public JobOutput {
    if ((table == null) == (cid == null)) {
      throw new IllegalArgumentException("an output is either a table snapshot or a CID: " + table + ", " + cid);
    }
  }

  public static JobOutput table(String table, long snapshotId) {
    return new JobOutput(requireNonNull(table, "table"), snapshotId, null);
  }

  public static JobOutput content(String cid) {
    return new JobOutput(null, -1, requireNonNull(cid, "cid"));
  }

  /** {@code ingest.records@123} or {@code ipfs://bafy...}: the form stored in {@code ops.job_runs.outputs}. */
  @Override
  public String toString() {
    return table != null ? table + "@" + snapshotId : "ipfs://" + cid;
  }
}
