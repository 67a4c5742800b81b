package io.ledgerlake.lakehouse.lineage;

import static java.util.Objects.requireNonNull;

import io.ledgerlake.common.ErrorCategory;
import io.ledgerlake.lakehouse.Lakehouse;
import io.ledgerlake.lakehouse.LakehouseException;
import io.ledgerlake.lakehouse.tables.TableModel;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.UUID;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;
import org.apache.iceberg.data.IcebergGenerics;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.io.CloseableIterable;
import org.apache.iceberg.util.SnapshotUtil;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns each commit to {@code ingest.records} into an OpenLineage run event: inputs are the CIDs of
 * the uploads whose records the commit added, the output is {@code ingest.records@<snapshot>}.
 *
 * <p>It follows the table's snapshots after the fact instead of hooking into the writers, so
 * every writer (the Flink job, batch loads, the demo) gets lineage the same way. Its cursor (the
 * last snapshot turned into an event) is committed in the same Iceberg commit as the events, so a
 * crash between the two cannot drop or repeat an event; the run id is derived from the snapshot id,
 * so the same commit always gets the same run.
 */
public final class IngestionLineage {
  private static final Logger LOG = LoggerFactory.getLogger(IngestionLineage.class);

  /** Snapshot-summary key on {@code lineage.events} holding the last processed records snapshot. */
  public static final String CURSOR = "ledgerlake.lineage.ingest-records.last-snapshot";

  public static final String JOB_NAME = "ingest";

  private final Lakehouse lakehouse;

  public IngestionLineage(Lakehouse lakehouse) {
    this.lakehouse = requireNonNull(lakehouse, "lakehouse");
  }

  /**
   * Emits events for every {@code ingest.records} snapshot after the cursor.
   *
   * @return how many events were written
   */
  public int catchUp() {
    Table records = lakehouse.table(TableModel.INGEST_RECORDS);
    records.refresh();
    Snapshot current = records.currentSnapshot();
    if (current == null) {
      return 0;
    }
    Optional<Long> cursor = cursor();
    List<Snapshot> pending = new ArrayList<>();
    for (Snapshot s : SnapshotUtil.ancestorsOf(current.snapshotId(), records::snapshot)) {
      if (cursor.isPresent() && s.snapshotId() == cursor.get()) {
        break;
      }
      pending.add(0, s);
    }
    List<LineageEvents.Run> runs = new ArrayList<>();
    for (Snapshot s : pending) {
      if (!"append".equals(s.operation())) {
        continue;
      }
      runs.add(runFor(records, s));
    }
    LineageEvents.record(lakehouse, runs, Map.of(CURSOR, Long.toString(current.snapshotId())));
    if (!runs.isEmpty()) {
      LOG.info("Recorded lineage for {} ingest.records commit(s) up to snapshot {}", runs.size(), current.snapshotId());
    }
    return runs.size();
  }

  /** The last records snapshot already turned into lineage, from {@code lineage.events}' history. */
  Optional<Long> cursor() {
    Table events = lakehouse.table(TableModel.LINEAGE_EVENTS);
    events.refresh();
    if (events.currentSnapshot() == null) {
      return Optional.empty();
    }
    for (Snapshot s : SnapshotUtil.ancestorsOf(events.currentSnapshot().snapshotId(), events::snapshot)) {
      String v = s.summary().get(CURSOR);
      if (v != null) {
        return Optional.of(Long.parseLong(v));
      }
    }
    return Optional.empty();
  }

  private static LineageEvents.Run runFor(Table records, Snapshot s) {
    TreeSet<String> inputs = new TreeSet<>();
    IcebergGenerics.ScanBuilder read = IcebergGenerics.read(records).select("content_cid");
    // Only the rows this snapshot appended: the whole table for the first snapshot.
    read = s.parentId() == null ? read.useSnapshot(s.snapshotId()) : read.appendsBetween(s.parentId(), s.snapshotId());
    try (CloseableIterable<Record> rows = read.build()) {
      rows.forEach(r -> inputs.add((String) r.getField("content_cid")));
    } catch (IOException e) {
      throw new LakehouseException(ErrorCategory.EXTERNAL, e, "reading snapshot %s of %s failed: %s", s.snapshotId(), records.name(), e.getMessage());
    }
    UUID runId = UUID.nameUUIDFromBytes((records.name() + "@" + s.snapshotId()).getBytes(StandardCharsets.UTF_8));
    return new LineageEvents.Run(
        runId,
        JOB_NAME,
        ZonedDateTime.ofInstant(Instant.ofEpochMilli(s.timestampMillis()), ZoneOffset.UTC),
        List.copyOf(inputs),
        List.of(new LineageEvents.TableOutput(TableModel.INGEST_RECORDS.qualifiedName(), s.snapshotId())),
        Map.of());
  }
}
