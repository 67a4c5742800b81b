package io.ledgerlake.cli.rag;

import static org.assertj.core.api.Assertions.assertThat;

import io.ledgerlake.cli.CliRun;
import io.ledgerlake.lakehouse.Lakehouse;
import io.ledgerlake.lakehouse.LakehouseOptions;
import io.ledgerlake.lakehouse.tables.TableModel;
import io.ledgerlake.lakehouse.write.Rows;
import io.ledgerlake.lakehouse.write.TableAppender;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.iceberg.Table;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** ledgerlake embed, rag build, rag query through the real entry point; bad input is one line and exit 2. */
class RagCliTest {
  static final String DS = "ds-ragcli";
  static final OffsetDateTime T0 = OffsetDateTime.of(2026, 11, 22, 0, 0, 0, 0, ZoneOffset.UTC);

  @TempDir Path dir;

  CliRun run(String... args) {
    return CliRun.run(dir.resolve("data"), args);
  }

  void seed() {
    try (Lakehouse lakehouse = Lakehouse.open(LakehouseOptions.embedded(dir.resolve("data")))) {
      lakehouse.init();
      Map<String, String> texts = Map.of("cid-a", "The ferry to the island leaves at seven every morning.",
          "cid-b", "Photosynthesis turns light, water and carbon dioxide into sugar.");
      Table records = lakehouse.table(TableModel.INGEST_RECORDS);
      Table labels = lakehouse.table(TableModel.LABEL_LABELS);
      texts.forEach((cid, text) -> {
        String json = "{\"text\":\"" + text + "\"}";
        Map<String, Object> v = new HashMap<>();
        v.put("record_cid", cid);
        v.put("dataset_id", DS);
        v.put("submission_id", "sub-1");
        v.put("contributor", "0x" + "ab".repeat(20));
        v.put("content_cid", "bafybeicontent");
        v.put("record_json", json);
        v.put("byte_size", json.length());
        v.put("ingested_at", T0);
        TableAppender.append(records, List.of(Rows.of(records.schema(), v)));
        Map<String, Object> l = new HashMap<>();
        l.put("record_cid", cid);
        l.put("dataset_id", DS);
        l.put("labeler", "curation");
        l.put("labeler_version", "1");
        l.put("label_key", "curation");
        l.put("value", "included");
        l.put("score", 0.0);
        l.put("labeled_at", T0);
        TableAppender.append(labels, List.of(Rows.of(labels.schema(), l)));
      });
      lakehouse.versions(TableModel.INGEST_RECORDS).tagCurrent(DS + "-v1");
    }
  }

  @Test
  void embedBuildQueryAndBadInput() {
    seed();
    CliRun noIndex = run("rag", "query", "--dataset", DS, "--version", DS + "-v1", "ferry");
    assertThat(noIndex.code()).as(noIndex.err()).isEqualTo(2);
    assertThat(noIndex.err().strip().lines()).hasSize(1).first().asString().contains("has no vector index");

    CliRun embed = run("embed", "--dataset", DS, "--version", DS + "-v1");
    assertThat(embed.code()).as(embed.err()).isZero();
    assertThat(embed.out()).contains("Embedded 2 record(s) of " + DS + "-v1");
    CliRun build = run("rag", "build", "--dataset", DS, "--version", DS + "-v1");
    assertThat(build.code()).as(build.err()).isZero();
    assertThat(build.out()).containsPattern("Index b\\w+ of " + DS + "-v1: 2 vector\\(s\\) of 2 record\\(s\\)");
    CliRun query = run("rag", "query", "--dataset", DS, "--version", DS + "-v1", "-k", "1",
        "When does the boat to the island go?");
    assertThat(query.code()).as(query.err()).isZero();
    assertThat(query.out()).contains("1 passage(s)").containsPattern("1\t0\\.\\d{4}\tcid-a\t0\t0xabab");

    for (String[] bad : List.of(
        new String[] {"rag", "query", "--dataset", DS, "--version", DS + "-v1", "-k", "0", "ferry"},
        new String[] {"rag", "query", "--dataset", DS, "--version", DS + "-v1", "-k", "-2", "ferry"},
        new String[] {"rag", "query", "--dataset", DS, "--version", DS + "-v1", " "},
        new String[] {"rag", "query", "--dataset", DS, "--version", DS + "-v9", "ferry"},
        new String[] {"embed", "--dataset", DS, "--version", "other-v1"},
        new String[] {"rag", "build", "--dataset", DS, "--version", DS + "-v3"})) {
      CliRun r = run(bad);
      assertThat(r.code()).as(String.join(" ", bad) + "\n" + r.err()).isEqualTo(2);
      assertThat(r.err().strip().lines()).as(r.err()).hasSize(1);
      assertThat(r.err()).startsWith("ledgerlake: error: ").doesNotContain("Exception");
    }
  }
}
