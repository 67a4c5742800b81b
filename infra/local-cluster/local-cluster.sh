#!/usr/bin/env bash
# A real multi-process cluster on this machine, from the build's Maven jars (no Docker, no downloads of Spark):
#   - PostgreSQL (Debian's package; installed with apt-get when missing and run as root) as the Iceberg JDBC catalog,
#     a private instance in STATE/postgres on a free port, TCP on 127.0.0.1 only, password authentication;
#   - a Spark standalone Master and --workers N Workers bound to 127.0.0.1, whose SPARK_HOME/jars links the jars of
#     the CLI's runtime classpath (the Worker builds executor classpaths from that folder);
#   - with --flink: a Flink session cluster (StandaloneSessionClusterEntrypoint and N TaskManagerRunner JVMs) from
#     Flink's runtime jars on Maven Central (infra/local-cluster/flink-dist: flink-dist itself is not published);
#   - with --kafka: a Kafka KRaft broker (broker and controller in one process, kafka.Kafka) from kafka_2.13's jars.
# `up` writes STATE/ledgerlake.properties with the settings to use (./ledgerlake --config that-file ...);
# `down` stops exactly the processes `up` recorded in STATE/pids. See docs/operations.md.
#
# usage: local-cluster.sh up|down|status [--state-dir DIR] [--lib DIR] [--worker-cores N] [--worker-memory SIZE]
#                                        [--workers N] [--no-postgres] [--no-spark] [--flink] [--taskmanagers N]
#                                        [--tm-slots N] [--tm-memory SIZE] [--kafka]
#        local-cluster.sh start-taskmanager|stop-taskmanager N [--state-dir DIR]   (one more, or one less, TaskManager)
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
STATE="${LEDGERLAKE_CLUSTER_STATE:-$ROOT/target/local-cluster}"
LIB=""
WORKER_CORES=2
WORKERS=1
WORKER_MEMORY=3g
WITH_POSTGRES=1
WITH_SPARK=1
WITH_FLINK=0
WITH_KAFKA=0
TASKMANAGERS=1
TM_SLOTS=2
TM_MEMORY=1600m
JM_MEMORY=1024m
TM_INDEX=""
CATALOG_DB=ledgerlake_catalog
CATALOG_USER=ledgerlake
WAIT_SECONDS=90

die() { echo "local-cluster: $*" >&2; exit 1; }
say() { echo "local-cluster: $*" >&2; }

usage() {
  sed -n '2,16p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'
  exit "${1:-2}"
}

[ $# -ge 1 ] || usage
ACTION="$1"; shift
while [ $# -gt 0 ]; do
  case "$1" in
    # the TaskManager's number of start-/stop-taskmanager, before or after the options
    [0-9]*) case "$ACTION" in start-taskmanager|stop-taskmanager) TM_INDEX="$1"; shift ;;
              *) die "unexpected argument '$1' for $ACTION (try --help)" ;; esac ;;
    --state-dir) STATE="$2"; shift 2 ;;
    --lib) LIB="$2"; shift 2 ;;
    --worker-cores) WORKER_CORES="$2"; shift 2 ;;
    --worker-memory) WORKER_MEMORY="$2"; shift 2 ;;
    --workers) WORKERS="$2"; shift 2 ;;
    --no-postgres) WITH_POSTGRES=0; shift ;;
    --no-spark) WITH_SPARK=0; shift ;;
    --flink) WITH_FLINK=1; shift ;;
    --taskmanagers) TASKMANAGERS="$2"; shift 2 ;;
    --tm-slots) TM_SLOTS="$2"; shift 2 ;;
    --tm-memory) TM_MEMORY="$2"; shift 2 ;;
    --kafka) WITH_KAFKA=1; shift ;;
    -h|--help) usage 0 ;;
    *) die "unknown argument '$1' (try --help)" ;;
  esac
done
case "$ACTION" in start-taskmanager|stop-taskmanager)
  case "$TM_INDEX" in ""|*[!0-9]*) die "$ACTION takes the TaskManager's number, e.g. '$ACTION 2'" ;; esac ;; esac
case "$WORKERS" in ""|*[!0-9]*|0) die "--workers takes a whole number of at least 1, got '$WORKERS'" ;; esac
mkdir -p "$STATE"
STATE="$(cd "$STATE" && pwd)"
PIDS="$STATE/pids"
PROPS="$STATE/ledgerlake.properties"
JAVA="${JAVA_HOME:+$JAVA_HOME/bin/}java"

