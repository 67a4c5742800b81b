package io.ledgerlake.cli.ingest;

import io.ledgerlake.cli.LakehouseCommand;
import io.ledgerlake.cli.SqlServiceLauncher;
import io.ledgerlake.cli.chain.ChainSettings;
import io.ledgerlake.cli.content.ContentSettings;
import io.ledgerlake.cli.index.IndexSettings;
import io.ledgerlake.cli.label.LabelSettings;
import io.ledgerlake.cli.schedule.SchedulerCommand;
import io.ledgerlake.content.ContentOptions;
import io.ledgerlake.platform.LedgerLakePlatform;
import io.ledgerlake.platform.PlatformService;
import io.ledgerlake.platform.flink.FlinkClusterOptions;
import io.ledgerlake.provenance.chain.ProvenanceClient;
import io.ledgerlake.rag.RagOptions;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import io.ledgerlake.common.config.Settings;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code ledgerlake up}: resolves the settings of every part, starts {@link LedgerLakePlatform} (the one assembly of
 * the running platform) and prints what runs where. Nothing is started here that the platform does not own.
 */
@Command(
    name = "up",
    mixinStandardHelpOptions = true,
    description = {
      "Run the platform on the embedded defaults until Ctrl-C.",
      "Upload API (+ /openapi.json), an embedded Kafka broker for the submission log,",
      "the Flink ingestion job in a MiniCluster (resuming from its last checkpoint),",
      "the IPFS trustless gateway, the lineage follower, the labeling stage (every",
      "ledgerlake.labeling.stage.interval-ms, default 10000; 0 turns it off) and the chain",
      "indexer when a chain is configured or the local one is up ('ledgerlake chain up'), and the SQL service",
      "for psql/JDBC on ledgerlake.sql-server.port (15432; ledgerlake.sql-server.enabled=false turns it off).",
      "With --flink-cluster URL the ingestion and labeling jobs run on that Flink session cluster instead (their slim",
      "job jars, infra/flink-jobs); with ledgerlake.ingestion.kafka.bootstrap-servers the submission log is that Kafka."
    })
public final class UpCommand extends LakehouseCommand {
  /** Width of the name column of the status lines ("SQL service:       127.0.0.1:15432 ..."). */
  private static final String STATUS_LINE = "%-19s%s%n";

  @Option(names = "--flink-cluster", paramLabel = "URL",
      description = "Run the ingestion and labeling jobs on this Flink session cluster (its REST URL, e.g. "
          + "http://127.0.0.1:8081) instead of embedded MiniClusters; same as " + FlinkClusterOptions.CLUSTER_URL + ".")
  String flinkCluster;

  /** The settings, with {@code --flink-cluster} at flag precedence. */
  @Override
  protected Settings settings() {
    Settings settings = super.settings();
    return flinkCluster == null ? settings : settings.withOverrides(Map.of(FlinkClusterOptions.CLUSTER_URL, flinkCluster));
  }

  @Override
  public Integer call() throws Exception {
    var settings = settings();
    FlinkClusterOptions flink = FlinkClusterOptions.from(settings);
    out().println("Starting LedgerLake (Kafka, Flink" + flink.clusterUrl().map(u -> " jobs on " + u).orElse("")
        + ", API, gateway, SQL service)...");
    out().flush();
    // The RAG query API checks licences on chain: served when a chain is configured or the local one is up.
    ProvenanceClient chain = null;
    String ragOff = null;
    try {
      chain = ChainSettings.client(settings, false);
    } catch (RuntimeException e) {
      ragOff = e.getMessage();
    }
    LedgerLakePlatform.Config config =
        new LedgerLakePlatform.Config(
            lakehouseOptions(),
            ContentSettings.options(settings),
            settings.find(ContentOptions.GATEWAY_PORT).isPresent(),
            IngestSettings.ingestion(settings),
            IngestSettings.job(settings),
            Duration.ofSeconds(5),
            LabelSettings.platformLabeling(settings),
            chain == null ? null : new LedgerLakePlatform.Rag(chain, RagOptions.from(settings),
                io.ledgerlake.lakehouse.spark.SparkOptions.from(settings)),
            List.<PlatformService.Starter>of(
                platform -> IndexSettings.follower(lakehouseOptions(), settings),
                platform -> SchedulerCommand.serviceUnderUp(lakehouseOptions(), settings, out()),
                platform -> SqlServiceLauncher.serviceUnderUp(settings)));
    config = config.withFlinkClusterOf(settings);
    // Ctrl-C and SIGTERM stop the platform from this thread, before the JVM begins to shut down: inside a shutdown
    // hook, libraries' own hooks (Iceberg's worker pool among them) have already stopped what a clean stop uses.
    CountDownLatch stopRequested = new CountDownLatch(1);
    for (String name : new String[] {"INT", "TERM"}) {
      sun.misc.Signal.handle(new sun.misc.Signal(name), signal -> stopRequested.countDown());
    }
    LedgerLakePlatform platform;
    try {
      platform = LedgerLakePlatform.start(config);
    } catch (Exception | Error e) {
      if (chain != null) {
        chain.close();
      }
      throw e;
    }
    ProvenanceClient ragChain = chain;
    AtomicBoolean closed = new AtomicBoolean();
    Runnable stop = () -> {
      if (closed.compareAndSet(false, true)) {
        platform.close();
        if (ragChain != null) {
          ragChain.close(); // after the platform: the RAG query service uses it until then
        }
      }
    };
    // Any other exit (System.exit elsewhere, a signal we do not handle) still stops what it can.
    Runtime.getRuntime().addShutdownHook(new Thread(stop, "ledgerlake-shutdown"));
    out().printf(STATUS_LINE, "Upload API:", platform.apiUri() + "  (OpenAPI: " + platform.apiUri() + "/openapi.json)");
    out().printf(STATUS_LINE, "IPFS gateway:", platform.gatewayUri() + "/ipfs/{cid}");
    out().printf(STATUS_LINE, "Submission log:", "Kafka at " + platform.kafkaBootstrapServers());
    out().printf(STATUS_LINE, "Flink jobs:", flink.clusterUrl().map(u -> "on the session cluster " + u)
        .orElse("embedded MiniClusters"));
    out().printf(STATUS_LINE, "Lakehouse:", lakehouseOptions().dataDir());
    out().printf(STATUS_LINE, "RAG query API:", ragChain != null
        ? "POST " + platform.apiUri() + "/v1/rag/query  (licences checked on chain)" : "off (" + ragOff + ")");
    for (PlatformService service : platform.services()) {
      out().printf(STATUS_LINE, service.name() + ":", service.describe());
    }
    out().println("Press Ctrl-C to stop.");
    out().flush();
    stopRequested.await();
    out().println("Stopping...");
    out().flush();
    stop.run();
    out().println("Stopped.");
    out().flush();
    return 0;
  }
}
