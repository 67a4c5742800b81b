package io.ledgerlake.labeling.stage;

import static java.util.Objects.requireNonNull;

import java.io.Serializable;
import java.util.Comparator;

/**
 * The columns of one {@code ingest.records} row the labeling stage reads. {@link #ORDER} is the order records of one
 * ingestion snapshot are labeled in, by the batch stage and the Flink job alike: file order within a snapshot is not
 * defined, and "first seen" (the canonical copy of a duplicate) must not depend on it.
 */
public record IngestedRow(String datasetId, String recordCid, String recordJson) implements Serializable {
  public static final Comparator<IngestedRow> ORDER =
      Comparator.comparing(IngestedRow::datasetId).thenComparing(IngestedRow::recordCid);

  public IngestedRow {
    requireNonNull(datasetId, "datasetId");
    requireNonNull(recordCid, "recordCid");
    requireNonNull(recordJson, "recordJson");
  }
}
