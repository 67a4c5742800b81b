package io.ledgerlake.cli.index;

import io.ledgerlake.platform.IndexFollower;
import io.ledgerlake.platform.PlatformService;
import io.ledgerlake.cli.CliRun;
import static org.assertj.core.api.Assertions.assertThat;

import io.ledgerlake.cli.content.ContentSettings;
import io.ledgerlake.content.ContentStore;
import io.ledgerlake.content.multiformats.Cid;
import io.ledgerlake.lakehouse.Lakehouse;
import io.ledgerlake.lakehouse.LakehouseOptions;
import io.ledgerlake.common.config.Settings;
import io.ledgerlake.lakehouse.tables.TableModel;
import io.ledgerlake.lakehouse.write.Rows;
import io.ledgerlake.lakehouse.write.TableAppender;
import io.ledgerlake.provenance.merkle.MerkleReceiptTree;
import io.ledgerlake.provenance.model.ContributorRole;
import io.ledgerlake.provenance.model.ReceiptShare;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.FileScanTask;
import org.apache.iceberg.Table;
import org.apache.iceberg.data.IcebergGenerics;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.io.CloseableIterable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * index, reconcile and the docs/sql.md queries through the CLI against a real anvil chain, a real Iceberg catalog
 * and content store. One data directory for the class: the demo and three publishes are the slow part. The tests
 * run in order: clean reconcile and the SQL queries first, then the tampering.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
public class IndexReconcileITCase {
  static final Path SQL_DOC = Path.of("..", "docs", "sql.md");

  Path dir;


  CliRun run(String... args) {
    return CliRun.run(dir.resolve("data"), args);
  }

  CliRun ok(String... args) {
    CliRun r = run(args);
    assertThat(r.code()).as("%s%n%s%n%s", String.join(" ", args), r.out(), r.err()).isZero();
    return r;
  }

  Settings settings() {
    return Settings.of(Map.of(LakehouseOptions.DATA_DIR, dir.resolve("data").toString()));
  }

  @BeforeAll
  void publishThreeVersions() throws IOException {
    dir = Files.createTempDirectory("index-reconcile");
    // The SparkContext is JVM-wide and keeps the spark.local.dir of the first data directory: a test class that ran
    // before (and deleted its @TempDir) leaves it pointing nowhere. Start from a fresh one in our directory.
    scala.Option<org.apache.spark.sql.SparkSession> spark = org.apache.spark.sql.SparkSession.getDefaultSession();
    if (spark.isDefined()) {
      spark.get().stop();
    }
    CliRun noChain = run("index", "--once");
    assertThat(noChain.code()).isEqualTo(2);
    assertThat(noChain.err()).contains("chain up");
    assertThat(IndexSettings.follower(LakehouseOptions.from(settings()), settings()).describe())
        .as("no chain, no follower").startsWith("off (no chain");
    ok("chain", "up");
    // demo: ingests, publishes ds-demo0001-v1 = asset 1 version 1, buys a license, trains a model and registers it
    // as asset 2 version 2 (version ids are global), derived from version 1, then its RAG index as asset 3 version 3
    ok("demo", "--records", "30");
    assertThat(ok("publish", "--dataset", "ds-demo0001").out()).contains("Published ds-demo0001-v2").contains("asset 1 version 4");
    annotateDemoRecords();
    // v3 carries annotator and reviewer receipts; reconcile below recomputes them (receipts 1@3 must MATCH)
    assertThat(ok("publish", "--dataset", "ds-demo0001").out()).contains("Published ds-demo0001-v3").contains("asset 1 version 5")
        .contains(":ANNOTATOR=").contains(":REVIEWER=");
    // three-plus contributors above a threshold of one: the receipts go on chain as a Merkle root only
    assertThat(ok("publish", "--dataset", "ds-demo0001", "-D", "ledgerlake.provenance.merkle-threshold=1").out())
        .contains("Published ds-demo0001-v4").containsPattern("\\d+ merkle receipt\\(s\\)");
  }

