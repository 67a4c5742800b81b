package io.ledgerlake.cli.label;

import io.ledgerlake.cli.LakehouseCommand;
import io.ledgerlake.labeling.stage.QualityReports;
import io.ledgerlake.lakehouse.Lakehouse;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "quality", mixinStandardHelpOptions = true,
    description = "A dataset's quality report: label distribution, exclusions by reason, agreement, annotators.")
public final class QualityCommand extends LakehouseCommand {
  @Option(names = "--dataset", required = true) String dataset;
  @Option(names = "--top", defaultValue = "5", description = "annotators listed at each end") int top;
  @Option(names = "--min-answers", defaultValue = "3", description = "answers needed to be ranked") int minAnswers;

  @Override
  public Integer call() {
    try (Lakehouse lakehouse = openLakehouse()) {
      lakehouse.init();
      out().print(new QualityReports(lakehouse, LabelSettings.options(settings())).build(dataset, top, minAnswers)
          .render());
    }
    return 0;
  }
}
