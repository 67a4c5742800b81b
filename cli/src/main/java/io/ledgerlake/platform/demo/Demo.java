package io.ledgerlake.platform.demo;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ledgerlake.ingestion.auth.DevKeyFile;
import io.ledgerlake.ingestion.client.IngestionClient;
import io.ledgerlake.platform.LedgerLakePlatform;
import io.ledgerlake.lakehouse.spark.QueryResult;
import io.ledgerlake.lakehouse.spark.SqlRunner;
import io.ledgerlake.lakehouse.tables.TableModel;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.iceberg.data.IcebergGenerics;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.expressions.Expressions;
import org.apache.iceberg.io.CloseableIterable;
import org.apache.spark.sql.SparkSession;

/**
 * The ingestion half of the demo, through the real platform: three contributors (EVM keys) sign
 * in to the upload API, one creates a dataset, each submits a JSON Lines file (the last one with
 * two bad lines), and the Flink job ingests them into Iceberg.
 *
 * <p>Deterministic and idempotent: keys and the dataset id are kept under {@code
 * <data-dir>/demo}, and the same {@code --records} produce the same files, so a second run's
 * uploads are reported as duplicates and nothing is ingested twice.
 */
public final class Demo {
  /** Steps of the whole demo, including those the CLI runs after {@link #run}. */
  public static final int STEPS = 12;

  private static final String[] TOPICS = {
    "soil moisture", "river levels", "solar output", "bird counts", "air quality", "traffic flow"
  };
  private static final int CONTRIBUTORS = 3;

  /** The demo dataset's id, chosen by the demo so docs/sql.md can name it. */
  public static final String DATASET_ID = "ds-demo0001";

  /**
   * Contributor identities: fixed, publicly known development keys (never for real money), so the
   * demo's addresses are the same on every machine and docs/sql.md can name them. The first and
   * third are anvil's development accounts #1 and #3, funded on the local chain.
   */
  private static final String[] DEV_KEYS = {
    "0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d",
    "0x5de4111afa1a4b94908f83103eb1f1706367c2e68ca870fc3fb9a74e2d1d6e4b",
    "0x7c852118294e51e653712a81e05800f419141751be58f605c371e15141b007a6"
  };
  private static final Duration INGEST_TIMEOUT = Duration.ofMinutes(5);

  private final Path demoDir;
  private final PrintWriter out;
  private final ObjectMapper json = new ObjectMapper();

  /** What the run did. */
  public record Result(String datasetId, int newSubmissions, long datasetRecords, List<String> contributors) {
    public Result {
      contributors = List.copyOf(contributors);
    }
  }

  public Demo(Path dataDir, PrintWriter out) {
    this.demoDir = dataDir.resolve("demo");
    this.out = requireNonNull(out, "out");
  }

  /** The demo's query over its dataset. */
  public static String query(String datasetId) {
    return "select contributor, count(*) as records, sum(byte_size) as bytes from ingest.records"
        + " where dataset_id = '" + datasetId + "' group by contributor order by contributor";
  }

  /**
   * The demo's payout, explained from the indexed chain tables: the latest payment, the license it
   * paid for, and what each receipt of the credited version gets. docs/sql.md has the full query
   * with upstream royalties.
   */
  /** The latest licence purchase's credits to version receipts, direct and upstream royalties (docs/sql.md section 4;
   * usage settlements, also payments, are explained by "ledgerlake earnings"). */
  public static final String EXPLAIN_PAYOUT =
      "select p.payment_id, l.kind as license,"
          + " case when e.event_name = 'RoyaltyPaid' then 'royalty' else 'direct' end as reason,"
          + " v.asset_id, v.version, r.contributor, r.role, r.share_bps,"
          + " floor(cast(get_json_object(e.args_json, '$.amount') as decimal(38,0)) * r.share_bps / 10000) as credited_wei"
          + " from chain.payments p"
          + " left join chain.licenses l on l.license_id = p.license_id"
          + " join chain.events e on e.tx_hash = p.tx_hash and e.event_name in ('VersionCredited', 'RoyaltyPaid')"
          + " join chain.asset_versions v on v.version_id = coalesce(get_json_object(e.args_json, '$.toVersionId'),"
          + " get_json_object(e.args_json, '$.versionId'))"
          + " join chain.receipts r on r.version_id = v.version_id"
          + " where p.payment_id = (select max_by(payment_id, block_number * 100000 + log_index) from chain.payments where kind = 'purchase')"
          + " order by reason, v.asset_id, r.block_number, r.log_index";

