package io.ledgerlake.provenance.chain;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ledgerlake.provenance.ProvenanceConfigException;
import io.ledgerlake.provenance.model.Addresses;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where the four contracts live on one chain. Persisted as a small versioned JSON file
 * ({@code <data-dir>/chain/deployment.json} by default):
 *
 * <pre>
 * {"formatVersion":1,"chainId":31337,"deployer":"0x..","deployedAtBlock":1,
 *  "contracts":{"AssetRegistry":"0x..","Receipts":"0x..","Revenue":"0x..","Licensing":"0x.."}}
 * </pre>
 */
public record Deployment(
    long chainId,
    String assetRegistry,
    String receipts,
    String revenue,
    String licensing,
    String deployer,
    long deployedAtBlock) {
  public static final int FORMAT_VERSION = 1;

  public Deployment {
    assetRegistry = Addresses.normalize(assetRegistry);
    receipts = Addresses.normalize(receipts);
    revenue = Addresses.normalize(revenue);
    licensing = Addresses.normalize(licensing);
    deployer = Addresses.normalize(deployer);
  }

  public String toJson() {
    ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    ObjectNode root = json.createObjectNode();
    root.put("formatVersion", FORMAT_VERSION);
    root.put("chainId", chainId);
    root.put("deployer", deployer);
    root.put("deployedAtBlock", deployedAtBlock);
    ObjectNode c = root.putObject("contracts");
    c.put("AssetRegistry", assetRegistry);
    c.put("Receipts", receipts);
    c.put("Revenue", revenue);
    c.put("Licensing", licensing);
    try {
      return json.writeValueAsString(root) + "\n";
    } catch (IOException e) {
      throw new IllegalStateException("Cannot serialise deployment", e);
    }
  }

  public static Deployment fromJson(String text) {
    JsonNode root;
    try {
      root = new ObjectMapper().readTree(text);
    } catch (IOException e) {
      throw new ProvenanceConfigException("Deployment file is not valid JSON: " + e.getMessage(), e);
    }
    int version = root.path("formatVersion").asInt(-1);
    switch (version) {
      case 1:
        JsonNode c = root.path("contracts");
        try {
          return new Deployment(
              root.path("chainId").asLong(),
              c.path("AssetRegistry").asText(null),
              c.path("Receipts").asText(null),
              c.path("Revenue").asText(null),
              c.path("Licensing").asText(null),
              root.path("deployer").asText(null),
              root.path("deployedAtBlock").asLong());
        } catch (IllegalArgumentException e) {
          throw new ProvenanceConfigException("Deployment file has an invalid address: " + e.getMessage(), e);
        }
      default:
        throw new ProvenanceConfigException(
            "Deployment file format version " + version + " is not supported (this build reads version "
                + FORMAT_VERSION + "); redeploy or upgrade LedgerLake");
    }
  }

  public static Deployment read(Path file) {
    try {
      return fromJson(Files.readString(file));
    } catch (IOException e) {
      throw new ProvenanceConfigException(
          "Cannot read deployment file " + file + ": " + e.getMessage()
              + ". Deploy the contracts first (ledgerlake chain up) or set ledgerlake.provenance.deployment-file", e);
    }
  }

  /** Writes durably and atomically ({@link io.ledgerlake.common.AtomicFiles}): a crash never leaves half a file. */
  public void write(Path file) {
    try {
      io.ledgerlake.common.AtomicFiles.write(file, toJson().getBytes(java.nio.charset.StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new ProvenanceConfigException("Cannot write deployment file " + file + ": " + e.getMessage(), e);
    }
  }
}