  /** Three annotators label four demo records (one of them worse than the others) and a reviewer accepts one answer. */
  void annotateDemoRecords() {
    try (Lakehouse lakehouse = Lakehouse.open(LakehouseOptions.from(settings()))) {
      List<String> cids = new ArrayList<>();
      try (CloseableIterable<Record> rows = IcebergGenerics.read(lakehouse.table(TableModel.INGEST_RECORDS))
          .where(org.apache.iceberg.expressions.Expressions.equal("dataset_id", "ds-demo0001")).select("record_cid").build()) {
        rows.forEach(r -> cids.add((String) r.getField("record_cid")));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      List<io.ledgerlake.labeling.annotation.Annotation> answers = new ArrayList<>();
      java.time.Instant at = java.time.Instant.now();
      for (int i = 0; i < 4; i++) {
        String truth = i % 2 == 0 ? "pos" : "neg";
        for (String who : List.of("a1", "a2", "a3")) {
          String value = who.equals("a3") && i < 2 ? (truth.equals("pos") ? "neg" : "pos") : truth;
          answers.add(new io.ledgerlake.labeling.annotation.Annotation(who + "-" + i, "ds-demo0001", cids.get(i), "0x" + who.repeat(20),
              List.of(value), 1000, at, io.ledgerlake.labeling.annotation.Annotation.Status.SUBMITTED));
        }
      }
      io.ledgerlake.labeling.stage.AnnotationTable table = new io.ledgerlake.labeling.stage.AnnotationTable(lakehouse);
      table.append(answers);
      table.review("ds-demo0001", "a1-0", "0x" + "ee".repeat(20), io.ledgerlake.labeling.annotation.Annotation.Status.ACCEPTED, OffsetDateTime.now(ZoneOffset.UTC));
    }
  }

  @AfterAll
  void stopChain() {
    run("chain", "down");
  }

  @Test
  @Order(1)
  void indexOnceCatchesUpAndReportsLag() {
    CliRun first = ok("index", "--once");
    assertThat(first.out()).contains("Indexed chain 31337").contains("Lag: 0 block(s)");
    CliRun versions = ok("sql", "select asset_id, version, version_id from chain.asset_versions order by version", "--format", "csv");
    // version ids are global: the demo's model is version 2 (asset 2), its RAG index version 3 (asset 3)
    assertThat(versions.out()).contains("1,1,1").contains("2,1,2").contains("3,1,3").contains("1,2,4").contains("1,3,5");
    CliRun again = ok("index", "--once");
    assertThat(again.out()).contains(", 0 events,");
    // each catch-up is a run of the Job contract: one ops.job_runs row, with the blocks it indexed
    CliRun runs = ok("sql", "select count(*), max(get_json_object(params_json, '$.indexed_block')) from ops.job_runs"
        + " where job_name = 'chain-index' and status = 'succeeded'", "--format", "csv");
    assertThat(runs.out()).containsPattern("\r\n2,[1-9][0-9]*\r\n");
    CliRun events = ok("sql", "select count(*) - count(distinct tx_hash, log_index) from chain.events", "--format", "csv");
    assertThat(events.out()).contains("\r\n0\r\n");
    // lakehouse_tag comes from the matching publish run; a rebuild from chain.events gives the same state tables
    String state = "select asset_id, version_id, lakehouse_tag from chain.asset_versions order by version_id";
    String before = ok("sql", state, "--format", "csv").out();
    assertThat(before).contains("1,1,ds-demo0001-v1").contains("1,5,ds-demo0001-v3");
    assertThat(ok("index", "--rebuild-projections").out()).contains("Rebuilt the chain.* state tables");
    assertThat(ok("sql", state, "--format", "csv").out()).isEqualTo(before);
    assertThat(ok("index", "--expire-snapshots", "-D", "ledgerlake.indexer.snapshot-retention-ms=0",
        "-D", "ledgerlake.indexer.snapshot-retain-last=1").out()).containsPattern("Expired [1-9]\\d* snapshot");
    assertThat(ok("index", "--once").out()).as("the cursor survives expiry").contains(", 0 events,");

    // what 'ledgerlake up' runs: follows the local chain in the background and stops on close
    try (PlatformService follower = IndexSettings.follower(LakehouseOptions.from(settings()), settings())) {
      assertThat(follower).isInstanceOf(IndexFollower.class);
      assertThat(follower.describe()).startsWith("following http://127.0.0.1:");
    }
    assertThat(ok("index", "--once").out()).contains(", 0 events,");
  }

  @Test
  @Order(2)
  void reconcileIsCleanOnUntouchedData() {
    CliRun r = ok("reconcile", "--all");
    assertThat(r.out()).contains("MATCH version_root 1@1 (ds-demo0001-v1)").contains("MATCH receipts 1@3 (ds-demo0001-v3)")
        .contains("MATCH receipts 1@4 (ds-demo0001-v4)")
        .contains("MATCH registration ds-demo0001-v2").contains("MATCH upload_content").contains("MATCH manifest_content")
        .contains("MATCH model_root 2@1 (ds-demo0001-v1)").contains("MATCH model_content")
        .contains("MATCH model_parents 2@1 (ds-demo0001-v1): trained on ds-demo0001-v1")
        .contains("MATCH index_root 3@1 (ds-demo0001-v1)").contains("MATCH index_content")
        .contains("MATCH index_parents 3@1 (ds-demo0001-v1): built from ds-demo0001-v1")
        .doesNotContain("MISMATCH").doesNotContain("MISSING").doesNotContain("CORRUPT");
    CliRun stored = ok("sql", "select count(distinct run_id), count(*) from ops.reconciliation where status = 'MATCH'", "--format", "csv");
    // two clean runs: the demo reconciles too
    assertThat(stored.out()).containsPattern("\r\n2,\\d+\r\n");
  }

  @Test
  @Order(3)
  void everyQueryOfTheSqlGuideRuns() throws IOException {
    List<String> queries = sqlBlocks(Files.readString(SQL_DOC));
    assertThat(queries).hasSizeGreaterThanOrEqualTo(4);
    List<String> outputs = new ArrayList<>();
    for (String q : queries) {
      CliRun r = ok("sql", q, "--format", "csv");
      assertThat(r.out().lines().count()).as("rows of%n%s", q).isGreaterThan(1);
      outputs.add(r.out());
    }
    String all = String.join("\n", outputs);
    // contributors of asset 1 version 1: the three demo contributors, 10 records each
    assertThat(all).contains("0x70997970c51812dc3a010c7d01b50e0d17dc79c8,10");
    // nothing is final yet: the chain is far shallower than the finalized depth
    assertThat(all).contains("pending");
    // the payout explanation names the receipts and their credited amounts
    assertThat(all).contains("data_provider");
    // record-level provenance: the record's upload is in every published version, through lineage.closure
    assertThat(all).contains(",dataset_version,ds-demo0001-v1,1,contains,")
        .contains(",asset_version,1@5,2,contains,ds-demo0001-v3");
    // lineage as of ds-demo0001-v1: later versions were not there yet
    String asOf = "select count(*) from lineage.closure version as of 'ds-demo0001-v1' where descendant_id = '1@5'";
    assertThat(ok("sql", asOf, "--format", "csv").out()).contains("\r\n0\r\n");
    assertThat(ok("sql", asOf.replace("version as of 'ds-demo0001-v1' ", ""), "--format", "csv").out())
        .doesNotContain("\r\n0\r\n");
  }

  /**
   * The same queries through the SQL service (PostgreSQL wire protocol) with two real clients. pgjdbc: {@code
   * ledgerlake sql --url}, which runs them with pgjdbc and prints them with the same formatter, so any difference is
   * the service's (typing, value encoding, row loss). psql ({@code --csv}, simple query protocol, text values): the
   * same rows value for value, where only the spelling of a value may differ from the JVM's ({@code t} for {@code
   * true}, {@code 2} for {@code 2.0}, {@code 2026-01-01 00:00:00+00} for {@code 2026-01-01T00:00:00Z}). Rows compare
   * as sets unless the query orders them. Without psql (no postgresql-client) its half is skipped with a message.
   */
  @Test
  @Order(4)
  void everyQueryOfTheSqlGuideGivesTheSameRowsThroughTheSqlService() throws Exception {
    Settings settings = settings().withOverrides(Map.of(
        io.ledgerlake.sqlserver.SqlServiceOptions.PORT, "0",
        io.ledgerlake.sqlserver.SqlServiceOptions.SERVICE_USER, "sqlguide",
        io.ledgerlake.sqlserver.SqlServiceOptions.SERVICE_PASSWORD, "sqlguide-secret"));
    var options = io.ledgerlake.sqlserver.SqlServiceOptions.from(settings);
    boolean psql = onPath("psql");
    if (!psql) {
      System.out.println("psql is not installed (apt-get install -y postgresql-client): the docs/sql.md queries run"
          + " through the service with pgjdbc only");
    }
    try (var service = io.ledgerlake.cli.SqlServiceLauncher.start(settings, options)) {
      String url = "postgresql://127.0.0.1:" + service.port();
      List<String> queries = sqlBlocks(Files.readString(SQL_DOC));
      for (String q : queries) {
        List<List<String>> local = csv(ok("sql", q, "--format", "csv").out());
        // The service account from -D settings: the CLI logs in with it when no --user or PGUSER is given.
        List<List<String>> remote = csv(ok("sql", q, "--format", "csv", "--url", url,
            "-D", io.ledgerlake.sqlserver.SqlServiceOptions.SERVICE_USER + "=sqlguide",
            "-D", io.ledgerlake.sqlserver.SqlServiceOptions.SERVICE_PASSWORD + "=sqlguide-secret").out());
        assertThat(remote.get(0)).as("columns of%n%s", q).isEqualTo(local.get(0));
        assertThat(local).as("rows of%n%s", q).hasSizeGreaterThan(1);
        List<List<String>> localRows = local.subList(1, local.size());
        List<List<String>> remoteRows = remote.subList(1, remote.size());
        if (ordered(q)) {
          assertThat(remoteRows).as("rows, in order, of%n%s", q).isEqualTo(localRows);
        } else {
          assertThat(remoteRows).as("rows of%n%s", q).containsExactlyInAnyOrderElementsOf(localRows);
        }
        if (psql) {
          List<List<String>> viaPsql = csv(psql(service.port(), q).replaceAll("(?<!\r)\n", "\r\n"));
          assertThat(viaPsql.get(0)).as("psql columns of%n%s", q).isEqualTo(local.get(0));
          List<List<String>> psqlRows = viaPsql.subList(1, viaPsql.size()).stream()
              .map(r -> r.stream().map(IndexReconcileITCase::canonical).toList()).toList();
          List<List<String>> expected = localRows.stream()
              .map(r -> r.stream().map(IndexReconcileITCase::canonical).toList()).toList();
          if (ordered(q)) {
            assertThat(psqlRows).as("psql rows, in order, of%n%s", q).isEqualTo(expected);
          } else {
            assertThat(psqlRows).as("psql rows of%n%s", q).containsExactlyInAnyOrderElementsOf(expected);
          }
        }
      }
    }
  }

  /** psql's CSV output of one statement, as the service account. */
  static String psql(int port, String sql) throws IOException, InterruptedException {
    ProcessBuilder pb = new ProcessBuilder("psql", "-X", "-q", "--csv", "-v", "ON_ERROR_STOP=1", "-h", "127.0.0.1",
        "-p", Integer.toString(port), "-U", "sqlguide", "-d", "lakehouse", "-c", sql);
    pb.environment().put("PGPASSWORD", "sqlguide-secret");
    pb.environment().put("PGCONNECT_TIMEOUT", "10");
    Path err = Files.createTempFile("psql", ".err");
    pb.redirectError(err.toFile());
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    assertThat(p.waitFor(120, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as("psql -c%n%s%n%s", sql, Files.readString(err)).isZero();
    Files.deleteIfExists(err);
    return out;
  }

  /**
   * One value in a spelling both psql and the JVM formatter map to: booleans as true/false, numbers by value, UTC
   * timestamps as an Instant. Anything else compares as printed.
   */
  static String canonical(String v) {
    if (v.equals("t") || v.equals("true")) {
      return "true";
    }
    if (v.equals("f") || v.equals("false")) {
      return "false";
    }
    if (v.matches("-?\\d+(\\.\\d+)?([eE][-+]?\\d+)?")) {
      return new java.math.BigDecimal(v).stripTrailingZeros().toPlainString();
    }
    Matcher ts = Pattern.compile("(\\d{4}-\\d\\d-\\d\\d)[ T](\\d\\d:\\d\\d:\\d\\d(?:\\.\\d+)?)(?:\\+00|Z)").matcher(v);
    if (ts.matches()) {
      return java.time.Instant.parse(ts.group(1) + "T" + ts.group(2) + "Z").toString();
    }
    return v;
  }

  static boolean onPath(String program) {
    for (String d : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
      if (Files.isExecutable(Path.of(d, program))) {
        return true;
      }
    }
    return false;
  }

  /** Whether the outermost query orders its rows: an ORDER BY after the last closing parenthesis. */
  static boolean ordered(String sql) {
    return Pattern.compile("(?is)\\border\\s+by\\b[^)]*$").matcher(sql).find();
  }

  /** RFC 4180 rows as {@code ledgerlake sql --format csv} prints them (quoted fields may hold commas and newlines). */
  static List<List<String>> csv(String text) {
    List<List<String>> rows = new ArrayList<>();
    List<String> row = new ArrayList<>();
    StringBuilder field = new StringBuilder();
    boolean quoted = false;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (quoted) {
        if (c == '"' && i + 1 < text.length() && text.charAt(i + 1) == '"') {
          field.append('"');
          i++;
        } else if (c == '"') {
          quoted = false;
        } else {
          field.append(c);
        }
      } else if (c == '"') {
        quoted = true;
      } else if (c == ',') {
        row.add(field.toString());
        field.setLength(0);
      } else if (c == '\r' && i + 1 < text.length() && text.charAt(i + 1) == '\n') {
        row.add(field.toString());
        field.setLength(0);
        rows.add(row);
        row = new ArrayList<>();
        i++;
      } else {
        field.append(c);
      }
    }
    assertThat(field.length() + row.size()).as("CSV ends with a complete line:%n%s", text).isZero();
    return rows;
  }

  @Test
  @Order(5)
  void lineageWalksFromVersionToUploadsAndBack() {
    CliRun up = ok("lineage", "up", "asset_version:1@1", "--depth", "1");
    assertThat(up.out()).contains("dataset_version:ds-demo0001-v1 -registered_as-> asset_version:1@1").contains("truncated at depth 1");
    CliRun full = ok("lineage", "up", "asset_version:1@1");
    assertThat(full.out()).contains("-contains-> dataset_version:ds-demo0001-v1").doesNotContain("truncated");
    String upload = full.out().lines().filter(l -> l.contains("-contains->")).findFirst().orElseThrow()
        .replaceAll(".*submission:(\\S+) .*", "$1");
    CliRun down = ok("lineage", "down", "submission:" + upload);
    assertThat(down.out()).contains("asset_version:1@1").contains("asset_version:1@4");
    // publish and index keep lineage.closure current: nothing left to rebuild
    assertThat(ok("lineage", "refresh").out()).contains("lineage.closure is up to date");
    assertThat(ok("lineage", "refresh", "--max-depth", "3").out()).contains("Rebuilt lineage.closure").contains("up to depth 3");
    assertThat(run("lineage", "up", "nokind").code()).isEqualTo(2);
  }

  @Test
  @Order(6)
  void reconcileFindsEveryKindOfTampering() throws IOException {
    String deletedUpload;
    try (Lakehouse lh = Lakehouse.open(LakehouseOptions.from(settings()))) {
      // changed record + missing record in version 1@1 (ds-demo0001-v1): same CID, other bytes; one record dropped
      Table records = lh.table(TableModel.INGEST_RECORDS);
      List<Record> rows = readAll(records);
      String changed = (String) rows.get(0).getField("record_cid");
      rows.get(0).setField("record_json", "{\"tampered\":true}");
      rows.remove(1);
      long snapshot = TableAppender.replace(records, dataFiles(records), rows, Map.of(), records.currentSnapshot().snapshotId());
      records.manageSnapshots().replaceTag("ds-demo0001-v1", snapshot).commit();

      // altered share in version 1@2: one receipt +1 bps, another -1 bps (still 10,000 in total)
      Table receipts = lh.table(TableModel.CHAIN_RECEIPTS);
      List<Record> rs = readAll(receipts);
      List<Record> v2 = rs.stream().filter(r -> "4".equals(r.getField("version_id"))).toList(); // 1@2 is version id 4
      v2.get(0).setField("share_bps", (Integer) v2.get(0).getField("share_bps") + 1);
      v2.get(1).setField("share_bps", (Integer) v2.get(1).getField("share_bps") - 1);
      TableAppender.replace(receipts, dataFiles(receipts), rs, Map.of(), receipts.currentSnapshot().snapshotId());

      // altered share in version 1@4 (Merkle mode, version id 6): the indexed root is the root of shares +1 / -1 bps
      tamperMerkleRoot(lh, 6);

      // version 1@3 lost its lakehouse tag
      records.manageSnapshots().removeTag("ds-demo0001-v3").commit();

      // unregistered version: a publish run whose on-chain version never made it
      Table runs = lh.table(TableModel.OPS_JOB_RUNS);
      Map<String, Object> run = new LinkedHashMap<>();
      run.put("run_id", "tampered-run");
      run.put("job_name", "publish");
      run.put("status", "succeeded");
      run.put("started_at", OffsetDateTime.now(ZoneOffset.UTC));
      run.put("params_json", "{\"dataset\":\"ds-demo0001\",\"tag\":\"ds-demo0001-v9\",\"asset_id\":1,\"version_id\":99,"
          + "\"manifest_cid\":\"bafkreigh2akiscaildcqabsyg3dfr6chu3fgpregiymsck7e7aqa4s52zy\",\"receipt_token_ids\":[]}");
      TableAppender.append(runs, List.of(Rows.of(runs.schema(), run)));

      // deleted block: the (single-block) upload of the first record
      deletedUpload = (String) rows.get(0).getField("content_cid");
      ContentStore content = ContentSettings.open(settings());
      assertThat(content.blockstore().delete(Cid.parse(deletedUpload))).isTrue();

      // the trained model's export lost its root block
      String modelCid = (String) readAll(lh.table(TableModel.ML_MODELS)).get(0).getField("model_cid");
      assertThat(content.blockstore().delete(Cid.parse(modelCid))).isTrue();

      CliRun r = run("reconcile");
      assertThat(r.code()).as(r.err()).isEqualTo(1);
      assertThat(r.out()).contains("CONTENT_MISSING model_content " + modelCid);
      assertThat(r.out())
          .contains("ROOT_MISMATCH version_root 1@1 (ds-demo0001-v1)")
          .contains("CONTENT_CORRUPT record " + changed)
          .contains("SHARES_MISMATCH receipts 1@2 (ds-demo0001-v2)")
          .contains("SHARES_MISMATCH receipts 1@4 (ds-demo0001-v4)")
          .contains("MISSING_IN_LAKEHOUSE version_root 1@3 (ds-demo0001-v3)")
          .contains("MISSING_ON_CHAIN registration ds-demo0001-v9")
          .contains("CONTENT_MISSING upload_content " + deletedUpload)
          .contains("discrepancy(ies) found")
          .doesNotContain("SHARES_MISMATCH receipts 1@3");
      CliRun stored = ok("sql", "select status, count(*) from ops.reconciliation where status <> 'MATCH' group by status order by status", "--format", "csv");
      assertThat(stored.out()).contains("CONTENT_CORRUPT,").contains("CONTENT_MISSING,").contains("MISSING_IN_LAKEHOUSE,")
          .contains("MISSING_ON_CHAIN,").contains("ROOT_MISMATCH,").contains("SHARES_MISMATCH,");
    }
  }

  /**
   * Rewrites the indexed MerkleRootRecorded event of {@code versionId} to carry the root of the publish run's
   * shares with the first one +1 bps and the second -1 bps: what the chain would hold had the publisher committed
   * altered shares.
   */
  private static void tamperMerkleRoot(Lakehouse lh, long versionId) throws IOException {
    com.fasterxml.jackson.databind.ObjectMapper json = new com.fasterxml.jackson.databind.ObjectMapper();
    List<ReceiptShare> shares = new ArrayList<>();
    for (Record run : readAll(lh.table(TableModel.OPS_JOB_RUNS))) {
      var params = json.readTree((String) run.getField("params_json"));
      if ("publish".equals(run.getField("job_name")) && params.path("version_id").asLong() == versionId) {
        params.path("shares").forEach(s -> shares.add(new ReceiptShare(s.path("contributor").asText(),
            ContributorRole.valueOf(s.path("role").asText()), s.path("share_bps").asInt())));
      }
    }
    assertThat(shares).hasSizeGreaterThanOrEqualTo(3);
    shares.set(0, new ReceiptShare(shares.get(0).contributor(), shares.get(0).role(), shares.get(0).shareBps() + 1));
    shares.set(1, new ReceiptShare(shares.get(1).contributor(), shares.get(1).role(), shares.get(1).shareBps() - 1));
    String tampered = MerkleReceiptTree.build(versionId, shares).rootHex();

    Table events = lh.table(TableModel.CHAIN_EVENTS);
    List<Record> rows = readAll(events);
    int changed = 0;
    for (Record r : rows) {
      if ("MerkleRootRecorded".equals(r.getField("event_name"))) {
        var args = (com.fasterxml.jackson.databind.node.ObjectNode) json.readTree((String) r.getField("args_json"));
        if (args.path("versionId").asLong() == versionId) {
          assertThat(args.path("merkleRoot").asText()).isNotEqualTo(tampered);
          args.put("merkleRoot", tampered);
          r.setField("args_json", args.toString());
          changed++;
        }
      }
    }
    assertThat(changed).isEqualTo(1);
    // keep the indexer's cursor: the summary of the snapshot being replaced carries it
    Map<String, String> summary = new LinkedHashMap<>(events.currentSnapshot().summary());
    summary.keySet().removeIf(k -> !k.startsWith("ledgerlake."));
    TableAppender.replace(events, dataFiles(events), rows, summary, events.currentSnapshot().snapshotId());
  }

  public static List<String> sqlBlocks(String markdown) {
    Matcher m = Pattern.compile("```sql\\n(.*?)```", Pattern.DOTALL).matcher(markdown);
    List<String> out = new ArrayList<>();
    while (m.find()) {
      out.add(m.group(1).strip().replaceAll(";$", ""));
    }
    return out;
  }

  private static List<Record> readAll(Table t) {
    t.refresh();
    List<Record> out = new ArrayList<>();
    try (CloseableIterable<Record> it = IcebergGenerics.read(t).build()) {
      it.forEach(r -> out.add(r.copy()));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out;
  }

  private static List<DataFile> dataFiles(Table t) {
    List<DataFile> out = new ArrayList<>();
    try (CloseableIterable<FileScanTask> tasks = t.newScan().planFiles()) {
      tasks.forEach(task -> out.add(task.file().copy()));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out;
  }
}
