package io.ledgerlake.ingestion.kafka;

import io.ledgerlake.ingestion.IngestionOptions;
import io.ledgerlake.ingestion.event.SubmissionEvent;
import io.ledgerlake.ingestion.event.SubmissionEventSerializer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Appends {@link SubmissionEvent}s to the submission topic. {@link #append} returns only after the broker acknowledged
 * the write to all in-sync replicas (acks=all); idempotence keeps producer retries from writing duplicates. Events are
 * keyed by dataset id so one dataset's submissions stay in order on one partition.
 */
public final class SubmissionLog implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(SubmissionLog.class);

  private final KafkaProducer<byte[], byte[]> producer;
  private final String topic;
  private final Duration sendTimeout;

  private SubmissionLog(KafkaProducer<byte[], byte[]> producer, String topic, Duration sendTimeout) {
    this.producer = producer;
    this.topic = topic;
    this.sendTimeout = sendTimeout;
  }

  /** Connects to the brokers named by bootstrap servers (production: an external cluster). */
  public static SubmissionLog connect(String bootstrapServers, IngestionOptions options) {
    Duration timeout = options.getDuration(IngestionOptions.KAFKA_SEND_TIMEOUT);
    Map<String, Object> config = Map.of(
        ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
        ProducerConfig.ACKS_CONFIG, "all",
        ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
        ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 5,
        ProducerConfig.LINGER_MS_CONFIG, 0,
        // delivery.timeout must cover request timeout + linger; the send wait below adds a small margin.
        ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) Math.min(timeout.toMillis(), 30_000),
        ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, (int) Math.max(timeout.toMillis(), 30_000),
        ProducerConfig.MAX_BLOCK_MS_CONFIG, timeout.toMillis(),
        ProducerConfig.CLIENT_ID_CONFIG, "ledgerlake-submission-log");
    KafkaProducer<byte[], byte[]> producer =
        new KafkaProducer<>(config, new ByteArraySerializer(), new ByteArraySerializer());
    return new SubmissionLog(producer, options.getString(IngestionOptions.KAFKA_TOPIC), timeout);
  }

  /**
   * Creates the submission topic if missing.
   *
   * @param replicationFactor empty for the broker default
   * @param topicConfig e.g. {@code flush.messages=1} to fsync every event on a single-node broker
   */
  public static void ensureTopic(String bootstrapServers, String topic, int partitions,
      Optional<Short> replicationFactor, Map<String, String> topicConfig) {
    try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers))) {
      NewTopic newTopic = new NewTopic(topic, Optional.of(partitions), replicationFactor).configs(topicConfig);
      admin.createTopics(List.of(newTopic)).all().get(60, TimeUnit.SECONDS);
      LOG.info("Created submission topic {} with {} partitions", topic, partitions);
    } catch (ExecutionException e) {
      if (!(e.getCause() instanceof TopicExistsException)) {
        throw new SubmissionLogException("Cannot create the submission topic " + topic + " on " + bootstrapServers
            + ": " + e.getCause().getMessage(), e.getCause());
      }
    } catch (TimeoutException e) {
      throw new SubmissionLogException("Creating the submission topic " + topic + " on " + bootstrapServers
          + " timed out; check that the brokers are reachable", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new SubmissionLogException("Interrupted while creating topic " + topic, e);
    }
  }

  /**
   * Appends one event and waits for the acknowledgement.
   *
   * @throws SubmissionLogException if the broker did not acknowledge within the send timeout; the event may or may
   *     not have been written (the ingestion job drops duplicate records, so a retry is safe)
   */
  public LogPosition append(SubmissionEvent event) {
    ProducerRecord<byte[], byte[]> record = new ProducerRecord<>(topic,
        event.datasetId().getBytes(StandardCharsets.UTF_8), SubmissionEventSerializer.serialize(event));
    try {
      RecordMetadata metadata = producer.send(record).get(sendTimeout.toMillis() + 5_000, TimeUnit.MILLISECONDS);
      LogPosition position = new LogPosition(metadata.topic(), metadata.partition(), metadata.offset());
      LOG.info("Appended submission {} of dataset {} at {}", event.submissionId(), event.datasetId(), position);
      return position;
    } catch (ExecutionException e) {
      throw new SubmissionLogException("Submission log did not accept submission " + event.submissionId() + ": "
          + e.getCause().getMessage() + "; retry the upload", e.getCause());
    } catch (TimeoutException e) {
      throw new SubmissionLogException("Submission log did not acknowledge submission " + event.submissionId()
          + " within " + sendTimeout + "; retry the upload", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new SubmissionLogException("Interrupted while appending submission " + event.submissionId(), e);
    }
  }

  public String topic() {
    return topic;
  }

  @Override
  public void close() {
    producer.close(Duration.ofSeconds(10));
  }
}
