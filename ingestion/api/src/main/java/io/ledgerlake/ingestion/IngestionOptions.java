package io.ledgerlake.ingestion;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Map;
import java.util.TreeMap;

/**
 * Every configuration key of the ingestion module with its default. Precedence (applied by the caller that builds the
 * map): CLI flag &gt; environment &gt; properties file &gt; the defaults here.
 */
public final class IngestionOptions {
  public static final String PREFIX = "ledgerlake.ingestion.";

  public static final String DATA_DIR = PREFIX + "data-dir";
  public static final String DATA_DIR_DEFAULT = "data";

  public static final String MAX_RECORD_BYTES = PREFIX + "max-record-bytes";
  public static final long MAX_RECORD_BYTES_DEFAULT = 1L << 20;

  public static final String MAX_DOCUMENT_BYTES = PREFIX + "max-document-bytes";
  public static final long MAX_DOCUMENT_BYTES_DEFAULT = 16L << 20;

  public static final String ARCHIVE_MAX_ENTRIES = PREFIX + "archive.max-entries";
  public static final long ARCHIVE_MAX_ENTRIES_DEFAULT = 10_000;

  public static final String ARCHIVE_MAX_EXPANDED_BYTES = PREFIX + "archive.max-expanded-bytes";
  public static final long ARCHIVE_MAX_EXPANDED_BYTES_DEFAULT = 4L << 30;

  public static final String ARCHIVE_MAX_COMPRESSION_RATIO = PREFIX + "archive.max-compression-ratio";
  public static final long ARCHIVE_MAX_COMPRESSION_RATIO_DEFAULT = 100;

  public static final String SCHEMA_INFERENCE_SAMPLE = PREFIX + "schema.inference-sample";
  public static final long SCHEMA_INFERENCE_SAMPLE_DEFAULT = 1_000;

  public static final String MAX_UPLOAD_BYTES = PREFIX + "max-upload-bytes";
  public static final long MAX_UPLOAD_BYTES_DEFAULT = 16L << 30;

  public static final String QUOTA_BYTES_PER_DAY = PREFIX + "quota.bytes-per-day";
  public static final long QUOTA_BYTES_PER_DAY_DEFAULT = 64L << 30;

  public static final String RATE_UPLOADS_PER_MINUTE = PREFIX + "rate.uploads-per-minute";
  public static final long RATE_UPLOADS_PER_MINUTE_DEFAULT = 60;

  /** Resumable upload sessions not completed within this time are deleted with their partial bytes. */
  public static final String UPLOAD_SESSION_TTL = PREFIX + "upload.session-ttl";
  public static final Duration UPLOAD_SESSION_TTL_DEFAULT = Duration.ofDays(1);

  public static final String AUTH_NONCE_TTL = PREFIX + "auth.nonce-ttl";
  public static final Duration AUTH_NONCE_TTL_DEFAULT = Duration.ofMinutes(5);

  public static final String AUTH_TOKEN_TTL = PREFIX + "auth.token-ttl";
  public static final Duration AUTH_TOKEN_TTL_DEFAULT = Duration.ofHours(24);

  /** EIP-4361 domain (host[:port]) the server expects in sign-in messages. */
  public static final String AUTH_DOMAIN = PREFIX + "auth.domain";
  public static final String AUTH_DOMAIN_DEFAULT = "localhost";

  public static final String AUTH_CHAIN_ID = PREFIX + "auth.chain-id";
  public static final long AUTH_CHAIN_ID_DEFAULT = 31337;

  public static final String HTTP_HOST = PREFIX + "http.host";
  public static final String HTTP_HOST_DEFAULT = "127.0.0.1";

  public static final String HTTP_PORT = PREFIX + "http.port";
  public static final long HTTP_PORT_DEFAULT = 8080;

  public static final String HTTP_THREADS = PREFIX + "http.threads";
  public static final long HTTP_THREADS_DEFAULT = 16;

  /**
   * How long a connection may stay silent: while the server waits for request headers, for the next body bytes of an
   * upload, or for the client to take the response. A silent upload is answered 408 and its connection closed.
   */
  public static final String HTTP_IDLE_TIMEOUT = PREFIX + "http.idle-timeout";
  public static final Duration HTTP_IDLE_TIMEOUT_DEFAULT = Duration.ofSeconds(30);

  /** Largest request line plus headers; larger is answered 431. */
  public static final String HTTP_MAX_HEADER_BYTES = PREFIX + "http.max-header-bytes";
  public static final long HTTP_MAX_HEADER_BYTES_DEFAULT = 16L << 10;

