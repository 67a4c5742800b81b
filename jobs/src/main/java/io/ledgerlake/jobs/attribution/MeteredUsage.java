package io.ledgerlake.jobs.attribution;

import io.ledgerlake.lakehouse.Lakehouse;
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
 * The metered API calls in one attribution.usage snapshot, by settlement (epoch, licence asset, licensee), and what
 * each call retrieved. A metered call is a query's rank-1 row with {@code license_kind = 'api'}; it is charged on
 * {@code license_asset_id} to {@code caller}, in the epoch of its {@code queried_at}.
 */
record MeteredUsage(Map<String, Metered> metered, Map<String, List<UsageShares.Retrieval>> byQuery) {
  /** One call: its query and when it was answered. */
  record Call(String queryId, Instant at) {}

  /** The calls of one settlement, in time order (then query id): the order in which a partial balance pays them. */
  record Metered(Epoch epoch, long assetId, String licensee, List<Call> calls) {
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

  /** Reads snapshot {@code snapshot} (-1: the table is empty). */
  static MeteredUsage read(Lakehouse lakehouse, long snapshot, Duration epochLength) {
    Map<String, Metered> metered = new TreeMap<>();
    Map<String, List<UsageShares.Retrieval>> byQuery = new HashMap<>();
    if (snapshot < 0) {
      return new MeteredUsage(metered, byQuery);
    }
    Table table = lakehouse.table(TableModel.ATTRIBUTION_USAGE);
    try (CloseableIterable<Record> rows = IcebergGenerics.read(table).useSnapshot(snapshot)
        .where(Expressions.equal("license_kind", "api"))
        .select("query_id", "caller", "license_asset_id", "record_cid", "contributor", "rank", "queried_at").build()) {
      for (Record r : rows) {
        String queryId = (String) r.getField("query_id");
        int rank = (Integer) r.getField("rank");
        byQuery.computeIfAbsent(queryId, q -> new ArrayList<>()).add(new UsageShares.Retrieval(queryId,
            (String) r.getField("record_cid"), (String) r.getField("contributor"), rank));
        if (rank == 1) {
          Instant at = ((OffsetDateTime) r.getField("queried_at")).toInstant();
          Epoch epoch = Epoch.containing(at, epochLength);
          long asset = Long.parseLong((String) r.getField("license_asset_id"));
          String licensee = (String) r.getField("caller");
          metered.computeIfAbsent(id(epoch, asset, licensee), k -> new Metered(epoch, asset, licensee,
              new ArrayList<>())).calls().add(new Call(queryId, at));
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    metered.values().forEach(m -> m.calls().sort(Comparator.comparing(Call::at).thenComparing(Call::queryId)));
    return new MeteredUsage(metered, byQuery);
  }
}
