package io.ledgerlake.jobs.airflow;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The DAG files in jobs/airflow/, read with python3's {@code ast} (Airflow cannot be installed here): they parse,
 * import Airflow 3's SDK and providers, and declare the DAGs, schedules, tasks and commands LedgerLake expects.
 * Skipped, with a message, when python3 is absent.
 */
class AirflowDagsTest {
  private static final Path DAGS = Path.of("airflow");

  @TempDir Path tmp;

  JsonNode describe(Path... files) throws Exception {
    Path script = tmp.resolve("check_dags.py");
    try (var in = AirflowDagsTest.class.getResourceAsStream("/airflow/check_dags.py")) {
      Files.copy(in, script);
    }
    List<String> cmd = new ArrayList<>(List.of("python3", script.toString()));
    for (Path f : files) {
      cmd.add(f.toString());
    }
    Process p;
    try {
      p = new ProcessBuilder(cmd).redirectErrorStream(false).start();
    } catch (IOException e) {
      Assumptions.abort("python3 is not installed: the DAG files were not parse-checked (" + e.getMessage() + ")");
      return null;
    }
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(err).isZero();
    return new ObjectMapper().readTree(out);
  }

  @Test
  void theDagsParseAndDeclareTheJobs() throws Exception {
    JsonNode files = describe(DAGS.resolve("ledgerlake_dags.py"), DAGS.resolve("ledgerlake_k8s_dags.py"));
    JsonNode bash = files.get(0);
    assertThat(bash.has("error")).as(bash.path("error").asText()).isFalse();
    assertThat(bash.path("imports").toString()).contains("airflow.sdk.DAG", "airflow.sdk.Asset",
        "airflow.providers.standard.operators.bash.BashOperator");
    JsonNode nightly = dag(bash, "ledgerlake_reconcile_nightly");
    assertThat(nightly.path("schedule").asText()).isEqualTo("0 2 * * *");
    assertThat(nightly.path("catchup").asBoolean(true)).isFalse();
    assertThat(nightly.path("tasks").get(0).path("command").asText()).contains("reconcile");
    JsonNode maintenance = dag(bash, "ledgerlake_maintenance_nightly");
    assertThat(maintenance.path("schedule").asText()).isEqualTo("30 3 * * *");
    assertThat(maintenance.path("tasks").get(0).path("command").asText()).contains("maintain --tables label.labels");
    JsonNode publish = dag(bash, "ledgerlake_publish");
    assertThat(publish.path("tasks").get(0).path("outlets").asText()).isEqualTo("[PUBLISHED_VERSIONS]");
    JsonNode onPublish = dag(bash, "ledgerlake_embed_on_publish");
    assertThat(onPublish.path("schedule").path("assets").get(0).asText()).isEqualTo("PUBLISHED_VERSIONS");
    assertThat(onPublish.path("tasks")).extracting(t -> t.path("task_id").asText())
        .containsExactly("embed", "rag_build");
    assertThat(onPublish.path("tasks").get(0).path("command").asText()).contains("embed --dataset",
        "--version {VERSION_FROM_EVENT}");
    // The version comes from the asset event that triggered the run.
    assertThat(bash.path("constants").path("VERSION_FROM_EVENT").asText()).contains("triggering_asset_events",
        ".extra['version']");
    assertThat(onPublish.path("tasks").get(1).path("command").asText()).contains("rag build --dataset");

    JsonNode k8s = files.get(1);
    assertThat(k8s.has("error")).as(k8s.path("error").asText()).isFalse();
    assertThat(k8s.path("imports").toString())
        .contains("airflow.providers.cncf.kubernetes.operators.pod.KubernetesPodOperator");
    JsonNode pods = dag(k8s, "ledgerlake_embed_on_publish_k8s");
    assertThat(pods.path("schedule").path("assets").get(0).asText()).isEqualTo("PUBLISHED_VERSIONS");
    assertThat(pods.path("tasks")).allSatisfy(t ->
        assertThat(t.path("operator").asText()).isEqualTo("KubernetesPodOperator"));
    assertThat(pods.path("tasks")).extracting(t -> t.path("task_id").asText()).containsExactly("embed", "rag_build");
  }

  @Test
  void aBrokenDagFileIsReportedWithItsLine() throws Exception {
    Path broken = tmp.resolve("broken.py");
    Files.writeString(broken, "from airflow.sdk import DAG\n\nwith DAG(dag_id='x' as d:\n    pass\n");
    JsonNode out = describe(broken);
    assertThat(out.get(0).path("error").asText()).startsWith(broken + ":3: ");
  }

  private static JsonNode dag(JsonNode file, String id) {
    for (JsonNode d : file.path("dags")) {
      if (d.path("dag_id").asText().equals(id)) {
        return d;
      }
    }
    throw new AssertionError("no DAG " + id + " in " + file.path("file").asText() + ": " + file);
  }
}
