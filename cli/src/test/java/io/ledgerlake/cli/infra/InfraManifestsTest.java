package io.ledgerlake.cli.infra;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/**
 * Every Kubernetes manifest under infra/ parses, names its kind, and uses only {@code ledgerlake.*} keys that exist:
 * the known keys are read reflectively from the public static String constants of every {@code *Options} class in the
 * build (prefix constants ending in "." admit pass-through keys such as {@code ledgerlake.spark.conf.*}).
 *
 * <p>This checks structure (apiVersion, kind, metadata.name, the fields each kind needs) for every kind;
 * {@link InfraManifestSchemaTest} validates the kinds with a published schema against it.
 */
class InfraManifestsTest {
  private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
  private static final Pattern PROPERTY_LINE = Pattern.compile("(?m)^\\s*(ledgerlake\\.[A-Za-z0-9._-]+)\\s*=");

  private static final Map<String, List<String>> REQUIRED_SPEC = Map.of(
      "FlinkDeployment", List.of("image", "flinkVersion", "job", "jobManager", "taskManager"),
      "SparkApplication", List.of("type", "mode", "image", "mainClass", "mainApplicationFile", "sparkVersion", "driver",
          "executor"),
      "Kafka", List.of("kafka"),
      "KafkaNodePool", List.of("replicas", "roles", "storage"),
      "StatefulSet", List.of("serviceName", "selector", "template"),
      "Service", List.of("selector", "ports"));

  @Test
  void everyManifestIsWellFormedAndUsesKnownKeys() throws Exception {
    Set<String> known = knownKeys();
    assertThat(known).contains("ledgerlake.lakehouse.catalog.uri", "ledgerlake.ingestion.kafka.bootstrap-servers");
    List<Path> manifests = manifests();
    assertThat(manifests).extracting(p -> p.getFileName().toString())
        .contains("postgres-catalog.yaml", "kafka-strimzi.yaml", "labeling-flinkdeployment.yaml",
            "spark-applications.yaml", "ingestion-flinkdeployment.yaml");
    List<String> problems = new ArrayList<>();
    Set<String> kinds = new TreeSet<>();
    for (Path file : manifests) {
      String text = Files.readString(file);
      int n = 0;
      for (Object doc : new Yaml().loadAll(text)) {
        n++;
        if (doc == null) {
          continue;
        }
        String where = ROOT.relativize(file) + " document " + n;
        Map<?, ?> m = (Map<?, ?>) doc;
        Object kind = m.get("kind");
        if (m.get("apiVersion") == null || kind == null || !(m.get("metadata") instanceof Map<?, ?> meta)
            || meta.get("name") == null) {
          problems.add(where + ": needs apiVersion, kind and metadata.name");
          continue;
        }
        kinds.add(kind.toString());
        Object spec = m.get("spec");
        for (String field : REQUIRED_SPEC.getOrDefault(kind.toString(), List.of())) {
          if (!(spec instanceof Map<?, ?> s) || !s.containsKey(field)) {
            problems.add(where + " (" + kind + "): spec." + field + " missing");
          }
        }
      }
      problems.addAll(unknownKeys(ROOT.relativize(file).toString(), text, known));
    }
    assertThat(kinds).contains("FlinkDeployment", "SparkApplication", "Kafka", "KafkaNodePool", "StatefulSet",
        "Service", "Secret", "ConfigMap");
    assertThat(problems).isEmpty();
  }

  @Test
  void aMisspeltKeyIsReported() throws Exception {
    assertThat(unknownKeys("x.yaml", "data:\n  p: |\n    ledgerlake.lakehouse.catalog.tpye=jdbc\n", knownKeys()))
        .singleElement().asString().contains("ledgerlake.lakehouse.catalog.tpye");
    assertThat(unknownKeys("x.yaml", "ledgerlake.spark.conf.spark.executor.memory=4g\n", knownKeys())).isEmpty();
  }

  static List<String> unknownKeys(String where, String text, Set<String> known) {
    List<String> out = new ArrayList<>();
    Matcher m = PROPERTY_LINE.matcher(text);
    while (m.find()) {
      String key = m.group(1);
      boolean ok = known.contains(key)
          || known.stream().anyMatch(k -> k.endsWith(".") && key.startsWith(k) && key.length() > k.length()
              && isPassThrough(k));
      if (!ok) {
        out.add(where + ": unknown key " + key + " (not declared by any *Options class)");
      }
    }
    return out;
  }

  /** Prefixes whose keys are passed through unchanged (not a module's PREFIX, which would admit any misspelling). */
  private static boolean isPassThrough(String prefix) {
    return prefix.endsWith(".conf.") || prefix.endsWith(".property.");
  }

  static Set<String> knownKeys() throws IOException {
    Set<String> keys = new TreeSet<>();
    List<Path> sources;
    try (Stream<Path> s = Files.walk(ROOT)) {
      sources = s.filter(p -> p.toString().contains("/src/main/java/") && !p.toString().contains("/target/")
          && !p.toString().contains("/node_modules/") && p.getFileName().toString().endsWith("Options.java")).toList();
    }
    for (Path source : sources) {
      String rel = source.toString().substring(source.toString().indexOf("/src/main/java/") + 15);
      String className = rel.substring(0, rel.length() - 5).replace('/', '.');
      Class<?> c;
      try {
        c = Class.forName(className, false, InfraManifestsTest.class.getClassLoader());
      } catch (ClassNotFoundException | LinkageError e) {
        continue; // a module the CLI does not bundle: its keys cannot be used by the CLI either
      }
      for (Field f : c.getFields()) {
        if (Modifier.isStatic(f.getModifiers()) && f.getType() == String.class) {
          try {
            Object v = f.get(null);
            if (v instanceof String key && key.startsWith("ledgerlake.")) {
              keys.add(key);
            }
          } catch (IllegalAccessException e) {
            throw new IllegalStateException(e);
          }
        }
      }
    }
    return keys;
  }

  static List<Path> manifests() throws IOException {
    try (Stream<Path> s = Files.walk(ROOT.resolve("infra"))) {
      return s.filter(p -> p.toString().endsWith(".yaml") || p.toString().endsWith(".yml")).sorted().toList();
    }
  }
}
