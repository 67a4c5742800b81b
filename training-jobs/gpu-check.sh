#!/usr/bin/env bash
# GPU check: runs the training benchmark (io.ledgerlake.training.TrainingBenchmark) twice on this machine, without and
# with the RAPIDS Accelerator, and prints both times and the operators that did not run on the GPU.
#
#   training-jobs/gpu-check.sh [RECORDS]        (default 200000; run from the repository root)
#
# Needs an NVIDIA GPU with its driver (nvidia-smi) and network access to Maven Central for the RAPIDS jar (about
# 1 GB, fetched once into ledgerlake-data/lib). Without a GPU it stops with exit 2 before building anything.
set -euo pipefail
cd "$(dirname "$0")/.."
RECORDS="${1:-200000}"
RAPIDS_VERSION=26.08.1
LIB=ledgerlake-data/lib
JAR="$LIB/rapids-4-spark_2.13-$RAPIDS_VERSION.jar"
OUT="${TMPDIR:-/tmp}/ledgerlake-gpu-check"

if ! command -v nvidia-smi >/dev/null || ! nvidia-smi -L | grep -q "GPU "; then
  echo "gpu-check: no GPU visible (nvidia-smi -L lists none); run this on a machine with an NVIDIA GPU" >&2
  exit 2
fi
if [[ ! -f "$JAR" ]]; then
  echo "gpu-check: fetching the RAPIDS Accelerator $RAPIDS_VERSION into $LIB"
  ./mvnw -B -q dependency:copy -Dartifact="com.nvidia:rapids-4-spark_2.13:$RAPIDS_VERSION" -DoutputDirectory="$LIB"
fi
echo "gpu-check: building the benchmark classpath"
./mvnw -B -q -pl training-jobs -am package -DskipTests dependency:build-classpath \
  -Dmdep.outputFile=target/cp.txt -Dmdep.includeScope=test
CP="training-jobs/target/test-classes:training-jobs/target/classes:$(cat training-jobs/target/cp.txt)"
# The JVM flags the launcher uses (Spark on Java 17 needs these opens): the OPENS list of ./ledgerlake.
OPENS=$(sed -n '/^OPENS=(/,/^)/p' ledgerlake | grep -oE -- '-(-add-opens=|D)[^ ]+' | tr '\n' ' ')

rm -rf "$OUT" && mkdir -p "$OUT"
for gpu in false true; do
  echo "gpu-check: $RECORDS records, ledgerlake.spark.gpu=$gpu"
  # shellcheck disable=SC2086
  java -Xmx8g $OPENS -Dledgerlake.spark.gpu=$gpu -Dbench.baseline=false -cp "$CP:$PWD/$JAR" \
    io.ledgerlake.training.TrainingBenchmark "$OUT/gpu-$gpu" "$RECORDS" >"$OUT/gpu-$gpu.log" 2>&1 \
    || { echo "gpu-check: the run with gpu=$gpu failed; see $OUT/gpu-$gpu.log" >&2; exit 1; }
  grep -E '^[0-9]+ \|' "$OUT/gpu-$gpu.log" | tail -1 | awk -F'|' -v g="$gpu" '{printf "  gpu=%s: job %s s, accuracy %s\n", g, $2, $3}'
done
echo "gpu-check: operators that did not run on the GPU (RAPIDS explain NOT_ON_GPU):"
grep -hoE "!(Exec|Expression|Partitioning|Output) <[^>]+>[^;]*" "$OUT/gpu-true.log" | sort | uniq -c | sort -rn || echo "  none"
