"""The embed-on-publish chain with KubernetesPodOperator: each task is a pod from the LedgerLake image.

The image is the one built from cli/target for infra/flink (ledgerlake-cli.jar + lib/); the pod runs the same CLI
with the configuration mounted from the ``ledgerlake-config`` ConfigMap and catalog credentials from the
``ledgerlake-catalog`` Secret (environment variables LEDGERLAKE_*), so runs land in the shared catalog.
"""

from __future__ import annotations

import os

import pendulum
from airflow.providers.cncf.kubernetes.operators.pod import KubernetesPodOperator
from airflow.providers.cncf.kubernetes.secret import Secret
from airflow.sdk import DAG, Asset
from kubernetes.client import models as k8s

DATASET = os.environ.get("LEDGERLAKE_DATASET", "demo")
IMAGE = os.environ.get("LEDGERLAKE_IMAGE", "registry.example.internal/ledgerlake/jobs:0.1.0")
NAMESPACE = os.environ.get("LEDGERLAKE_NAMESPACE", "ledgerlake")

PUBLISHED_VERSIONS = Asset(
    name=f"ledgerlake_{DATASET}_versions",
    uri=f"ledgerlake://datasets/{DATASET}/versions",
    group="ledgerlake",
)

VERSION_FROM_EVENT = (
    "{{ (triggering_asset_events.values() | first | last).extra['version'] }}"
)

CONFIG_VOLUME = k8s.V1Volume(
    name="config",
    config_map=k8s.V1ConfigMapVolumeSource(name="ledgerlake-config"),
)
CONFIG_MOUNT = k8s.V1VolumeMount(name="config", mount_path="/etc/ledgerlake", read_only=True)
CATALOG_PASSWORD = Secret(
    deploy_type="env",
    deploy_target="LEDGERLAKE_LAKEHOUSE_CATALOG_JDBC_PASSWORD",
    secret="ledgerlake-catalog",
    key="password",
)


def ledgerlake_pod(task_id: str, *args: str) -> KubernetesPodOperator:
    """A pod running `java -jar ledgerlake-cli.jar <args>` with LedgerLake's configuration."""
    return KubernetesPodOperator(
        task_id=task_id,
        name=f"ledgerlake-{task_id.replace('_', '-')}",
        namespace=NAMESPACE,
        image=IMAGE,
        cmds=["java", "-jar", "/opt/ledgerlake/ledgerlake-cli.jar"],
        arguments=["--config", "/etc/ledgerlake/ledgerlake.properties", *args],
        volumes=[CONFIG_VOLUME],
        volume_mounts=[CONFIG_MOUNT],
        secrets=[CATALOG_PASSWORD],
        container_resources=k8s.V1ResourceRequirements(
            requests={"cpu": "1", "memory": "4Gi"},
            limits={"memory": "8Gi"},
        ),
        get_logs=True,
        on_finish_action="delete_succeeded_pod",
    )


with DAG(
    dag_id="ledgerlake_embed_on_publish_k8s",
    schedule=[PUBLISHED_VERSIONS],
    start_date=pendulum.datetime(2026, 1, 1, tz="UTC"),
    catchup=False,
    max_active_runs=1,
    default_args={
        "owner": "ledgerlake",
        "retries": 2,
        "retry_delay": pendulum.duration(minutes=5),
        "retry_exponential_backoff": True,
        "execution_timeout": pendulum.duration(hours=2),
    },
    tags=["ledgerlake", "kubernetes"],
) as embed_on_publish_k8s:
    embed = ledgerlake_pod("embed", "embed", "--dataset", DATASET, "--version", VERSION_FROM_EVENT)
    rag_build = ledgerlake_pod("rag_build", "rag", "build", "--dataset", DATASET, "--version", VERSION_FROM_EVENT)
    embed >> rag_build
