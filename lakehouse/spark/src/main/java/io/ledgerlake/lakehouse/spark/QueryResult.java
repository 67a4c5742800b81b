package io.ledgerlake.lakehouse.spark;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The rows of a SQL query as plain Java values (String, Long, Double, BigDecimal, Boolean,
 * Instant, LocalDate, List, Map), free of Spark types so any caller can print or test them.
 *
 * @param truncated true when more rows existed than were fetched
 */
public record QueryResult(List<String> columns, List<List<Object>> rows, boolean truncated) {
  public QueryResult {
    columns = List.copyOf(columns);
    List<List<Object>> copy = new ArrayList<>(rows.size());
    for (List<Object> row : rows) {
      // Values may be null, which List.copyOf rejects.
      copy.add(Collections.unmodifiableList(new ArrayList<>(requireNonNull(row, "row"))));
    }
    rows = Collections.unmodifiableList(copy);
  }
}