  public static QueryResult explainPayout(SparkSession spark) {
    return new SqlRunner(spark).run(EXPLAIN_PAYOUT, 100);
  }

  public static QueryResult query(SparkSession spark, String datasetId) {
    return new SqlRunner(spark).run(query(datasetId), 100);
  }

  public Result run(LedgerLakePlatform platform, int recordCount) throws Exception {
    if (recordCount < CONTRIBUTORS) {
      throw new IllegalArgumentException("--records must be at least " + CONTRIBUTORS);
    }
    Files.createDirectories(demoDir.resolve("keys"));
    out.printf("Step 2/%d: sign in %d contributors (Sign-In with Ethereum) and create the dataset%n", STEPS, CONTRIBUTORS);
    List<IngestionClient> clients = new ArrayList<>();
    List<String> addresses = new ArrayList<>();
    for (int c = 1; c <= CONTRIBUTORS; c++) {
      Path keyFile = demoDir.resolve("keys").resolve("contributor-" + c + ".json");
      if (!Files.exists(keyFile)) {
        Files.writeString(keyFile, "{\"version\":" + DevKeyFile.VERSION + ",\"privateKey\":\"" + DEV_KEYS[c - 1] + "\"}\n");
      }
      DevKeyFile key = DevKeyFile.load(keyFile);
      IngestionClient anon = new IngestionClient(platform.apiUri(), Optional.empty());
      clients.add(anon.withToken(anon.login(key)));
      addresses.add(key.address());
      out.printf("  contributor %d: %s%n", c, key.address());
    }
    Path datasetFile = demoDir.resolve("dataset-id");
    String datasetId;
    if (Files.exists(datasetFile)) {
      datasetId = Files.readString(datasetFile).strip();
      out.printf("  dataset %s (from an earlier run)%n", datasetId);
    } else {
      datasetId = clients.get(0).createDataset(json.readTree(
          "{\"id\":\"" + DATASET_ID + "\",\"name\":\"demo\",\"description\":\"LedgerLake demo: sensor observations\",\"format\":\"jsonl\",\"visibility\":\"public\"}"));
      Files.writeString(datasetFile, datasetId + "\n");
      out.printf("  created dataset %s (schema inferred from the first upload)%n", datasetId);
    }

    out.printf("Step 3/%d: submit one file per contributor (the last has 2 bad lines)%n", STEPS);
    int perContributor = recordCount / CONTRIBUTORS;
    List<String> submitted = new ArrayList<>();
    int fresh = 0;
    for (int c = 0; c < CONTRIBUTORS; c++) {
      int count = c == CONTRIBUTORS - 1 ? recordCount - perContributor * c : perContributor;
      Path file = demoDir.resolve("upload-" + (c + 1) + ".jsonl");
      Files.writeString(file, lines(c, count, c == CONTRIBUTORS - 1), StandardCharsets.UTF_8);
      IngestionClient.UploadResult r = clients.get(c).upload(datasetId, file, null, n -> {});
      out.printf("  %s  %s  %s%s%n", r.submissionId(), r.cid(), file.getFileName(), r.duplicate() ? "  (duplicate of an earlier upload: not ingested again)" : "");
      if (!r.duplicate()) {
        submitted.add(r.submissionId());
        fresh++;
      }
    }

    out.printf("Step 4/%d: wait for the Flink job to commit them to Iceberg%n", STEPS);
    for (int i = 0; i < submitted.size(); i++) {
      JsonNode status = await(clients.get(0), submitted.get(i));
      JsonNode counts = status.path("counts");
      out.printf("  %s: %s, %s accepted, %s rejected, %s duplicate records%n", submitted.get(i),
          status.path("status").asText(), counts.path("accepted").asText(), counts.path("rejected").asText(), counts.path("duplicate").asText());
      for (JsonNode rej : status.path("rejectionSample")) {
        out.printf("    line %s: %s: %s%n", rej.path("line").asText(), rej.path("code").asText(), rej.path("reason").asText());
      }
    }
    return new Result(datasetId, fresh, count(platform, datasetId), addresses);
  }

  private JsonNode await(IngestionClient client, String submission) throws Exception {
    long deadline = System.nanoTime() + INGEST_TIMEOUT.toNanos();
    while (System.nanoTime() < deadline) {
      JsonNode s = client.status(submission);
      String state = s.path("status").asText();
      if (state.equals("ingested") || state.equals("rejected") || state.equals("failed")) {
        return s;
      }
      Thread.sleep(250);
    }
    throw new IllegalStateException("submission " + submission + " was not ingested within " + INGEST_TIMEOUT + "; see the logs with --verbose");
  }

