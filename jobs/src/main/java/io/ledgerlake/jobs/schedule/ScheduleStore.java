package io.ledgerlake.jobs.schedule;

import static java.util.Objects.requireNonNull;

import io.ledgerlake.common.ErrorCategory;
import io.ledgerlake.lakehouse.LakehouseOptions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.UUID;

/**
 * The scheduler's state in plain JDBC tables of the catalog database (the SQLite file of the embedded catalog, or the
 * PostgreSQL database of a JDBC catalog), next to Iceberg's own tables: schedules and their ticks. Portable SQL only
 * (TEXT, BIGINT, INTEGER, VARCHAR; no upsert or locking syntax), so one code path serves both databases.
 *
 * <p>Cluster safety comes from conditional updates: a tick is planned by whoever moves the schedule's
 * {@code next_fire_ms} (or event cursor) from the value it read, a tick's attempt is claimed by whoever moves it from
 * the status and attempt it read, and the tick id (schedule id plus fire time or triggering run id) is the primary key.
 * A claim first bumps the schedule row's {@code claim_seq}: that write locks the row, so the max-concurrent count
 * that follows is read by one claimer at a time on PostgreSQL too (SQLite serializes all writers anyway).
 */
public final class ScheduleStore {
  static final String SCHEDULES = "ledgerlake_schedules";
  static final String TICKS = "ledgerlake_schedule_ticks";

  /**
   * A stored schedule with its runtime state. {@code cursorMs}: for event schedules, job runs that finished before it
   * were seen (for curated-records schedules, the time it was declared: records curated before do not count);
   * {@code cursorRun}: for curated-records schedules, {@code count:<n>}, the count at the last fire.
   */
  public record Stored(ScheduleSpec spec, String source, boolean paused, Long nextFireMs, long cursorMs,
      String cursorRun) {}

  /** One tick of a schedule: a cron fire time, a triggering run, or a run-now request; and its latest attempt. */
  public record Tick(String tickId, String scheduleId, String trigger, long fireMs, String status, int attempt,
      long dueMs, String owner, Long leaseMs, String runId, String error, Long finishedMs, String varsJson) {}

  private final String url;
  private final Properties properties = new Properties();

  public ScheduleStore(String jdbcUrl, Properties properties) {
    this.url = requireNonNull(jdbcUrl, "jdbcUrl");
    this.properties.putAll(properties);
  }

  /**
   * The catalog database of {@code options}: its SQLite file (WAL, busy timeout, immediate transactions so that two
   * processes never deadlock upgrading a read lock) or its JDBC URL with user and password. Catalogs without a
   * database (REST, Hadoop) get a SQLite file of their own in the data directory.
   */
  public static ScheduleStore forCatalog(LakehouseOptions options) {
    Properties p = new Properties();
    String url;
    switch (options.catalogType()) {
      case SQLITE -> url = options.catalogUri();
      case JDBC -> {
        url = options.catalogUri();
        if (!options.jdbcUser().isEmpty()) {
          p.setProperty("user", options.jdbcUser());
        }
        if (!options.jdbcPassword().isEmpty()) {
          p.setProperty("password", options.jdbcPassword());
        }
      }
      default -> url = "jdbc:sqlite:" + options.dataDir().resolve("scheduler.db");
    }
    if (url.startsWith("jdbc:sqlite:")) {
      p.setProperty("journal_mode", "WAL");
      p.setProperty("busy_timeout", Integer.toString(Math.max(options.sqliteBusyTimeoutMs(), 10_000)));
      p.setProperty("transaction_mode", "IMMEDIATE");
    }
    return new ScheduleStore(url, p);
  }

