package io.ledgerlake.ingestion.flink;

import io.ledgerlake.content.ContentOptions;
import io.ledgerlake.ingestion.IngestionOptions;
import io.ledgerlake.ingestion.format.ParseLimits;
import io.ledgerlake.lakehouse.LakehouseOptions;
import io.ledgerlake.common.config.Settings;
import java.nio.file.Path;
import java.util.Optional;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * Entry point for running the ingestion job on a Flink cluster ({@code flink run -c
 * io.ledgerlake.ingestion.flink.IngestionJobMain ledgerlake-cli.jar --config FILE}, or the Flink
 * Kubernetes Operator manifest in infra/flink). Reads the same {@code ledgerlake.*} keys as the
 * CLI; checkpointing and state backends come from the cluster's configuration.
 */
public final class IngestionJobMain {
  private IngestionJobMain() {}

  public static void main(String[] args) throws Exception {
    Optional<Settings> loaded = Settings.forJobMain("IngestionJobMain", args);
    if (loaded.isEmpty()) {
      return;
    }
    Settings settings = loaded.get();
    LakehouseOptions lakehouse = LakehouseOptions.from(settings);
    IngestionOptions options = IngestionOptions.from(settings);
    String bootstrap = options.getString(IngestionOptions.KAFKA_BOOTSTRAP_SERVERS);
    if (bootstrap.isBlank()) {
      System.err.println("set " + IngestionOptions.KAFKA_BOOTSTRAP_SERVERS + ": on a cluster the job reads an external Kafka");
      System.exit(2);
    }
    IngestionJobOptions jobOptions = IngestionJobOptions.from(settings);
    Path store = Path.of(settings.get(ContentOptions.STORE_DIR, lakehouse.dataDir().resolve("content").toString()));
    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
    IngestionJob.build(
        env,
        IngestionJob.kafkaSource(bootstrap, options.getString(IngestionOptions.KAFKA_TOPIC), jobOptions),
        lakehouse,
        new ContentStoreAccess(store),
        ParseLimits.from(options),
        jobOptions);
    env.execute("ledgerlake-ingestion");
  }
}
