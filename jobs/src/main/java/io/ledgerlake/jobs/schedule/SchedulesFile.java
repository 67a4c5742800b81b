package io.ledgerlake.jobs.schedule;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

/**
 * The schedules file ({@code schedules.yaml}), versioned:
 *
 * <pre>
 * version: 1
 * schedules:
 *   - id: nightly-reconcile
 *     job: reconcile
 *     cron: "0 2 * * *"          # minute hour day-of-month month day-of-week
 *     timezone: Europe/Berlin
 *     retries: 2                 # attempts after the first
 *     backoff: 5m                # before the first retry, doubling (30s, 5m, 1h or ISO-8601 PT5M)
 *     timeout: 1h                # 0: none
 *     max-concurrent: 1
 *     catch-up: once             # once | all | none
 *   - id: embed-new-version
 *     job: embed
 *     params: {dataset: ds1}
 *     after: {job: publish, dataset: ds1}   # or "after: train": chains on a job's succeeded runs
 *   - id: consensus-every-1000
 *     job: label-consensus
 *     params: {dataset: "${dataset}"}
 *     curated: {records: 1000, dataset: ds1}  # or "curated: 1000": new curated records of any dataset
 * </pre>
 *
 * Parsing is all-or-nothing: the first problem is one line naming the file and line, and nothing is scheduled. The
 * YAML is composed into nodes (not bound to objects) so every value keeps its line.
 */
public final class SchedulesFile {
  public static final int VERSION = 1;
  private static final Set<String> TOP = Set.of("version", "schedules");
  private static final Set<String> KEYS = Set.of("id", "job", "params", "cron", "timezone", "after", "retries",
      "backoff", "timeout", "max-concurrent", "catch-up", "curated");
  private static final Pattern SHORT_DURATION = Pattern.compile("(\\d+)\\s*(ms|s|m|h|d)");

  private SchedulesFile() {}

  /** Reads {@code file}; an absent file declares no schedules. */
  public static List<ScheduleSpec> read(Path file, JobCatalog jobs) {
    String text;
    try {
      text = Files.readString(file);
    } catch (NoSuchFileException e) {
      return List.of();
    } catch (IOException e) {
      throw ScheduleException.user("%s: cannot read: %s", file, e.getMessage());
    }
    return parse(file.toString(), text, jobs);
  }

  /** Parses {@code text}; {@code name} prefixes error messages. */
  public static List<ScheduleSpec> parse(String name, String text, JobCatalog jobs) {
    Node root;
    try {
      LoaderOptions options = new LoaderOptions();
      options.setAllowDuplicateKeys(false);
      root = new Yaml(options).compose(new java.io.StringReader(text));
    } catch (MarkedYAMLException e) {
      int line = e.getProblemMark() != null ? e.getProblemMark().getLine() + 1 : 1;
      throw ScheduleException.user("%s:%d: not valid YAML: %s", name, line, String.valueOf(e.getProblem()).strip());
    } catch (YAMLException e) {
      throw ScheduleException.user("%s:1: not valid YAML: %s", name, e.getMessage().lines().findFirst().orElse(""));
    }
    if (root == null) {
      throw ScheduleException.user("%s:1: empty file; expected 'version: %d' and 'schedules:'", name, VERSION);
    }
    Map<String, NodeTuple> top = mapping(name, root, TOP);
    NodeTuple version = top.get("version");
    if (version == null || !scalar(name, version.getValueNode()).equals(Integer.toString(VERSION))) {
      Node at = version == null ? root : version.getValueNode();
      throw error(name, at, "expected 'version: %d' (this LedgerLake reads schedules files of version %d)", VERSION,
          VERSION);
    }
    NodeTuple list = top.get("schedules");
    if (list == null) {
      return List.of();
    }
    if (!(list.getValueNode() instanceof SequenceNode seq)) {
      throw error(name, list.getValueNode(), "'schedules' must be a list of schedules");
    }
    List<ScheduleSpec> specs = new ArrayList<>();
    Set<String> ids = new HashSet<>();
    for (Node item : seq.getValue()) {
      ScheduleSpec spec = schedule(name, item, jobs);
      if (!ids.add(spec.id())) {
        throw error(name, item, "schedule id '%s' is declared twice", spec.id());
      }
      specs.add(spec);
    }
    return specs;
  }

  private static ScheduleSpec schedule(String name, Node item, JobCatalog jobs) {
    Map<String, NodeTuple> m = mapping(name, item, KEYS);
    String id = required(name, item, m, "id");
    String job = required(name, item, m, "job");
    Node at = m.get("job").getValueNode();
    try {
      ObjectNode params = m.containsKey("params") ? params(name, m.get("params").getValueNode())
          : JsonNodeFactory.instance.objectNode();
      at = m.containsKey("params") ? m.get("params").getValueNode() : at;
      jobs.check(job, params);
      Trigger trigger;
      int triggers = (m.containsKey("cron") ? 1 : 0) + (m.containsKey("after") ? 1 : 0)
          + (m.containsKey("curated") ? 1 : 0);
      if (triggers != 1) {
        at = item;
        throw ScheduleException.user("schedule '%s' needs exactly one trigger: 'cron', 'after' or 'curated'", id);
      }
      if (m.containsKey("cron")) {
        at = m.get("cron").getValueNode();
        String zone = m.containsKey("timezone") ? scalar(name, m.get("timezone").getValueNode()) : "UTC";
        if (m.containsKey("timezone")) {
          at = m.get("timezone").getValueNode(); // a bad zone is reported on its own line
          Trigger.Cron.of("* * * * *", zone);
          at = m.get("cron").getValueNode();
        }
        trigger = Trigger.Cron.of(scalar(name, at), zone);
      } else if (m.containsKey("curated")) {
        at = m.get("curated").getValueNode();
        trigger = curated(name, at);
      } else {
        at = m.get("after").getValueNode();
        trigger = after(name, at, jobs);
      }
      SchedulePolicy d = SchedulePolicy.DEFAULT;
      at = item;
      int retries = m.containsKey("retries") ? integer(name, (at = m.get("retries").getValueNode())) : d.retries();
      Duration backoff = m.containsKey("backoff") ? duration(scalar(name, (at = m.get("backoff").getValueNode())))
          : d.backoff();
      Duration timeout = m.containsKey("timeout") ? duration(scalar(name, (at = m.get("timeout").getValueNode())))
          : d.timeout();
      int maxConcurrent = m.containsKey("max-concurrent")
          ? integer(name, (at = m.get("max-concurrent").getValueNode())) : d.maxConcurrent();
      SchedulePolicy.CatchUp catchUp = m.containsKey("catch-up")
          ? catchUp(scalar(name, (at = m.get("catch-up").getValueNode()))) : d.catchUp();
      at = item;
      return new ScheduleSpec(id, job, params, trigger, new SchedulePolicy(retries, backoff, timeout, maxConcurrent,
          catchUp));
    } catch (ScheduleException e) {
      if (e.getMessage().startsWith(name + ":")) {
        throw e;
      }
      throw error(name, at, "%s", e.getMessage());
    }
  }