# ---------------------------------------------------------------------------------------------------------------- util

# A TCP port nothing listens on, probed by connecting (bash only). Another process may take it before we bind: the
# services below fail loudly in that case rather than silently sharing.
free_port() {
  local p i
  for i in $(seq 1 50); do
    p=$((20000 + RANDOM % 20000))
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then echo "$p"; return 0; fi
  done
  die "no free TCP port found"
}

wait_for_port() { # port seconds what logfile pidname
  local i
  for i in $(seq 1 "$2"); do
    if (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; then return 0; fi
    alive "$5" || die "$3 exited; see $4"
    sleep 1
  done
  die "$3 did not listen on 127.0.0.1:$1 within $2 s; see $4"
}

alive() { [ -f "$PIDS/$1" ] && kill -0 "$(cat "$PIDS/$1")" 2>/dev/null; }

secret() { head -c 32 /dev/urandom | base64 | tr -dc 'A-Za-z0-9' | head -c 24; }

# Stops a recorded process and the children it started (a Spark Worker's executors), by pid; TERM, then KILL.
stop_pid() {
  local name="$1" pid children i
  [ -f "$PIDS/$name" ] || return 0
  pid="$(cat "$PIDS/$name")"
  if kill -0 "$pid" 2>/dev/null; then
    children="$(ps -o pid= --ppid "$pid" 2>/dev/null || true)"
    kill -TERM "$pid" 2>/dev/null || true
    for i in $(seq 1 30); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
    kill -0 "$pid" 2>/dev/null && kill -KILL "$pid" 2>/dev/null || true
    for c in $children; do kill -0 "$c" 2>/dev/null && kill -KILL "$c" 2>/dev/null || true; done
    say "stopped $name (pid $pid)"
  fi
  rm -f "$PIDS/$name"
}

# ---------------------------------------------------------------------------------------------------------- postgres

pg_bindir() {
  local d
  for d in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V -r); do
    [ -x "$d/initdb" ] && [ -x "$d/pg_ctl" ] && { echo "$d"; return 0; }
  done
  command -v initdb >/dev/null 2>&1 && { dirname "$(command -v initdb)"; return 0; }
  return 1
}

