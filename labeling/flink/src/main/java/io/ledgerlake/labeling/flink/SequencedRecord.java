package io.ledgerlake.labeling.flink;

import io.ledgerlake.labeling.stage.IngestedRow;

/**
 * One {@code ingest.records} row as the source emits it, with the sequence number of the snapshot that appended it
 * (the data file's sequence number, format v2), which tells the labeling operator when a snapshot is complete.
 * Public fields and a no-argument constructor: a Flink POJO, serialized without Kryo.
 */
public final class SequencedRecord {
  public long sequenceNumber;
  public String datasetId;
  public String recordCid;
  public String recordJson;

  public SequencedRecord() {}

  public SequencedRecord(long sequenceNumber, String datasetId, String recordCid, String recordJson) {
    this.sequenceNumber = sequenceNumber;
    this.datasetId = datasetId;
    this.recordCid = recordCid;
    this.recordJson = recordJson;
  }

  public IngestedRow row() {
    return new IngestedRow(datasetId, recordCid, recordJson);
  }

  @Override
  public String toString() {
    return "SequencedRecord[" + sequenceNumber + ", " + datasetId + ", " + recordCid + "]";
  }
}
