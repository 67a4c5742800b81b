package io.ledgerlake.rag.embed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.ledgerlake.common.ErrorCategory;
import io.ledgerlake.jobs.JobRunner;
import io.ledgerlake.lakehouse.Lakehouse;
import io.ledgerlake.lakehouse.LakehouseException;
import io.ledgerlake.lakehouse.LakehouseOptions;
import io.ledgerlake.common.config.Settings;
import io.ledgerlake.lakehouse.spark.SparkOptions;
import io.ledgerlake.lakehouse.tables.TableModel;
import io.ledgerlake.rag.RagFixture;
import io.ledgerlake.rag.RagOptions;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.iceberg.Table;
import org.apache.iceberg.data.IcebergGenerics;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.io.CloseableIterable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The embedding job on a real Iceberg catalog (SQLite), a real Spark local session and the real model. */
class EmbedJobTest {
  static final String DS = "ds-rag1";
  static final String LONG_TEXT = String.join(" ", java.util.Collections.nCopies(60,
      "Rivers carry sediment from the mountains down to the sea over many years."));

  @TempDir Path dir;
  Lakehouse lakehouse;
  JobRunner runner;
  EmbedJob job;

  @BeforeEach
  void open() {
    lakehouse = Lakehouse.open(LakehouseOptions.embedded(dir));
    lakehouse.init();
    runner = new JobRunner(lakehouse, new PrintWriter(new StringWriter()));
    job = new EmbedJob(SparkOptions.from(Settings.empty()), RagOptions.defaults());
  }

  @AfterEach
  void close() {
    lakehouse.close();
  }

  @Test
  @SuppressWarnings("unchecked")
  void embedsCuratedRedactedTextOnceAndOnlyNewRecordsOfLaterVersions() throws Exception {
    Map<String, String> v1 = new LinkedHashMap<>();
    v1.put("cid-cat", "The cat sits on the mat.");
    v1.put("cid-mail", "Write to jane.doe@example.com about the harvest festival.");
    v1.put("cid-long", LONG_TEXT);
    v1.put("cid-harm", "Something the harm labeler flagged.");
    v1.put("cid-new", "Not labeled yet.");
    RagFixture.ingest(lakehouse, DS, v1);
    RagFixture.ingest(lakehouse, "ds-other", Map.of("cid-other", "Another dataset's record."));
    for (String cid : List.of("cid-cat", "cid-mail", "cid-long")) {
      RagFixture.curate(lakehouse, DS, cid, true, RagFixture.T0);
    }
    RagFixture.curate(lakehouse, DS, "cid-harm", false, RagFixture.T0);
    RagFixture.redact(lakehouse, DS, "cid-mail", "Write to [EMAIL] about the harvest festival.");
    RagFixture.tag(lakehouse, DS + "-v1");

    EmbedJob.Result first = runner.run(job, new EmbedJob.Params(DS, DS + "-v1"));
    assertThat(first.curatedRecords()).isEqualTo(3);
    assertThat(first.embeddedRecords()).isEqualTo(3);
    List<Record> rows = rows();
    assertThat(rows).hasSize((int) first.chunks());
    assertThat(rows).extracting(r -> r.getField("record_cid")).containsOnly("cid-cat", "cid-mail", "cid-long");
    // the long text is chunked: chunk indexes 0..n-1, each chunk its own unit vector
    List<Integer> longChunks = rows.stream().filter(r -> r.getField("record_cid").equals("cid-long"))
        .map(r -> (Integer) r.getField("chunk")).sorted().toList();
    assertThat(longChunks).hasSizeGreaterThan(3).startsWith(0, 1, 2);
    assertThat(longChunks.get(longChunks.size() - 1)).isEqualTo(longChunks.size() - 1);
    for (Record r : rows) {
      List<Float> vector = (List<Float>) r.getField("vector");
      assertThat(vector).hasSize(384);
      assertThat(r.getField("dimensions")).isEqualTo(384);
      assertThat(vector.stream().mapToDouble(f -> f * f).sum()).isCloseTo(1.0, within(1e-4));
      assertThat(r.getField("model_id")).isEqualTo(SentenceEmbedder.MODEL_ID);
      assertThat(r.getField("model_sha256")).isEqualTo(SentenceEmbedder.shared().modelSha256());
      assertThat(r.getField("version_tag")).isEqualTo(DS + "-v1");
      assertThat(r.getField("contributor")).isEqualTo(RagFixture.contributorOf((String) r.getField("record_cid")));
    }
    Record mail = rows.stream().filter(r -> r.getField("record_cid").equals("cid-mail")).findFirst().orElseThrow();
    assertThat(mail.getField("text")).isEqualTo("Write to [EMAIL] about the harvest festival.");

    // rerun on the same version: nothing to embed, nothing written
    long snapshotBefore = lakehouse.table(TableModel.RAG_EMBEDDINGS).currentSnapshot().snapshotId();
    EmbedJob.Result again = runner.run(job, new EmbedJob.Params(DS, DS + "-v1"));
    assertThat(again.embeddedRecords()).isZero();
    assertThat(again.skippedRecords()).isEqualTo(3);
    assertThat(again.outputs()).isEmpty();
    Table table = lakehouse.table(TableModel.RAG_EMBEDDINGS);
    table.refresh();
    assertThat(table.currentSnapshot().snapshotId()).isEqualTo(snapshotBefore);

    // v2: one new curated record, and the unlabeled one is now curated: only those two are embedded
    RagFixture.ingest(lakehouse, DS, Map.of("cid-dog", "A dog runs in the park."));
    RagFixture.curate(lakehouse, DS, "cid-dog", true, RagFixture.T0);
    RagFixture.curate(lakehouse, DS, "cid-new", true, RagFixture.T0);
    RagFixture.tag(lakehouse, DS + "-v2");
    EmbedJob.Result second = runner.run(job, new EmbedJob.Params(DS, DS + "-v2"));
    assertThat(second.curatedRecords()).isEqualTo(5);
    assertThat(second.embeddedRecords()).isEqualTo(2);
    assertThat(second.chunks()).isEqualTo(2);
    assertThat(rows()).hasSize((int) (first.chunks() + 2));
  }

  @Test
  void unknownTagOrAnotherDatasetsTagIsAUserError() {
    RagFixture.ingest(lakehouse, DS, Map.of("cid-a", "text"));
    RagFixture.tag(lakehouse, DS + "-v1");
    assertThatThrownBy(() -> runner.run(job, new EmbedJob.Params(DS, DS + "-v9")))
        .isInstanceOfSatisfying(LakehouseException.class,
            e -> assertThat(e.category()).isEqualTo(ErrorCategory.USER_ERROR))
        .hasMessageContaining(DS + "-v9");
    assertThatThrownBy(() -> runner.run(job, new EmbedJob.Params("ds-other", DS + "-v1")))
        .isInstanceOfSatisfying(LakehouseException.class,
            e -> assertThat(e.category()).isEqualTo(ErrorCategory.USER_ERROR))
        .hasMessageContaining("not a version tag of dataset ds-other");
  }

  private List<Record> rows() throws IOException {
    Table table = lakehouse.table(TableModel.RAG_EMBEDDINGS);
    table.refresh();
    List<Record> out = new ArrayList<>();
    try (CloseableIterable<Record> it = IcebergGenerics.read(table).build()) {
      it.forEach(out::add);
    }
    return out;
  }
}
