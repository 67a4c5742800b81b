package io.ledgerlake.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.ledgerlake.lakehouse.Lakehouse;
import io.ledgerlake.lakehouse.LakehouseOptions;
import io.ledgerlake.lakehouse.tables.TableModel;
import io.ledgerlake.lakehouse.write.Rows;
import io.ledgerlake.lakehouse.write.TableAppender;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.iceberg.Table;
import org.apache.iceberg.data.Record;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** ledgerlake label run|tasks|annotate|review|consensus and quality, through the real entry point. */
class LabelCliTest {
  static final String TEXT = "The committee met on Tuesday to review the budget for the new library wing and agreed"
      + " to publish the minutes next week so that every resident can read the decisions and send comments.";

  @TempDir Path dir;


  @BeforeEach
  void isolateEnvironment() {
    LedgerLake.environmentForTests(Map.of());
  }

  @AfterEach
  void restoreEnvironment() {
    LedgerLake.environmentForTests(null);
  }

  CliRun run(String... args) {
    return CliRun.run(dir.resolve("data"), args);
  }

  void ingest(String... cidAndText) {
    try (Lakehouse lakehouse = Lakehouse.open(LakehouseOptions.embedded(dir.resolve("data")))) {
      lakehouse.init();
      Table records = lakehouse.table(TableModel.INGEST_RECORDS);
      List<Record> rows = new ArrayList<>();
      for (int i = 0; i < cidAndText.length; i += 2) {
        String json = "{\"text\":\"" + cidAndText[i + 1] + "\"}";
        Map<String, Object> v = new HashMap<>();
        v.put("record_cid", cidAndText[i]);
        v.put("dataset_id", "ds1");
        v.put("submission_id", "sub-1");
        v.put("contributor", "0x" + "ab".repeat(20));
        v.put("content_cid", "bafybeicontent");
        v.put("record_json", json);
        v.put("byte_size", json.length());
        v.put("ingested_at", OffsetDateTime.of(2026, 11, 22, 0, 0, 0, 0, ZoneOffset.UTC));
        rows.add(Rows.of(records.schema(), v));
      }
      TableAppender.append(records, rows);
    }
  }

  @Test
  void labelAnnotateReviewConsensusQuality() {
    ingest("cid1", TEXT, "cid2", TEXT);
    CliRun labeled = run("label", "run");
    assertThat(labeled.code()).as(labeled.err()).isZero();
    assertThat(labeled.out()).startsWith("labeled 2 record(s)");
    assertThat(run("label", "run").out()).startsWith("labeled 0 record(s)");

    CliRun tasks = run("label", "tasks", "--dataset", "ds1", "--annotator", "0xA1", "--overlap", "2");
    assertThat(tasks.out().lines()).containsExactly("cid1", "cid2");
    assertThat(run("label", "annotate", "--dataset", "ds1", "--record", "cid1", "--annotator", "0xA1", "--value", "pos",
        "--id", "x1").out()).contains("x1 stored");
    assertThat(run("label", "annotate", "--dataset", "ds1", "--record", "cid1", "--annotator", "0xA1", "--value", "pos",
        "--id", "x1").out()).contains("already stored");
    run("label", "annotate", "--dataset", "ds1", "--record", "cid1", "--annotator", "0xA2", "--value", "pos", "--id", "x2");
    run("label", "annotate", "--dataset", "ds1", "--record", "cid2", "--annotator", "0xA2", "--value", "neg", "--id", "x3");
    assertThat(run("label", "tasks", "--dataset", "ds1", "--annotator", "0xa1", "--overlap", "2").out().lines())
        .as("a1 answered cid1 already").containsExactly("cid2");
    assertThat(run("label", "tasks", "--dataset", "ds1", "--annotator", "0xa3", "--overlap", "2").out().lines())
        .as("cid1 is full").containsExactly("cid2");

    CliRun bad = run("label", "review", "--dataset", "ds1", "--annotation", "x1", "--reviewer", "0xR", "--decision", "maybe");
    assertThat(bad.code()).isEqualTo(2);
    assertThat(run("label", "review", "--dataset", "ds1", "--annotation", "x1", "--reviewer", "0xR", "--decision",
        "accept").code()).isZero();

    CliRun consensus = run("label", "consensus", "--dataset", "ds1");
    assertThat(consensus.code()).as(consensus.err()).isZero();
    assertThat(consensus.out()).contains("4 row(s) in label.consensus").contains("majority_vote: 2 record(s) from 3 vote(s)");

    // The documented SQL (docs/labeling.md, "Curated view in SQL") runs as written.
    CliRun exclusions = run("sql", "select dataset_id, record_cid, substring(label_key, 20) as reason, value as detail,"
        + " labeler || '@' || labeler_version as decided_by, labeled_at from label.labels"
        + " where labeler = 'curation' and label_key like 'curation.exclusion.%'", "--format", "csv");
    assertThat(exclusions.code()).as(exclusions.err()).isZero();
    assertThat(exclusions.out()).contains("ds1,cid2,EXACT_DUPLICATE,canonical=cid1,curation@1+exact_duplicate+harmful+near_duplicate+unredactable_pii,");
    CliRun curated = run("sql", "select r.dataset_id, r.record_cid, coalesce(p.value, get_json_object(r.record_json,"
        + " '$.text')) as text from ingest.records r join label.labels c on c.record_cid = r.record_cid"
        + " and c.dataset_id = r.dataset_id and c.labeler = 'curation' and c.label_key = 'curation'"
        + " and c.value = 'included' left join label.labels p on p.record_cid = r.record_cid"
        + " and p.dataset_id = r.dataset_id and p.labeler = 'pii' and p.label_key = 'pii.redacted_text'"
        + " where r.dataset_id = 'ds1'", "--format", "csv");
    assertThat(curated.code()).as(curated.err()).isZero();
    assertThat(curated.out()).contains("ds1,cid1,The committee met").doesNotContain("cid2");
    CliRun current = run("sql", "select record_cid, method, value from label.consensus where run_id = (select"
        + " max_by(run_id, computed_at) from label.consensus where dataset_id = 'ds1') order by record_cid, method",
        "--format", "csv");
    assertThat(current.code()).as(current.err()).isZero();
    assertThat(current.out()).contains("cid1,dawid-skene,pos").contains("cid2,majority-vote,neg");

    CliRun quality = run("quality", "--dataset", "ds1", "--min-answers", "1");
    assertThat(quality.code()).as(quality.err()).isZero();
    assertThat(quality.out()).contains("records: 2, in curated view: 1, excluded: 1").contains("EXACT_DUPLICATE");
  }
}
