package io.ledgerlake.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** One CLI invocation through {@link LedgerLake#execute}, with what it printed; shared by the CLI tests. */
public record CliRun(int code, String out, String err) {
  private static final Pattern DATASET = Pattern.compile("Done: dataset (\\S+) has");

  /** Runs {@code args} with {@code --data-dir dataDir} appended unless the args name one or ask for help. */
  public static CliRun run(Path dataDir, String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    List<String> all = new ArrayList<>(List.of(args));
    if (!all.contains("--data-dir") && !all.contains("--help")) {
      all.add("--data-dir");
      all.add(dataDir.toString());
    }
    int code = LedgerLake.execute(all.toArray(String[]::new), new PrintWriter(out, true), new PrintWriter(err, true));
    return new CliRun(code, out.toString(), err.toString());
  }

  /** The dataset id the demo printed in its last line. */
  public String demoDataset() {
    Matcher m = DATASET.matcher(out);
    if (!m.find()) {
      throw new AssertionError("no dataset id in the demo's output:\n" + out + err);
    }
    return m.group(1);
  }
}
