package io.ledgerlake.platform;

import static java.util.Objects.requireNonNull;

import io.ledgerlake.content.ContentOptions;
import io.ledgerlake.content.ContentStore;
import io.ledgerlake.content.gateway.TrustlessGateway;
import io.ledgerlake.ingestion.IngestionOptions;
import io.ledgerlake.ingestion.content.ContentStoreAdapter;
import io.ledgerlake.ingestion.flink.ContentStoreAccess;
import io.ledgerlake.ingestion.flink.IngestionJob;
import io.ledgerlake.ingestion.flink.IngestionJobOptions;
import io.ledgerlake.ingestion.format.ParseLimits;
import io.ledgerlake.ingestion.server.IngestionPlatform;
import io.ledgerlake.lakehouse.Lakehouse;
import io.ledgerlake.lakehouse.LakehouseOptions;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Everything {@code ledgerlake up} runs in one process on the embedded defaults: the upload API
 * with its submission log (an embedded KRaft Kafka broker unless bootstrap servers are
 * configured), the Flink ingestion job in a MiniCluster (resuming from its last retained
 * checkpoint), the streaming Flink labeling job after it (likewise), the IPFS trustless gateway
 * over the content store, and the lineage follower; then the {@link PlatformService}s the caller
 * configures (chain indexer, scheduler, SQL service). {@code ledgerlake up} is this class and
 * nothing else: the CLI only resolves settings and prints what started.
 *
 * <p>Stopping it (close) stops the configured services, then the API, so nothing new is acknowledged, then the job, the
 * broker and the gateway. Acknowledged submissions are on the broker's disk and are ingested when
 * the platform starts again.
 */
