package io.ledgerlake.cli.label;

import io.ledgerlake.cli.LakehouseCommand;
import io.ledgerlake.labeling.LabelingOptions;
import io.ledgerlake.labeling.LabelingPipeline;
import io.ledgerlake.labeling.annotation.Annotation;
import io.ledgerlake.labeling.consensus.AnnotatorQuality;
import io.ledgerlake.labeling.consensus.DatasetConsensus;
import io.ledgerlake.labeling.stage.AnnotationTable;
import io.ledgerlake.labeling.stage.ConsensusJob;
import io.ledgerlake.labeling.stage.LabelingStage;
import io.ledgerlake.labeling.stage.LabelingStageException;
import io.ledgerlake.labeling.ErrorCategory;
import io.ledgerlake.lakehouse.Lakehouse;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
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
    public Integer call() {
      LabelingOptions options = LabelSettings.options(settings());
      try (Lakehouse lakehouse = openLakehouse()) {
        lakehouse.init();
        LabelingStage.Summary s = new LabelingStage(lakehouse, new LabelingPipeline(options),
            LabelSettings.stageOptions(settings())).runOnce();
        out().printf("labeled %d record(s), %d label row(s) in %d commit(s); up to ingest.records snapshot %s%n",
            s.records(), s.labelRows(), s.commits(), s.cursor() == null ? "-" : s.cursor());
      }
      return 0;
    }
  }

  @Command(name = "tasks", mixinStandardHelpOptions = true,
      description = "The annotator's next records of a dataset (never one they answered; at most the overlap).")
  public static final class Tasks extends LakehouseCommand {
    @Option(names = "--dataset", required = true) String dataset;
    @Option(names = "--annotator", required = true, description = "EVM address of the annotator") String annotator;
    @Option(names = "--limit", defaultValue = "10") int limit;
    @Option(names = "--overlap", description = "annotators per record (default ledgerlake.labeling.annotation.overlap)")
    Integer overlap;

    @Override
    public Integer call() {
      int n = overlap != null ? overlap : LabelSettings.options(settings()).annotationOverlap();
      try (Lakehouse lakehouse = openLakehouse()) {
        new AnnotationTable(lakehouse).nextTasks(dataset, annotator.toLowerCase(Locale.ROOT), n, limit)
            .forEach(out()::println);
      }
      return 0;
    }
  }

  @Command(name = "annotate", mixinStandardHelpOptions = true,
      description = "Store an annotation in label.annotations; replaying the same --id is a no-op.")
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
        int added = new AnnotationTable(lakehouse).append(List.of(new Annotation(annotationId, dataset, record,
            annotator.toLowerCase(Locale.ROOT), values, timeMs, Instant.now(), Annotation.Status.SUBMITTED)));
        out().printf("%s %s%n", annotationId, added == 1 ? "stored" : "already stored (replay)");
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
      Annotation.Status status = switch (decision.toLowerCase(Locale.ROOT)) {
        case "accept" -> Annotation.Status.ACCEPTED;
        case "reject" -> Annotation.Status.REJECTED;
        case "requeue" -> Annotation.Status.SUBMITTED;
        default -> throw new LabelingStageException(ErrorCategory.USER_ERROR,
            "--decision must be accept, reject or requeue, got '" + decision + "'");
      };
      try (Lakehouse lakehouse = openLakehouse()) {
        new AnnotationTable(lakehouse).review(dataset, annotation, reviewer.toLowerCase(Locale.ROOT), status,
            OffsetDateTime.now(ZoneOffset.UTC));
      }
      out().printf("%s %s%n", annotation, decision.toLowerCase(Locale.ROOT));
      return 0;
    }
  }

  @Command(name = "consensus", mixinStandardHelpOptions = true,
      description = "Majority vote and Dawid-Skene over the dataset's annotations into label.consensus.")
  public static final class Consensus extends LakehouseCommand {
    @Option(names = "--dataset", required = true) String dataset;

    @Override
    public Integer call() {
      try (Lakehouse lakehouse = openLakehouse()) {
        lakehouse.init();
        ConsensusJob.Result r = new ConsensusJob(lakehouse, LabelSettings.options(settings())).run(dataset);
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
