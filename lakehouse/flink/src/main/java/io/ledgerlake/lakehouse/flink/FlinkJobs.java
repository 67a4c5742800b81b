package io.ledgerlake.lakehouse.flink;

import io.ledgerlake.lakehouse.LakehouseOptions;
import io.ledgerlake.lakehouse.catalog.CatalogFactory;
import io.ledgerlake.lakehouse.tables.TableDefinition;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.Optional;
import java.util.stream.Stream;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.ExternalizedCheckpointRetention;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.configuration.StateRecoveryOptions;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.runtime.typeutils.InternalTypeInfo;
import org.apache.iceberg.Schema;
import org.apache.iceberg.flink.CatalogLoader;
import org.apache.iceberg.flink.FlinkSchemaUtil;
import org.apache.iceberg.flink.TableLoader;

/**
 * The one way a LedgerLake Flink job (ingestion, labeling) is configured and reaches the lakehouse: bounded restarts
 * with checkpoints retained and resumed, and Iceberg table loaders over the configured catalog.
 */
public final class FlinkJobs {
  private FlinkJobs() {}

  /**
   * Flink configuration of an embedded job with bounded restarts and checkpoints retained under
   * {@code checkpointDir}, resuming from {@code restoreFrom} when present. Bounded, because a failing job whose
   * errors do not reach the log would otherwise restart forever in silence.
   */
  public static Configuration configuration(
      int restartAttempts, Duration restartDelay, Path checkpointDir, Optional<Path> restoreFrom) {
    Configuration conf = new Configuration();
    conf.set(RestartStrategyOptions.RESTART_STRATEGY, "fixed-delay");
    conf.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_ATTEMPTS, restartAttempts);
    conf.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_DELAY, restartDelay);
    conf.set(CheckpointingOptions.CHECKPOINTS_DIRECTORY, checkpointDir.toUri().toString());
    // Retained so that a restarted process resumes from its last checkpoint (see latestCheckpoint).
    conf.set(CheckpointingOptions.EXTERNALIZED_CHECKPOINT_RETENTION, ExternalizedCheckpointRetention.RETAIN_ON_CANCELLATION);
    conf.set(CheckpointingOptions.MAX_RETAINED_CHECKPOINTS, 3);
    restoreFrom.ifPresent(p -> conf.set(StateRecoveryOptions.SAVEPOINT_PATH, p.toUri().toString()));
    return conf;
  }

  /**
   * The newest complete retained checkpoint under {@code checkpointDir} ({@code <job>/chk-N} with a
   * {@code _metadata} file), so that an embedded job started again after the process was killed
   * continues from where its committed state left off instead of from scratch.
   */
  public static Optional<Path> latestCheckpoint(Path checkpointDir) {
    if (!Files.isDirectory(checkpointDir)) {
      return Optional.empty();
    }
    try (Stream<Path> files = Files.walk(checkpointDir, 3)) {
      return files
          .filter(p -> p.getFileName().toString().equals("_metadata"))
          .map(Path::getParent)
          .filter(p -> p.getFileName().toString().startsWith("chk-"))
          .max(Comparator.comparingLong(FlinkJobs::lastModified));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list checkpoints in " + checkpointDir, e);
    }
  }

  private static long lastModified(Path p) {
    try {
      return Files.getLastModifiedTime(p.resolve("_metadata")).toMillis();
    } catch (IOException e) {
      return 0;
    }
  }

  /** A loader of {@code table} over the configured catalog, for Iceberg's Flink sources and sinks. */
  public static TableLoader tableLoader(LakehouseOptions lakehouse, TableDefinition table) {
    CatalogLoader catalog =
        CatalogLoader.custom(
            lakehouse.catalogName(),
            CatalogFactory.catalogProperties(lakehouse),
            new org.apache.hadoop.conf.Configuration(),
            CatalogFactory.catalogImpl(lakehouse));
    return TableLoader.fromCatalog(catalog, table.identifier());
  }

  /** Flink's internal row type of an Iceberg schema. */
  public static InternalTypeInfo<RowData> typeOf(Schema schema) {
    return InternalTypeInfo.of(FlinkSchemaUtil.convert(schema));
  }
}
