package io.ledgerlake.labeling.stage;

import static java.util.Objects.requireNonNull;

import io.ledgerlake.lakehouse.coordination.CoordinationDatabase;
import io.ledgerlake.labeling.annotation.LeaseBook;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.function.Function;

/**
 * Lease books in {@code ledgerlake_coord_lease_books} of the PostgreSQL catalog database. An update is one transaction:
 * make sure the dataset's row exists ({@code on conflict do nothing}), lock it with {@code select ... for update},
 * apply {@link LeaseBook}'s rules, write the book back if it changed, commit. The row lock serialises every process on
 * the database per dataset, as the file lock does on one machine; a process that dies mid-update loses its connection
 * and PostgreSQL rolls the transaction back, so no half-written book and no lock stays behind. Reservations themselves
 * expire by their own time-to-live (in the book), exactly as with files.
 */
final class JdbcLeaseBookStore implements LeaseBookStore {
  private final CoordinationDatabase db;

  JdbcLeaseBookStore(CoordinationDatabase db) {
    this.db = requireNonNull(db, "db");
  }

  @Override
  public <T> T update(String datasetId, Function<LeaseBook, T> action) {
    requireNonNull(datasetId, "datasetId");
    try (Connection c = db.connect()) {
      c.setAutoCommit(false);
      try {
        try (PreparedStatement ins = c.prepareStatement("insert into ledgerlake_coord_lease_books(dataset_id, book)"
            + " values (?, ?) on conflict (dataset_id) do nothing")) {
          ins.setString(1, datasetId);
          ins.setBytes(2, new byte[0]);
          ins.executeUpdate();
        }
        byte[] before;
        try (PreparedStatement sel = c.prepareStatement(
            "select book from ledgerlake_coord_lease_books where dataset_id = ? for update")) {
          sel.setString(1, datasetId);
          try (ResultSet rs = sel.executeQuery()) {
            rs.next();
            before = rs.getBytes(1);
          }
        }
        LeaseBook book = LeaseBook.fromBytes(before);
        T result = action.apply(book);
        byte[] after = book.toBytes();
        if (!Arrays.equals(before, after)) {
          try (PreparedStatement upd = c.prepareStatement(
              "update ledgerlake_coord_lease_books set book = ?, updated_at = now() where dataset_id = ?")) {
            upd.setBytes(1, after);
            upd.setString(2, datasetId);
            upd.executeUpdate();
          }
        }
        c.commit();
        return result;
      } catch (SQLException | RuntimeException e) {
        c.rollback();
        throw e;
      }
    } catch (SQLException e) {
      throw new LabelingStageException(io.ledgerlake.common.ErrorCategory.EXTERNAL, "task reservations of dataset "
          + datasetId + " could not be read or written in the catalog database: " + db.unreachable(e).getMessage(), e);
    }
  }
}
