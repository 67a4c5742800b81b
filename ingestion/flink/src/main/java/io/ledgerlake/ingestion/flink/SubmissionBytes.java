package io.ledgerlake.ingestion.flink;

import java.util.Arrays;

/**
 * A submission event as it crosses Flink operators: the dataset id (the key) and the event's
 * versioned serialized form. Kept as bytes so Flink's POJO serializer handles it and the event
 * format stays owned by {@link io.ledgerlake.ingestion.event.SubmissionEventSerializer}.
 */
public class SubmissionBytes {
  public String datasetId;
  public byte[] event;

  public SubmissionBytes() {}

  public SubmissionBytes(String datasetId, byte[] event) {
    this.datasetId = datasetId;
    this.event = event;
  }

  @Override
  public String toString() {
    return "SubmissionBytes{" + datasetId + ", " + (event == null ? 0 : event.length) + " bytes}";
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof SubmissionBytes s && java.util.Objects.equals(datasetId, s.datasetId) && Arrays.equals(event, s.event);
  }

  @Override
  public int hashCode() {
    return 31 * java.util.Objects.hashCode(datasetId) + Arrays.hashCode(event);
  }
}
