package io.ledgerlake.console.api;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ledgerlake.ingestion.dataset.Addresses;
import io.ledgerlake.ingestion.dataset.DatasetCatalog;
import io.ledgerlake.ingestion.dataset.DatasetDefinition;
import io.ledgerlake.ingestion.server.ApiExtension;
import io.ledgerlake.ingestion.server.ApiRequest;
import io.ledgerlake.ingestion.server.BadRequestException;
import io.ledgerlake.jobs.attribution.AttributionOptions;
import io.ledgerlake.jobs.attribution.Earnings;
import io.ledgerlake.jobs.attribution.Payouts;
import io.ledgerlake.labeling.LabelingOptions;
import io.ledgerlake.labeling.stage.RedactedTexts;
import io.ledgerlake.lakehouse.Lakehouse;
import io.ledgerlake.lakehouse.lineage.LineageNode;
import java.io.IOException;
import java.math.BigInteger;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The web console's reads, served by the upload API ({@code ledgerlake up}) with its authentication and visibility
 * rules: a private dataset's versions, records and lineage nodes exist only for its owner and allowlist (404, or left
 * out of a graph and counted as {@code hidden}); earnings are on-chain facts and public, except the queries behind a
 * usage share, which only the earner sees. Also the console's static files ({@link StaticConsole}).
 * docs/api.md lists the routes; docs/decisions/console.md says why they read Iceberg directly.
 */
public final class ConsoleEndpoints implements ApiExtension {
  static final Pattern VERSIONS = Pattern.compile("/v1/datasets/([^/]+)/versions");
  static final Pattern RECORDS = Pattern.compile("/v1/datasets/([^/]+)/records");
  static final Pattern SUBMISSIONS = Pattern.compile("/v1/datasets/([^/]+)/submissions");
  static final Pattern EARNINGS = Pattern.compile("/v1/earnings/([^/]+)");
  static final int MAX_PAGE = 200;
  static final int MAX_DEPTH = 10;
  static final int MAX_NODES = 20_000;

  private static final ObjectMapper JSON = new ObjectMapper();

  private final ConsoleReads reads;
  private final DatasetCatalog datasets;
  private final AttributionOptions attribution;
  private final StaticConsole files;

  public ConsoleEndpoints(Lakehouse lakehouse, DatasetCatalog datasets, LabelingOptions labeling,
      AttributionOptions attribution) {
    this.reads = new ConsoleReads(requireNonNull(lakehouse, "lakehouse"), new RedactedTexts(lakehouse, labeling));
    this.datasets = requireNonNull(datasets, "datasets");
    this.attribution = requireNonNull(attribution, "attribution");
    this.files = new StaticConsole(ConsoleEndpoints.class.getClassLoader());
  }

  /** Whether the console's static files are built into this server. */
  public boolean consoleAvailable() {
    return files.available();
  }

  @Override
  public boolean handle(ApiRequest request) throws IOException {
    String path = request.path();
    Matcher m;
    if ((m = VERSIONS.matcher(path)).matches()) {
      request.requireMethod("GET");
      DatasetDefinition dataset = request.readableDataset(m.group(1));
      ObjectNode out = JSON.createObjectNode().put("dataset", dataset.id());
      out.set("versions", reads.versions(dataset.id()));
      request.sendJson(200, out);
    } else if ((m = RECORDS.matcher(path)).matches()) {
      request.requireMethod("GET");
      DatasetDefinition dataset = request.readableDataset(m.group(1));
      int limit = intParam(request, "limit", 50, 1, MAX_PAGE);
      request.sendJson(200, reads.records(dataset.id(), request.queryParam("version").orElse(null), limit,
          request.queryParam("after").orElse(null)));
    } else if ((m = SUBMISSIONS.matcher(path)).matches()) {
      request.requireMethod("GET");
      DatasetDefinition dataset = request.readableDataset(m.group(1));
      ObjectNode out = JSON.createObjectNode().put("dataset", dataset.id());
      out.set("submissions", reads.submissions(dataset.id(), intParam(request, "limit", 50, 1, MAX_PAGE)));
      request.sendJson(200, out);
    } else if (path.equals("/v1/lineage")) {
      request.requireMethod("GET");
      lineage(request);
    } else if ((m = EARNINGS.matcher(path)).matches()) {
      request.requireMethod("GET");
      earnings(request, m.group(1));
    } else if (path.equals("/v1/reconciliation")) {
      request.requireMethod("GET");
      request.sendJson(200, reads.reconciliation());
    } else {
      return files.handle(request);
    }
    return true;
  }

