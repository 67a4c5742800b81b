package io.ledgerlake.cli.ingest;

import io.ledgerlake.cli.LakehouseCommand;
import io.ledgerlake.cli.content.ContentSettings;
import io.ledgerlake.content.ContentOptions;
import io.ledgerlake.platform.LedgerLakePlatform;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;

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
      "for psql/JDBC on ledgerlake.sql-server.port (15432; ledgerlake.sql-server.enabled=false turns it off)."
    })
public final class UpCommand extends LakehouseCommand {
  @Override
  public Integer call() throws Exception {
    var settings = settings();
    out().println("Starting LedgerLake (Kafka, Flink, API, gateway, SQL service)...");
    out().flush();
    LedgerLakePlatform.Config config =
        new LedgerLakePlatform.Config(
            lakehouseOptions(),
            ContentSettings.options(settings),
            settings.find(ContentOptions.GATEWAY_PORT).isPresent(),
            IngestSettings.ingestion(settings),
            IngestSettings.job(settings),
            Duration.ofSeconds(5),
            io.ledgerlake.cli.label.LabelSettings.platformLabeling(settings),
            null);
    // The RAG query API checks licences on chain: served when a chain is configured or the local one is up.
    io.ledgerlake.provenance.chain.ProvenanceClient chain = null;
    try {
      chain = io.ledgerlake.cli.chain.ChainSettings.client(settings, false);
      config = new LedgerLakePlatform.Config(config.lakehouse(), config.content(), config.gatewayPortConfigured(),
          config.ingestion(), config.job(), config.lineageInterval(), config.labeling(),
          new LedgerLakePlatform.Rag(chain, io.ledgerlake.rag.RagOptions.from(settings)));
    } catch (RuntimeException e) {
      out().printf("RAG query API:     off (%s)%n", e.getMessage());
    }
    io.ledgerlake.provenance.chain.ProvenanceClient ragChain = chain;
    // Ctrl-C and SIGTERM stop the platform from this thread, before the JVM begins to shut down: inside a shutdown
    // hook, libraries' own hooks (Iceberg's worker pool among them) have already stopped what a clean stop uses.
    CountDownLatch stopRequested = new CountDownLatch(1);
    for (String name : new String[] {"INT", "TERM"}) {
      sun.misc.Signal.handle(new sun.misc.Signal(name), signal -> stopRequested.countDown());
    }
    LedgerLakePlatform platform = LedgerLakePlatform.start(config);
    var indexer = io.ledgerlake.cli.index.IndexFollower.start(lakehouseOptions(), settings);
    // Scheduled and event-triggered jobs (ledgerlake.scheduler.enabled=false turns it off).
    var scheduler = io.ledgerlake.cli.schedule.SchedulerCommand.startUnderUp(lakehouseOptions(), settings, out());
    // The SQL service (PostgreSQL wire protocol over one Spark session) beside the platform. A port already taken
    // (a separate 'ledgerlake sql-server') leaves it off rather than stopping the platform; the demo never starts it.
    var sqlOptions = io.ledgerlake.sqlserver.SqlServiceOptions.from(settings);
    io.ledgerlake.sqlserver.SqlService sqlService = null;
    String sqlLine;
    if (!sqlOptions.enabled()) {
      sqlLine = "off (" + io.ledgerlake.sqlserver.SqlServiceOptions.ENABLED + "=false)";
    } else {
      try {
        sqlService = io.ledgerlake.cli.SqlServiceLauncher.start(settings, sqlOptions);
        sqlLine = io.ledgerlake.cli.SqlServiceLauncher.describe(sqlService, sqlOptions) + "  "
            + io.ledgerlake.cli.SqlServiceLauncher.psqlHint(sqlService);
      } catch (RuntimeException e) { // a taken port, Spark failing to start: the rest of the platform still serves
        sqlLine = "off (" + e.getMessage() + ")";
      }
    }
    io.ledgerlake.sqlserver.SqlService sql = sqlService;
    java.util.concurrent.atomic.AtomicBoolean closed = new java.util.concurrent.atomic.AtomicBoolean();
    Runnable stop = () -> {
      if (closed.compareAndSet(false, true)) {
        if (sql != null) {
          sql.close(); // first: no statement should start against a platform that is stopping
        }
        scheduler.ifPresent(io.ledgerlake.cli.schedule.SchedulerCommand.Running::close);
        indexer.ifPresent(io.ledgerlake.cli.index.IndexFollower::close);
        platform.close();
        if (ragChain != null) {
          ragChain.close();
        }
      }
    };
    // Any other exit (System.exit elsewhere, a signal we do not handle) still stops what it can.
    Runtime.getRuntime().addShutdownHook(new Thread(stop, "ledgerlake-shutdown"));
    out().printf("Upload API:        %s  (OpenAPI: %s/openapi.json)%n", platform.apiUri(), platform.apiUri());
    out().printf("IPFS gateway:      %s/ipfs/{cid}%n", platform.gatewayUri());
    out().printf("Submission log:    Kafka at %s%n", platform.kafkaBootstrapServers());
    out().printf("Lakehouse:         %s%n", lakehouseOptions().dataDir());
    if (ragChain != null) {
      out().printf("RAG query API:     POST %s/v1/rag/query  (licences checked on chain)%n", platform.apiUri());
    }
    out().printf("SQL service:       %s%n", sqlLine);
    out().printf("Chain indexer:     %s%n", indexer.map(i -> "following " + i.describe()).orElse("off (no chain: 'ledgerlake chain up', then restart)"));
    out().printf("Scheduler:         %s%n", scheduler.map(r -> r.fileSchedules() + " schedule(s) from "
        + r.options().schedulesFile() + " plus 'ledgerlake schedule add'").orElse("off"));
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
