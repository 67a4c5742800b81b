package io.ledgerlake.cli.label;

import io.ledgerlake.cli.LakehouseCommand;
import io.ledgerlake.common.ErrorCategory;
import io.ledgerlake.labeling.LabelingOptions;
import io.ledgerlake.labeling.annotation.Annotation;
import io.ledgerlake.labeling.consensus.AnnotatorQuality;
import io.ledgerlake.labeling.consensus.DatasetConsensus;
import io.ledgerlake.cli.ingest.IngestSettings;
import io.ledgerlake.ingestion.IngestionOptions;
import io.ledgerlake.labeling.annotation.AnnotationRequest;
import io.ledgerlake.labeling.annotation.Receipt;
import io.ledgerlake.labeling.api.AnnotationEndpoints;
import io.ledgerlake.labeling.stage.AnnotationWorkflow;
import io.ledgerlake.labeling.stage.ConsensusJob;
import io.ledgerlake.labeling.stage.LabelingStageException;
import io.ledgerlake.lakehouse.Lakehouse;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

@Command(
    name = "label",
    mixinStandardHelpOptions = true,
    description = "Run the labeling stage, annotate and review records, compute consensus.",
    subcommands = {LabelCommand.Run.class, LabelCommand.Tasks.class, LabelCommand.Annotate.class,
        LabelCommand.Review.class, LabelCommand.Consensus.class})
public final class LabelCommand implements Runnable {
  @Spec CommandSpec spec;

  @Override
  public void run() {
    throw new ParameterException(spec.commandLine(), "missing subcommand: run, tasks, annotate, review or consensus");
  }

  @Command(name = "run", mixinStandardHelpOptions = true,
      description = {"Label every ingest.records row added since the last labeling into label.labels (exactly once).",
          "Without Flink, for when 'ledgerlake up' is not running: under 'up' the streaming labeling job does this",
          "as records arrive, and this command refuses while it runs. Either continues where the other stopped."})
  public static final class Run extends LakehouseCommand {
    @Override
    public Integer call() throws Exception {
      LabelingOptions options = LabelSettings.options(settings());
      try (Lakehouse lakehouse = openLakehouse()) {
        lakehouse.init();
        // The job prints what it labeled.
        new io.ledgerlake.jobs.JobRunner(lakehouse, out()).run(
            new io.ledgerlake.jobs.maintenance.LabelRunJob(options, LabelSettings.stageOptions(settings())),
            new io.ledgerlake.jobs.maintenance.LabelRunJob.Params());
      }
      return 0;
    }
  }

  /** The same reservation and validation code as the annotation endpoints of the upload API. */
  static AnnotationWorkflow workflow(Lakehouse lakehouse, io.ledgerlake.common.config.Settings settings) {
    return new AnnotationWorkflow(lakehouse, AnnotationEndpoints.labelSchemas(
        io.ledgerlake.platform.JdbcDatasetCatalog.forCatalog(lakehouse.options(),
            Path.of(IngestSettings.ingestion(settings).getString(IngestionOptions.DATA_DIR)))),
        LabelSettings.options(settings), Clock.systemUTC());
  }

  @Command(name = "tasks", mixinStandardHelpOptions = true,
      description = "Reserve the annotator's next records of a dataset (never one they had; at most the overlap)"
          + " and print them: record CID, tab, the text to label (PII redacted).")
  public static final class Tasks extends LakehouseCommand {
    @Option(names = "--dataset", required = true) String dataset;
    @Option(names = "--annotator", required = true, description = "EVM address of the annotator") String annotator;
    @Option(names = "--limit", defaultValue = "10") int limit;

    @Override
    public Integer call() {
      try (Lakehouse lakehouse = openLakehouse()) {
        lakehouse.init();
        for (AnnotationWorkflow.Task t : workflow(lakehouse, settings()).nextTasks(dataset, annotator, limit)) {
          out().printf("%s\t%s%n", t.recordCid(), t.text().replace('\n', ' '));
        }
      }
      return 0;
    }
  }

