package io.ledgerlake.labeling.flink;

import io.ledgerlake.labeling.stage.IngestedRow;

/**
 * One {@code ingest.records} row as the source emits it, with the data file it was read from, which tells the
 * labeling operator which snapshot appended it (the source itself does not say, and the sequence numbers are not
 * carried in its splits). Public fields and a no-argument constructor: a Flink POJO, serialized without Kryo.
 */
public final class FileRecord {
  public String dataFile;
  public String datasetId;
  public String recordCid;
  public String recordJson;

  public FileRecord() {}

  public FileRecord(String dataFile, String datasetId, String recordCid, String recordJson) {
    this.dataFile = dataFile;
    this.datasetId = datasetId;
    this.recordCid = recordCid;
    this.recordJson = recordJson;
  }

  public IngestedRow row() {
    return new IngestedRow(datasetId, recordCid, recordJson);
  }

  @Override
  public String toString() {
    return "FileRecord[" + dataFile + ", " + datasetId + ", " + recordCid + "]";
  }
}
