package io.ledgerlake.labeling.stage;

import io.ledgerlake.labeling.annotation.LeaseBook;
import java.util.function.Function;

/**
 * Where each dataset's {@link LeaseBook} lives: {@link LeaseFiles} (the data directory, one machine) or
 * {@link JdbcLeaseBookStore} (the PostgreSQL catalog database, shared by every process on it). Either way
 * {@link #update} runs the action on the newest book with no other update of that dataset in between, and persists it.
 */
interface LeaseBookStore {
  <T> T update(String datasetId, Function<LeaseBook, T> action);
}
