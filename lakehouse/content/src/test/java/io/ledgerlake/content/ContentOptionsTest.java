package io.ledgerlake.content;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ledgerlake.content.blockstore.FsyncPolicy;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import org.junit.jupiter.api.Test;

class ContentOptionsTest {
  @Test
  void defaults() {
    ContentOptions o = ContentOptions.defaults();
    assertThat(o.storeDir()).isEqualTo(Path.of("ledgerlake-data/content"));
    assertThat(o.profile()).isEqualTo(Profile.UNIXFS_V1_2025);
    assertThat(o.fsync()).isEqualTo(FsyncPolicy.BATCH);
    assertThat(o.gatewayBind()).isEqualTo("127.0.0.1");
    assertThat(o.gatewayPort()).isEqualTo(8080);
    assertThat(o.kuboUrl()).isEmpty();
    assertThat(o.kuboTimeout()).isEqualTo(Duration.ofSeconds(120));
  }

  @Test
  void everyKeyMapsAndEnvironmentWinsOverProperties() {
    Properties p = new Properties();
    p.setProperty("ledgerlake.content.store-dir", "/data/c");
    p.setProperty("ledgerlake.content.profile", "unixfs-v0-2015");
    p.setProperty("ledgerlake.content.fsync", "always");
    p.setProperty("ledgerlake.content.gateway.bind", "0.0.0.0");
    p.setProperty("ledgerlake.content.gateway.port", "9000");
    p.setProperty("ledgerlake.content.kubo.url", "http://127.0.0.1:5001");
    p.setProperty("ledgerlake.content.kubo.timeout-seconds", "5");
    ContentOptions o = ContentOptions.from(p, Map.of("LEDGERLAKE_CONTENT_GATEWAY_PORT", "0"));
    assertThat(o.storeDir()).isEqualTo(Path.of("/data/c"));
    assertThat(o.profile()).isEqualTo(Profile.UNIXFS_V0_2015);
    assertThat(o.fsync()).isEqualTo(FsyncPolicy.ALWAYS);
    assertThat(o.gatewayBind()).isEqualTo("0.0.0.0");
    assertThat(o.gatewayPort()).isZero();
    assertThat(o.kuboUrl()).isEqualTo(Optional.of(URI.create("http://127.0.0.1:5001")));
    assertThat(o.kuboTimeout()).isEqualTo(Duration.ofSeconds(5));
  }

  @Test
  void badValuesNameTheKey() {
    Properties p = new Properties();
    p.setProperty("ledgerlake.content.gateway.port", "eighty");
    assertThatThrownBy(() -> ContentOptions.from(p, Map.of()))
        .isInstanceOf(InvalidOptionException.class)
        .hasMessageContaining("ledgerlake.content.gateway.port").hasMessageContaining("'eighty'");
    assertThatThrownBy(() -> ContentOptions.from(new Properties(), Map.of("LEDGERLAKE_CONTENT_PROFILE", "fast")))
        .isInstanceOf(UnknownProfileException.class).hasMessageContaining("'fast'");
    assertThatThrownBy(() -> ContentOptions.from(new Properties(), Map.of("LEDGERLAKE_CONTENT_FSYNC", "sometimes")))
        .isInstanceOf(InvalidOptionException.class).hasMessageContaining("'sometimes'");
  }
}
