package io.ledgerlake.cli.train;

import io.ledgerlake.cli.LakehouseCommand;
import io.ledgerlake.cli.content.ContentSettings;
import io.ledgerlake.jobs.JobRunner;
import io.ledgerlake.lakehouse.Lakehouse;
import io.ledgerlake.lakehouse.spark.SparkOptions;
import io.ledgerlake.training.Algorithm;
import io.ledgerlake.training.LabelSource;
import io.ledgerlake.training.TrainJob;
import io.ledgerlake.training.TrainParams;
import io.ledgerlake.training.TrainResult;
import io.ledgerlake.training.TrainingOptions;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(
    name = "train",
    description = {
      "Train a classifier (Spark MLlib) on the curated view of a published dataset version.",
      "Reads the version's records at its tag (never 'latest'), without the records curation excluded",
      "(unless --include-excluded), PII-redacted text; splits train/test by record CID; writes the model",
      "to the content store (its CID names a canonical export: same inputs and seed, same CID), ml.models,",
      "ml.runs, ops.job_runs and lineage (dataset version -> model)."
    })
public final class TrainCommand extends LakehouseCommand {
  @CommandLine.Mixin io.ledgerlake.cli.HelpOption help;

  @Option(names = "--dataset", required = true, paramLabel = "ID", description = "Dataset id.")
  String dataset;

  @Option(names = "--version", required = true, paramLabel = "TAG", description = "Published version tag, e.g. ds-demo0001-v1.")
  String version;

  @Option(names = "--label", defaultValue = "field:label", paramLabel = "SOURCE",
      description = "field:<name> (a record field) or consensus:<label key> (label.consensus). Default: ${DEFAULT-VALUE}.")
  String label;

  @Option(names = "--algorithm", defaultValue = "logreg", paramLabel = "A",
      description = "logreg | mlp | forest. Default: ${DEFAULT-VALUE}.")
  String algorithm;

  @Option(names = "--seed", defaultValue = "42", description = "Random seed. Default: ${DEFAULT-VALUE}.")
  long seed;

  @Option(names = "--include-excluded", description = "Also train on records curation excluded (duplicates, harmful, unredactable PII).")
  boolean includeExcluded;

  @Option(names = "--features", paramLabel = "N", description = "Hashed text features (default ledgerlake.training.num-features, 16384).")
  Integer features;

  @Option(names = "--max-iter", paramLabel = "N", description = "Iterations (default ledgerlake.training.max-iter, 100).")
  Integer maxIter;

  @Option(names = "--test-percent", paramLabel = "P", description = "Held-out share by record CID hash (default 20).")
  Integer testPercent;

  @Option(names = "--text-field", paramLabel = "F", description = "Record field with the text (default 'text').")
  String textField;

  @Option(names = "--gpu", paramLabel = "MODE", arity = "0..1", fallbackValue = "true",
      description = "Run Spark with the RAPIDS Accelerator: true (a GPU is required), auto, false. Default: ledgerlake.spark.gpu (false).")
  String gpu;

  @Override
  public Integer call() throws Exception {
    var settings = gpu == null ? settings() : settings().withOverrides(java.util.Map.of(SparkOptions.GPU, gpu));
    // The GPU decision first: '--gpu' without a GPU is a one-line error before anything runs or is recorded.
    io.ledgerlake.lakehouse.spark.SparkGpu.properties(SparkOptions.from(settings).gpu(),
        io.ledgerlake.lakehouse.spark.SparkGpu.Probe.nvidiaSmi(), io.ledgerlake.lakehouse.spark.SparkGpu.pluginOnClasspath());
    TrainingOptions defaults = TrainingOptions.from(settings);
    TrainParams params = new TrainParams(dataset, version, LabelSource.parse(label), Algorithm.of(algorithm), seed,
        includeExcluded, textField != null ? textField : defaults.textField(),
        features != null ? features : defaults.numFeatures(), maxIter != null ? maxIter : defaults.maxIter(),
        testPercent != null ? testPercent : defaults.testPercent());
    try (Lakehouse lakehouse = openLakehouse()) {
      TrainResult r = new JobRunner(lakehouse, out())
          .run(new TrainJob(ContentSettings.open(settings), SparkOptions.from(settings)), params);
      out().printf("Trained %s: %s%n", r.modelId(), r.modelCid());
      return 0;
    }
  }
}
