package io.ledgerlake.cli.train;

import io.ledgerlake.cli.LakehouseCommand;
import io.ledgerlake.cli.output.ResultFormat;
import io.ledgerlake.lakehouse.Lakehouse;
import io.ledgerlake.lakehouse.tables.TableModel;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.apache.iceberg.Table;
import org.apache.iceberg.data.IcebergGenerics;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.io.CloseableIterable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(
    name = "models",
    mixinStandardHelpOptions = true,
    description = {"List trained models (ml.models): id, CID, algorithm, what they were trained on, test metrics."})
public final class ModelsCommand extends LakehouseCommand {
  @Option(names = "--format", defaultValue = "table", description = "Output format: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
  ResultFormat format;

  @Option(names = "--dataset", paramLabel = "ID", description = "Only models of this dataset.")
  String dataset;

  @Override
  public Integer call() throws IOException {
    List<String> columns = List.of("model_id", "algorithm", "version_tag", "label_source", "records", "accuracy",
        "macro_f1", "model_cid", "created_at");
    List<Record> models = new ArrayList<>();
    try (Lakehouse lakehouse = openLakehouse()) {
      lakehouse.init();
      Table table = lakehouse.table(TableModel.ML_MODELS);
      try (CloseableIterable<Record> rows = IcebergGenerics.read(table).build()) {
        rows.forEach(r -> {
          if (dataset == null || dataset.equals(r.getField("dataset_id"))) {
            models.add(r.copy());
          }
        });
      }
    }
    models.sort(Comparator.comparing(r -> r.getField("created_at").toString()));
    List<List<Object>> out = new ArrayList<>();
    for (Record r : models) {
      out.add(java.util.Arrays.asList(r.getField("model_id"), r.getField("algorithm"), r.getField("version_tag"),
          r.getField("label_source"), r.getField("record_count"), round(r.getField("accuracy")),
          round(r.getField("macro_f1")), r.getField("model_cid"), r.getField("created_at")));
    }
    format.print(out(), columns, out, false);
    return 0;
  }

  private static Object round(Object v) {
    return v instanceof Double d ? Math.round(d * 10_000) / 10_000.0 : v;
  }
}
