package io.ledgerlake.ingestion.kafka;

import static java.util.Objects.requireNonNull;

/** Where an acknowledged submission event sits in the log. */
public record LogPosition(String topic, int partition, long offset) {
  public LogPosition {
    requireNonNull(topic, "topic");
  }

  @Override
  public String toString() {
    return topic + "-" + partition + "@" + offset;
  }
}