public final class LedgerLakePlatform implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(LedgerLakePlatform.class);

  private volatile boolean closed;

  /** Gateway port when none is configured: the upload API has 8080. */
  public static final int GATEWAY_PORT_DEFAULT = 8081;

  private final Lakehouse lakehouse;
  private final ContentStore content;
  private final IngestionPlatform ingestion;
  private final JobClient job;
  private final LabelingFollower labeling;
  private final TrustlessGateway gateway;
  private final LineageFollower lineage;
  private final PlatformHealth health;
  /** The services started after the core (chain indexer, scheduler, SQL service), in start order. */
  private final java.util.List<PlatformService> extras = new java.util.concurrent.CopyOnWriteArrayList<>();
  /** The RAG query API's service, or null when no chain was given. */
  private final io.ledgerlake.rag.query.RagQueryService rag;
  private final io.ledgerlake.training.serve.ModelCallService models;

  private LedgerLakePlatform(Lakehouse lakehouse, ContentStore content, IngestionPlatform ingestion, JobClient job, LabelingFollower labeling, TrustlessGateway gateway, LineageFollower lineage, PlatformHealth health, io.ledgerlake.rag.query.RagQueryService rag, io.ledgerlake.training.serve.ModelCallService models) {
    this.models = models;
    this.health = health;
    this.rag = rag;
    this.lakehouse = lakehouse;
    this.content = content;
    this.ingestion = ingestion;
    this.job = job;
    this.labeling = labeling;
    this.gateway = gateway;
    this.lineage = lineage;
  }

  /** Settings already resolved per module, with the CLI's precedence. */
  public record Config(
      LakehouseOptions lakehouse,
      ContentOptions content,
      boolean gatewayPortConfigured,
      IngestionOptions ingestion,
      IngestionJobOptions job,
      Duration lineageInterval,
      Labeling labeling,
      Rag rag,
      java.util.List<PlatformService.Starter> services,
      FlinkCluster flinkCluster) {
    /** With the Flink jobs in embedded MiniClusters (the default). */
    public Config(LakehouseOptions lakehouse, ContentOptions content, boolean gatewayPortConfigured,
        IngestionOptions ingestion, IngestionJobOptions job, Duration lineageInterval, Labeling labeling, Rag rag,
        java.util.List<PlatformService.Starter> services) {
      this(lakehouse, content, gatewayPortConfigured, ingestion, job, lineageInterval, labeling, rag, services, null);
    }

    /** Without the services beside the core (chain indexer, scheduler, SQL service): tests and the demo. */
    public Config(LakehouseOptions lakehouse, ContentOptions content, boolean gatewayPortConfigured,
        IngestionOptions ingestion, IngestionJobOptions job, Duration lineageInterval, Labeling labeling, Rag rag) {
      this(lakehouse, content, gatewayPortConfigured, ingestion, job, lineageInterval, labeling, rag,
          java.util.List.of());
    }

    /** Without the labeling stage (as before it existed). */
    public Config(LakehouseOptions lakehouse, ContentOptions content, boolean gatewayPortConfigured,
        IngestionOptions ingestion, IngestionJobOptions job, Duration lineageInterval) {
      this(lakehouse, content, gatewayPortConfigured, ingestion, job, lineageInterval, null, null);
    }

    /** Without the RAG query API (no chain to check licences on). */
    public Config(LakehouseOptions lakehouse, ContentOptions content, boolean gatewayPortConfigured,
        IngestionOptions ingestion, IngestionJobOptions job, Duration lineageInterval, Labeling labeling) {
      this(lakehouse, content, gatewayPortConfigured, ingestion, job, lineageInterval, labeling, null);
    }

    public Config {
      requireNonNull(lakehouse, "lakehouse");
      requireNonNull(content, "content");
      requireNonNull(ingestion, "ingestion");
      requireNonNull(job, "job");
      requireNonNull(lineageInterval, "lineageInterval");
      services = java.util.List.copyOf(services);
    }

    /** A copy that also starts {@code starters} after the core, in order. */
    public Config withServices(java.util.List<PlatformService.Starter> starters) {
      java.util.List<PlatformService.Starter> all = new java.util.ArrayList<>(services);
      all.addAll(starters);
      return new Config(lakehouse, content, gatewayPortConfigured, ingestion, job, lineageInterval, labeling, rag,
          all, flinkCluster);
    }

    /** A copy whose Flink jobs run on {@code cluster} (null: embedded MiniClusters). */
    public Config withFlinkCluster(FlinkCluster cluster) {
      return new Config(lakehouse, content, gatewayPortConfigured, ingestion, job, lineageInterval, labeling, rag,
          services, cluster);
    }

    /**
     * A copy whose Flink jobs run on the session cluster {@code ledgerlake.flink.cluster-url} names, if it names one
     * (else this config): the jobs' mains there read the same {@code ledgerlake.*} settings as this process. One rule
     * for {@code up} and the demo.
     */
    public Config withFlinkClusterOf(io.ledgerlake.common.config.Settings settings) {
      var flink = io.ledgerlake.platform.flink.FlinkClusterOptions.from(settings);
      if (!flink.onCluster()) {
        return this;
      }
      Map<String, String> jobSettings = new java.util.TreeMap<>();
      settings.withPrefix("ledgerlake.").forEach((k, v) -> jobSettings.put("ledgerlake." + k, v));
      return withFlinkCluster(new FlinkCluster(flink, jobSettings));
    }

    /** Whether the Flink jobs go to a session cluster instead of embedded MiniClusters. */
    boolean onFlinkCluster() {
      return flinkCluster != null && flinkCluster.options().onCluster();
    }
  }

  /**
   * The Flink jobs on a session cluster instead of MiniClusters ({@code ledgerlake up --flink-cluster URL}).
   * {@code jobSettings} are the {@code ledgerlake.*} settings the jobs' mains read on the cluster (the CLI's,
   * resolved); the platform adds the data directory, the content store and the Kafka topic and brokers it actually
   * uses, so the jobs on the cluster and the API in this process agree on them.
   */
  public record FlinkCluster(io.ledgerlake.platform.flink.FlinkClusterOptions options, Map<String, String> jobSettings) {
    public FlinkCluster {
      requireNonNull(options, "options");
      jobSettings = Map.copyOf(jobSettings);
    }
  }

  /**
   * The streaming labeling job ({@link LabelingFollower}). {@code interval} and {@code stage} are the batch stage's
   * settings, kept for {@code ledgerlake label run}; the job runs continuously with {@code job}'s settings.
   */
  public record Labeling(Duration interval, io.ledgerlake.labeling.LabelingOptions options,
      io.ledgerlake.labeling.stage.LabelingStageOptions stage, io.ledgerlake.labeling.flink.LabelingJobOptions job) {
    public Labeling {
      requireNonNull(interval, "interval");
      requireNonNull(options, "options");
      requireNonNull(stage, "stage");
      requireNonNull(job, "job");
    }

    /** With the labeling job's defaults. */
    public Labeling(Duration interval, io.ledgerlake.labeling.LabelingOptions options,
        io.ledgerlake.labeling.stage.LabelingStageOptions stage) {
      this(interval, options, stage, io.ledgerlake.labeling.flink.LabelingJobOptions.defaults());
    }
  }

  /**
   * The licence-gated, metered APIs: RAG queries ({@code POST /v1/rag/query}, rag/api) and model calls
   * ({@code POST /v1/models/predict}, predicted with Spark as {@code spark} configures it). Licences are checked on
   * {@code chain}, which the caller owns (and closes after the platform).
   */
  public record Rag(io.ledgerlake.provenance.chain.ProvenanceClient chain, io.ledgerlake.rag.RagOptions options,
      io.ledgerlake.lakehouse.spark.SparkOptions spark) {
    public Rag {
      requireNonNull(chain, "chain");
      requireNonNull(options, "options");
      requireNonNull(spark, "spark");
    }
  }

  public static LedgerLakePlatform start(Config config) throws Exception {
    Lakehouse lakehouse = Lakehouse.open(config.lakehouse());
    lakehouse.init();
    Path dataDir = config.lakehouse().dataDir();
    ContentStore content = ContentStore.open(config.content());
    ContentStoreAdapter adapter = new ContentStoreAdapter(content);
    IngestionPlatform ingestion = null;
    JobClient job = null;
    LabelingFollower labeling = null;
    TrustlessGateway gateway = null;
    LineageFollower lineage = null;
    LedgerLakePlatform platform;
    PlatformHealth health = new PlatformHealth();
    io.ledgerlake.rag.query.RagQueryService rag = null;
    io.ledgerlake.training.serve.ModelCallService models = null;
    try {
      // The annotation endpoints (labeling/api) are served by the upload API as an extension.
      io.ledgerlake.labeling.LabelingOptions labelingOptions = config.labeling() != null ? config.labeling().options() : io.ledgerlake.labeling.LabelingOptions.defaults();
      java.util.List<io.ledgerlake.ingestion.server.ApiExtension> extensions = new java.util.ArrayList<>();
      io.ledgerlake.ingestion.dataset.DatasetCatalog datasets = JdbcDatasetCatalog.forCatalog(config.lakehouse(),
          Path.of(config.ingestion().getString(IngestionOptions.DATA_DIR)));
      extensions.add(io.ledgerlake.labeling.api.AnnotationEndpoints.over(lakehouse, datasets, labelingOptions,
          Clock.systemUTC()));
      // The web console: its reads and its static files (console/api, console/web).
      extensions.add(new io.ledgerlake.console.api.ConsoleEndpoints(lakehouse, datasets, labelingOptions,
          io.ledgerlake.jobs.attribution.AttributionOptions.defaults()));
      if (config.rag() != null) {
        rag = io.ledgerlake.rag.query.RagQueryService.over(lakehouse, content, config.rag().chain(),
            config.rag().options(), Clock.systemUTC());
        extensions.add(new io.ledgerlake.rag.api.RagEndpoints(rag));
        models = new io.ledgerlake.training.serve.ModelCallService(lakehouse,
            new io.ledgerlake.provenance.licence.ChainLicenceGate(config.rag().chain(),
                Duration.ofMillis(config.rag().options().licenceCacheMs()), Clock.systemUTC()),
            new io.ledgerlake.training.serve.SparkModelPredictor(config.lakehouse(), config.rag().spark()),
            Clock.systemUTC());
        extensions.add(new io.ledgerlake.platform.models.ModelEndpoints(models));
      }
      Path ingestionDir = Path.of(config.ingestion().getString(IngestionOptions.DATA_DIR));
      ingestion = IngestionPlatform.start(config.ingestion(), adapter, adapter,
          health.explaining(new LakehouseSubmissionStatus(lakehouse)), Clock.systemUTC(), extensions, health,
          datasets, JdbcTokenStore.forCatalog(config.lakehouse(), ingestionDir.toAbsolutePath().resolve("auth"),
              config.ingestion().getDuration(IngestionOptions.AUTH_TOKEN_TTL), Clock.systemUTC()));

      if (config.onFlinkCluster()) {
        io.ledgerlake.platform.flink.FlinkClusterOptions flink = config.flinkCluster().options();
        Map<String, String> jobSettings = new java.util.TreeMap<>(config.flinkCluster().jobSettings());
        jobSettings.put(LakehouseOptions.DATA_DIR, dataDir.toAbsolutePath().toString());
        jobSettings.put(ContentOptions.STORE_DIR, config.content().storeDir().toAbsolutePath().toString());
        jobSettings.put(IngestionOptions.KAFKA_BOOTSTRAP_SERVERS, ingestion.bootstrapServers());
        jobSettings.put(IngestionOptions.KAFKA_TOPIC, config.ingestion().getString(IngestionOptions.KAFKA_TOPIC));
        Path clusterState = dataDir.resolve("flink").resolve("cluster");
        io.ledgerlake.platform.flink.SessionClusterJobs cluster =
            io.ledgerlake.platform.flink.SessionClusterJobs.connect(flink, clusterState, jobSettings);
        Path checkpoints = clusterState.resolve("ingestion-checkpoints");
        job = cluster.submit(flink.ingestionJar(), io.ledgerlake.ingestion.flink.IngestionJobMain.class.getName(),
            checkpoints, io.ledgerlake.lakehouse.flink.FlinkJobs.latestCheckpoint(checkpoints),
            config.job().restartAttempts(), config.job().restartDelay());
        health.watch("ingestion", job, true);
        if (config.labeling() != null) {
          labeling = LabelingFollower.startOnCluster(config.lakehouse(), config.labeling(), dataDir, cluster, flink,
              health);
        }
      } else {
        Path checkpoints = dataDir.resolve("flink").resolve("checkpoints");
        StreamExecutionEnvironment env =
            StreamExecutionEnvironment.createLocalEnvironment(IngestionJob.configuration(config.job(), checkpoints));
        IngestionJob.build(
            env,
            IngestionJob.kafkaSource(ingestion.bootstrapServers(), config.ingestion().getString(IngestionOptions.KAFKA_TOPIC), config.job()),
            config.lakehouse(),
            new ContentStoreAccess(config.content().storeDir()),
            ParseLimits.from(config.ingestion()),
            config.job());
        job = env.executeAsync("ledgerlake-ingestion");
        health.watch("ingestion", job, true);
        if (config.labeling() != null) {
          labeling = LabelingFollower.start(config.lakehouse(), config.labeling(), dataDir, health);
        }
      }

      gateway = config.gatewayPortConfigured() ? content.startGateway() : content.startGateway(GATEWAY_PORT_DEFAULT);

      lineage = LineageFollower.start(lakehouse, config.lineageInterval());
      LOG.info("LedgerLake platform up: API {}, gateway {}, Kafka {}", ingestion.server().baseUri(), gateway.baseUri(), ingestion.bootstrapServers());
      platform = new LedgerLakePlatform(lakehouse, content, ingestion, job, labeling, gateway, lineage, health, rag,
          models);
    } catch (Exception e) {
      health.close();
      if (models != null) {
        models.close();
      }
      if (rag != null) {
        rag.close();
      }
      if (gateway != null) {
        gateway.close();
      }
      if (job != null) {
        job.cancel();
      }
      if (labeling != null) {
        labeling.close();
      }
      if (ingestion != null) {
        ingestion.close();
      }
      lakehouse.close();
      throw e;
    }
    // The configured services see a running core; if one cannot start, everything started so far is stopped.
    try {
      for (PlatformService.Starter starter : config.services()) {
        platform.extras.add(starter.start(platform));
      }
    } catch (Exception | Error e) {
      platform.close();
      throw e;
    }
    return platform;
  }

  public URI apiUri() {
    return ingestion.server().baseUri();
  }

  public URI gatewayUri() {
    return gateway.baseUri();
  }

  public String kafkaBootstrapServers() {
    return ingestion.bootstrapServers();
  }

  public Lakehouse lakehouse() {
    return lakehouse;
  }

  public ContentStore content() {
    return content;
  }

  /** The ingestion job, for tests that stop it behind the platform's back. */
  JobClient ingestionJob() {
    return job;
  }

  /** What {@code GET /health} reports; the tests read it without HTTP. */
  public io.ledgerlake.ingestion.server.IngestionReadiness health() {
    return health;
  }

  /** Everything beside the core, in start order: labeling (when on), lineage, then the configured services. */
  public java.util.List<PlatformService> services() {
    java.util.List<PlatformService> all = new java.util.ArrayList<>();
    if (labeling != null) {
      all.add(labeling);
    }
    all.add(lineage);
    all.addAll(extras);
    return java.util.List.copyOf(all);
  }

  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    health.stopping();
    // The services beside the core first, newest first: the SQL service should not start a statement against a
    // platform that is stopping, and the scheduler should not start a run.
    for (int i = extras.size() - 1; i >= 0; i--) {
      extras.get(i).close();
    }
    ingestion.server().close();
    if (!health.isDown("ingestion")) { // a job that already ended has nothing to cancel
      try {
        job.cancel().get(60, TimeUnit.SECONDS);
      } catch (Exception e) {
        LOG.warn("Stopping the ingestion job failed", e);
      }
    }
    if (labeling != null) {
      labeling.close();
    }
    lineage.close();
    ingestion.close();
    if (models != null) {
      models.close(); // records the calls answered before the stop
    }
    if (rag != null) {
      try {
        rag.close(); // records the usage of queries answered before the stop
      } catch (java.io.IOException | RuntimeException e) {
        LOG.warn("Closing the RAG query service failed", e);
      }
    }
    gateway.close();
    health.close();
    lakehouse.close();
  }

  /** Resolves ingestion options from flat settings: ingestion's state lives under the data directory. */
  public static IngestionOptions ingestionOptions(Map<String, String> values, Path dataDir) {
    return ingestionOptions(io.ledgerlake.common.config.Settings.of(values), dataDir);
  }

  /** Ingestion options by the one precedence; ingestion's state lives under the data directory by default. */
  public static IngestionOptions ingestionOptions(io.ledgerlake.common.config.Settings settings, Path dataDir) {
    io.ledgerlake.common.config.Settings s = settings.find(IngestionOptions.DATA_DIR).isPresent() ? settings
        : settings.withOverrides(Map.of(IngestionOptions.DATA_DIR, dataDir.resolve("ingestion").toString()));
    return IngestionOptions.from(s);
  }
}
