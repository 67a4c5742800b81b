package io.ledgerlake.ingestion.server;

import io.ledgerlake.ingestion.IngestionOptions;
import io.ledgerlake.ingestion.content.ContentSink;
import io.ledgerlake.ingestion.content.ContentSource;
import io.ledgerlake.ingestion.kafka.EmbeddedKafkaBroker;
import io.ledgerlake.ingestion.kafka.SubmissionLog;
import io.ledgerlake.ingestion.status.SubmissionStatusSource;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What {@code ledgerlake up} starts for ingestion: the submission log (an embedded KRaft broker under
 * {@code <data-dir>/kafka} unless {@code ledgerlake.ingestion.kafka.bootstrap-servers} names an external cluster) and
 * the upload API. The content store comes from the caller (the content module). Closes in reverse order.
 */
public final class IngestionPlatform implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(IngestionPlatform.class);

  private final Optional<EmbeddedKafkaBroker> broker;
  private final String bootstrapServers;
  private final SubmissionLog log;
  private final IngestionServer server;

  private IngestionPlatform(Optional<EmbeddedKafkaBroker> broker, String bootstrapServers, SubmissionLog log,
      IngestionServer server) {
    this.broker = broker;
    this.bootstrapServers = bootstrapServers;
    this.log = log;
    this.server = server;
  }

  public static IngestionPlatform start(IngestionOptions options, ContentSink sink, ContentSource source,
      SubmissionStatusSource statusSource, Clock clock) throws IOException {
    return start(options, sink, source, statusSource, clock, java.util.List.of());
  }

  /** As above, with extra endpoints served by the upload API ({@link ApiExtension}). */
  public static IngestionPlatform start(IngestionOptions options, ContentSink sink, ContentSource source,
      SubmissionStatusSource statusSource, Clock clock, java.util.List<ApiExtension> extensions) throws IOException {
    return start(options, sink, source, statusSource, clock, extensions, IngestionReadiness.alwaysReady());
  }

  /** As above, with what is asked before each upload is admitted ({@link IngestionReadiness}). */
  public static IngestionPlatform start(IngestionOptions options, ContentSink sink, ContentSource source,
      SubmissionStatusSource statusSource, Clock clock, java.util.List<ApiExtension> extensions,
      IngestionReadiness readiness) throws IOException {
    return start(options, sink, source, statusSource, clock, extensions, readiness,
        DatasetFiles.catalog(Path.of(options.getString(IngestionOptions.DATA_DIR)).toAbsolutePath()));
  }

  /** As above, with the dataset definitions in {@code datasets} (e.g. the catalog database shared by several ups). */
  public static IngestionPlatform start(IngestionOptions options, ContentSink sink, ContentSource source,
      SubmissionStatusSource statusSource, Clock clock, java.util.List<ApiExtension> extensions,
      IngestionReadiness readiness, io.ledgerlake.ingestion.dataset.DatasetCatalog datasets) throws IOException {
    return start(options, sink, source, statusSource, clock, extensions, readiness, datasets, null);
  }

  /** As above, with the API tokens in {@code tokens} (null: a file under the data directory). */
  public static IngestionPlatform start(IngestionOptions options, ContentSink sink, ContentSource source,
      SubmissionStatusSource statusSource, Clock clock, java.util.List<ApiExtension> extensions,
      IngestionReadiness readiness, io.ledgerlake.ingestion.dataset.DatasetCatalog datasets,
      io.ledgerlake.ingestion.auth.TokenStore tokens) throws IOException {
    Path dataDir = Path.of(options.getString(IngestionOptions.DATA_DIR)).toAbsolutePath();
    String external = options.getString(IngestionOptions.KAFKA_BOOTSTRAP_SERVERS).trim();
    Optional<EmbeddedKafkaBroker> broker = Optional.empty();
    String bootstrap = external;
    SubmissionLog log = null;
    try {
      if (external.isEmpty()) {
        broker = Optional.of(EmbeddedKafkaBroker.start(dataDir.resolve("kafka"),
            (int) options.getLong(IngestionOptions.KAFKA_EMBEDDED_PORT), Duration.ofMinutes(2)));
        bootstrap = broker.get().bootstrapServers();
        // One node: fsync every submission event, so "acknowledged" means "on disk" (events are rare and small).
        SubmissionLog.ensureTopic(bootstrap, options.getString(IngestionOptions.KAFKA_TOPIC),
            (int) options.getLong(IngestionOptions.KAFKA_TOPIC_PARTITIONS), Optional.of((short) 1),
            Map.of("flush.messages", "1", "min.insync.replicas", "1"));
      } else {
        SubmissionLog.ensureTopic(bootstrap, options.getString(IngestionOptions.KAFKA_TOPIC),
            (int) options.getLong(IngestionOptions.KAFKA_TOPIC_PARTITIONS), Optional.empty(), Map.of());
      }
      log = SubmissionLog.connect(bootstrap, options);
      IngestionServer.Builder builder = IngestionServer.builder().options(options).dataDir(dataDir).contentSink(sink)
          .contentSource(source).submissionLog(log).statusSource(statusSource).clock(clock).readiness(readiness).datasets(datasets)
          .tokens(tokens);
      extensions.forEach(builder::extension);
      IngestionServer server = builder.start();
      LOG.info("Ingestion platform up: API {} , submission log {} topic {}", server.baseUri(), bootstrap,
          options.getString(IngestionOptions.KAFKA_TOPIC));
      return new IngestionPlatform(broker, bootstrap, log, server);
    } catch (IOException | RuntimeException e) {
      if (log != null) {
        log.close();
      }
      broker.ifPresent(EmbeddedKafkaBroker::close);
      throw e;
    }
  }

  public IngestionServer server() {
    return server;
  }

  public String bootstrapServers() {
    return bootstrapServers;
  }

  @Override
  public void close() {
    server.close();
    log.close();
    broker.ifPresent(EmbeddedKafkaBroker::close);
  }
}
