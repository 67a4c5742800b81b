package io.ledgerlake.cli.rag;

import io.ledgerlake.cli.LakehouseCommand;
import io.ledgerlake.jobs.JobRunner;
import io.ledgerlake.lakehouse.Lakehouse;
import io.ledgerlake.lakehouse.spark.SparkOptions;
import io.ledgerlake.rag.RagOptions;
import io.ledgerlake.rag.embed.EmbedJob;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "embed", mixinStandardHelpOptions = true,
    description = {"Embed the curated, PII-redacted text of a dataset version into rag.embeddings (Spark job,",
        "all-MiniLM-L6-v2 inside the jar, nothing downloaded). Records already embedded with the same model are",
        "skipped, so a rerun changes nothing and a later version embeds only its new records."})
public final class EmbedCommand extends LakehouseCommand {
  @CommandLine.Mixin io.ledgerlake.cli.HelpOption help;

  @Option(names = "--dataset", required = true, description = "dataset id") String dataset;
  @Option(names = "--version", required = true, description = "version tag, e.g. ds-abc-v1") String version;

  @Override
  public Integer call() throws Exception {
    try (Lakehouse lakehouse = openLakehouse()) {
      lakehouse.init();
      EmbedJob.Result r = new JobRunner(lakehouse, out()).run(
          new EmbedJob(SparkOptions.from(settings()), RagOptions.from(settings())),
          new EmbedJob.Params(dataset, version));
      out().printf("Embedded %d record(s) of %s as %d chunk(s) with %s; %d already embedded%n", r.embeddedRecords(),
          r.versionTag(), r.chunks(), r.modelId(), r.skippedRecords());
    }
    return 0;
  }
}
