package io.ledgerlake.jobs.attribution;

import io.ledgerlake.lakehouse.Lakehouse;
import io.ledgerlake.lakehouse.tables.TableDefinition;
import io.ledgerlake.lakehouse.tables.TableModel;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.iceberg.Table;
import org.apache.iceberg.data.IcebergGenerics;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.expressions.Expressions;
import org.apache.iceberg.io.CloseableIterable;

/**
 * The metered API calls in one snapshot of a metered table, by settlement (epoch, licence asset, licensee), and what
 * each call retrieved. In attribution.usage a metered call is a query's rank-1 row with {@code license_kind = 'api'},
 * charged on {@code license_asset_id} to {@code caller} in the epoch of its {@code queried_at}; in
 * attribution.model_calls it is a row with {@code license_kind = 'api'} (one call, whatever its number of inputs),
 * and it retrieves nothing: its revenue follows the model's lineage instead ({@link ModelShares}).
 */
record MeteredUsage(CallsTable table, Map<String, Metered> metered,
    Map<String, List<UsageShares.Retrieval>> byQuery) {
  /** The tables whose calls are metered, and the columns that name a call, its time and its licence. */
  enum CallsTable {
    USAGE(TableModel.ATTRIBUTION_USAGE, "query_id", "queried_at"),
    MODEL_CALLS(TableModel.ATTRIBUTION_MODEL_CALLS, "call_id", "called_at");

    final TableDefinition definition;
    final String idColumn;
    final String timeColumn;

    CallsTable(TableDefinition definition, String idColumn, String timeColumn) {
      this.definition = definition;
      this.idColumn = idColumn;
      this.timeColumn = timeColumn;
    }

    /** As recorded in attribution.settlements.calls_table (null on rows written before model calls: usage). */
    static CallsTable of(String qualifiedName) {
      return qualifiedName == null || qualifiedName.equals(USAGE.definition.qualifiedName()) ? USAGE : MODEL_CALLS;
    }
  }

  /** One call: its query and when it was answered. */
  record Call(String queryId, Instant at) {}

  /** The calls of one settlement, in time order (then query id): the order in which a partial balance pays them. */
  record Metered(CallsTable table, Epoch epoch, long assetId, String licensee, List<Call> calls) {
    String settlementId() {
      return id(epoch, assetId, licensee);
    }
  }

  static String id(Epoch epoch, long assetId, String licensee) {
    return epoch.id() + "/" + assetId + "/" + licensee;
  }

  /** The rows retrieved by {@code calls}. */
  List<UsageShares.Retrieval> retrievals(List<Call> calls) {
    List<UsageShares.Retrieval> out = new ArrayList<>();
    for (Call c : calls) {
      out.addAll(byQuery.getOrDefault(c.queryId(), List.of()));
    }
    return out;
  }

  /** Reads snapshot {@code snapshot} of {@code calls} (-1: the table is empty). */
  static MeteredUsage read(Lakehouse lakehouse, CallsTable calls, long snapshot, Duration epochLength) {
    Map<String, Metered> metered = new TreeMap<>();
    Map<String, List<UsageShares.Retrieval>> byQuery = new HashMap<>();
    if (snapshot < 0) {
      return new MeteredUsage(calls, metered, byQuery);
    }
    boolean retrievals = calls == CallsTable.USAGE;
    List<String> columns = new ArrayList<>(List.of(calls.idColumn, "caller", "license_asset_id", calls.timeColumn));
    if (retrievals) {
      columns.addAll(List.of("record_cid", "contributor", "rank"));
    }
    Table table = lakehouse.table(calls.definition);
    try (CloseableIterable<Record> rows = IcebergGenerics.read(table).useSnapshot(snapshot)
        .where(Expressions.equal("license_kind", "api")).select(columns).build()) {
      for (Record r : rows) {
        String queryId = (String) r.getField(calls.idColumn);
        int rank = retrievals ? (Integer) r.getField("rank") : 1;
        if (retrievals) {
          byQuery.computeIfAbsent(queryId, q -> new ArrayList<>()).add(new UsageShares.Retrieval(queryId,
              (String) r.getField("record_cid"), (String) r.getField("contributor"), rank));
        }
        if (rank == 1) {
          Instant at = ((OffsetDateTime) r.getField(calls.timeColumn)).toInstant();
          Epoch epoch = Epoch.containing(at, epochLength);
          long asset = Long.parseLong((String) r.getField("license_asset_id"));
          String licensee = (String) r.getField("caller");
          metered.computeIfAbsent(id(epoch, asset, licensee), k -> new Metered(calls, epoch, asset,
              licensee,
              new ArrayList<>())).calls().add(new Call(queryId, at));
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    metered.values().forEach(m -> m.calls().sort(Comparator.comparing(Call::at).thenComparing(Call::queryId)));
    return new MeteredUsage(calls, metered, byQuery);
  }
}
