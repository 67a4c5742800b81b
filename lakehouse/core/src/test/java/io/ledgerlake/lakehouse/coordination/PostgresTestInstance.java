package io.ledgerlake.lakehouse.coordination;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;

/**
 * A private PostgreSQL (Debian's package, as infra/local-cluster/local-cluster.sh uses) in a temporary directory on a
 * free port, 127.0.0.1 only, trust authentication (tests only), stopped by {@link #close()}. As root, its commands run
 * as the package's {@code postgres} user (PostgreSQL refuses root). {@link #startOrSkip()} skips the test with a clear
 * message where the package is missing or the server does not start.
 */
public final class PostgresTestInstance implements AutoCloseable {
  private final Path bin;
  private final Path dir;
  private final int port;

  private PostgresTestInstance(Path bin, Path dir, int port) {
    this.bin = bin;
    this.dir = dir;
    this.port = port;
  }

  public static PostgresTestInstance startOrSkip() throws Exception {
    Optional<Path> bin = binDir();
    Assumptions.assumeTrue(bin.isPresent(), "PostgreSQL is not installed (no /usr/lib/postgresql/*/bin/initdb): "
        + "apt-get install postgresql, or run infra/local-cluster/local-cluster.sh up as root; skipping");
    Path dir = Files.createTempDirectory(Path.of("/tmp"), "ledgerlake-pg-");
    if (isRoot()) {
      run(List.of("chown", "postgres:", dir.toString()));
    }
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    PostgresTestInstance pg = new PostgresTestInstance(bin.get(), dir, port);
    boolean ok = pg.asPg(List.of(bin.get().resolve("initdb").toString(), "-D", dir.resolve("data").toString(),
        "-U", "postgres", "--auth=trust", "-E", "UTF8", "--no-instructions"))
        && pg.asPg(List.of(bin.get().resolve("pg_ctl").toString(), "-D", dir.resolve("data").toString(),
            "-l", dir.resolve("postgres.log").toString(), "-w", "-t", "60",
            "-o", "-c listen_addresses=127.0.0.1 -p " + port + " -c unix_socket_directories=''", "start"));
    if (!ok) {
      pg.close();
      Assumptions.abort("PostgreSQL did not start (see " + dir + "/postgres.log); skipping");
    }
    try (Connection c = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + port + "/postgres", "postgres", "");
        Statement st = c.createStatement()) {
      st.execute("create database coord");
    }
    return pg;
  }

  public String url() {
    return "jdbc:postgresql://127.0.0.1:" + port + "/coord";
  }

  public Connection connect() throws Exception {
    return DriverManager.getConnection(url(), "postgres", "");
  }

  private static Optional<Path> binDir() throws IOException {
    Path root = Path.of("/usr/lib/postgresql");
    if (!Files.isDirectory(root)) {
      return Optional.empty();
    }
    try (Stream<Path> versions = Files.list(root)) {
      return versions.map(v -> v.resolve("bin"))
          .filter(b -> Files.isExecutable(b.resolve("initdb")) && Files.isExecutable(b.resolve("pg_ctl")))
          .max(Comparator.comparing(b -> b.getParent().getFileName().toString(),
              Comparator.comparingInt(s -> s.matches("\\d+") ? Integer.parseInt(s) : 0)));
    }
  }

  private static boolean isRoot() {
    return "root".equals(System.getProperty("user.name"));
  }

  private boolean asPg(List<String> command) throws Exception {
    List<String> cmd = new ArrayList<>();
    if (isRoot()) {
      cmd.addAll(List.of("runuser", "-u", "postgres", "--"));
    }
    cmd.addAll(command);
    return run(cmd);
  }

  private static boolean run(List<String> cmd) throws Exception {
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD)
        .start();
    if (!p.waitFor(120, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      return false;
    }
    return p.exitValue() == 0;
  }

  @Override
  public void close() throws Exception {
    if (Files.exists(dir.resolve("data/postmaster.pid"))) {
      asPg(List.of(bin.resolve("pg_ctl").toString(), "-D", dir.resolve("data").toString(), "-m", "immediate",
          "-w", "-t", "60", "stop"));
    }
    try (Stream<Path> files = Files.walk(dir)) {
      files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
    }
  }
}
