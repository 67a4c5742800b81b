package io.ledgerlake.cli;

import io.ledgerlake.cli.chain.ChainSettings;
import io.ledgerlake.cli.content.ContentSettings;
import io.ledgerlake.cli.index.IndexSettings;
import io.ledgerlake.cli.output.ResultFormat;
import io.ledgerlake.content.ContentStore;
import io.ledgerlake.indexer.Indexer;
import io.ledgerlake.jobs.demo.Demo;
import io.ledgerlake.jobs.demo.DemoMarket;
import io.ledgerlake.jobs.publish.DatasetPublisher;
import io.ledgerlake.jobs.reconcile.ReconcileReport;
import io.ledgerlake.jobs.reconcile.Reconciler;
import io.ledgerlake.lakehouse.Lakehouse;
import io.ledgerlake.lakehouse.spark.LakehouseSpark;
import io.ledgerlake.lakehouse.spark.QueryResult;
import io.ledgerlake.lakehouse.spark.SparkOptions;
import io.ledgerlake.provenance.ProvenanceOptions;
import io.ledgerlake.provenance.chain.ProvenanceClient;
import io.ledgerlake.provenance.local.LocalChain;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(
    name = "demo",
    mixinStandardHelpOptions = true,
    description = {
      "Run the main job end to end on the embedded defaults.",
      "Ingests a small generated dataset into ingest.records (uploads in the content store,",
      "lineage in lineage.events), publishes it as a version on a local anvil chain with",
      "one receipt per contributor, sells a license, explains the payout, indexes the chain,",
      "reconciles it with the lakehouse and content store, and queries the lakehouse with",
      "Spark SQL. Running it again adds nothing: content is recognised by CID."
    })
final class DemoCommand extends LakehouseCommand {
  @Option(
      names = "--records",
      defaultValue = "300",
      description = "Records to generate (default: ${DEFAULT-VALUE}).")
  int records;

  @Override
  public Integer call() {
    var settings = settings();
    ContentStore content = ContentSettings.open(settings);
    ProvenanceOptions chainOptions = ChainSettings.options(settings);
    // Stop the local chain afterwards only if the demo started it (its state is kept on disk).
    boolean startedChain = !ChainSettings.external(settings) && LocalChain.running(chainOptions).isEmpty();
    try (Lakehouse lakehouse = openLakehouse()) {
      Demo.Result result = new Demo(lakehouse, content, out()).run(records);
      DatasetPublisher.Publication publication;
      try (ProvenanceClient chain = ChainSettings.client(settings, true)) {
        publication = new DemoMarket(lakehouse, content, chain, out()).run(result.recordsWritten() > 0);
        out().printf("Step 6/%d: index the chain into chain.*%n", Demo.STEPS);
        try (Indexer indexer = IndexSettings.connect(lakehouse, settings)) {
          out().printf("  %s%n", indexer.runOnce().describe());
        }
        out().printf("Step 7/%d: reconcile chain, lakehouse and content store%n", Demo.STEPS);
        ReconcileReport reconciled = new Reconciler(lakehouse, content).run();
        reconciled.discrepancies().forEach(i -> out().printf("  %s%n", i.describe()));
        out().printf("  %d item(s) checked, %d discrepancies (ops.reconciliation, run %s)%n",
            reconciled.items().size(), reconciled.discrepancies().size(), reconciled.runId());
      } finally {
        if (startedChain) {
          LocalChain.down(chainOptions);
        }
      }
      out().printf("Step 8/%d: query with Spark SQL%n  %s%n", Demo.STEPS, Demo.QUERY);
      var spark = LakehouseSpark.session(lakehouse.options(), SparkOptions.from(settings));
      QueryResult rows = Demo.query(spark);
      ResultFormat.table.print(out(), rows.columns(), rows.rows(), rows.truncated());
      out().printf("  the payout, explained from the indexed chain (docs/sql.md has more):%n");
      QueryResult payout = Demo.explainPayout(spark);
      ResultFormat.table.print(out(), payout.columns(), payout.rows(), payout.truncated());
      out().println();
      out().printf(
          "Done: dataset '%s' has %d records in ingest.records; published as %s (asset %d, version %d).%n",
          Demo.DATASET, result.datasetRecords(), publication.tag(), publication.assetId(), publication.versionId());
      out().printf("Try: ./ledgerlake sql \"select count(*) from ingest.records\"%n");
      return 0;
    }
  }
}
