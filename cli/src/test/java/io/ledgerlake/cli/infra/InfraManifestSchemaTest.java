package io.ledgerlake.cli.infra;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Every Kubernetes manifest under infra/ against the schema its API server applies: {@code FlinkDeployment} against
 * the Flink Kubernetes Operator's own CRD (the {@code v1beta1} openAPIV3Schema of flinkdeployments.flink.apache.org,
 * from the operator's published API jar), {@code Secret}, {@code Service}, {@code ConfigMap} and {@code StatefulSet}
 * against the Kubernetes API as fabric8's model publishes it (its JSON schema). Unknown fields are errors, as with
 * {@code kubectl apply --validate=strict} (the default since Kubernetes 1.27): every object schema that lists its
 * properties is closed unless it says {@code x-kubernetes-preserve-unknown-fields}.
 *
 * <p>Not covered, for want of a published schema this build can reach: Strimzi's {@code Kafka} and
 * {@code KafkaNodePool} (Strimzi's API jar carries model classes, not CRDs) and the Spark Operator's
 * {@code SparkApplication} (a Go project whose CRD ships only in its Helm chart). {@link InfraManifestsTest} checks
 * their structure and keys; docs/operations.md says so.
 */
class InfraManifestSchemaTest {
  private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
  private static final ObjectMapper YAML = new YAMLMapper();
  /** The CRD in apiextensions.k8s.io/v1 form; its served version v1beta1 is what the manifests use. */
  private static final String FLINK_CRD = "META-INF/fabric8/flinkdeployments.flink.apache.org-v1.yml";
  /** fabric8's definition of each core kind the manifests use. */
  private static final Map<String, String> CORE_KINDS = Map.of(
      "Secret", "kubernetes_core_Secret",
      "Service", "kubernetes_core_Service",
      "ConfigMap", "kubernetes_core_ConfigMap",
      "StatefulSet", "kubernetes_apps_StatefulSet",
      "Pod", "kubernetes_core_Pod");
  private static final Set<String> WITHOUT_SCHEMA = Set.of("Kafka", "KafkaNodePool", "SparkApplication");

  static Map<String, JsonSchema> schemas;

  @BeforeAll
  static void loadSchemas() throws IOException {
    schemas = new HashMap<>();
    JsonSchemaFactory factory = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V7);
    JsonNode crd;
    try (InputStream in = resource(FLINK_CRD)) {
      crd = YAML.readTree(in);
    }
    JsonNode flink = null;
    for (JsonNode version : crd.path("spec").path("versions")) {
      if (version.path("name").asText().equals("v1beta1")) {
        flink = version.path("schema").path("openAPIV3Schema").deepCopy();
      }
    }
    assertThat(flink).as("the v1beta1 schema in %s", FLINK_CRD).isNotNull();
    assertThat(flink.path("properties").path("spec").path("properties").has("job")).isTrue();
    // The API server checks these itself; a CRD's schema leaves them out.
    ObjectNode root = (ObjectNode) flink.path("properties");
    root.set("apiVersion", scalar("string"));
    root.set("kind", scalar("string"));
    root.putObject("metadata").put("type", "object").put("x-kubernetes-preserve-unknown-fields", true);
    // 1.10.0 is the newest operator API jar on Maven Central as reachable here; its FlinkVersion enum stops at v1_20.
    // The manifests run Flink 2.1 (the build's version), which later operators list as v2_1: admit the 2.x values.
    ArrayNode versions = (ArrayNode) flink.path("properties").path("spec").path("properties").path("flinkVersion")
        .path("enum");
    assertThat(versions).as("flinkVersion is an enum in the CRD").isNotEmpty();
    versions.add("v2_0").add("v2_1");
    schemas.put("FlinkDeployment", factory.getSchema(closed(flink)));

    ObjectNode definitions = JsonNodeFactory.instance.objectNode();
    ObjectMapper json = new ObjectMapper();
    for (URL url : Collections.list(InfraManifestSchemaTest.class.getClassLoader()
        .getResources("schema/validation-schema.json"))) {
      try (InputStream in = url.openStream()) {
        definitions.setAll((ObjectNode) json.readTree(in).path("definitions"));
      }
    }
    // fabric8 describes these as the Java types that hold them (under a name per model jar); on the wire they are
    // scalars.
    List<String> names = new ArrayList<>();
    definitions.fieldNames().forEachRemaining(names::add);
    for (String name : names) {
      if (name.endsWith("_IntOrString")) {
        definitions.set(name, scalar("integer", "string"));
      } else if (name.endsWith("_Quantity")) {
        definitions.set(name, scalar("integer", "number", "string"));
      } else if (name.endsWith("_Time") || name.endsWith("_MicroTime")) {
        definitions.set(name, scalar("string"));
      }
    }
    closed(definitions);
    for (var kind : CORE_KINDS.entrySet()) {
      assertThat(definitions.has(kind.getValue())).as("fabric8 defines %s", kind.getValue()).isTrue();
      ObjectNode schema = JsonNodeFactory.instance.objectNode();
      schema.set("definitions", definitions);
      schema.put("$ref", "#/definitions/" + kind.getValue());
      schemas.put(kind.getKey(), factory.getSchema(schema));
    }
  }

  @Test
  void everyManifestWithAPublishedSchemaValidates() throws IOException {
    List<String> problems = new ArrayList<>();
    Set<String> validated = new TreeSet<>();
    for (Path file : InfraManifestsTest.manifests()) {
      int n = 0;
      for (JsonNode doc : documents(file)) {
        n++;
        String kind = doc.path("kind").asText();
        String where = ROOT.relativize(file) + " document " + n + " (" + kind + ")";
        if (WITHOUT_SCHEMA.contains(kind)) {
          continue;
        }
        JsonSchema schema = schemas.get(kind);
        if (schema == null) {
          problems.add(where + ": no schema for this kind; add it to this test");
          continue;
        }
        validate(schema, doc).forEach(m -> problems.add(where + ": " + m));
        validated.add(kind);
        // the pod template the Spark executors use is a Pod inside a ConfigMap
        doc.path("data").fields().forEachRemaining(e -> {
          if (e.getValue().asText().contains("kind: Pod")) {
            try {
              JsonNode pod = YAML.readTree(e.getValue().asText());
              validate(schemas.get("Pod"), pod).forEach(m -> problems.add(where + " data." + e.getKey() + ": " + m));
              validated.add("Pod");
            } catch (IOException ex) {
              problems.add(where + " data." + e.getKey() + ": not YAML: " + ex.getMessage());
            }
          }
        });
      }
    }
    assertThat(problems).isEmpty();
    assertThat(validated).contains("FlinkDeployment", "StatefulSet", "Service", "Secret", "ConfigMap", "Pod");
  }

  @Test
  void aMisspeltOrMistypedFieldIsRejected() throws IOException {
    ObjectNode flink = (ObjectNode) first(ROOT.resolve("infra/flink/ingestion-flinkdeployment.yaml"), "FlinkDeployment");
    assertThat(validate(schemas.get("FlinkDeployment"), flink)).isEmpty();
    ObjectNode misspelt = flink.deepCopy();
    ((ObjectNode) misspelt.path("spec")).set("jobb", misspelt.path("spec").path("job"));
    assertThat(validate(schemas.get("FlinkDeployment"), misspelt)).singleElement().asString().contains("jobb");
    ObjectNode mistyped = flink.deepCopy();
    ((ObjectNode) mistyped.path("spec").path("job")).put("parallelism", "two");
    assertThat(validate(schemas.get("FlinkDeployment"), mistyped)).singleElement().asString().contains("parallelism");

    ObjectNode sts = (ObjectNode) first(ROOT.resolve("infra/k8s/postgres-catalog.yaml"), "StatefulSet");
    assertThat(validate(schemas.get("StatefulSet"), sts)).isEmpty();
    ObjectNode badSts = sts.deepCopy();
    ((ObjectNode) badSts.path("spec")).put("replica", 1);
    assertThat(validate(schemas.get("StatefulSet"), badSts)).singleElement().asString().contains("replica");
  }

  private static List<String> validate(JsonSchema schema, JsonNode doc) {
    List<String> out = new ArrayList<>();
    for (ValidationMessage m : schema.validate(doc)) {
      out.add(m.getMessage());
    }
    return out;
  }

  private static List<JsonNode> documents(Path file) throws IOException {
    List<JsonNode> out = new ArrayList<>();
    try (var parser = new YAMLFactory().createParser(file.toFile())) {
      Iterator<JsonNode> docs = YAML.readValues(parser, JsonNode.class);
      while (docs.hasNext()) {
        JsonNode doc = docs.next();
        if (doc != null && !doc.isNull() && !doc.isMissingNode()) {
          out.add(doc);
        }
      }
    }
    return out;
  }

  private static JsonNode first(Path file, String kind) throws IOException {
    return documents(file).stream().filter(d -> d.path("kind").asText().equals(kind)).findFirst().orElseThrow();
  }

  private static InputStream resource(String name) {
    InputStream in = InfraManifestSchemaTest.class.getClassLoader().getResourceAsStream(name);
    assertThat(in).as("test resource %s", name).isNotNull();
    return in;
  }

  private static ObjectNode scalar(String... types) {
    ObjectNode n = JsonNodeFactory.instance.objectNode();
    ArrayNode t = n.putArray("type");
    for (String type : types) {
      t.add(type);
    }
    return n;
  }

  /**
   * Closes every object schema under {@code node} that lists properties (unknown fields become errors) unless it
   * preserves unknown fields, and drops fabric8's draft-3 style {@code "required": true} inside properties.
   */
  static JsonNode closed(JsonNode node) {
    if (node instanceof ObjectNode o) {
      if (o.path("required").isBoolean()) {
        o.remove("required");
      }
      if (o.has("properties") && o.path("properties").isObject()
          && !o.path("x-kubernetes-preserve-unknown-fields").asBoolean(false)
          && (!o.has("additionalProperties") || o.path("additionalProperties").isBoolean())) {
        o.put("additionalProperties", false);
      }
      o.fields().forEachRemaining(e -> closed(e.getValue()));
    } else if (node instanceof ArrayNode a) {
      a.forEach(InfraManifestSchemaTest::closed);
    }
    return node;
  }
}
