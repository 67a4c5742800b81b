package io.ledgerlake.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.ledgerlake.ingestion.dataset.DatasetDefinition;
import io.ledgerlake.ingestion.dataset.SubmitPolicy;
import io.ledgerlake.ingestion.dataset.Visibility;
import io.ledgerlake.ingestion.format.DataFormat;
import io.ledgerlake.lakehouse.Lakehouse;
import io.ledgerlake.lakehouse.LakehouseOptions;
import io.ledgerlake.lakehouse.tables.TableModel;
import io.ledgerlake.lakehouse.write.Rows;
import io.ledgerlake.lakehouse.write.TableAppender;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
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
  static final String TEXT2 = "Heavy rain is expected across the northern valleys this weekend, and farmers have been"
      + " advised to move livestock to higher ground and to check drainage channels before Friday evening.";

  static final String DS = "ds-cli00001";
  static final String A1 = "0x" + "a1".repeat(20);
  static final String A2 = "0x" + "a2".repeat(20);
  static final String A3 = "0x" + "a3".repeat(20);
  static final String REVIEWER = "0x" + "ee".repeat(20);

  static final String OVERLAP_2 = "ledgerlake.labeling.annotation.overlap=2";

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
        v.put("dataset_id", DS);
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

  /** The dataset definition as the upload API stores it ('ledgerlake dataset create --label-schema FILE'). */
  void defineDataset() throws Exception {
    DatasetDefinition def = new DatasetDefinition(DS, "cli", "", DataFormat.JSONL, Optional.empty(),
        "{\"version\":1,\"kind\":\"single_label\",\"classes\":[\"pos\",\"neg\"]}", Visibility.PUBLIC,
        "0x" + "ab".repeat(20), new SubmitPolicy(SubmitPolicy.Mode.OPEN, List.of()), Instant.now());
    Path file = dir.resolve("data").resolve("ingestion").resolve("datasets").resolve(DS + ".json");
    Files.createDirectories(file.getParent());
    Files.writeString(file, def.toJson().toString());
  }

  @Test
  void labelAnnotateReviewConsensusQuality() throws Exception {
    defineDataset();
    // cid3 repeats cid1: curation excludes it, so it is never offered to annotators
    ingest("cid1", TEXT, "cid2", TEXT2, "cid3", TEXT);
    CliRun labeled = run("label", "run");
    assertThat(labeled.code()).as(labeled.err()).isZero();
    assertThat(labeled.out()).startsWith("labeled 3 record(s)");
    assertThat(run("label", "run").out()).startsWith("labeled 0 record(s)");

    CliRun tasks = run("label", "tasks", "--dataset", DS, "--annotator", A1, "-D", OVERLAP_2);
    assertThat(tasks.code()).as(tasks.err()).isZero();
    assertThat(tasks.out().lines()).containsExactly("cid1\t" + TEXT, "cid2\t" + TEXT2);
    CliRun invalid = run("label", "annotate", "--dataset", DS, "--record", "cid1", "--annotator", A1, "--value",
        "maybe", "--id", "x0", "-D", OVERLAP_2);
    assertThat(invalid.code()).as("answers are validated against the label schema").isNotZero();
    assertThat(invalid.err()).contains("'maybe' is not a class").contains("[pos, neg]");
    assertThat(run("label", "annotate", "--dataset", DS, "--record", "cid1", "--annotator", A1, "--value", "pos",
        "--id", "x1", "-D", OVERLAP_2).out()).contains("x1 stored");
    assertThat(run("label", "annotate", "--dataset", DS, "--record", "cid1", "--annotator", A1, "--value", "pos",
        "--id", "x1", "-D", OVERLAP_2).out()).contains("already stored");
    CliRun unreserved = run("label", "annotate", "--dataset", DS, "--record", "cid1", "--annotator", A2, "--value",
        "pos", "--id", "x2", "-D", OVERLAP_2);
    assertThat(unreserved.code()).as("the same reservation rules as the API").isNotZero();
    assertThat(unreserved.err()).contains("not reserved");
    assertThat(run("label", "tasks", "--dataset", DS, "--annotator", A2, "-D", OVERLAP_2).code()).isZero();
    run("label", "annotate", "--dataset", DS, "--record", "cid1", "--annotator", A2, "--value", "pos", "--id", "x2",
        "-D", OVERLAP_2);
    run("label", "annotate", "--dataset", DS, "--record", "cid2", "--annotator", A2, "--value", "neg", "--id", "x3",
        "-D", OVERLAP_2);
    assertThat(run("label", "tasks", "--dataset", DS, "--annotator", A1, "-D", OVERLAP_2).out().lines())
        .as("a1 answered cid1 already and still holds cid2").containsExactly("cid2\t" + TEXT2);
    assertThat(run("label", "tasks", "--dataset", DS, "--annotator", A3, "-D", OVERLAP_2).out().lines())
        .as("cid1 is full; cid2 has one answer and a1's reservation").isEmpty();

    CliRun bad = run("label", "review", "--dataset", DS, "--annotation", "x1", "--reviewer", REVIEWER, "--decision",
        "maybe");
    assertThat(bad.code()).isEqualTo(2);
    assertThat(run("label", "review", "--dataset", DS, "--annotation", "x1", "--reviewer", REVIEWER, "--decision",
        "accept").code()).isZero();

    CliRun consensus = run("label", "consensus", "--dataset", DS);
    assertThat(consensus.code()).as(consensus.err()).isZero();
    assertThat(consensus.out()).contains("4 row(s) in label.consensus").contains("majority_vote: 2 record(s) from 3 vote(s)");

    // The documented SQL (docs/labeling.md, "Curated view in SQL") runs as written.
    CliRun exclusions = run("sql", "select dataset_id, record_cid, substring(label_key, 20) as reason, value as detail,"
        + " labeler || '@' || labeler_version as decided_by, labeled_at from label.labels"
        + " where labeler = 'curation' and label_key like 'curation.exclusion.%'", "--format", "csv");
    assertThat(exclusions.code()).as(exclusions.err()).isZero();
    assertThat(exclusions.out()).contains("" + DS + ",cid3,EXACT_DUPLICATE,canonical=cid1,curation@1+exact_duplicate+harmful+near_duplicate+unredactable_pii,");
    CliRun curated = run("sql", "select r.dataset_id, r.record_cid, coalesce(p.value, get_json_object(r.record_json,"
        + " '$.text')) as text from ingest.records r join label.labels c on c.record_cid = r.record_cid"
        + " and c.dataset_id = r.dataset_id and c.labeler = 'curation' and c.label_key = 'curation'"
        + " and c.value = 'included' left join label.labels p on p.record_cid = r.record_cid"
        + " and p.dataset_id = r.dataset_id and p.labeler = 'pii' and p.label_key = 'pii.redacted_text'"
        + " where r.dataset_id = '" + DS + "'", "--format", "csv");
    assertThat(curated.code()).as(curated.err()).isZero();
    assertThat(curated.out()).contains("" + DS + ",cid1,The committee met").contains(DS + ",cid2,\"Heavy rain")
        .doesNotContain("cid3");
    CliRun current = run("sql", "select record_cid, method, value from label.consensus where run_id = (select"
        + " max_by(run_id, computed_at) from label.consensus where dataset_id = '" + DS + "') order by record_cid, method",
        "--format", "csv");
    assertThat(current.code()).as(current.err()).isZero();
    assertThat(current.out()).contains("cid1,dawid-skene,pos").contains("cid2,majority-vote,neg");

    CliRun quality = run("quality", "--dataset", DS, "--min-answers", "1");
    assertThat(quality.code()).as(quality.err()).isZero();
    assertThat(quality.out()).contains("records: 3, in curated view: 2, excluded: 1").contains("EXACT_DUPLICATE");
  }
}