  @Command(name = "annotate", mixinStandardHelpOptions = true,
      description = "Answer a reserved task (validated against the dataset's label schema); replaying the same --id"
          + " is a no-op.")
  public static final class Annotate extends LakehouseCommand {
    @Option(names = "--dataset", required = true) String dataset;
    @Option(names = "--record", required = true, description = "record CID") String record;
    @Option(names = "--annotator", required = true, description = "EVM address of the annotator") String annotator;
    @Option(names = "--value", required = true, split = ",", description = "label(s), comma-separated for multi-label")
    List<String> values;
    @Option(names = "--id", description = "annotation id (default: random); reuse it to replay safely") String id;
    @Option(names = "--time-ms", defaultValue = "0", description = "time spent") long timeMs;

    @Override
    public Integer call() {
      String annotationId = id != null ? id : UUID.randomUUID().toString();
      try (Lakehouse lakehouse = openLakehouse()) {
        lakehouse.init();
        Receipt<Annotation> r = workflow(lakehouse, settings()).submit(new AnnotationRequest(annotationId, dataset,
            record, annotator, values, timeMs));
        out().printf("%s %s%n", annotationId, r.replayed() ? "already stored (replay)" : "stored");
      }
      return 0;
    }
  }

  @Command(name = "review", mixinStandardHelpOptions = true, description = "Accept, reject or requeue an annotation.")
  public static final class Review extends LakehouseCommand {
    @Option(names = "--dataset", required = true) String dataset;
    @Option(names = "--annotation", required = true) String annotation;
    @Option(names = "--reviewer", required = true, description = "EVM address of the reviewer") String reviewer;
    @Option(names = "--decision", required = true, description = "accept | reject | requeue") String decision;

    @Override
    public Integer call() {
      io.ledgerlake.labeling.annotation.Review.Decision d;
      try {
        d = io.ledgerlake.labeling.annotation.Review.Decision.valueOf(decision.toUpperCase(Locale.ROOT));
      } catch (IllegalArgumentException e) {
        throw new LabelingStageException(ErrorCategory.USER_ERROR,
            "--decision must be accept, reject or requeue, got '" + decision + "'");
      }
      try (Lakehouse lakehouse = openLakehouse()) {
        lakehouse.init();
        Receipt<io.ledgerlake.labeling.annotation.Review> r = workflow(lakehouse, settings()).review(dataset,
            new io.ledgerlake.labeling.annotation.Review(UUID.randomUUID().toString(), annotation, reviewer, d, ""));
        out().printf("%s %s%s%n", annotation, decision.toLowerCase(Locale.ROOT),
            r.replayed() ? " (already recorded)" : "");
      }
      return 0;
    }
  }

  @Command(name = "consensus", mixinStandardHelpOptions = true,
      description = "Majority vote and Dawid-Skene over the dataset's annotations into label.consensus.")
  public static final class Consensus extends LakehouseCommand {
    @Option(names = "--dataset", required = true) String dataset;

    @Override
    public Integer call() throws Exception {
      try (Lakehouse lakehouse = openLakehouse()) {
        lakehouse.init();
        ConsensusJob.Result r = new io.ledgerlake.jobs.JobRunner(lakehouse, out()).run(
            new io.ledgerlake.jobs.maintenance.LabelConsensusJob(LabelSettings.options(settings())),
            new io.ledgerlake.jobs.maintenance.LabelConsensusJob.Params(dataset)).consensus();
        out().printf("run %s: %d row(s) in label.consensus%n", r.runId(), r.rows());
        r.byMethod().forEach((method, c) -> {
          out().printf("%s: %d record(s) from %d vote(s), Krippendorff's alpha %.3f%n",
              method.name().toLowerCase(Locale.ROOT), c.consensus().size(), c.votes(), c.krippendorffAlpha());
          if (method == DatasetConsensus.Method.DAWID_SKENE) {
            for (AnnotatorQuality.Accuracy a : c.vsConsensus().values().stream()
                .sorted(java.util.Comparator.comparing(AnnotatorQuality.Accuracy::workerId)).toList()) {
              out().printf("  %-44s accuracy %.3f (%d answers)%n", a.workerId(), a.accuracy(), a.compared());
            }
          }
        });
      }
      return 0;
    }
  }
}
