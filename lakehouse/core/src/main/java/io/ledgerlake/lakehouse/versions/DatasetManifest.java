package io.ledgerlake.lakehouse.versions;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ledgerlake.common.ErrorCategory;
import io.ledgerlake.lakehouse.LakehouseException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/**
 * The manifest of a published dataset version: the sorted set of its record CIDs. Its bytes are
 * deterministic (fixed key order, sorted CIDs, no whitespace, trailing newline), so anyone holding
 * the records recomputes the same bytes and therefore the same root CID that goes on chain.
 *
 * <p>Format version 1:
 *
 * <pre>{"format":"ledgerlake.dataset-manifest","version":1,"dataset":"...","tag":"...","record_count":N,"records":["bafk...",...]}</pre>
 */
public record DatasetManifest(String datasetId, String tag, List<String> recordCids) {
  public static final String FORMAT = "ledgerlake.dataset-manifest";
  public static final int VERSION_1 = 1;

  private static final ObjectMapper JSON = new ObjectMapper();

  public DatasetManifest {
    requireNonNull(datasetId, "datasetId");
    requireNonNull(tag, "tag");
    // Sorted and distinct: the manifest names a set, and its bytes must not depend on scan order.
    recordCids = List.copyOf(new TreeSet<>(recordCids));
  }

  /** The canonical bytes (UTF-8 JSON, one line). */
  public byte[] toBytes() {
    ObjectNode root = JSON.createObjectNode();
    root.put("format", FORMAT);
    root.put("version", VERSION_1);
    root.put("dataset", datasetId);
    root.put("tag", tag);
    root.put("record_count", recordCids.size());
    ArrayNode records = root.putArray("records");
    recordCids.forEach(records::add);
    try {
      return (JSON.writeValueAsString(root) + "\n").getBytes(StandardCharsets.UTF_8);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Parses a manifest, rejecting unknown formats and versions. */
  public static DatasetManifest fromBytes(byte[] bytes) {
    JsonNode root;
    try {
      root = JSON.readTree(bytes);
    } catch (IOException e) {
      throw new LakehouseException(ErrorCategory.USER_ERROR, e, "not a dataset manifest: %s", e.getMessage());
    }
    if (root == null || !FORMAT.equals(root.path("format").asText())) {
      throw new LakehouseException(ErrorCategory.USER_ERROR, "not a dataset manifest: format is not %s", FORMAT);
    }
    int version = root.path("version").asInt(-1);
    switch (version) {
      case VERSION_1 -> {
        List<String> cids = new ArrayList<>();
        root.path("records").forEach(n -> cids.add(n.asText()));
        if (root.path("record_count").asInt(-1) != cids.size()) {
          throw new LakehouseException(ErrorCategory.USER_ERROR, "dataset manifest is inconsistent: record_count %s but %s records", root.path("record_count").asText(), cids.size());
        }
        return new DatasetManifest(root.path("dataset").asText(), root.path("tag").asText(), cids);
      }
      default -> throw new LakehouseException(
          ErrorCategory.USER_ERROR, "dataset manifest version %s is not supported (this build reads version %s)", version, VERSION_1);
    }
  }
}
