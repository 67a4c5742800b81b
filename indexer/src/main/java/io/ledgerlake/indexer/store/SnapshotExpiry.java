package io.ledgerlake.indexer.store;

import java.time.Duration;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;

/**
 * Expires old snapshots of an indexer table. Follow mode commits at every new head, and each snapshot costs
 * metadata that every later commit and scan planning carries, so old ones are dropped on a schedule while a
 * configurable window stays queryable "as of" a time or snapshot.
 */
public final class SnapshotExpiry {
  private SnapshotExpiry() {}

  /**
   * Expires the snapshots of {@code table} older than {@code retention} (measured from {@code nowMillis}) and older
   * than {@code keepFromMillis}, keeping at least the {@code retainLast} newest ancestors of the current snapshot
   * (and always the current one). Data files only the expired snapshots referenced are deleted.
   *
   * @param keepFromMillis snapshots at or after this time are kept whatever their age (the one carrying the
   *     cursor); {@code Long.MAX_VALUE} for no such bound
   * @return how many snapshots were expired
   */
  public static int expire(Table table, Duration retention, int retainLast, long nowMillis, long keepFromMillis) {
    table.refresh();
    if (table.currentSnapshot() == null) {
      return 0;
    }
    int before = count(table);
    long olderThan = Math.min(nowMillis - retention.toMillis(), keepFromMillis);
    table.expireSnapshots().expireOlderThan(olderThan).retainLast(retainLast).commit();
    table.refresh();
    return before - count(table);
  }

  private static int count(Table table) {
    int n = 0;
    for (Snapshot ignored : table.snapshots()) {
      n++;
    }
    return n;
  }
}