  /** Open connections per client IP address; a connection beyond it is closed as soon as it is accepted. */
  public static final String HTTP_MAX_CONNECTIONS_PER_CLIENT = PREFIX + "http.max-connections-per-client";
  public static final long HTTP_MAX_CONNECTIONS_PER_CLIENT_DEFAULT = 64;

  /**
   * Up to this many bytes of a rejected request body are read and discarded before the error answer, so that a
   * client still sending reads the answer instead of a reset; a larger remainder is not read (Connection: close).
   */
  public static final String HTTP_ERROR_DRAIN_BYTES = PREFIX + "http.error-drain-bytes";
  public static final long HTTP_ERROR_DRAIN_BYTES_DEFAULT = 4L << 20;

  /** Empty means: start the embedded single-node KRaft broker under the data dir. */
  public static final String KAFKA_BOOTSTRAP_SERVERS = PREFIX + "kafka.bootstrap-servers";
  public static final String KAFKA_BOOTSTRAP_SERVERS_DEFAULT = "";

  public static final String KAFKA_TOPIC = PREFIX + "kafka.topic";
  public static final String KAFKA_TOPIC_DEFAULT = "ledgerlake.submissions";

  public static final String KAFKA_TOPIC_PARTITIONS = PREFIX + "kafka.topic-partitions";
  public static final long KAFKA_TOPIC_PARTITIONS_DEFAULT = 4;

  /** 0 picks a free port; a fixed port keeps the broker address stable across restarts. */
  public static final String KAFKA_EMBEDDED_PORT = PREFIX + "kafka.embedded.port";
  public static final long KAFKA_EMBEDDED_PORT_DEFAULT = 0;

  public static final String KAFKA_SEND_TIMEOUT = PREFIX + "kafka.send-timeout";
  public static final Duration KAFKA_SEND_TIMEOUT_DEFAULT = Duration.ofSeconds(30);

  private static final Map<String, Object> DEFAULTS = defaults();

  private final Map<String, String> values;

  private IngestionOptions(Map<String, String> values) {
    this.values = Map.copyOf(values);
  }

  public static IngestionOptions defaultOptions() {
    return new IngestionOptions(Map.of());
  }

  /**
   * Keys of the Flink ingestion job ({@code IngestionJobOptions} in ingestion/flink, which checks them): one settings
   * file configures both, so they are not this class's to reject.
   */
  public static final String FLINK_JOB_PREFIX = PREFIX + "flink.";

  /** Unknown {@code ledgerlake.ingestion.*} keys fail fast: a typo would otherwise silently use a default. */
  public static IngestionOptions of(Map<String, String> properties) {
    requireNonNull(properties, "properties");
    Map<String, String> mine = new TreeMap<>();
    properties.forEach((key, value) -> {
      if (key.startsWith(PREFIX) && !key.startsWith(FLINK_JOB_PREFIX)) {
        if (!DEFAULTS.containsKey(key)) {
          throw new IllegalArgumentException("Unknown configuration key '" + key + "'; known keys: " + DEFAULTS.keySet());
        }
        mine.put(key, requireNonNull(value, key));
      }
    });
    return new IngestionOptions(mine);
  }

  /**
   * Options with the one precedence (flag &gt; environment &gt; properties file &gt; default). Environment
   * variables are the keys upper-cased with dots and dashes as underscores, e.g.
   * {@code LEDGERLAKE_INGESTION_MAX_RECORD_BYTES} for {@code ledgerlake.ingestion.max-record-bytes}; a misspelt
   * {@code ledgerlake.ingestion.*} key in a flag or the properties file fails fast.
   */
  public static IngestionOptions from(io.ledgerlake.common.config.Settings settings) {
    java.util.Set<String> keys = new java.util.TreeSet<>(DEFAULTS.keySet());
    keys.addAll(settings.explicitKeys(PREFIX));
    return of(settings.values(keys));
  }

  /** {@link #from(io.ledgerlake.common.config.Settings)} over explicit layers. */
  public static IngestionOptions resolve(Map<String, String> cliFlags, Map<String, String> environment,
      Map<String, String> propertiesFile) {
    return from(io.ledgerlake.common.config.Settings.layered(cliFlags, environment, propertiesFile));
  }

  /** {@code ledgerlake.ingestion.max-record-bytes} → {@code LEDGERLAKE_INGESTION_MAX_RECORD_BYTES}. */
  public static String environmentVariable(String key) {
    return io.ledgerlake.common.SettingNames.envName(key);
  }