  /** Creates the tables if missing. */
  public void init() {
    tx(c -> {
      try (Statement s = c.createStatement()) {
        s.execute("CREATE TABLE IF NOT EXISTS " + SCHEDULES + " (schedule_id VARCHAR(100) PRIMARY KEY,"
            + " spec_json TEXT NOT NULL, source VARCHAR(10) NOT NULL, paused INTEGER NOT NULL,"
            + " next_fire_ms BIGINT, cursor_ms BIGINT NOT NULL, cursor_run VARCHAR(100) NOT NULL,"
            + " claim_seq BIGINT NOT NULL, updated_ms BIGINT NOT NULL)");
        s.execute("CREATE TABLE IF NOT EXISTS " + TICKS + " (tick_id VARCHAR(300) PRIMARY KEY,"
            + " schedule_id VARCHAR(100) NOT NULL, trigger_desc VARCHAR(500) NOT NULL, fire_ms BIGINT NOT NULL,"
            + " status VARCHAR(12) NOT NULL, attempt INTEGER NOT NULL, due_ms BIGINT NOT NULL, owner VARCHAR(200),"
            + " lease_ms BIGINT, run_id VARCHAR(40), error TEXT, finished_ms BIGINT, vars_json TEXT)");
        s.execute("CREATE INDEX IF NOT EXISTS " + TICKS + "_due ON " + TICKS + " (status, due_ms)");
        s.execute("CREATE INDEX IF NOT EXISTS " + TICKS + "_sched ON " + TICKS + " (schedule_id, fire_ms)");
      }
      return null;
    });
  }

  public List<Stored> list() {
    return tx(c -> {
      try (PreparedStatement ps = c.prepareStatement("SELECT spec_json, source, paused, next_fire_ms, cursor_ms,"
          + " cursor_run FROM " + SCHEDULES + " ORDER BY schedule_id")) {
        return stored(ps);
      }
    });
  }

  public Optional<Stored> find(String id) {
    return tx(c -> {
      try (PreparedStatement ps = c.prepareStatement("SELECT spec_json, source, paused, next_fire_ms, cursor_ms,"
          + " cursor_run FROM " + SCHEDULES + " WHERE schedule_id = ?")) {
        ps.setString(1, id);
        return stored(ps).stream().findFirst();
      }
    });
  }

  /** Unpaused schedules whose cron tick is due at {@code nowMs}. */
  List<Stored> dueCron(long nowMs) {
    return tx(c -> {
      try (PreparedStatement ps = c.prepareStatement("SELECT spec_json, source, paused, next_fire_ms, cursor_ms,"
          + " cursor_run FROM " + SCHEDULES + " WHERE paused = 0 AND next_fire_ms IS NOT NULL AND next_fire_ms <= ?")) {
        ps.setLong(1, nowMs);
        return stored(ps);
      }
    });
  }

  /** Unpaused event schedules (no cron fire time). */
  List<Stored> eventSchedules() {
    return tx(c -> {
      try (PreparedStatement ps = c.prepareStatement("SELECT spec_json, source, paused, next_fire_ms, cursor_ms,"
          + " cursor_run FROM " + SCHEDULES + " WHERE paused = 0 AND next_fire_ms IS NULL")) {
        return stored(ps);
      }
    });
  }

