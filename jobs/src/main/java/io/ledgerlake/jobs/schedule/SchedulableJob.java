package io.ledgerlake.jobs.schedule;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ledgerlake.lakehouse.Lakehouse;
import java.util.Set;
import java.util.function.BiFunction;

/**
 * A job the scheduler may run: its name, the parameters it accepts (validated when a schedule is declared, so a typo
 * fails at {@code schedule add} and not at 3 a.m.), and how JSON parameters bind to the job's typed parameters. The
 * jobs live in modules that depend on this one (training-jobs, rag), so the CLI registers them in a {@link JobCatalog}.
 */
public record SchedulableJob(String name, Set<String> required, Set<String> optional,
    BiFunction<ObjectNode, Lakehouse, JobInvocation<?, ?>> binder) {
  public SchedulableJob {
    requireNonNull(name, "name");
    required = Set.copyOf(required);
    optional = Set.copyOf(optional);
    requireNonNull(binder, "binder");
  }

  /** Binds {@code params} (already validated) for a run on {@code lakehouse}. */
  public JobInvocation<?, ?> bind(ObjectNode params, Lakehouse lakehouse) {
    return binder.apply(params, lakehouse);
  }

  /** Null when {@code params} fit, else what is wrong, naming the parameter. */
  String check(ObjectNode params) {
    for (var it = params.fieldNames(); it.hasNext(); ) {
      String p = it.next();
      if (!required.contains(p) && !optional.contains(p)) {
        return String.format("unknown parameter '%s' for job %s (accepted: %s)", p, name, accepted());
      }
    }
    for (String r : required) {
      if (!params.hasNonNull(r)) {
        return String.format("job %s needs parameter '%s'", name, r);
      }
    }
    return null;
  }

  private String accepted() {
    var all = new java.util.TreeSet<>(required);
    all.addAll(optional);
    return all.isEmpty() ? "none" : String.join(", ", all);
  }
}