  /** A copy with one key changed. */
  public IngestionOptions with(String key, Object value) {
    Map<String, String> copy = new TreeMap<>(values);
    copy.put(key, String.valueOf(value));
    return of(copy);
  }

  public static Map<String, Object> allDefaults() {
    return DEFAULTS;
  }

  public String getString(String key) {
    checkKnown(key);
    String value = values.get(key);
    return value != null ? value : String.valueOf(DEFAULTS.get(key));
  }

  public long getLong(String key) {
    String raw = getString(key);
    try {
      long value = Long.parseLong(raw.trim());
      if (value < 0) {
        throw new IllegalArgumentException("Configuration key '" + key + "' must not be negative, got " + raw);
      }
      return value;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("Configuration key '" + key + "' must be a whole number, got '" + raw + "'", e);
    }
  }

  /** ISO-8601 durations, e.g. {@code PT5M}. */
  public Duration getDuration(String key) {
    String raw = getString(key);
    try {
      return Duration.parse(raw.trim());
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException(
          "Configuration key '" + key + "' must be an ISO-8601 duration such as PT5M, got '" + raw + "'", e);
    }
  }

  private static void checkKnown(String key) {
    if (!DEFAULTS.containsKey(key)) {
      throw new IllegalArgumentException("Unknown configuration key '" + key + "'");
    }
  }

  private static Map<String, Object> defaults() {
    Map<String, Object> d = new TreeMap<>();
    d.put(DATA_DIR, DATA_DIR_DEFAULT);
    d.put(MAX_RECORD_BYTES, MAX_RECORD_BYTES_DEFAULT);
    d.put(MAX_DOCUMENT_BYTES, MAX_DOCUMENT_BYTES_DEFAULT);
    d.put(ARCHIVE_MAX_ENTRIES, ARCHIVE_MAX_ENTRIES_DEFAULT);
    d.put(ARCHIVE_MAX_EXPANDED_BYTES, ARCHIVE_MAX_EXPANDED_BYTES_DEFAULT);
    d.put(ARCHIVE_MAX_COMPRESSION_RATIO, ARCHIVE_MAX_COMPRESSION_RATIO_DEFAULT);
    d.put(SCHEMA_INFERENCE_SAMPLE, SCHEMA_INFERENCE_SAMPLE_DEFAULT);
    d.put(MAX_UPLOAD_BYTES, MAX_UPLOAD_BYTES_DEFAULT);
    d.put(QUOTA_BYTES_PER_DAY, QUOTA_BYTES_PER_DAY_DEFAULT);
    d.put(RATE_UPLOADS_PER_MINUTE, RATE_UPLOADS_PER_MINUTE_DEFAULT);
    d.put(UPLOAD_SESSION_TTL, UPLOAD_SESSION_TTL_DEFAULT);
    d.put(AUTH_NONCE_TTL, AUTH_NONCE_TTL_DEFAULT);
    d.put(AUTH_TOKEN_TTL, AUTH_TOKEN_TTL_DEFAULT);
    d.put(AUTH_DOMAIN, AUTH_DOMAIN_DEFAULT);
    d.put(AUTH_CHAIN_ID, AUTH_CHAIN_ID_DEFAULT);
    d.put(HTTP_HOST, HTTP_HOST_DEFAULT);
    d.put(HTTP_PORT, HTTP_PORT_DEFAULT);
    d.put(HTTP_THREADS, HTTP_THREADS_DEFAULT);
    d.put(HTTP_IDLE_TIMEOUT, HTTP_IDLE_TIMEOUT_DEFAULT);
    d.put(HTTP_MAX_HEADER_BYTES, HTTP_MAX_HEADER_BYTES_DEFAULT);
    d.put(HTTP_MAX_CONNECTIONS_PER_CLIENT, HTTP_MAX_CONNECTIONS_PER_CLIENT_DEFAULT);
    d.put(HTTP_ERROR_DRAIN_BYTES, HTTP_ERROR_DRAIN_BYTES_DEFAULT);
    d.put(KAFKA_BOOTSTRAP_SERVERS, KAFKA_BOOTSTRAP_SERVERS_DEFAULT);
    d.put(KAFKA_TOPIC, KAFKA_TOPIC_DEFAULT);
    d.put(KAFKA_TOPIC_PARTITIONS, KAFKA_TOPIC_PARTITIONS_DEFAULT);
    d.put(KAFKA_EMBEDDED_PORT, KAFKA_EMBEDDED_PORT_DEFAULT);
    d.put(KAFKA_SEND_TIMEOUT, KAFKA_SEND_TIMEOUT_DEFAULT);
    return java.util.Collections.unmodifiableMap(d);
  }
}
