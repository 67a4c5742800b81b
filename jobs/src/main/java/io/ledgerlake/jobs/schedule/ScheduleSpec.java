package io.ledgerlake.jobs.schedule;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ledgerlake.common.ErrorCategory;
import java.time.Duration;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * One schedule: an id, a job with its parameters, a trigger and a policy. Stored as versioned JSON
 * ({@link #FORMAT_VERSION}) in the scheduler's table; the schedules file and {@code schedule add} produce the same.
 */
public record ScheduleSpec(String id, String job, ObjectNode params, Trigger trigger, SchedulePolicy policy) {
  public static final int FORMAT_VERSION = 1;
  static final ObjectMapper MAPPER = new ObjectMapper();
  private static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,99}");

  public ScheduleSpec {
    requireNonNull(id, "id");
    if (!ID.matcher(id).matches()) {
      throw ScheduleException.user("bad schedule id '%s': letters, digits, '.', '_' and '-', at most 100", id);
    }
    requireNonNull(job, "job");
    params = params == null ? MAPPER.createObjectNode() : params.deepCopy();
    requireNonNull(trigger, "trigger");
    requireNonNull(policy, "policy");
    if (trigger instanceof Trigger.OnJob on && on.job().equals(job)) {
      // Each run would trigger the next: a loop, not a schedule.
      throw ScheduleException.user("schedule '%s' runs %s after %s itself: it would trigger itself forever", id, job,
          job);
    }
    if (!(trigger instanceof Trigger.OnJob)) {
      // A curated-records trigger of one dataset provides ${dataset}; ${version} comes only from a job run.
      String allowed = trigger instanceof Trigger.Curated c && c.dataset() != null ? "${dataset}" : null;
      for (var it = params.fields(); it.hasNext(); ) {
        var e = it.next();
        String v = e.getValue().asText();
        if ((allowed == null ? v : v.replace(allowed, "")).contains("${")) {
          throw ScheduleException.user("parameter '%s' of schedule '%s' uses %s, which only an 'after' trigger"
              + " provides%s", e.getKey(), id, v, allowed == null && trigger instanceof Trigger.Curated
              ? " (a 'curated' trigger with a dataset provides ${dataset})" : "");
        }
      }
    }
  }

  public ObjectNode toJson() {
    ObjectNode o = MAPPER.createObjectNode();
    o.put("format", FORMAT_VERSION);
    o.put("id", id);
    o.put("job", job);
    o.set("params", params.deepCopy());
    if (trigger instanceof Trigger.Cron c) {
      o.put("cron", c.expression());
      o.put("timezone", c.zone().getId());
    } else if (trigger instanceof Trigger.OnJob j) {
      ObjectNode on = o.putObject("after");
      on.put("job", j.job());
      if (j.dataset() != null) {
        on.put("dataset", j.dataset());
      }
    } else if (trigger instanceof Trigger.Curated c) {
      ObjectNode on = o.putObject("curated");
      on.put("records", c.records());
      if (c.dataset() != null) {
        on.put("dataset", c.dataset());
      }
    }
    o.put("retries", policy.retries());
    o.put("backoff", policy.backoff().toString());
    o.put("timeout", policy.timeout().toString());
    o.put("max_concurrent", policy.maxConcurrent());
    o.put("catch_up", policy.catchUp().name().toLowerCase(Locale.ROOT));
    return o;
  }

  public static ScheduleSpec fromJson(String json) {
    try {
      JsonNode o = MAPPER.readTree(json);
      int format = o.path("format").asInt(-1);
      if (format != FORMAT_VERSION) {
        throw new ScheduleException(ErrorCategory.INTERNAL,
            "stored schedule has format " + format + "; this version reads " + FORMAT_VERSION);
      }
      Trigger trigger = o.has("cron")
          ? Trigger.Cron.of(o.get("cron").asText(), o.path("timezone").asText("UTC"))
          : o.has("curated")
              ? new Trigger.Curated(o.path("curated").path("records").asLong(),
                  o.path("curated").hasNonNull("dataset") ? o.path("curated").get("dataset").asText() : null)
              : new Trigger.OnJob(o.path("after").path("job").asText(),
                  o.path("after").hasNonNull("dataset") ? o.path("after").get("dataset").asText() : null);
      SchedulePolicy policy = new SchedulePolicy(o.path("retries").asInt(), Duration.parse(o.path("backoff").asText()),
          Duration.parse(o.path("timeout").asText()), o.path("max_concurrent").asInt(1),
          SchedulePolicy.CatchUp.valueOf(o.path("catch_up").asText("once").toUpperCase(Locale.ROOT)));
      return new ScheduleSpec(o.path("id").asText(), o.path("job").asText(), (ObjectNode) o.path("params"), trigger,
          policy);
    } catch (JsonProcessingException | ClassCastException e) {
      throw new ScheduleException(ErrorCategory.INTERNAL, "stored schedule is not valid JSON: " + e.getMessage(), e);
    }
  }
}