  private void lineage(ApiRequest request) throws IOException {
    String nodeText = request.queryParam("node").orElseThrow(() -> new BadRequestException(
        "Query parameter 'node' is required: kind:id, e.g. dataset_version:ds-x-v1 or asset_version:1@1"));
    LineageNode node;
    try {
      node = LineageNode.parse(nodeText);
    } catch (RuntimeException e) {
      throw new BadRequestException(e.getMessage());
    }
    String direction = request.queryParam("direction").orElse("both");
    if (!Set.of("up", "down", "both").contains(direction)) {
      throw new BadRequestException("direction must be up, down or both, got '" + direction + "'");
    }
    int depth = intParam(request, "depth", 3, 1, MAX_DEPTH);
    int limit = intParam(request, "limit", 2000, 1, MAX_NODES);
    Set<String> hidden = datasets.unreadableBy(request.optionalCaller());
    request.sendJson(200, reads.lineage(node, direction, depth, limit, hidden).toJson());
  }

  private void earnings(ApiRequest request, String addressText) throws IOException {
    String address;
    try {
      address = Addresses.normalize(addressText);
    } catch (RuntimeException e) {
      throw new BadRequestException("Not an EVM address: '" + addressText + "' (0x and 40 hex digits)");
    }
    ObjectNode out = JSON.createObjectNode().put("address", address);
    ArrayNode items = reads.shares(address);
    BigInteger total = BigInteger.ZERO;
    for (var item : items) {
      total = total.add(new BigInteger(item.path("amountWei").asText("0")));
    }
    out.put("totalWei", total.toString());
    out.set("items", items);
    // The queries behind a usage share say what a licensee asked: only the earner sees them.
    boolean self = request.optionalCaller().map(address::equals).orElse(false);
    out.put("explained", self);
    ArrayNode usage = out.putArray("usage");
    Map<String, Payouts.Row> payouts = Payouts.latest(reads.lakehouse());
    for (Earnings.Explained e : Earnings.of(reads.lakehouse(), address, attribution)) {
      ObjectNode u = usage.addObject().put("epoch", e.epoch()).put("assetId", e.assetId())
          .put("amountWei", e.amountWei().toString()).put("bps", e.bps()).put("status", e.status())
          .put("basis", e.basis()).put("settlementId", e.settlementId()).put("settledCalls", e.settledCalls())
          .put("txHash", e.txHash()).put("weight", e.weight()).put("totalWeight", e.totalWeight());
      Payouts.Row payout = payouts.get(e.epoch());
      if (payout != null && payout.status().equals(Payouts.FINAL)) {
        u.put("payoutRoot", payout.root()).put("payoutTx", payout.txHash())
            .put("claim", "ledgerlake claim --epoch " + e.epoch() + " --address " + address);
      }
      if (self) {
        u.put("licensee", e.licensee());
        ArrayNode uses = u.putArray("uses");
        for (Earnings.Use use : e.uses()) {
          uses.addObject().put("queryId", use.queryId()).put("recordCid", use.recordCid()).put("rank", use.rank());
        }
      }
    }
    request.sendJson(200, out);
  }

  private static int intParam(ApiRequest request, String name, int dflt, int min, int max) {
    Optional<String> raw = request.queryParam(name);
    if (raw.isEmpty()) {
      return dflt;
    }
    try {
      int v = Integer.parseInt(raw.get());
      if (v < min || v > max) {
        throw new NumberFormatException();
      }
      return v;
    } catch (NumberFormatException e) {
      throw new BadRequestException(name + " must be an integer from " + min + " to " + max + ", got '" + raw.get()
          + "'");
    }
  }
}
