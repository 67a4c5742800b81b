package io.ledgerlake.common.config;

import io.ledgerlake.common.config.Settings;
import static java.util.Objects.requireNonNull;

import io.ledgerlake.common.SettingNames;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.TreeMap;

/**
 * Layered configuration with one precedence for every module: CLI flag &gt; environment &gt;
 * {@code ledgerlake.properties} &gt; default.
 *
 * <p>Keys are dotted, e.g. {@code ledgerlake.data-dir}. The environment variable for a key is its
 * upper-cased form with dots and dashes replaced by underscores ({@code LEDGERLAKE_DATA_DIR}).
 * Defaults are not stored here: they live next to the keys in each module's {@code *Options}
 * class and are applied by {@link #get(String, String)}.
 *
 * <p>Immutable: {@link #withOverrides(Map)} returns a new instance.
 */
public final class Settings {
  /** Name of the properties file looked up in the working directory. */
  public static final String PROPERTIES_FILE = "ledgerlake.properties";
  /** Environment variable naming an explicit properties file. */
  public static final String CONFIG_ENV = "LEDGERLAKE_CONFIG";

  private final Map<String, String> flags;
  private final Map<String, String> env;
  private final Map<String, String> file;
  private final Optional<Path> fileSource;

  private Settings(
      Map<String, String> flags,
      Map<String, String> env,
      Map<String, String> file,
      Optional<Path> fileSource) {
    this.flags = Map.copyOf(flags);
    this.env = Map.copyOf(env);
    this.file = Map.copyOf(file);
    this.fileSource = requireNonNull(fileSource, "fileSource");
  }

  /** Settings from nothing but defaults; useful in tests. */
  public static Settings empty() {
    return new Settings(Map.of(), Map.of(), Map.of(), Optional.empty());
  }

  /** Settings from explicit values only (highest precedence); useful in tests and embedding. */
  public static Settings of(Map<String, String> values) {
    return new Settings(values, Map.of(), Map.of(), Optional.empty());
  }

  /**
   * Settings from explicit layers, for modules that are handed them separately (a job main, a test): {@code flags}
   * win over {@code environment}, which wins over {@code file}.
   */
  public static Settings layered(
      Map<String, String> flags, Map<String, String> environment, Map<String, String> file) {
    return new Settings(flags, environment, file, Optional.empty());
  }

  /**
   * The settings of a job's {@code main} on a cluster ({@code flink run ... --config FILE}): the only argument is
   * {@code --config FILE}, then the environment. Empty after {@code --help} (usage printed); an unknown argument
   * prints the usage and exits 2.
   */
  public static Optional<Settings> forJobMain(String program, String[] args) {
    String usage = "usage: " + program + " --config ledgerlake.properties";
    Optional<Path> config = Optional.empty();
    for (int i = 0; i < args.length; i++) {
      if (args[i].equals("--config") && i + 1 < args.length) {
        config = Optional.of(Path.of(args[++i]));
      } else if (args[i].equals("--help")) {
        System.out.println(usage);
        return Optional.empty();
      } else {
        System.err.println("unknown argument " + args[i] + "; " + usage);
        System.exit(2);
      }
    }
    return Optional.of(load(Map.of(), System.getenv(), config));
  }

  /**
   * Loads settings the way the CLI does.
   *
   * @param flags values given as command-line flags, by key
   * @param environment the process environment
   * @param configFile an explicit properties file (from {@code --config}); when absent, {@code
   *     $LEDGERLAKE_CONFIG} and then {@code ./ledgerlake.properties} are tried
   */
  public static Settings load(
      Map<String, String> flags, Map<String, String> environment, Optional<Path> configFile) {
    Optional<Path> explicit =
        configFile.or(() -> Optional.ofNullable(environment.get(CONFIG_ENV)).map(Path::of));
    Path path = explicit.orElse(Path.of(PROPERTIES_FILE));
    Map<String, String> fileValues = Map.of();
    Optional<Path> source = Optional.empty();
    if (Files.isRegularFile(path)) {
      fileValues = readProperties(path);
      source = Optional.of(path);
    } else if (explicit.isPresent()) {
      throw new SettingsException(
          "configuration file %s does not exist; pass an existing file to --config or unset %s",
          path,
          CONFIG_ENV);
    }
    return new Settings(flags, environment, fileValues, source);
  }

