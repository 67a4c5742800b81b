package io.ledgerlake.labeling.stage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ledgerlake.lakehouse.LakehouseOptions;
import io.ledgerlake.common.config.Settings;
import io.ledgerlake.lakehouse.coordination.PostgresTestInstance;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * With a PostgreSQL catalog the writer lock is the catalog database's lease, shared by processes whose data directories
 * differ (two machines): a real private PostgreSQL, skipped where it cannot run.
 */
class LabelWriterLockPostgresTest {
  @TempDir Path machineA;
  @TempDir Path machineB;

  private static LakehouseOptions options(PostgresTestInstance pg, Path dataDir) {
    return LakehouseOptions.from(Settings.of(Map.of(
        "ledgerlake.data-dir", dataDir.toString(),
        LakehouseOptions.CATALOG_TYPE, "jdbc",
        LakehouseOptions.CATALOG_URI, pg.url(),
        LakehouseOptions.JDBC_USER, "postgres")));
  }

  @Test
  void oneWriterAcrossMachinesSharingTheCatalog() throws Exception {
    try (PostgresTestInstance pg = PostgresTestInstance.startOrSkip()) {
      try (LabelWriterLock up = LabelWriterLock.acquire(options(pg, machineA), "the streaming labeling job")) {
        assertThatThrownBy(() -> LabelWriterLock.acquire(options(pg, machineB), "ledgerlake label run"))
            .isInstanceOf(LabelingStageException.class)
            .hasMessageContaining("the streaming labeling job")
            .hasMessageContaining("catalog database");
        // not a file lock: the other machine's data directory has no lock file
        assertThat(Files.exists(machineB.resolve(LabelWriterLock.FILE_NAME))).isFalse();
      }
      LabelWriterLock.acquire(options(pg, machineB), "ledgerlake label run").close();
    }
  }
}
