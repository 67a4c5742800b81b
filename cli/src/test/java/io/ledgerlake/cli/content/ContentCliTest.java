package io.ledgerlake.cli.content;

import static org.assertj.core.api.Assertions.assertThat;

import io.ledgerlake.cli.CliRun;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The content commands through the real entry point, on a real block store. */
class ContentCliTest {
  @TempDir Path dir;


  CliRun run(Path dataDir, String... args) {
    return CliRun.run(dataDir, args);
  }

  @AfterEach
  void restoreSink() {
    CatCommand.sink = System.out;
  }

  @Test
  void cidPrintsIpfsCidsLikeSha256sum() throws Exception {
    Path hello = Files.writeString(dir.resolve("hello.txt"), "hello");
    CliRun r = run(dir.resolve("data"), "cid", hello.toString());
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out()).isEqualTo("bafkreibm6jg3ux5qumhcn2b3flc3tyu6dmlb4xa7u5bf44yegnrjhc4yeq  " + hello + System.lineSeparator());
    CliRun v0 = run(dir.resolve("data"), "cid", "--profile", "unixfs-v0-2015", hello.toString());
    assertThat(v0.out()).startsWith("Qm");
  }

  @Test
  void addCatAndCarRoundTripIntoAnotherStore() throws Exception {
    byte[] data = new byte[3 * 1024 * 1024 + 17];
    new Random(1).nextBytes(data);
    Path file = Files.write(dir.resolve("blob.bin"), data);
    Path a = dir.resolve("a");
    CliRun add = run(a, "add", file.toString());
    assertThat(add.code()).as(add.err()).isZero();
    String cid = add.out().split("\\s+")[0];
    assertThat(run(a, "cid", file.toString()).out()).startsWith(cid + "  ");

    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    CatCommand.sink = bytes;
    assertThat(run(a, "cat", cid).code()).isZero();
    assertThat(bytes.toByteArray()).isEqualTo(data);

    Path car = dir.resolve("blob.car");
    CliRun export = run(a, "car", "export", cid, car.toString());
    assertThat(export.code()).as(export.err()).isZero();
    Path b = dir.resolve("b");
    CliRun imported = run(b, "car", "import", car.toString());
    assertThat(imported.code()).as(imported.err()).isZero();
    assertThat(imported.out()).contains(cid);
    bytes.reset();
    assertThat(run(b, "cat", cid).code()).isZero();
    assertThat(bytes.toByteArray()).isEqualTo(data);
  }

  @Test
  void badInputIsOneLineExit2() throws Exception {
    Path data = dir.resolve("data");
    CliRun missing = run(data, "cid", dir.resolve("nope.txt").toString());
    assertThat(missing.code()).isEqualTo(2);
    assertThat(missing.err().strip().lines().count()).isEqualTo(1);
    assertThat(missing.err()).contains("nope.txt");

    Files.createDirectories(dir.resolve("folder"));
    assertThat(run(data, "cid", dir.resolve("folder").toString()).err()).contains("-r");
    assertThat(run(data, "cid", "-r", dir.resolve("folder").toString()).code()).isZero();

    CliRun badCid = run(data, "cat", "not-a-cid");
    assertThat(badCid.code()).isEqualTo(2);
    assertThat(badCid.err().strip().lines().count()).isEqualTo(1);

    Path f = Files.writeString(dir.resolve("x"), "x");
    CliRun badProfile = run(data, "cid", "--profile", "unixfs-v9", f.toString());
    assertThat(badProfile.code()).isEqualTo(2);
    assertThat(badProfile.err()).contains("unixfs-v9");

    Path truncated = dir.resolve("bad.car");
    Files.write(truncated, "not a car file at all".getBytes(StandardCharsets.UTF_8));
    CliRun badCar = run(data, "car", "import", truncated.toString());
    assertThat(badCar.code()).isEqualTo(2);
  }
}
