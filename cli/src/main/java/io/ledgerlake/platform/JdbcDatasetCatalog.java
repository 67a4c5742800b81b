package io.ledgerlake.platform;

import static java.util.Objects.requireNonNull;

import io.ledgerlake.ingestion.dataset.DatasetCatalog;
import io.ledgerlake.ingestion.dataset.DatasetDefinition;
import io.ledgerlake.ingestion.record.Json;
import io.ledgerlake.ingestion.server.DatasetFiles;
import io.ledgerlake.lakehouse.LakehouseOptions;
import io.ledgerlake.lakehouse.coordination.CoordinationDatabase;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Dataset definitions in the catalog database ({@code ledgerlake_coord_datasets}, coordination schema 3), one row per
 * dataset holding {@link DatasetDefinition}'s versioned JSON: every {@code up} sharing a PostgreSQL catalog sees the
 * datasets created through any of them, and their visibility rules. Reads go to the database every time (datasets
 * are few and small; a cache would show one process's stale view to another).
 */
public final class JdbcDatasetCatalog implements DatasetCatalog {
  private final CoordinationDatabase db;

  public JdbcDatasetCatalog(CoordinationDatabase db) {
    this.db = requireNonNull(db, "db");
  }

  /**
   * The one selection point: the catalog database when the Iceberg catalog is PostgreSQL, the upload API's files
   * under {@code ingestionDataDir} otherwise (the embedded SQLite catalog is one machine's).
   */
  public static DatasetCatalog forCatalog(LakehouseOptions lakehouse, Path ingestionDataDir) {
    return CoordinationDatabase.forCatalog(lakehouse).<DatasetCatalog>map(JdbcDatasetCatalog::new)
        .orElseGet(() -> DatasetFiles.catalog(ingestionDataDir));
  }

  @Override
  public Optional<DatasetDefinition> find(String id) {
    try (Connection c = db.connect();
        PreparedStatement st = c.prepareStatement(
            "select definition from ledgerlake_coord_datasets where dataset_id = ?")) {
      st.setString(1, id);
      try (ResultSet rs = st.executeQuery()) {
        return rs.next() ? Optional.of(parse(id, rs.getString(1))) : Optional.empty();
      }
    } catch (SQLException e) {
      throw db.unreachable(e);
    }
  }

  @Override
  public List<DatasetDefinition> all() {
    try (Connection c = db.connect();
        PreparedStatement st = c.prepareStatement(
            "select dataset_id, definition from ledgerlake_coord_datasets order by dataset_id");
        ResultSet rs = st.executeQuery()) {
      List<DatasetDefinition> all = new ArrayList<>();
      while (rs.next()) {
        all.add(parse(rs.getString(1), rs.getString(2)));
      }
      return all;
    } catch (SQLException e) {
      throw db.unreachable(e);
    }
  }

  @Override
  public void put(DatasetDefinition dataset) {
    update("insert into ledgerlake_coord_datasets(dataset_id, definition) values (?, ?)"
        + " on conflict (dataset_id) do update set definition = excluded.definition, updated_at = now()",
        dataset.id(), encode(dataset));
  }

  @Override
  public boolean create(DatasetDefinition dataset) {
    return update("insert into ledgerlake_coord_datasets(dataset_id, definition) values (?, ?)"
        + " on conflict (dataset_id) do nothing", dataset.id(), encode(dataset)) == 1;
  }

  /** Compare-and-set on the stored JSON: toJson is deterministic, so equal definitions have equal text. */
  @Override
  public boolean replace(DatasetDefinition expected, DatasetDefinition updated) {
    if (!expected.id().equals(updated.id())) {
      throw new IllegalArgumentException("replace keeps the id: " + expected.id() + " vs " + updated.id());
    }
    return update("update ledgerlake_coord_datasets set definition = ?, updated_at = now()"
        + " where dataset_id = ? and definition = ?", encode(updated), expected.id(), encode(expected)) == 1;
  }

  private int update(String sql, String... args) {
    try (Connection c = db.connect(); PreparedStatement st = c.prepareStatement(sql)) {
      for (int i = 0; i < args.length; i++) {
        st.setString(i + 1, args[i]);
      }
      return st.executeUpdate();
    } catch (SQLException e) {
      throw db.unreachable(e);
    }
  }

  private static String encode(DatasetDefinition dataset) {
    try {
      return Json.MAPPER.writeValueAsString(dataset.toJson());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot encode dataset " + dataset.id(), e);
    }
  }

  private static DatasetDefinition parse(String id, String json) {
    try {
      return DatasetDefinition.fromJson(Json.MAPPER.readTree(json));
    } catch (IOException | RuntimeException e) {
      throw new IllegalStateException("dataset " + id + " in the catalog database is not a readable definition: "
          + e.getMessage(), e);
    }
  }
}
