package io.ledgerlake.indexer.decode;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ledgerlake.indexer.IndexerStateException;
import io.ledgerlake.indexer.source.RawLog;
import io.ledgerlake.provenance.chain.Deployment;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.web3j.abi.FunctionReturnDecoder;
import org.web3j.abi.TypeReference;
import org.web3j.abi.datatypes.Address;
import org.web3j.abi.datatypes.Array;
import org.web3j.abi.datatypes.Bool;
import org.web3j.abi.datatypes.BytesType;
import org.web3j.abi.datatypes.NumericType;
import org.web3j.abi.datatypes.Type;
import org.web3j.abi.datatypes.Utf8String;
import org.web3j.crypto.Hash;

/**
 * Decodes LedgerLake contract logs from the ABIs the provenance build ships in its jar
 * ({@code io/ledgerlake/provenance/contracts/<Contract>.full.abi.json}), so a new event in a contract is indexed
 * without code changes here.
 *
 * <p>Arguments become a JSON object keyed by parameter name: integers as JSON numbers (exact, uint256 included),
 * addresses as lower-case 0x hex, bytes as 0x hex, strings as strings, arrays as arrays. An indexed parameter of a
 * dynamic type (string, bytes, array) is only its keccak hash on chain: it is given as that 0x hash.
 */
public final class AbiEventDecoder {
  /** The contracts whose events are indexed, by the name their ABI file carries. */
  public static final List<String> CONTRACTS = List.of("AssetRegistry", "Receipts", "Revenue", "Licensing");
  private static final String RESOURCE = "/io/ledgerlake/provenance/contracts/%s.full.abi.json";
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private record Param(String name, String type, boolean indexed, TypeReference<Type> ref, WordDecoder fast) {}

  /**
   * One event, compiled once per topic0. {@code fast} is true when every parameter has a {@link WordDecoder}
   * (every type the LedgerLake contracts use); other events (tuples, nested arrays) go through web3j.
   */
  private record EventSpec(String name, List<Param> params, List<TypeReference<Type>> dataRefs, boolean fast) {}

  /** address -> contract name, and (contract, topic0) -> event. */
  private final Map<String, String> contractByAddress;
  private final Map<String, Map<String, EventSpec>> eventsByContract;

  private AbiEventDecoder(Map<String, String> contractByAddress, Map<String, Map<String, EventSpec>> events) {
    this.contractByAddress = Map.copyOf(contractByAddress);
    this.eventsByContract = Map.copyOf(events);
  }

  /** A decoder for the contracts of {@code deployment}, with the ABIs on the classpath. */
  public static AbiEventDecoder forDeployment(Deployment deployment) {
    Map<String, String> byAddress = new HashMap<>();
    byAddress.put(deployment.assetRegistry(), "AssetRegistry");
    byAddress.put(deployment.receipts(), "Receipts");
    byAddress.put(deployment.revenue(), "Revenue");
    byAddress.put(deployment.licensing(), "Licensing");
    Map<String, Map<String, EventSpec>> events = new HashMap<>();
    for (String contract : CONTRACTS) {
      events.put(contract, parseAbi(contract, readAbi(contract)));
    }
    return new AbiEventDecoder(byAddress, events);
  }

  /** The addresses to ask eth_getLogs for. */
  public List<String> addresses() {
    return contractByAddress.keySet().stream().sorted().toList();
  }

  /** The event names of {@code contract}'s ABI. */
  public List<String> eventNames(String contract) {
    return eventsByContract.getOrDefault(contract, Map.of()).values().stream().map(EventSpec::name).sorted().toList();
  }

  /** Decodes {@code log}; empty if its address or topic is not a known LedgerLake event (e.g. anonymous). */
  public Optional<DecodedEvent> decode(RawLog log) {
    EventSpec spec = spec(log);
    if (spec == null) {
      return Optional.empty();
    }
    String contract = contractByAddress.get(log.address());
    ObjectNode args = spec.fast() ? decodeFast(contract, spec, log) : decodeWithWeb3j(contract, spec, log);
    return Optional.of(new DecodedEvent(contract, spec.name(), args));
  }

  /**
   * Decodes {@code log} with web3j's generic (reflective) decoder. The reference the fast path is tested
   * against, and the path for events whose types the fast path does not cover.
   */
  Optional<DecodedEvent> decodeWithWeb3j(RawLog log) {
    EventSpec spec = spec(log);
    if (spec == null) {
      return Optional.empty();
    }
    String contract = contractByAddress.get(log.address());
    return Optional.of(new DecodedEvent(contract, spec.name(), decodeWithWeb3j(contract, spec, log)));
  }

  private EventSpec spec(RawLog log) {
    String contract = contractByAddress.get(log.address());
    if (contract == null || log.topics().isEmpty()) {
      return null;
    }
    return eventsByContract.get(contract).get(log.topics().get(0));
  }