  // Sentence pools for the demo's field notes: about 60 words per record, so they are long enough for the quality
  // rules (docs/labeling.md), and picked at random per record, so a few records come out as near duplicates.
  private static final String[][] POOLS = {
    {
      "The sensor housing was clean and the cable showed no sign of wear.",
      "A light wind came from the west while the measurement was taken.",
      "Two volunteers checked the calibration sheet before they left the site.",
      "The path to the station was muddy after the rain of the previous night.",
      "Nothing unusual was seen around the mast or the solar panel.",
      "The logger battery was replaced because its charge had dropped below half.",
      "A farmer nearby said the readings match what he sees in his fields.",
      "The protective fence had a small gap that the team closed with wire.",
      "Fresh tracks of deer crossed the meadow just north of the instrument.",
      "The display clock was two minutes late and was set to the correct time.",
      "Low clouds covered the hills and the air felt colder than forecast.",
      "Children from the village school visited and asked how the station works."
    },
    {
      "Compared with last week the value moved only a little, which is expected for the season.",
      "The team will compare this figure with the satellite estimate when it is published.",
      "Earlier notes from this station describe a similar pattern after dry spells.",
      "The regional office asked for a short summary of these figures every month.",
      "This record joins a series that started when the station was installed.",
      "Observers agree that the trend is steady and needs no extra visit yet.",
      "If the next reading differs by much, the instrument will be swapped for a spare.",
      "The figure is kept as measured; corrections are made later in a separate step.",
      "Neighbouring stations reported numbers in the same range on the same day.",
      "The note was written on site and typed into the shared sheet in the evening.",
      "Because of roadworks the visit took longer than usual but the method was unchanged.",
      "A second reading ten minutes later gave almost the same result."
    },
    {
      "Data from the station is shared openly so that anyone can check the work.",
      "The volunteers hope the series helps planners prepare for floods and droughts.",
      "Local students use these notes in their science lessons during the spring term.",
      "The project thanks the landowner who lets the team use the field.",
      "Questions about the method are answered at the monthly open meeting.",
      "All visits follow the same written checklist to keep the records comparable.",
      "The team plans to add a rain gauge once the new funding arrives.",
      "Older paper records from the area are being scanned to extend the series.",
      "Every note is reviewed by a second volunteer before it is published.",
      "The station is one of twelve that together cover the whole valley.",
      "Maps of all stations and their latest readings are updated every week.",
      "Long series like this one are rare, which is why the volunteers keep going."
    }
  };

  private String lines(int contributor, int count, boolean withBadLines) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < count; i++) {
      String topic = TOPICS[(i + contributor) % TOPICS.length];
      java.util.Random pick = new java.util.Random(contributor * 1_000_003L + i);
      StringBuilder text = new StringBuilder()
          .append("Field note ").append(i).append(" on ").append(topic).append(" from station ").append(contributor + 1)
          .append(": the reading was ").append((i * 37 + contributor * 11) % 100).append(" and within the expected range.");
      for (String[] pool : POOLS) {
        text.append(' ').append(pool[pick.nextInt(pool.length)]);
      }
      if (contributor == 1 && i % 20 == 7) {
        // personal data a contributor left in: the labeling stage redacts it in the copy training reads
        text.append(" Questions go to the station keeper at keeper").append(i).append("@example.org.");
      }
      sb.append("{\"id\":").append(contributor * 1_000_000L + i).append(",\"lang\":\"en\",\"text\":\"")
          .append(text).append("\",\"topic\":\"").append(topic).append("\"}\n");
    }
    if (withBadLines) {
      sb.append("{\"id\": 7, \"text\": \"a line that is not JSON\n");
      sb.append("{\"id\":\"not a number\",\"lang\":\"en\",\"text\":\"wrong type\",\"topic\":\"x\"}\n");
    }
    return sb.toString();
  }

  private static long count(LedgerLakePlatform platform, String datasetId) throws IOException {
    var table = platform.lakehouse().table(TableModel.INGEST_RECORDS);
    table.refresh();
    long n = 0;
    try (CloseableIterable<Record> rows =
        IcebergGenerics.read(table).where(Expressions.equal("dataset_id", datasetId)).select("record_cid").build()) {
      for (Record ignored : rows) {
        n++;
      }
    }
    return n;
  }
}
