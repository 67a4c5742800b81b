package io.ledgerlake.content;

import io.ledgerlake.content.blockstore.FsyncPolicy;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Properties;

/**
 * Configuration of the content module. Every key is {@code ledgerlake.content.<key>}; precedence
 * is CLI flag (the caller applies it with the {@code with*} methods) &gt; environment variable
 * (the key upper-cased, dots and dashes as underscores, e.g. {@code LEDGERLAKE_CONTENT_STORE_DIR})
 * &gt; properties file &gt; the defaults below.
 */
public record ContentOptions(
    Path storeDir, Profile profile, FsyncPolicy fsync, String gatewayBind, int gatewayPort,
    Optional<URI> kuboUrl, Duration kuboTimeout) {

  public static final String STORE_DIR = "ledgerlake.content.store-dir";
  public static final String STORE_DIR_DEFAULT = "ledgerlake-data/content";
  public static final String PROFILE = "ledgerlake.content.profile";
  public static final String PROFILE_DEFAULT = Profile.DEFAULT.id();
  public static final String FSYNC = "ledgerlake.content.fsync";
  public static final String FSYNC_DEFAULT = "batch";
  public static final String GATEWAY_BIND = "ledgerlake.content.gateway.bind";
  public static final String GATEWAY_BIND_DEFAULT = "127.0.0.1";
  public static final String GATEWAY_PORT = "ledgerlake.content.gateway.port";
  public static final int GATEWAY_PORT_DEFAULT = 8080;
  /** Kubo RPC base URL (e.g. http://127.0.0.1:5001); empty disables replication. */
  public static final String KUBO_URL = "ledgerlake.content.kubo.url";
  public static final String KUBO_URL_DEFAULT = "";
  public static final String KUBO_TIMEOUT_SECONDS = "ledgerlake.content.kubo.timeout-seconds";
  public static final int KUBO_TIMEOUT_SECONDS_DEFAULT = 120;

  public ContentOptions {
    Objects.requireNonNull(storeDir, "storeDir");
    Objects.requireNonNull(profile, "profile");
    Objects.requireNonNull(fsync, "fsync");
    Objects.requireNonNull(gatewayBind, "gatewayBind");
    Objects.requireNonNull(kuboUrl, "kuboUrl");
    Objects.requireNonNull(kuboTimeout, "kuboTimeout");
    if (gatewayPort < 0 || gatewayPort > 65535) {
      throw new InvalidOptionException(GATEWAY_PORT, String.valueOf(gatewayPort), "a port between 0 (any free port) and 65535");
    }
  }

  public static ContentOptions defaults() {
    return from(new Properties(), Map.of());
  }

  /** Resolves every key from the environment, then {@code props}, then the default. */
  public static ContentOptions from(Properties props, Map<String, String> env) {
    Map<String, String> file = new java.util.HashMap<>();
    props.stringPropertyNames().forEach(k -> file.put(k, props.getProperty(k)));
    return from(io.ledgerlake.common.config.Settings.layered(Map.of(), env, file));
  }

  /** Options with the one precedence (flag &gt; environment &gt; properties file &gt; default). */
  public static ContentOptions from(io.ledgerlake.common.config.Settings settings) {
    io.ledgerlake.common.config.Settings s = settings;
    String portText = s.get(GATEWAY_PORT, String.valueOf(GATEWAY_PORT_DEFAULT));
    String timeoutText = s.get(KUBO_TIMEOUT_SECONDS, String.valueOf(KUBO_TIMEOUT_SECONDS_DEFAULT));
    String kubo = s.get(KUBO_URL, KUBO_URL_DEFAULT).strip();
    String fsync = s.get(FSYNC, FSYNC_DEFAULT);
    FsyncPolicy policy;
    try {
      policy = FsyncPolicy.parse(fsync);
    } catch (IllegalArgumentException e) {
      throw new InvalidOptionException(FSYNC, fsync, "always, batch or never");
    }
    return new ContentOptions(
        Path.of(s.get(STORE_DIR, STORE_DIR_DEFAULT)),
        Profile.parse(s.get(PROFILE, PROFILE_DEFAULT)),
        policy,
        s.get(GATEWAY_BIND, GATEWAY_BIND_DEFAULT),
        parseInt(GATEWAY_PORT, portText),
        kubo.isEmpty() ? Optional.empty() : Optional.of(parseUri(kubo)),
        Duration.ofSeconds(parseInt(KUBO_TIMEOUT_SECONDS, timeoutText)));
  }

  /** The environment variable that overrides {@code key}. */
  public static String envName(String key) {
    return io.ledgerlake.common.SettingNames.envName(key);
  }

  private static int parseInt(String key, String text) {
    try {
      return Integer.parseInt(text.strip());
    } catch (NumberFormatException e) {
      throw new InvalidOptionException(key, text, "an integer");
    }
  }

  private static URI parseUri(String text) {
    try {
      URI uri = URI.create(text);
      if (uri.getScheme() == null || !(uri.getScheme().equals("http") || uri.getScheme().equals("https"))) {
        throw new IllegalArgumentException("not http(s)");
      }
      return uri;
    } catch (IllegalArgumentException e) {
      throw new InvalidOptionException(KUBO_URL, text, "an http(s) URL such as http://127.0.0.1:5001");
    }
  }

  public ContentOptions withStoreDir(Path dir) {
    return new ContentOptions(dir, profile, fsync, gatewayBind, gatewayPort, kuboUrl, kuboTimeout);
  }

  public ContentOptions withProfile(Profile p) {
    return new ContentOptions(storeDir, p, fsync, gatewayBind, gatewayPort, kuboUrl, kuboTimeout);
  }

  public ContentOptions withFsync(FsyncPolicy f) {
    return new ContentOptions(storeDir, profile, f, gatewayBind, gatewayPort, kuboUrl, kuboTimeout);
  }

  public ContentOptions withGatewayPort(int port) {
    return new ContentOptions(storeDir, profile, fsync, gatewayBind, port, kuboUrl, kuboTimeout);
  }

  public ContentOptions withKuboUrl(URI url) {
    return new ContentOptions(storeDir, profile, fsync, gatewayBind, gatewayPort, Optional.ofNullable(url), kuboTimeout);
  }
}