  private static Map<String, String> readProperties(Path path) {
    Properties props = new Properties();
    try (Reader reader = Files.newBufferedReader(path, StandardCharsets.UTF_8)) {
      props.load(reader);
    } catch (IOException | IllegalArgumentException e) {
      throw new SettingsException(
          e,
          "cannot read configuration file %s: %s; fix or remove it",
          path,
          e.getMessage());
    }
    Map<String, String> values = new LinkedHashMap<>();
    props.stringPropertyNames().forEach(k -> values.put(k, props.getProperty(k).trim()));
    return values;
  }

  /** The environment variable that carries {@code key}. */
  public static String envName(String key) {
    return SettingNames.envName(key);
  }

  /** The value of {@code key} by precedence, if any layer sets it. */
  public Optional<String> find(String key) {
    String v = flags.get(key);
    if (v == null) {
      v = env.get(envName(key));
    }
    if (v == null) {
      v = file.get(key);
    }
    return Optional.ofNullable(v).filter(s -> !s.isBlank());
  }

  /** The value of {@code key} by precedence, or {@code defaultValue}. */
  public String get(String key, String defaultValue) {
    return find(key).orElse(defaultValue);
  }

  /** Integer value of {@code key}; a malformed value is a user error naming the key. */
  public int getInt(String key, int defaultValue) {
    Optional<String> v = find(key);
    if (v.isEmpty()) {
      return defaultValue;
    }
    try {
      return Integer.parseInt(v.get());
    } catch (NumberFormatException e) {
      throw new SettingsException(
          "setting %s=%s is not an integer (env %s); give a whole number",
          key,
          v.get(),
          envName(key));
    }
  }

  /**
   * The resolved values of those of {@code keys} that are set in any layer, by precedence. Modules
   * whose options class takes a flat map use this to get the CLI's precedence.
   */
  public Map<String, String> values(Iterable<String> keys) {
    Map<String, String> out = new TreeMap<>();
    for (String key : keys) {
      find(key).ifPresent(v -> out.put(key, v));
    }
    return out;
  }

  /**
   * Every setting whose key starts with {@code prefix}, with the prefix removed, merged by
   * precedence. Used for pass-through maps such as raw Iceberg catalog properties.
   */
  public Map<String, String> withPrefix(String prefix) {
    Map<String, String> out = new TreeMap<>();
    file.forEach((k, v) -> putIfPrefixed(out, prefix, k, v));
    String envPrefix = envName(prefix);
    // Environment variables cannot carry the original key spelling, so only exact
    // lower-cased keys are recovered from them (dots become underscores): documented limitation.
    env.forEach(
        (k, v) -> {
          if (k.startsWith(envPrefix)) {
            out.put(k.substring(envPrefix.length()).toLowerCase(Locale.ROOT), v);
          }
        });
    flags.forEach((k, v) -> putIfPrefixed(out, prefix, k, v));
    return out;
  }

  private static void putIfPrefixed(Map<String, String> out, String prefix, String k, String v) {
    if (k.startsWith(prefix)) {
      out.put(k.substring(prefix.length()), v);
    }
  }

  /**
   * The keys under {@code prefix} that a flag or the properties file spells out. An options class that owns the
   * prefix checks them against its known keys, so a misspelt key fails instead of silently meaning the default.
   * Environment variables are not included: their names cannot be told from unrelated variables.
   */
  public java.util.Set<String> explicitKeys(String prefix) {
    java.util.Set<String> out = new java.util.TreeSet<>();
    file.keySet().stream().filter(k -> k.startsWith(prefix)).forEach(out::add);
    flags.keySet().stream().filter(k -> k.startsWith(prefix)).forEach(out::add);
    return out;
  }

  /** A copy with {@code overrides} added at flag precedence. */
  public Settings withOverrides(Map<String, String> overrides) {
    Map<String, String> merged = new LinkedHashMap<>(flags);
    merged.putAll(overrides);
    return new Settings(merged, env, file, fileSource);
  }

  /** The properties file these settings were read from, if any. */
  public Optional<Path> fileSource() {
    return fileSource;
  }
}
