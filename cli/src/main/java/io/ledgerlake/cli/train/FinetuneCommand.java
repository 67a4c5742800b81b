package io.ledgerlake.cli.train;

import io.ledgerlake.cli.LakehouseCommand;
import io.ledgerlake.cli.content.ContentSettings;
import io.ledgerlake.jobs.JobRunner;
import io.ledgerlake.lakehouse.Lakehouse;
import io.ledgerlake.lakehouse.spark.SparkOptions;
import io.ledgerlake.training.Algorithm;
import io.ledgerlake.training.BaseModel;
import io.ledgerlake.training.LabelSource;
import io.ledgerlake.training.TrainJob;
import io.ledgerlake.training.TrainParams;
import io.ledgerlake.training.TrainResult;
import io.ledgerlake.training.TrainingOptions;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(
    name = "finetune",
    description = {
      "Fine-tune a trained model (warm start from its weights) on a published dataset version.",
      "Only mlp models can be warm-started in MLlib; the base's features, classes and network shape are kept.",
      "--incremental reads only the records added to the base's dataset since the base's version.",
      "The new model records the base as its parent (ml.models, lineage); 'publish --model' registers both",
      "the dataset version and the base model version as its on-chain parents, so royalties reach both."
    })
public final class FinetuneCommand extends LakehouseCommand {
  @CommandLine.Mixin io.ledgerlake.cli.HelpOption help;

  @Option(names = "--base", required = true, paramLabel = "MODEL_ID", description = "The model to start from.")
  String base;

  @Option(names = "--dataset", required = true, paramLabel = "ID", description = "Dataset id.")
  String dataset;

  @Option(names = "--version", required = true, paramLabel = "TAG", description = "Published version tag.")
  String version;

  @Option(names = "--incremental", description = "Only records added since the base model's version (same dataset).")
  boolean incremental;

  @Option(names = "--label", defaultValue = "field:label", paramLabel = "SOURCE", description = "As for train. Default: ${DEFAULT-VALUE}.")
  String label;

  @Option(names = "--seed", defaultValue = "42", description = "Random seed. Default: ${DEFAULT-VALUE}.")
  long seed;

  @Option(names = "--max-iter", paramLabel = "N", description = "Iterations (default ledgerlake.training.max-iter, 100).")
  Integer maxIter;

  @Option(names = "--include-excluded", description = "Also train on records curation excluded.")
  boolean includeExcluded;

  @Override
  public Integer call() throws Exception {
    var settings = settings();
    TrainingOptions defaults = TrainingOptions.from(settings);
    try (Lakehouse lakehouse = openLakehouse()) {
      TrainParams params = new TrainParams(dataset, version, LabelSource.parse(label), Algorithm.MLP, seed,
          includeExcluded, defaults.textField(), BaseModel.numFeaturesOf(lakehouse, base),
          maxIter != null ? maxIter : defaults.maxIter(), defaults.testPercent(), base, incremental);
      TrainResult r = new JobRunner(lakehouse, out())
          .run(new TrainJob(ContentSettings.open(settings), SparkOptions.from(settings)), params);
      out().printf("Fine-tuned %s from %s: %s%n", r.modelId(), base, r.modelCid());
      return 0;
    }
  }
}