  private static ObjectNode decodeFast(String contract, EventSpec spec, RawLog log) {
    ObjectNode args = NODES.objectNode();
    String data = log.data();
    int base = data.startsWith("0x") ? 2 : 0;
    int topic = 1;
    int word = 0;
    for (Param p : spec.params()) {
      try {
        if (p.indexed()) {
          String t = log.topics().get(topic++);
          // A dynamic indexed value is only its keccak hash on chain.
          args.set(p.name(), isDynamic(p.type()) ? NODES.textNode(t) : p.fast().decode(t, t.startsWith("0x") ? 2 : 0,
              0));
        } else {
          args.set(p.name(), p.fast().decode(data, base, word++));
        }
      } catch (IndexOutOfBoundsException | IllegalArgumentException e) {
        throw new IndexerStateException("log " + log.txHash() + ":" + log.logIndex() + " of " + contract + "."
            + spec.name() + " does not match its ABI (parameter " + p.name() + " " + p.type() + "); is the "
            + "deployment file for these contracts?", e);
      }
    }
    return args;
  }

  private static ObjectNode decodeWithWeb3j(String contract, EventSpec spec, RawLog log) {
    List<Type> data = FunctionReturnDecoder.decode(log.data(), spec.dataRefs());
    if (data.size() != spec.dataRefs().size()) {
      throw new IndexerStateException("log " + log.txHash() + ":" + log.logIndex() + " of " + contract + "."
          + spec.name() + " does not match its ABI (" + spec.dataRefs().size() + " data values expected, got "
          + data.size() + "); is the deployment file for these contracts?", null);
    }
    ObjectNode args = NODES.objectNode();
    int topic = 1;
    int dataIndex = 0;
    for (Param p : spec.params()) {
      if (p.indexed()) {
        String t = log.topics().get(topic++);
        if (isDynamic(p.type())) {
          args.put(p.name(), t);
        } else {
          args.set(p.name(), toJson(FunctionReturnDecoder.decodeIndexedValue(t, p.ref())));
        }
      } else {
        args.set(p.name(), toJson(data.get(dataIndex++)));
      }
    }
    return args;
  }

  private static JsonNode readAbi(String contract) {
    String path = String.format(RESOURCE, contract);
    try (InputStream in = AbiEventDecoder.class.getResourceAsStream(path)) {
      if (in == null) {
        throw new IndexerStateException("ABI " + path + " is not on the classpath; the ledgerlake-provenance jar "
            + "ships it: rebuild it with the Maven build (it compiles the contracts)", null);
      }
      return new ObjectMapper().readTree(in);
    } catch (IOException e) {
      throw new IndexerStateException("cannot read ABI " + path + ": " + e.getMessage(), e);
    }
  }

  @SuppressWarnings("unchecked")
  private static Map<String, EventSpec> parseAbi(String contract, JsonNode abi) {
    Map<String, EventSpec> out = new HashMap<>();
    for (JsonNode entry : abi) {
      if (!"event".equals(entry.path("type").asText()) || entry.path("anonymous").asBoolean(false)) {
        continue;
      }
      String name = entry.path("name").asText();
      List<Param> params = new ArrayList<>();
      List<String> types = new ArrayList<>();
      for (JsonNode in : entry.path("inputs")) {
        String type = in.path("type").asText();
        boolean indexed = in.path("indexed").asBoolean(false);
        try {
          TypeReference<Type> ref = (TypeReference<Type>) (TypeReference<?>)
              TypeReference.makeTypeReference(type, indexed, false);
          params.add(new Param(in.path("name").asText(), type, indexed, ref, WordDecoder.forType(type)));
        } catch (ClassNotFoundException e) {
          throw new IndexerStateException("ABI type " + type + " of " + contract + "." + name
              + " has no web3j decoder type", e);
        }
        types.add(type);
      }
      String signature = name + "(" + String.join(",", types) + ")";
      List<TypeReference<Type>> dataRefs = new ArrayList<>();
      boolean fast = true;
      for (Param p : params) {
        if (!p.indexed()) {
          dataRefs.add(p.ref());
        }
        fast &= p.fast() != null;
      }
      out.put(Hash.sha3String(signature).toLowerCase(),
          new EventSpec(name, List.copyOf(params), List.copyOf(dataRefs), fast));
    }
    return out;
  }

  private static boolean isDynamic(String type) {
    return type.equals("string") || type.equals("bytes") || type.endsWith("]") || type.startsWith("tuple");
  }

  private static JsonNode toJson(Type value) {
    if (value instanceof Address a) {
      return NODES.textNode(a.getValue().toLowerCase());
    }
    if (value instanceof NumericType n) {
      BigInteger v = n.getValue();
      return NODES.numberNode(v);
    }
    if (value instanceof Bool b) {
      return NODES.booleanNode(b.getValue());
    }
    if (value instanceof Utf8String s) {
      return NODES.textNode(s.getValue());
    }
    if (value instanceof BytesType b) {
      return NODES.textNode("0x" + HexFormat.of().formatHex(b.getValue()));
    }
    if (value instanceof Array<?> arr) {
      ArrayNode out = NODES.arrayNode();
      for (Type t : arr.getValue()) {
        out.add(toJson(t));
      }
      return out;
    }
    return NODES.textNode(String.valueOf(value.getValue()));
  }
}
