package io.ledgerlake.platform;

import static org.assertj.core.api.Assertions.assertThat;

import io.ledgerlake.ingestion.dataset.DatasetCatalog;
import io.ledgerlake.ingestion.dataset.DatasetDefinition;
import io.ledgerlake.ingestion.dataset.SubmitPolicy;
import io.ledgerlake.ingestion.dataset.Visibility;
import io.ledgerlake.ingestion.format.DataFormat;
import io.ledgerlake.ingestion.server.DatasetFiles;
import io.ledgerlake.lakehouse.LakehouseOptions;
import io.ledgerlake.lakehouse.coordination.CoordinationDatabase;
import io.ledgerlake.lakehouse.coordination.PostgresTestInstance;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Dataset definitions in the catalog database, as two {@code up} processes sharing one PostgreSQL catalog see them:
 * two catalog instances (each with its own connections, as two processes have) on a real private PostgreSQL; skipped
 * with a message where PostgreSQL cannot start.
 */
class JdbcDatasetCatalogTest {
  private static final String OWNER = "0x" + "ab".repeat(20);
  private static final String ADMITTED = "0x" + "cd".repeat(20);
  private static final String STRANGER = "0x" + "ef".repeat(20);

  private static PostgresTestInstance pg;

  @BeforeAll
  static void start() throws Exception {
    pg = PostgresTestInstance.startOrSkip();
  }

  @AfterAll
  static void stop() throws Exception {
    if (pg != null) {
      pg.close();
    }
  }

  static DatasetDefinition dataset(String id, Visibility visibility) {
    return new DatasetDefinition(id, "name of " + id, "", DataFormat.JSONL, Optional.empty(), "", visibility, OWNER,
        SubmitPolicy.allowlist(List.of(ADMITTED)), Instant.now().truncatedTo(ChronoUnit.MILLIS));
  }

  static JdbcDatasetCatalog process() {
    CoordinationDatabase db = new CoordinationDatabase(pg.url(), "postgres", "");
    db.migrate();
    return new JdbcDatasetCatalog(db);
  }

  @Test
  void aDatasetCreatedThroughOneProcessIsSeenByTheOtherWithItsVisibility() {
    JdbcDatasetCatalog a = process();
    JdbcDatasetCatalog b = process();
    DatasetDefinition open = dataset("ds-sharedopen", Visibility.PUBLIC);
    DatasetDefinition closed = dataset("ds-sharedprivate", Visibility.PRIVATE);
    a.put(open);
    a.put(closed);

    assertThat(b.find(open.id())).contains(open);
    assertThat(b.find("ds-missing0")).isEmpty();
    assertThat(b.all()).extracting(DatasetDefinition::id).contains(open.id(), closed.id());
    assertThat(b.unreadableBy(Optional.of(STRANGER))).contains(closed.id()).doesNotContain(open.id());
    assertThat(b.unreadableBy(Optional.of(ADMITTED))).doesNotContain(closed.id());
    assertThat(b.unreadableBy(Optional.empty())).contains(closed.id());

    // A change through the second process (the label schema set later) is what the first reads next.
    DatasetDefinition labelled = open.withLabelSchema("{\"version\":1,\"kind\":\"single_label\",\"classes\":[\"a\"]}");
    b.put(labelled);
    assertThat(a.find(open.id())).contains(labelled);
    assertThat(a.all()).filteredOn(d -> d.id().equals(open.id())).containsExactly(labelled);
  }

  @Test
  void createAndReplaceAreConditionalAcrossProcesses() {
    JdbcDatasetCatalog a = process();
    JdbcDatasetCatalog b = process();
    DatasetDefinition first = dataset("ds-racecreate", Visibility.PUBLIC);
    assertThat(a.create(first)).isTrue();
    assertThat(b.create(dataset("ds-racecreate", Visibility.PRIVATE))).as("the id is taken").isFalse();
    assertThat(b.find(first.id())).contains(first);

    // Both processes derive a label schema from the same definition; only the first replace wins.
    DatasetDefinition fromA = first.withLabelSchema("{\"by\":\"a\"}");
    DatasetDefinition fromB = first.withLabelSchema("{\"by\":\"b\"}");
    assertThat(a.replace(first, fromA)).isTrue();
    assertThat(b.replace(first, fromB)).as("b's expected definition is stale").isFalse();
    assertThat(b.find(first.id())).contains(fromA);
  }

  @Test
  void theSqliteCatalogKeepsTheUploadApisFiles(@TempDir Path dir) {
    DatasetCatalog files = JdbcDatasetCatalog.forCatalog(LakehouseOptions.embedded(dir), dir.resolve("ingestion"));
    assertThat(files).isNotInstanceOf(JdbcDatasetCatalog.class);
    DatasetDefinition d = dataset("ds-filesonly", Visibility.PRIVATE);
    assertThat(files.create(d)).isTrue();
    assertThat(files.create(d)).isFalse();
    assertThat(files.replace(dataset("ds-filesonly", Visibility.PUBLIC), d)).as("stale expectation").isFalse();
    assertThat(DatasetFiles.read(dir.resolve("ingestion"), d.id())).contains(d);
    assertThat(DatasetFiles.unreadableBy(dir.resolve("ingestion"), Optional.of(STRANGER))).containsExactly(d.id());
  }
}