  /**
   * Replaces the schedules of {@code source} with {@code specs} in one transaction: new ones are added, changed ones
   * updated (their fire time or cursor restarts from {@code nowMs} when the trigger changed), missing ones removed with
   * their ticks. Pause state survives. A schedule id owned by the other source is a USER_ERROR.
   */
  public void replaceSource(String source, List<ScheduleSpec> specs, long nowMs) {
    tx(c -> {
      List<Stored> existing = new ArrayList<>();
      try (PreparedStatement ps = c.prepareStatement("SELECT spec_json, source, paused, next_fire_ms, cursor_ms,"
          + " cursor_run FROM " + SCHEDULES)) {
        existing.addAll(stored(ps));
      }
      for (ScheduleSpec spec : specs) {
        Stored old = existing.stream().filter(s -> s.spec().id().equals(spec.id())).findFirst().orElse(null);
        if (old != null && !old.source().equals(source)) {
          throw ScheduleException.user("schedule '%s' is already declared by %s; remove it there first", spec.id(),
              old.source().equals("file") ? "the schedules file" : "'ledgerlake schedule add'");
        }
        if (old == null) {
          insert(c, spec, source, nowMs);
        } else if (!old.spec().toJson().equals(spec.toJson())) {
          boolean triggerChanged = !old.spec().trigger().equals(spec.trigger());
          try (PreparedStatement ps = c.prepareStatement("UPDATE " + SCHEDULES + " SET spec_json = ?, updated_ms = ?"
              + (triggerChanged ? ", next_fire_ms = ?, cursor_ms = ?, cursor_run = ''" : "")
              + " WHERE schedule_id = ?")) {
            int i = 1;
            ps.setString(i++, spec.toJson().toString());
            ps.setLong(i++, nowMs);
            if (triggerChanged) {
              setNullableLong(ps, i++, firstFire(spec, nowMs));
              ps.setLong(i++, nowMs);
            }
            ps.setString(i, spec.id());
            ps.executeUpdate();
          }
        }
      }
      for (Stored old : existing) {
        if (old.source().equals(source) && specs.stream().noneMatch(s -> s.id().equals(old.spec().id()))) {
          delete(c, old.spec().id());
        }
      }
      return null;
    });
  }

  /** Adds one schedule ({@code schedule add}); an existing id is a USER_ERROR. */
  public void add(ScheduleSpec spec, String source, long nowMs) {
    tx(c -> {
      if (exists(c, spec.id())) {
        throw ScheduleException.user("schedule '%s' exists; remove it first", spec.id());
      }
      insert(c, spec, source, nowMs);
      return null;
    });
  }

  public void remove(String id) {
    tx(c -> {
      if (!exists(c, id)) {
        throw unknown(id);
      }
      delete(c, id);
      return null;
    });
  }

  public void setPaused(String id, boolean paused, long nowMs) {
    tx(c -> {
      try (PreparedStatement ps = c.prepareStatement("UPDATE " + SCHEDULES
          + " SET paused = ?, updated_ms = ? WHERE schedule_id = ?")) {
        ps.setInt(1, paused ? 1 : 0);
        ps.setLong(2, nowMs);
        ps.setString(3, id);
        if (ps.executeUpdate() == 0) {
          throw unknown(id);
        }
      }
      return null;
    });
  }

  /**
   * Plans {@code ticks} for a schedule if its {@code column} (next_fire_ms or cursor_ms) still holds {@code expected}
   * as the caller read it, moving it to {@code next}; returns whether this caller won (losing: another scheduler
   * planned them).
   */
  boolean plan(String scheduleId, String column, long expected, long next, List<Tick> ticks) {
    if (!column.equals("next_fire_ms") && !column.equals("cursor_ms")) {
      throw new IllegalArgumentException(column);
    }
    return tx(c -> {
      try (PreparedStatement ps = c.prepareStatement("UPDATE " + SCHEDULES + " SET " + column + " = ?"
          + " WHERE schedule_id = ? AND " + column + " = ?")) {
        ps.setLong(1, next);
        ps.setString(2, scheduleId);
        ps.setLong(3, expected);
        if (ps.executeUpdate() != 1) {
          return false;
        }
      }
      for (Tick t : ticks) {
        insertTick(c, t);
      }
      return true;
    });
  }

  /**
   * Like {@link #plan} for a curated-records schedule, whose cursor is the text {@code cursor_run}
   * ({@code count:<n>}, the curated-record count at its last fire; empty until the first count): moves it from
   * {@code expected} to {@code next} and plans {@code ticks} if no other scheduler moved it first.
   */
  boolean planCount(String scheduleId, String expected, String next, List<Tick> ticks) {
    return tx(c -> {
      try (PreparedStatement ps = c.prepareStatement("UPDATE " + SCHEDULES + " SET cursor_run = ?"
          + " WHERE schedule_id = ? AND cursor_run = ?")) {
        ps.setString(1, next);
        ps.setString(2, scheduleId);
        ps.setString(3, expected);
        if (ps.executeUpdate() != 1) {
          return false;
        }
      }
      for (Tick t : ticks) {
        insertTick(c, t);
      }
      return true;
    });
  }

