package io.ledgerlake.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Engine-free commands log through log4j's simple logger ({@link LedgerLake#ENGINE_FREE}): as whole processes,
 * because the choice is made in {@code main} before the first logger exists.
 */
class LoggingByCommandTest {
  @TempDir Path dir;

  private record Run(int code, String out, String err) {}

  private Run run(String... args) throws Exception {
    List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", System.getProperty("java.class.path"), LedgerLake.class.getName()));
    cmd.addAll(List.of(args));
    Process p = new ProcessBuilder(cmd).redirectError(dir.resolve("err.txt").toFile()).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
    return new Run(p.exitValue(), out, Files.readString(dir.resolve("err.txt")));
  }

  @Test
  void quietByDefaultAndInfoWithVerboseOnStderr() throws Exception {
    Path file = Files.writeString(dir.resolve("hello.txt"), "hello\n");
    Path data = dir.resolve("data");

    Run quiet = run("add", "--data-dir", data.toString(), file.toString());
    assertThat(quiet.code()).as(quiet.err()).isZero();
    assertThat(quiet.out()).contains("bafkrei");
    assertThat(quiet.err()).isEmpty();

    Run verbose = run("add", "--verbose", "--data-dir", data.toString(), file.toString());
    assertThat(verbose.code()).as(verbose.err()).isZero();
    // the content store's INFO line, through the simple logger (its format: time, level, logger name)
    assertThat(verbose.err()).containsPattern("\\d\\d:\\d\\d:\\d\\d\\.\\d{3} INFO .*ContentStore Added");
    assertThat(verbose.out()).doesNotContain("INFO");
  }
}
