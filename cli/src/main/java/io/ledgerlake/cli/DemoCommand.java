package io.ledgerlake.cli;

import io.ledgerlake.cli.chain.ChainSettings;
import io.ledgerlake.cli.content.ContentSettings;
import io.ledgerlake.cli.index.IndexSettings;
import io.ledgerlake.cli.ingest.IngestSettings;
import io.ledgerlake.cli.label.LabelSettings;
import io.ledgerlake.cli.output.ResultFormat;
import io.ledgerlake.content.ContentStore;
import io.ledgerlake.ingestion.IngestionOptions;
import io.ledgerlake.platform.demo.Demo;
import io.ledgerlake.platform.demo.DemoMarket;
import io.ledgerlake.platform.LedgerLakePlatform;
import io.ledgerlake.jobs.publish.DatasetPublisher;
import io.ledgerlake.jobs.reconcile.ReconcileReport;
import io.ledgerlake.jobs.reconcile.Reconciler;
import io.ledgerlake.indexer.Indexer;
import io.ledgerlake.labeling.LabelingOptions;
import io.ledgerlake.labeling.LabelingPipeline;
import io.ledgerlake.labeling.report.QualityReport;
import io.ledgerlake.labeling.stage.LabelingStage;
import io.ledgerlake.labeling.stage.QualityReports;
import io.ledgerlake.lakehouse.Lakehouse;
import io.ledgerlake.lakehouse.LakehouseOptions;
import io.ledgerlake.lakehouse.spark.LakehouseSpark;
import io.ledgerlake.lakehouse.spark.QueryResult;
import io.ledgerlake.lakehouse.spark.SparkOptions;
import io.ledgerlake.provenance.ProvenanceOptions;
import io.ledgerlake.provenance.chain.ProvenanceClient;
import io.ledgerlake.provenance.local.LocalChain;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(
    name = "demo",
    mixinStandardHelpOptions = true,
    description = {
      "Run the main job end to end on the embedded defaults.",
      "Starts the platform (upload API, Kafka, Flink, IPFS gateway), signs in three contributors,",
      "creates a dataset, submits a file per contributor (one with bad lines), waits for ingestion",
      "into Iceberg, labels and curates the records, publishes the version on a local anvil chain",
      "with one receipt per contributor, sells a licence and explains the payout, trains a model",
      "and registers it with royalties, embeds the version and builds a RAG index, buys an API",
      "licence and runs licence-gated queries (usage recorded once per query), settles the usage",
      "epoch, indexes the chain, reconciles chain, lakehouse and content store, queries with",
      "Spark SQL and shuts down.",
      "Running it again adds nothing: uploads are recognised by CID, every step by its result."
    })
final class DemoCommand extends LakehouseCommand {
  @Option(
      names = "--records",
      defaultValue = "300",
      description = "Records to generate (default: ${DEFAULT-VALUE}).")
  int records;