# PostgreSQL refuses to run as root: as root, its commands run as the package's `postgres` user.
as_pg() {
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

ensure_postgres_installed() {
  pg_bindir >/dev/null && return 0
  if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null; then
    say "PostgreSQL is not installed and cannot be installed here (needs root and apt-get):"
    say "  install Debian's 'postgresql' package, or keep the embedded SQLite catalog. Skipping PostgreSQL."
    return 1
  fi
  say "installing PostgreSQL (apt-get install postgresql)..."
  # The package would start its own system cluster on 5432; a policy-rc.d that we create (and only then remove)
  # keeps the install from starting services: this script runs its own private instance.
  local policy=/usr/sbin/policy-rc.d created=0
  if [ ! -e "$policy" ]; then printf '#!/bin/sh\nexit 101\n' > "$policy"; chmod +x "$policy"; created=1; fi
  local ok=0
  if DEBIAN_FRONTEND=noninteractive apt-get install -y -q postgresql >"$STATE/apt.log" 2>&1 \
      || { apt-get update -q >>"$STATE/apt.log" 2>&1 \
           && DEBIAN_FRONTEND=noninteractive apt-get install -y -q postgresql >>"$STATE/apt.log" 2>&1; }; then
    ok=1
  fi
  [ "$created" = 1 ] && rm -f "$policy"
  if [ "$ok" != 1 ] || ! pg_bindir >/dev/null; then
    say "apt-get install postgresql failed (see $STATE/apt.log); skipping PostgreSQL."
    return 1
  fi
}

postgres_up() {
  ensure_postgres_installed || return 1
  local bin dir port superpw userpw
  bin="$(pg_bindir)"
  dir="$STATE/postgres"
  mkdir -p "$dir"
  if [ "$(id -u)" = 0 ]; then chown postgres: "$dir"; chmod 700 "$dir"; fi
  if ! as_pg test -w "$dir"; then
    say "user postgres cannot write $dir (a parent directory is not searchable by it); choose another --state-dir."
    return 1
  fi
  port="$(free_port)"
  if [ ! -f "$dir/data/PG_VERSION" ]; then
    superpw="$(secret)"
    userpw="$(secret)"
    # The superuser password file is the server user's; the catalog user's password goes to ledgerlake.properties.
    (umask 077; echo "$superpw" > "$dir/superuser.pw"; echo "$userpw" > "$STATE/catalog.pw")
    [ "$(id -u)" = 0 ] && chown postgres: "$dir/superuser.pw"
    as_pg "$bin/initdb" -D "$dir/data" -U postgres --auth-host=scram-sha-256 --auth-local=scram-sha-256 \
      --pwfile="$dir/superuser.pw" -E UTF8 --no-instructions >"$dir/initdb.log" 2>&1 \
      || { say "initdb failed; see $dir/initdb.log"; return 1; }
  fi
  # TCP on 127.0.0.1 only, no Unix socket (its path would depend on the state dir's length and on /run permissions).
  as_pg "$bin/pg_ctl" -D "$dir/data" -l "$dir/postgres.log" -w -t "$WAIT_SECONDS" \
    -o "-c listen_addresses=127.0.0.1 -p $port -c unix_socket_directories=''" start >"$dir/pg_ctl.log" 2>&1 \
    || { say "PostgreSQL did not start; see $dir/postgres.log"; return 1; }
  head -1 "$dir/data/postmaster.pid" > "$PIDS/postgres"
  echo "$port" > "$dir/port"
  superpw="$(cat "$dir/superuser.pw")"
  userpw="$(cat "$STATE/catalog.pw")"
  local psql=("$bin/psql" -X -q -h 127.0.0.1 -p "$port" -U postgres -v ON_ERROR_STOP=1)
  if [ -z "$(PGPASSWORD="$superpw" "${psql[@]}" -d postgres -tAc "select 1 from pg_roles where rolname='$CATALOG_USER'")" ]; then
    PGPASSWORD="$superpw" "${psql[@]}" -d postgres -c "create role $CATALOG_USER login password '$userpw'" >/dev/null \
      && PGPASSWORD="$superpw" "${psql[@]}" -d postgres -c "create database $CATALOG_DB owner $CATALOG_USER" >/dev/null \
      || { say "could not create the catalog database; see $dir/postgres.log"; return 1; }
  fi
  say "PostgreSQL $(basename "$(dirname "$bin")") on 127.0.0.1:$port, database $CATALOG_DB (pid $(cat "$PIDS/postgres"))"
}

postgres_down() {
  [ -f "$PIDS/postgres" ] || return 0
  local bin
  if alive postgres && bin="$(pg_bindir)"; then
    if as_pg "$bin/pg_ctl" -D "$STATE/postgres/data" -m fast -w -t 60 stop >"$STATE/postgres/pg_ctl.log" 2>&1; then
      say "stopped postgres (pid $(cat "$PIDS/postgres"))"
      rm -f "$PIDS/postgres"
      return 0
    fi
  fi
  stop_pid postgres # pg_ctl could not stop it: signals, by its recorded pid
}

# ------------------------------------------------------------------------------------------------------------- spark

# SPARK_HOME/jars links the third-party jars of the CLI's runtime classpath: the same Spark, Scala, Iceberg and Parquet
# versions as the driver (a stock Spark distribution would bring Parquet 1.15, older than Iceberg 1.11 needs). The
# LedgerLake jars are left out on purpose: the driver ships its own with spark.jars (docs/decisions/spark-standalone.md),
# so a rebuilt CLI never runs against stale executor classes.
spark_home() {
  local lib="$LIB"
  if [ -z "$lib" ]; then
    lib="$ROOT/cli/target/lib"
    if [ ! -d "$lib" ] || ! ls "$lib"/spark-core_*.jar >/dev/null 2>&1; then
      say "building the CLI's classpath (./mvnw -pl cli -am package -DskipTests)..."
      (cd "$ROOT" && ./mvnw -B -q -pl cli -am package -DskipTests -Dmaven.test.skip.exec=true) >&2 \
        || die "build failed"
    fi
  fi
  ls "$lib"/spark-core_*.jar >/dev/null 2>&1 || die "$lib has no spark-core jar; pass --lib with the CLI's runtime jars"
  ls "$lib"/iceberg-spark-*.jar >/dev/null 2>&1 || die "$lib has no iceberg-spark jar"
  local home="$STATE/spark-home"
  rm -rf "$home/jars"
  mkdir -p "$home/jars" "$home/conf"
  local j
  for j in "$lib"/*.jar; do
    case "$(basename "$j")" in ledgerlake-*) continue ;; esac
    ln -s "$(cd "$(dirname "$j")" && pwd)/$(basename "$j")" "$home/jars/"
  done
  echo "$home"
}

# Starts a Spark daemon the way Spark's own sbin scripts do: org.apache.spark.launcher.Main prints the java command
# (classpath from SPARK_HOME/jars, the JDK 17 --add-opens Spark needs, SPARK_DAEMON_MEMORY), then it runs detached.
spark_daemon() { # name log class args...
  local name="$1" log="$2"; shift 2
  local cmd=() arg
  # The launcher's output starts with blank entries (spark-class drops them too); the rest are NUL-separated words.
  while IFS= read -r -d '' arg; do arg="${arg#$'\n'}"; [ -n "$arg" ] && cmd+=("$arg"); done \
    < <("$JAVA" -Xmx128m -cp "$SPARK_HOME/jars/*" org.apache.spark.launcher.Main "$@")
  [ "${#cmd[@]}" -gt 0 ] || die "Spark's launcher printed no command for $name"
  nohup "${cmd[@]}" >"$log" 2>&1 < /dev/null &
  echo $! > "$PIDS/$name"
}

spark_up() {
  export SPARK_HOME SPARK_LOCAL_IP=127.0.0.1 SPARK_SCALA_VERSION=2.13
  SPARK_HOME="$(spark_home)"
  local logs="$STATE/spark/logs" port i
  mkdir -p "$logs" "$STATE/spark/work" "$STATE/spark/local"
  port="$(free_port)"
  spark_daemon spark-master "$logs/master.log" org.apache.spark.deploy.master.Master \
    --host 127.0.0.1 --port "$port" --webui-port 0
  wait_for_port "$port" "$WAIT_SECONDS" "Spark Master" "$logs/master.log" spark-master
  echo "spark://127.0.0.1:$port" > "$STATE/spark/master-url"
  # Executors get their scratch space from the worker (SPARK_LOCAL_DIRS), inside the state dir.
  local n name
  for n in $(seq 1 "$WORKERS"); do
    name="$(worker_name "$n")"
    SPARK_LOCAL_DIRS="$STATE/spark/local" spark_daemon "$name" "$logs/$name.log" \
      org.apache.spark.deploy.worker.Worker --host 127.0.0.1 --port 0 --webui-port 0 \
      --cores "$WORKER_CORES" --memory "$WORKER_MEMORY" --work-dir "$STATE/spark/work" "spark://127.0.0.1:$port"
  done
  for n in $(seq 1 "$WORKERS"); do
    name="$(worker_name "$n")"
    for i in $(seq 1 "$WAIT_SECONDS"); do
      grep -q "Successfully registered with master" "$logs/$name.log" 2>/dev/null && break
      alive "$name" || die "the Spark Worker $name exited; see $logs/$name.log"
      sleep 1
    done
    grep -q "Successfully registered with master" "$logs/$name.log" \
      || die "the Spark Worker $name did not register within $WAIT_SECONDS s; see $logs/$name.log"
  done
  say "Spark Master spark://127.0.0.1:$port (pid $(cat "$PIDS/spark-master")), $WORKERS Worker(s) with" \
    "$WORKER_CORES cores and $WORKER_MEMORY each (pids $(for n in $(seq 1 "$WORKERS"); do cat "$PIDS/$(worker_name "$n")"; done | tr '\n' ' '))"
}

# Worker n's pid file and log name: spark-worker (the first, as before) and spark-worker-2, -3, ...
worker_name() { if [ "$1" = 1 ]; then echo spark-worker; else echo "spark-worker-$1"; fi; }

# Every worker that a pid file records, whatever --workers this invocation was given.
recorded_workers() { ls "$PIDS" 2>/dev/null | grep '^spark-worker' || true; }

# ------------------------------------------------------------------------------------------------------------- flink

# The JDK 17 opens Flink's distribution sets in env.java.default-opts.all (Kryo reflects into java.util & co.), the
# same list as the ledgerlake launcher's.
JVM_OPENS=(--add-exports=java.base/sun.net.util=ALL-UNNAMED --add-exports=java.rmi/sun.rmi.registry=ALL-UNNAMED
  --add-exports=java.security.jgss/sun.security.krb5=ALL-UNNAMED
  --add-opens=java.base/java.lang=ALL-UNNAMED --add-opens=java.base/java.lang.invoke=ALL-UNNAMED
  --add-opens=java.base/java.lang.reflect=ALL-UNNAMED --add-opens=java.base/java.io=ALL-UNNAMED
  --add-opens=java.base/java.net=ALL-UNNAMED --add-opens=java.base/java.nio=ALL-UNNAMED
  --add-opens=java.base/java.text=ALL-UNNAMED --add-opens=java.base/java.time=ALL-UNNAMED
  --add-opens=java.base/java.util=ALL-UNNAMED --add-opens=java.base/java.util.concurrent=ALL-UNNAMED
  --add-opens=java.base/java.util.concurrent.atomic=ALL-UNNAMED --add-opens=java.base/java.util.concurrent.locks=ALL-UNNAMED
  --add-opens=java.base/sun.nio.ch=ALL-UNNAMED)

# Builds (once) what a Flink distribution's lib/ would hold and the two slim job jars.
flink_lib() {
  local lib="$ROOT/infra/local-cluster/flink-dist/target/lib"
  if ! ls "$lib"/flink-runtime-*.jar >/dev/null 2>&1; then
    say "resolving Flink's runtime jars (./mvnw -f infra/local-cluster/flink-dist/pom.xml package)..."
    (cd "$ROOT" && ./mvnw -B -q -f infra/local-cluster/flink-dist/pom.xml package) >&2 || die "build failed"
  fi
  if [ ! -f "$ROOT/infra/flink-jobs/ingestion/target/ledgerlake-ingestion-job.jar" ] \
      || [ ! -f "$ROOT/infra/flink-jobs/labeling/target/ledgerlake-labeling-job.jar" ]; then
    say "building the job jars (./mvnw -pl infra/flink-jobs/ingestion,infra/flink-jobs/labeling -am package)..."
    (cd "$ROOT" && ./mvnw -B -q -pl infra/flink-jobs/ingestion,infra/flink-jobs/labeling -am package -DskipTests \
      -Dmaven.test.skip.exec=true) >&2 || die "build failed"
  fi
  echo "$lib"
}

# Flink 2's configuration file (config.yaml) for one machine: everything on 127.0.0.1, free ports, checkpoints and
# temporary files in the state dir, failures detected within seconds (a killed TaskManager's slots are given up
# after heartbeat.timeout), restarts bounded so that a broken job fails instead of looping.
flink_config() {
  local conf="$STATE/flink/conf" rpc rest
  mkdir -p "$conf" "$STATE/flink/checkpoints" "$STATE/flink/savepoints" "$STATE/flink/tmp" "$STATE/flink/upload"
  rpc="$(free_port)"; rest="$(free_port)"
  cat > "$conf/config.yaml" <<YAML
jobmanager.rpc.address: 127.0.0.1
jobmanager.rpc.port: $rpc
jobmanager.bind-host: 127.0.0.1
jobmanager.memory.process.size: $JM_MEMORY
taskmanager.bind-host: 127.0.0.1
taskmanager.host: 127.0.0.1
taskmanager.numberOfTaskSlots: $TM_SLOTS
taskmanager.memory.process.size: $TM_MEMORY
rest.address: 127.0.0.1
rest.bind-address: 127.0.0.1
rest.port: $rest
parallelism.default: 1
execution.checkpointing.dir: file://$STATE/flink/checkpoints
execution.checkpointing.savepoint-dir: file://$STATE/flink/savepoints
execution.checkpointing.externalized-checkpoint-retention: RETAIN_ON_CANCELLATION
restart-strategy.type: fixed-delay
restart-strategy.fixed-delay.attempts: 10
restart-strategy.fixed-delay.delay: 2 s
heartbeat.interval: 2000
heartbeat.timeout: 10000
io.tmp.dirs: $STATE/flink/tmp
web.upload.dir: $STATE/flink/upload
web.submit.enable: true
web.cancel.enable: true
YAML
  cat > "$conf/log4j.properties" <<'LOG'
rootLogger.level = INFO
rootLogger.appenderRef.file.ref = MainAppender
appender.main.name = MainAppender
appender.main.type = File
appender.main.fileName = ${sys:log.file}
appender.main.layout.type = PatternLayout
appender.main.layout.pattern = %d{yyyy-MM-dd HH:mm:ss,SSS} %-5p %-60c %x - %m%n
logger.kafka.name = org.apache.kafka
logger.kafka.level = WARN
LOG
  echo "$rest" > "$STATE/flink/rest-port"
}

# What Flink's bin/config.sh does with BashJavaUtils: the memory sizes become JVM flags (-Xmx, -Xms,
# -XX:MaxDirectMemorySize, -XX:MaxMetaspaceSize) and -D values the process must get on its command line.
# Prints two lines: JVM flags, then the -D arguments.
flink_resource_params() { # GET_TM_RESOURCE_PARAMS | GET_JM_RESOURCE_PARAMS
  local lib="$1" what="$2" out
  out="$("$JAVA" -Xmx128m -cp "$lib/*" org.apache.flink.runtime.util.bash.BashJavaUtils "$what" \
    --configDir "$STATE/flink/conf" 2>"$STATE/flink/logs/bash-java-utils.log")" \
    || die "BashJavaUtils $what failed; see $STATE/flink/logs/bash-java-utils.log"
  out="$(printf '%s\n' "$out" | sed -n 's/^BASH_JAVA_UTILS_EXEC_RESULT://p' | tail -2)"
  [ "$(printf '%s\n' "$out" | wc -l)" = 2 ] || die "BashJavaUtils $what printed no resource parameters"
  printf '%s\n' "$out"
}

flink_daemon() { # name log class args...
  local name="$1" log="$2" lib="$3" what="$4" class="$5"; shift 5
  local params jvm dyn
  params="$(flink_resource_params "$lib" "$what")"
  jvm="$(printf '%s\n' "$params" | sed -n 1p)"
  dyn="$(printf '%s\n' "$params" | sed -n 2p)"
  # shellcheck disable=SC2086 # the two lines are space-separated words by design (as in Flink's own scripts)
  nohup "$JAVA" $jvm "${JVM_OPENS[@]}" -Dlog.file="$log" -Dlog4j.configurationFile="file:$STATE/flink/conf/log4j.properties" \
    -cp "$lib/*" "$class" --configDir "$STATE/flink/conf" $dyn "$@" >"$log.out" 2>&1 < /dev/null &
  echo $! > "$PIDS/$name"
}

taskmanager_up() { # index
  local lib="$1" i="$2"
  alive "flink-taskmanager-$i" && die "flink-taskmanager-$i is already running (pid $(cat "$PIDS/flink-taskmanager-$i"))"
  flink_daemon "flink-taskmanager-$i" "$STATE/flink/logs/taskmanager-$i.log" "$lib" GET_TM_RESOURCE_PARAMS \
    org.apache.flink.runtime.taskexecutor.TaskManagerRunner -D "taskmanager.resource-id=taskmanager-$i"
}

# Waits until the REST API lists `want` TaskManagers (each registers its slots with the ResourceManager).
wait_for_taskmanagers() { # want
  local rest i n
  rest="$(cat "$STATE/flink/rest-port")"
  for i in $(seq 1 "$WAIT_SECONDS"); do
    n="$(curl -fsS "http://127.0.0.1:$rest/taskmanagers" 2>/dev/null | grep -o '"id":"[^"]*"' | wc -l || true)"
    [ "$n" -ge "$1" ] && return 0
    sleep 1
  done
  die "$1 TaskManager(s) did not register within $WAIT_SECONDS s; see $STATE/flink/logs"
}

flink_up() {
  local lib i rest
  lib="$(flink_lib)"
  mkdir -p "$STATE/flink/logs"
  flink_config
  rest="$(cat "$STATE/flink/rest-port")"
  flink_daemon flink-jobmanager "$STATE/flink/logs/jobmanager.log" "$lib" GET_JM_RESOURCE_PARAMS \
    org.apache.flink.runtime.entrypoint.StandaloneSessionClusterEntrypoint
  wait_for_port "$rest" "$WAIT_SECONDS" "Flink JobManager" "$STATE/flink/logs/jobmanager.log" flink-jobmanager
  for i in $(seq 1 "$TASKMANAGERS"); do taskmanager_up "$lib" "$i"; done
  wait_for_taskmanagers "$TASKMANAGERS"
  echo "http://127.0.0.1:$rest" > "$STATE/flink/rest-url"
  say "Flink session cluster http://127.0.0.1:$rest (JobManager pid $(cat "$PIDS/flink-jobmanager")), $TASKMANAGERS" \
    "TaskManager(s) with $TM_SLOTS slots and $TM_MEMORY each"
}

flink_down() {
  local f
  for f in "$PIDS"/flink-taskmanager-*; do if [ -e "$f" ]; then stop_pid "$(basename "$f")"; fi; done
  stop_pid flink-jobmanager
}

# ------------------------------------------------------------------------------------------------------------- kafka

kafka_lib() {
  local lib="$ROOT/infra/local-cluster/kafka-dist/target/lib"
  if ! ls "$lib"/kafka_2.13-*.jar >/dev/null 2>&1; then
    say "resolving Kafka's jars (./mvnw -f infra/local-cluster/kafka-dist/pom.xml package)..."
    (cd "$ROOT" && ./mvnw -B -q -f infra/local-cluster/kafka-dist/pom.xml package) >&2 || die "build failed"
  fi
  echo "$lib"
}

# One KRaft node that is broker and controller (what kafka-server-start.sh config/server.properties runs), its
# storage formatted once by kafka.tools.StorageTool (kafka-storage.sh format).
kafka_up() {
  local lib dir port ctl id
  lib="$(kafka_lib)"
  dir="$STATE/kafka"
  mkdir -p "$dir/logs"
  port="$(free_port)"; ctl="$(free_port)"
  while [ "$ctl" = "$port" ]; do ctl="$(free_port)"; done
  cat > "$dir/server.properties" <<PROPS
process.roles=broker,controller
node.id=1
controller.quorum.voters=1@127.0.0.1:$ctl
listeners=PLAINTEXT://127.0.0.1:$port,CONTROLLER://127.0.0.1:$ctl
advertised.listeners=PLAINTEXT://127.0.0.1:$port
controller.listener.names=CONTROLLER
inter.broker.listener.name=PLAINTEXT
listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT
log.dirs=$dir/data
metadata.log.dir=$dir/metadata
offsets.topic.replication.factor=1
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
share.coordinator.state.topic.replication.factor=1
share.coordinator.state.topic.min.isr=1
group.initial.rebalance.delay.ms=0
auto.create.topics.enable=false
num.network.threads=2
num.io.threads=2
PROPS
  cat > "$dir/log4j2.properties" <<'LOG'
rootLogger.level = INFO
rootLogger.appenderRef.file.ref = File
appender.file.name = File
appender.file.type = File
appender.file.fileName = ${sys:kafka.logs.dir}/server.log
appender.file.layout.type = PatternLayout
appender.file.layout.pattern = [%d] %p %m (%c)%n
LOG
  if [ ! -f "$dir/cluster-id" ]; then
    "$JAVA" -Xmx128m -cp "$lib/*" kafka.tools.StorageTool random-uuid > "$dir/cluster-id" 2>"$dir/logs/storage.log" \
      || die "kafka.tools.StorageTool random-uuid failed; see $dir/logs/storage.log"
  fi
  id="$(tr -d '[:space:]' < "$dir/cluster-id")"
  "$JAVA" -Xmx256m -Dlog4j2.configurationFile="file:$dir/log4j2.properties" -Dkafka.logs.dir="$dir/logs" \
    -cp "$lib/*" kafka.tools.StorageTool format --config "$dir/server.properties" --cluster-id "$id" \
    --ignore-formatted >>"$dir/logs/storage.log" 2>&1 || die "formatting Kafka's storage failed; see $dir/logs/storage.log"
  nohup "$JAVA" -Xmx512m -Xms512m -Dlog4j2.configurationFile="file:$dir/log4j2.properties" -Dkafka.logs.dir="$dir/logs" \
    -cp "$lib/*" kafka.Kafka "$dir/server.properties" >"$dir/logs/kafka.out" 2>&1 < /dev/null &
  echo $! > "$PIDS/kafka"
  wait_for_port "$port" "$WAIT_SECONDS" "Kafka" "$dir/logs/server.log" kafka
  echo "127.0.0.1:$port" > "$dir/bootstrap-servers"
  say "Kafka (KRaft) on 127.0.0.1:$port, controller 127.0.0.1:$ctl (pid $(cat "$PIDS/kafka"))"
}

# ----------------------------------------------------------------------------------------------------------- actions

write_properties() {
  local pg=$1
  {
    echo "# Written by infra/local-cluster/local-cluster.sh up; use with: ./ledgerlake --config $PROPS <command>"
    if [ "$WITH_SPARK" = 1 ]; then echo "ledgerlake.spark.master=$(cat "$STATE/spark/master-url")"; fi
    if [ "$WITH_FLINK" = 1 ]; then echo "ledgerlake.flink.cluster-url=$(cat "$STATE/flink/rest-url")"; fi
    if [ "$WITH_KAFKA" = 1 ]; then echo "ledgerlake.ingestion.kafka.bootstrap-servers=$(cat "$STATE/kafka/bootstrap-servers")"; fi
    if [ "$pg" = 1 ]; then
      echo "ledgerlake.lakehouse.catalog.type=jdbc"
      echo "ledgerlake.lakehouse.catalog.uri=jdbc:postgresql://127.0.0.1:$(cat "$STATE/postgres/port")/$CATALOG_DB"
      echo "ledgerlake.lakehouse.catalog.jdbc.user=$CATALOG_USER"
      echo "ledgerlake.lakehouse.catalog.jdbc.password=$(cat "$STATE/catalog.pw")"
    fi
  } > "$PROPS"
  chmod 600 "$PROPS"
}

up() {
  mkdir -p "$PIDS"
  local name
  for name in postgres spark-master $(recorded_workers) flink-jobmanager kafka; do
    alive "$name" && die "$name is already running (pid $(cat "$PIDS/$name")); run '$0 down --state-dir $STATE' first"
  done
  rm -f "$PROPS"
  local pg=0
  if [ "$WITH_POSTGRES" = 1 ]; then
    if postgres_up; then pg=1; else say "continuing without PostgreSQL: the catalog stays the embedded SQLite one"; fi
  fi
  # A failed start (die exits) must not leave PostgreSQL, a Master, a JobManager or a broker behind.
  trap 'say "start failed; stopping what was started"; down' EXIT
  if [ "$WITH_SPARK" = 1 ]; then spark_up; fi
  if [ "$WITH_KAFKA" = 1 ]; then kafka_up; fi
  if [ "$WITH_FLINK" = 1 ]; then flink_up; fi
  trap - EXIT
  write_properties "$pg"
  echo "# settings ($PROPS):"
  grep -v '^#' "$PROPS"
}

down() {
  local w
  flink_down
  stop_pid kafka
  for w in $(recorded_workers); do stop_pid "$w"; done
  stop_pid spark-master
  postgres_down
  rm -f "$PROPS"
}

status() {
  local name rc=0
  # What up recorded (a Flink-only cluster has no Spark to report); the default set when nothing was recorded.
  local names=() f
  for f in postgres spark-master $(recorded_workers) kafka flink-jobmanager "$PIDS"/flink-taskmanager-*; do
    if [ -e "$PIDS/$(basename "$f")" ]; then names+=("$(basename "$f")"); fi
  done
  [ "${#names[@]}" -gt 0 ] || names=(postgres spark-master spark-worker)
  for name in "${names[@]}"; do
    if alive "$name"; then echo "$name: running (pid $(cat "$PIDS/$name"))"; else echo "$name: stopped"; rc=3; fi
  done
  [ -f "$PROPS" ] && { echo "# settings ($PROPS):"; grep -v '^#' "$PROPS"; }
  return "$rc"
}

case "$ACTION" in
  up) up ;;
  down) down ;;
  status) status ;;
  # A TaskManager more (or less) on a running session cluster: scaling, and the failure tests' "kill one".
  start-taskmanager)
    [ -f "$STATE/flink/conf/config.yaml" ] && alive flink-jobmanager || die "no Flink session cluster runs in $STATE"
    taskmanager_up "$(flink_lib)" "$TM_INDEX"
    say "started flink-taskmanager-$TM_INDEX (pid $(cat "$PIDS/flink-taskmanager-$TM_INDEX"))" ;;
  stop-taskmanager) stop_pid "flink-taskmanager-$TM_INDEX" ;;
  -h|--help|help) usage 0 ;;
  *) die "unknown action '$ACTION'; use up, down or status" ;;
esac
