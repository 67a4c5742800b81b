package io.ledgerlake.jobs.airflow;

import io.ledgerlake.common.config.Settings;
import java.net.URI;
import java.time.Duration;
import java.util.Optional;

/**
 * Settings of the Airflow integration: where Airflow's API server is and the user the client signs in as. The
 * password is never printed ({@link #toString}) nor logged.
 */
public record AirflowOptions(URI url, String username, String password, Duration timeout, Long publishAssetId) {
  /** Base URL of the Airflow API server, e.g. {@code http://airflow:8080} (the client adds /auth/token, /api/v2). */
  public static final String URL = "ledgerlake.airflow.url";

  public static final String USERNAME = "ledgerlake.airflow.username";

  public static final String PASSWORD = "ledgerlake.airflow.password";

  /** Per-request timeout in ms. */
  public static final String TIMEOUT_MS = "ledgerlake.airflow.timeout-ms";

  public static final int TIMEOUT_MS_DEFAULT = 30_000;

  /**
   * Airflow's numeric id of the asset that {@code ledgerlake publish} updates with an asset event (extra: dataset,
   * version, manifest CID), so DAGs scheduled on it run; unset: publish does not notify Airflow.
   */
  public static final String PUBLISH_ASSET_ID = "ledgerlake.airflow.publish-asset-id";

  public AirflowOptions(URI url, String username, String password, Duration timeout) {
    this(url, username, password, timeout, null);
  }

  /** The options if {@link #URL} is set; empty when Airflow is not configured. */
  public static Optional<AirflowOptions> from(Settings settings) {
    return settings.find(URL).map(url -> new AirflowOptions(URI.create(url.endsWith("/") ? url : url + "/"),
        settings.get(USERNAME, ""), settings.get(PASSWORD, ""),
        Duration.ofMillis(settings.getInt(TIMEOUT_MS, TIMEOUT_MS_DEFAULT)),
        settings.find(PUBLISH_ASSET_ID).map(Long::valueOf).orElse(null)));
  }

  @Override
  public String toString() {
    return "AirflowOptions{url=" + url + ", username=" + username + ", password=" + (password.isEmpty() ? "" : "***")
        + "}";
  }
}
