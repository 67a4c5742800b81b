package io.ledgerlake.cli.train;

import io.ledgerlake.cli.LakehouseCommand;
import io.ledgerlake.jobs.JobRunner;
import io.ledgerlake.lakehouse.Lakehouse;
import io.ledgerlake.lakehouse.spark.SparkOptions;
import io.ledgerlake.training.PredictJob;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(
    name = "predict",
    description = {"Predict with a trained model over the curated view of a published version, into ml.predictions",
        "(once per model and version; query it with 'ledgerlake sql')."})
public final class PredictCommand extends LakehouseCommand {
  @CommandLine.Mixin io.ledgerlake.cli.HelpOption help;

  @Option(names = "--model", required = true, paramLabel = "MODEL_ID", description = "A model from 'ledgerlake models'.")
  String model;

  @Option(names = "--dataset", required = true, paramLabel = "ID", description = "Dataset id.")
  String dataset;

  @Option(names = "--version", required = true, paramLabel = "TAG", description = "Published version tag.")
  String version;

  @Override
  public Integer call() throws Exception {
    try (Lakehouse lakehouse = openLakehouse()) {
      PredictJob.Result r = new JobRunner(lakehouse, out())
          .run(new PredictJob(SparkOptions.from(settings())), new PredictJob.Params(model, dataset, version));
      out().printf("%d prediction(s) of %s by %s in ml.predictions%n", r.predictions(), version, model);
      return 0;
    }
  }
}