  /** Ids of {@code scheduleId}'s ticks fired at or after {@code fromMs}. */
  java.util.Set<String> tickIdsSince(String scheduleId, long fromMs) {
    return tx(c -> {
      try (PreparedStatement ps = c.prepareStatement("SELECT tick_id FROM " + TICKS
          + " WHERE schedule_id = ? AND fire_ms >= ?")) {
        ps.setString(1, scheduleId);
        ps.setLong(2, fromMs);
        java.util.Set<String> ids = new java.util.HashSet<>();
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            ids.add(rs.getString(1));
          }
        }
        return ids;
      }
    });
  }

  /** Queues a run of schedule {@code id} now ({@code run-now}), whatever its trigger; returns the tick id. */
  public String runNow(String id, long nowMs) {
    String key = "manual:" + UUID.randomUUID();
    enqueue(new Tick(id + "|" + key, id, "run-now at " + Instant.ofEpochMilli(nowMs), nowMs, "queued", 0, nowMs,
        null, null, null, null, null, null));
    return id + "|" + key;
  }

  /** Queues one tick; the schedule must exist. */
  void enqueue(Tick tick) {
    tx(c -> {
      if (!exists(c, tick.scheduleId())) {
        throw unknown(tick.scheduleId());
      }
      insertTick(c, tick);
      return null;
    });
  }

  /** Ticks whose next attempt is due, and running ticks whose claim expired (their scheduler stopped). */
  List<Tick> claimable(long nowMs, int limit) {
    return tx(c -> {
      try (PreparedStatement ps = c.prepareStatement(TICK_COLUMNS + " WHERE (status IN ('queued', 'retrying')"
          + " AND due_ms <= ?) OR (status = 'running' AND lease_ms < ?) ORDER BY due_ms, tick_id")) {
        ps.setLong(1, nowMs);
        ps.setLong(2, nowMs);
        ps.setMaxRows(limit);
        return ticks(ps);
      }
    });
  }

  /**
   * Claims {@code tick}'s next attempt for {@code owner} if it is still as read and the schedule has fewer than
   * {@code maxConcurrent} live running ticks; returns the claimed tick or empty.
   */
  Optional<Tick> claim(Tick tick, int maxConcurrent, String owner, long nowMs, long leaseMs, String runId) {
    return tx(c -> {
      try (PreparedStatement ps = c.prepareStatement("UPDATE " + SCHEDULES
          + " SET claim_seq = claim_seq + 1 WHERE schedule_id = ? AND paused = 0")) {
        ps.setString(1, tick.scheduleId());
        if (ps.executeUpdate() != 1) {
          return Optional.empty(); // paused (or removed): its ticks wait
        }
      }
      try (PreparedStatement ps = c.prepareStatement("SELECT COUNT(*) FROM " + TICKS
          + " WHERE schedule_id = ? AND status = 'running' AND lease_ms >= ?")) {
        ps.setString(1, tick.scheduleId());
        ps.setLong(2, nowMs);
        try (ResultSet rs = ps.executeQuery()) {
          rs.next();
          if (rs.getInt(1) >= maxConcurrent) {
            return Optional.empty();
          }
        }
      }
      try (PreparedStatement ps = c.prepareStatement("UPDATE " + TICKS + " SET status = 'running',"
          + " attempt = attempt + 1, owner = ?, lease_ms = ?, run_id = ?, error = NULL"
          + " WHERE tick_id = ? AND status = ? AND attempt = ? AND due_ms <= ?")) {
        ps.setString(1, owner);
        ps.setLong(2, leaseMs);
        ps.setString(3, runId);
        ps.setString(4, tick.tickId());
        ps.setString(5, tick.status());
        ps.setInt(6, tick.attempt());
        ps.setLong(7, nowMs);
        if (ps.executeUpdate() != 1) {
          return Optional.empty();
        }
      }
      return Optional.of(new Tick(tick.tickId(), tick.scheduleId(), tick.trigger(), tick.fireMs(), "running",
          tick.attempt() + 1, tick.dueMs(), owner, leaseMs, runId, null, null, tick.varsJson()));
    });
  }

  /**
   * Ends an attempt: {@code status} succeeded, failed or retrying (then due again at {@code dueMs}). Conditional on
   * the tick still being this owner's attempt ({@code expectedStatus} running, or for an expired claim the dead
   * owner's); returns whether it applied.
   */
  boolean finish(Tick tick, String expectedOwner, String status, long dueMs, String error, long nowMs,
      Long leaseBefore) {
    return tx(c -> {
      try (PreparedStatement ps = c.prepareStatement("UPDATE " + TICKS + " SET status = ?, due_ms = ?, error = ?,"
          + " finished_ms = ?, lease_ms = NULL WHERE tick_id = ? AND status = 'running' AND attempt = ? AND owner = ?"
          + (leaseBefore != null ? " AND lease_ms < ?" : ""))) {
        ps.setString(1, status);
        ps.setLong(2, dueMs);
        ps.setString(3, error);
        if (status.equals("retrying")) {
          ps.setNull(4, Types.BIGINT);
        } else {
          ps.setLong(4, nowMs);
        }
        ps.setString(5, tick.tickId());
        ps.setInt(6, tick.attempt());
        ps.setString(7, expectedOwner);
        if (leaseBefore != null) {
          ps.setLong(8, leaseBefore);
        }
        return ps.executeUpdate() == 1;
      }
    });
  }

  /** Extends the claims of {@code owner}'s running ticks to {@code leaseMs}. */
  void heartbeat(String owner, long leaseMs) {
    tx(c -> {
      try (PreparedStatement ps = c.prepareStatement("UPDATE " + TICKS + " SET lease_ms = ?"
          + " WHERE owner = ? AND status = 'running'")) {
        ps.setLong(1, leaseMs);
        ps.setString(2, owner);
        ps.executeUpdate();
      }
      return null;
    });
  }

  /** The latest {@code limit} ticks, of one schedule or (null) all, newest first. */
  public List<Tick> history(String scheduleId, int limit) {
    return tx(c -> {
      try (PreparedStatement ps = c.prepareStatement(TICK_COLUMNS
          + (scheduleId == null ? "" : " WHERE schedule_id = ?") + " ORDER BY fire_ms DESC, tick_id DESC")) {
        if (scheduleId != null) {
          ps.setString(1, scheduleId);
        }
        ps.setMaxRows(limit);
        return ticks(ps);
      }
    });
  }

  private static final String TICK_COLUMNS = "SELECT tick_id, schedule_id, trigger_desc, fire_ms, status, attempt,"
      + " due_ms, owner, lease_ms, run_id, error, finished_ms, vars_json FROM " + TICKS;

  private static List<Tick> ticks(PreparedStatement ps) throws SQLException {
    List<Tick> out = new ArrayList<>();
    try (ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        out.add(new Tick(rs.getString(1), rs.getString(2), rs.getString(3), rs.getLong(4), rs.getString(5),
            rs.getInt(6), rs.getLong(7), rs.getString(8), nullableLong(rs, 9), rs.getString(10), rs.getString(11),
            nullableLong(rs, 12), rs.getString(13)));
      }
    }
    return out;
  }

  private static List<Stored> stored(PreparedStatement ps) throws SQLException {
    List<Stored> out = new ArrayList<>();
    try (ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        out.add(new Stored(ScheduleSpec.fromJson(rs.getString(1)), rs.getString(2), rs.getInt(3) != 0,
            nullableLong(rs, 4), rs.getLong(5), rs.getString(6)));
      }
    }
    return out;
  }

  private static void insert(Connection c, ScheduleSpec spec, String source, long nowMs) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + SCHEDULES + " (schedule_id, spec_json, source,"
        + " paused, next_fire_ms, cursor_ms, cursor_run, claim_seq, updated_ms) VALUES (?, ?, ?, 0, ?, ?, '', 0, ?)")) {
      ps.setString(1, spec.id());
      ps.setString(2, spec.toJson().toString());
      ps.setString(3, source);
      setNullableLong(ps, 4, firstFire(spec, nowMs));
      // Event schedules start from now: runs recorded before the schedule existed do not fire it.
      ps.setLong(5, nowMs);
      ps.setLong(6, nowMs);
      ps.executeUpdate();
    }
  }

  private static Long firstFire(ScheduleSpec spec, long nowMs) {
    return spec.trigger() instanceof Trigger.Cron cron ? cron.nextAfter(Instant.ofEpochMilli(nowMs)).toEpochMilli()
        : null;
  }

  /** Inserts a tick unless its id exists: an event seen again (the cursor's look-back) must not fire twice. */
  private static void insertTick(Connection c, Tick t) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + TICKS + " (tick_id, schedule_id, trigger_desc,"
        + " fire_ms, status, attempt, due_ms, vars_json) SELECT ?, ?, ?, ?, 'queued', 0, ?, ? WHERE NOT EXISTS"
        + " (SELECT 1 FROM " + TICKS + " WHERE tick_id = ?)")) {
      ps.setString(1, t.tickId());
      ps.setString(2, t.scheduleId());
      ps.setString(3, t.trigger());
      ps.setLong(4, t.fireMs());
      ps.setLong(5, t.dueMs());
      ps.setString(6, t.varsJson());
      ps.setString(7, t.tickId());
      ps.executeUpdate();
    }
  }

  private static void delete(Connection c, String id) throws SQLException {
    // Finished history goes with the schedule; a running attempt finishes and its conditional end update finds no row.
    for (String table : new String[] {TICKS, SCHEDULES}) {
      try (PreparedStatement ps = c.prepareStatement("DELETE FROM " + table + " WHERE schedule_id = ?")) {
        ps.setString(1, id);
        ps.executeUpdate();
      }
    }
  }

  private static boolean exists(Connection c, String id) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM " + SCHEDULES + " WHERE schedule_id = ?")) {
      ps.setString(1, id);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next();
      }
    }
  }

  static ScheduleException unknown(String id) {
    return ScheduleException.user("no schedule '%s' (see 'ledgerlake schedule list')", id);
  }

  private static Long nullableLong(ResultSet rs, int i) throws SQLException {
    long v = rs.getLong(i);
    return rs.wasNull() ? null : v;
  }

  private static void setNullableLong(PreparedStatement ps, int i, Long v) throws SQLException {
    if (v == null) {
      ps.setNull(i, Types.BIGINT);
    } else {
      ps.setLong(i, v);
    }
  }

  private interface Work<T> {
    T apply(Connection c) throws SQLException;
  }

  /** One transaction on a fresh connection; a ScheduleException rolls back and passes through unchanged. */
  private <T> T tx(Work<T> work) {
    try (Connection c = DriverManager.getConnection(url, properties)) {
      c.setAutoCommit(false);
      try {
        T result = work.apply(c);
        c.commit();
        return result;
      } catch (SQLException | RuntimeException e) {
        c.rollback();
        throw e;
      }
    } catch (SQLException e) {
      throw new ScheduleException(ErrorCategory.EXTERNAL,
          "scheduler database " + url.replaceAll("password=[^&;]*", "password=***") + ": " + e.getMessage(), e);
    }
  }
}