  private static Trigger after(String name, Node node, JobCatalog jobs) {
    if (node instanceof ScalarNode s) {
      return new Trigger.OnJob(s.getValue(), null);
    }
    Map<String, NodeTuple> m = mapping(name, node, Set.of("job", "dataset"));
    String job = required(name, node, m, "job");
    String dataset = m.containsKey("dataset") ? scalar(name, m.get("dataset").getValueNode()) : null;
    return new Trigger.OnJob(job, dataset);
  }

  /** {@code curated: 1000} or {@code curated: {records: 1000, dataset: ds1}}. */
  private static Trigger curated(String name, Node node) {
    if (node instanceof ScalarNode) {
      return new Trigger.Curated(integer(name, node), null);
    }
    Map<String, NodeTuple> m = mapping(name, node, Set.of("records", "dataset"));
    required(name, node, m, "records");
    String dataset = m.containsKey("dataset") ? scalar(name, m.get("dataset").getValueNode()) : null;
    return new Trigger.Curated(integer(name, m.get("records").getValueNode()), dataset);
  }

  /** {@code 30s}, {@code 5m}, {@code 1h}, {@code 2d}, {@code 250ms}, {@code 0} or ISO-8601 ({@code PT5M}). */
  public static Duration duration(String text) {
    String t = text.strip().toLowerCase(Locale.ROOT);
    if (t.equals("0")) {
      return Duration.ZERO;
    }
    Matcher m = SHORT_DURATION.matcher(t);
    if (m.matches()) {
      long n = Long.parseLong(m.group(1));
      return switch (m.group(2)) {
        case "ms" -> Duration.ofMillis(n);
        case "s" -> Duration.ofSeconds(n);
        case "m" -> Duration.ofMinutes(n);
        case "h" -> Duration.ofHours(n);
        default -> Duration.ofDays(n);
      };
    }
    try {
      return Duration.parse(text.strip().toUpperCase(Locale.ROOT));
    } catch (DateTimeParseException e) {
      throw ScheduleException.user("bad duration '%s' (use 30s, 5m, 1h, 2d or ISO-8601 such as PT5M)", text);
    }
  }

  public static SchedulePolicy.CatchUp catchUp(String text) {
    try {
      return SchedulePolicy.CatchUp.valueOf(text.strip().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw ScheduleException.user("bad catch-up '%s' (use once, all or none)", text);
    }
  }

  private static ObjectNode params(String name, Node node) {
    Map<String, NodeTuple> m = mapping(name, node, null);
    ObjectNode o = JsonNodeFactory.instance.objectNode();
    for (var e : m.entrySet()) {
      o.put(e.getKey(), scalar(name, e.getValue().getValueNode()));
    }
    return o;
  }

  private static Map<String, NodeTuple> mapping(String name, Node node, Set<String> allowed) {
    if (!(node instanceof MappingNode map)) {
      throw error(name, node, "expected a mapping of keys to values");
    }
    Map<String, NodeTuple> out = new java.util.LinkedHashMap<>();
    for (NodeTuple t : map.getValue()) {
      String key = scalar(name, t.getKeyNode());
      if (allowed != null && !allowed.contains(key)) {
        throw error(name, t.getKeyNode(), "unknown key '%s' (known: %s)", key,
            String.join(", ", new java.util.TreeSet<>(allowed)));
      }
      out.put(key, t);
    }
    return out;
  }

  private static String required(String name, Node at, Map<String, NodeTuple> m, String key) {
    if (!m.containsKey(key)) {
      throw error(name, at, "missing '%s'", key);
    }
    return scalar(name, m.get(key).getValueNode());
  }

  private static String scalar(String name, Node node) {
    if (!(node instanceof ScalarNode s)) {
      throw error(name, node, "expected a single value");
    }
    return s.getValue();
  }

  private static int integer(String name, Node node) {
    String v = scalar(name, node);
    try {
      return Integer.parseInt(v.strip());
    } catch (NumberFormatException e) {
      throw error(name, node, "expected a whole number, got '%s'", v);
    }
  }

  private static ScheduleException error(String name, Node at, String format, Object... args) {
    int line = at == null || at.getStartMark() == null ? 1 : at.getStartMark().getLine() + 1;
    return ScheduleException.user("%s:%d: %s", name, line, String.format(format, args));
  }

}
