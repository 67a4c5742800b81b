package io.ledgerlake.ingestion.kafka;

import io.ledgerlake.ingestion.event.SubmissionEvent;
import io.ledgerlake.ingestion.event.SubmissionEventSerializer;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Reads submission events back: a consumer-group consumer for simple processors and tools (the Flink job uses its own
 * KafkaSource with {@link SubmissionEventSerializer} as the deserializer). Only committed (read_committed) events.
 */
public final class SubmissionLogReader implements AutoCloseable {
  /** One event with its log position. */
  public record Entry(LogPosition position, SubmissionEvent event) {}

  private final KafkaConsumer<byte[], byte[]> consumer;

  public SubmissionLogReader(String bootstrapServers, String topic, String groupId) {
    consumer = new KafkaConsumer<>(Map.of(
        ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
        ConsumerConfig.GROUP_ID_CONFIG, groupId,
        ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
        ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
        ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"),
        new ByteArrayDeserializer(), new ByteArrayDeserializer());
    consumer.subscribe(Set.of(topic));
  }

  /** Polls once. */
  public List<Entry> poll(Duration timeout) {
    List<Entry> out = new ArrayList<>();
    for (ConsumerRecord<byte[], byte[]> r : consumer.poll(timeout)) {
      out.add(new Entry(new LogPosition(r.topic(), r.partition(), r.offset()),
          SubmissionEventSerializer.deserialize(r.value())));
    }
    return out;
  }

  /** Polls until {@code count} events arrived or the deadline passed. */
  public List<Entry> pollUntil(int count, Duration timeout) {
    List<Entry> out = new ArrayList<>();
    Instant deadline = Instant.now().plus(timeout);
    while (out.size() < count && Instant.now().isBefore(deadline)) {
      out.addAll(poll(Duration.ofMillis(200)));
    }
    return out;
  }

  /** Marks everything returned so far as processed for this group. */
  public void commit() {
    consumer.commitSync();
  }

  public Set<TopicPartition> assignment() {
    return consumer.assignment();
  }

  @Override
  public void close() {
    consumer.close(Duration.ofSeconds(5));
  }
}