  @Override
  public Integer call() throws Exception {
    var settings = settings();
    LakehouseOptions lakehouseOptions = lakehouseOptions();
    out().printf("Step 1/%d: start the platform %s(data in %s)%n", Demo.STEPS,
        settings.find(LakehouseOptions.CATALOG_TYPE).isPresent() || settings.find(SparkOptions.MASTER).isPresent()
            || io.ledgerlake.platform.flink.FlinkClusterOptions.from(settings).onCluster()
            ? "with the configured services " : "on the embedded defaults ", lakehouseOptions.dataDir());
    out().flush();
    // Free ports: the demo must not collide with a running 'ledgerlake up'.
    LedgerLakePlatform.Config config =
        new LedgerLakePlatform.Config(
            lakehouseOptions,
            ContentSettings.options(settings).withGatewayPort(0),
            true,
            IngestSettings.ingestion(settings, Map.of(IngestionOptions.HTTP_PORT, "0")),
            IngestSettings.job(settings),
            Duration.ofSeconds(1))
        .withFlinkClusterOf(settings);
    Demo.Result result;
    try (LedgerLakePlatform platform = LedgerLakePlatform.start(config)) {
      out().printf("  upload API %s, IPFS gateway %s, Kafka %s%n", platform.apiUri(), platform.gatewayUri(), platform.kafkaBootstrapServers());
      io.ledgerlake.platform.flink.FlinkClusterOptions.from(settings).clusterUrl()
          .ifPresent(url -> out().printf("  ingestion job on the Flink session cluster %s%n", url));
      result = new Demo(lakehouseOptions.dataDir(), out()).run(platform, records);
    }
    out().println("  platform stopped");
    label(result.datasetId());

    ContentStore content = ContentSettings.open(settings);
    ProvenanceOptions chainOptions = ChainSettings.options(settings);
    // Stop the local chain afterwards only if the demo started it (its state is kept on disk).
    boolean startedChain = !ChainSettings.external(settings) && LocalChain.running(chainOptions).isEmpty();
    DatasetPublisher.Publication publication;
    try (Lakehouse lakehouse = openLakehouse()) {
      try (ProvenanceClient chain = ChainSettings.client(settings, true)) {
        publication = new DemoMarket(lakehouse, content, chain, out()).run(result.datasetId(), result.newSubmissions() > 0);
        out().printf("Step 7/%d: index the chain into chain.*%n", Demo.STEPS);
        try (Indexer indexer = IndexSettings.connect(lakehouse, settings)) {
          out().printf("  %s%n", indexer.runOnce().describe());
        }
        out().printf("Step 8/%d: train a classifier (Spark MLlib) on the curated view of %s, label 'topic'%n",
            Demo.STEPS, publication.tag());
        out().flush();
        io.ledgerlake.training.TrainResult trained = new io.ledgerlake.jobs.JobRunner(lakehouse, out()).run(
            new io.ledgerlake.training.TrainJob(content, SparkOptions.from(settings)),
            new io.ledgerlake.training.TrainParams(result.datasetId(), publication.tag(),
                io.ledgerlake.training.LabelSource.parse("field:topic"), io.ledgerlake.training.Algorithm.LOGREG, 42,
                false, "text", io.ledgerlake.training.TrainingOptions.NUM_FEATURES_DEFAULT, 50, 20));
        out().printf("  model %s in ml.models; lineage %s -> model %s%n", trained.modelId(), publication.tag(),
            trained.modelCid());
        out().printf("Step 9/%d: publish the model as a derived asset of %s, sell a licence on it (royalty to the data), call it as a metered API%n",
            Demo.STEPS, publication.tag());
        new DemoMarket(lakehouse, content, chain, out()).runModel(trained.modelId(), publication,
            SparkOptions.from(settings));
        // The model's receipts, indexed before the settle job splits the model calls' revenue by them.
        try (Indexer indexer = IndexSettings.connect(lakehouse, settings)) {
          out().printf("  %s%n", indexer.runOnce().describe());
        }
        out().printf("Step 10/%d: embed %s, index it for RAG (HNSW), publish the index, two licensees buy API licences, query%n",
            Demo.STEPS, publication.tag());
        out().flush();
        new DemoMarket(lakehouse, content, chain, out()).runRag(publication, result.datasetId(),
            SparkOptions.from(settings), io.ledgerlake.rag.RagOptions.from(settings));
        try (Indexer indexer = IndexSettings.connect(lakehouse, settings)) {
          out().printf("  %s%n", indexer.runOnce().describe());
        }
        // on-chain parents are lineage too: SQL walks read lineage.closure
        io.ledgerlake.lakehouse.lineage.LineageClosure.refresh(lakehouse);
        out().printf("Step 11/%d: reconcile chain, lakehouse and content store%n", Demo.STEPS);
        ReconcileReport reconciled = new Reconciler(lakehouse, content).run();
        reconciled.discrepancies().forEach(i -> out().printf("  %s%n", i.describe()));
        out().printf("  %d item(s) checked, %d discrepancies (ops.reconciliation, run %s)%n",
            reconciled.items().size(), reconciled.discrepancies().size(), reconciled.runId());
      } finally {
        if (startedChain) {
          LocalChain.down(chainOptions);
        }
      }
      out().printf("Step 12/%d: query with Spark SQL%n  %s%n", Demo.STEPS, Demo.query(result.datasetId()));
      var spark = LakehouseSpark.session(lakehouse.options(), SparkOptions.from(settings));
      QueryResult rows = Demo.query(spark, result.datasetId());
      ResultFormat.table.print(out(), rows.columns(), rows.rows(), rows.truncated());
      out().printf("  the payout, explained from the indexed chain (docs/sql.md has more):%n");
      QueryResult payout = Demo.explainPayout(spark);
      ResultFormat.table.print(out(), payout.columns(), payout.rows(), payout.truncated());
    }
    out().println();
    out().printf(
        "Done: dataset %s has %d records in ingest.records; published as %s (asset %d, version %d).%n",
        result.datasetId(), result.datasetRecords(), publication.tag(), publication.assetId(), publication.versionId());
    out().printf("Try: ./ledgerlake sql \"select count(*) from ingest.records\"%n");
    out().printf("Or see it in the web console: ./ledgerlake up, then open http://127.0.0.1:8080/ and sign in with "
        + "the first contributor's development key (README, docs/console.md)%n");
    return 0;
  }

  /**
   * Step 5: what 'ledgerlake label run' does (under 'ledgerlake up' the streaming labeling job does it as records
   * arrive), then the curated view's summary from 'ledgerlake quality'.
   */
  private void label(String datasetId) {
    out().printf("Step 5/%d: label the records (language, quality, duplicates, PII, harmful content) and curate%n", Demo.STEPS);
    LabelingOptions options = LabelSettings.options(settings());
    try (Lakehouse lakehouse = openLakehouse()) {
      LabelingStage.Summary s = new LabelingStage(lakehouse, new LabelingPipeline(options),
          LabelSettings.stageOptions(settings())).runOnce();
      out().printf("  labeled %d new record(s), %d label row(s) in label.labels%n", s.records(), s.labelRows());
      QualityReport report = new QualityReports(lakehouse, options).build(datasetId, 0, 1);
      out().printf("  %d record(s) labeled in %s: %d in the curated view, %d excluded%s%n", report.records(), datasetId,
          report.included(), report.records() - report.included(),
          report.exclusionsByReason().isEmpty() ? "" : " " + report.exclusionsByReason());
      for (String key : List.of("lang", "quality", "pii", "near_dup")) {
        if (report.labelDistribution().containsKey(key)) {
          out().printf("  %s: %s%n", key, report.labelDistribution().get(key));
        }
      }
    }
    out().flush();
  }
}
