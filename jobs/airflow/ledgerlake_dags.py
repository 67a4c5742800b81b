"""LedgerLake jobs as Airflow 3 DAGs, run with BashOperator on a worker that has the `ledgerlake` CLI.

Every task calls the CLI, so each run is recorded by LedgerLake's Job runner (ops.job_runs, lineage) exactly as
when a person or the embedded scheduler runs it. Airflow decides when:

* ``ledgerlake_reconcile_nightly``: cron, 02:00 Europe/Berlin, no catch-up (one run after downtime).
* ``ledgerlake_embed_on_publish``: data-aware, scheduled on the Asset a published version updates; embeds the new
  version and rebuilds its RAG index. The version tag comes from the triggering asset event's ``extra``.
"""

from __future__ import annotations

import os

import pendulum
from airflow.providers.standard.operators.bash import BashOperator
from airflow.sdk import DAG, Asset

DATASET = os.environ.get("LEDGERLAKE_DATASET", "demo")
LEDGERLAKE = os.environ.get("LEDGERLAKE_BIN", "ledgerlake")

# Updated by `ledgerlake publish` (as an outlet below) or by an asset event LedgerLake posts through the REST API.
PUBLISHED_VERSIONS = Asset(
    name=f"ledgerlake_{DATASET}_versions",
    uri=f"ledgerlake://datasets/{DATASET}/versions",
    group="ledgerlake",
)

DEFAULT_ARGS = {
    "owner": "ledgerlake",
    "retries": 2,
    "retry_delay": pendulum.duration(minutes=5),
    "retry_exponential_backoff": True,
    "execution_timeout": pendulum.duration(hours=2),
}

# The version tag of the asset event that triggered this run (the last one if several were queued).
VERSION_FROM_EVENT = (
    "{{ (triggering_asset_events.values() | first | last).extra['version'] }}"
)

with DAG(
    dag_id="ledgerlake_reconcile_nightly",
    schedule="0 2 * * *",
    start_date=pendulum.datetime(2026, 1, 1, tz="Europe/Berlin"),
    catchup=False,
    max_active_runs=1,
    default_args=DEFAULT_ARGS,
    tags=["ledgerlake"],
) as reconcile_nightly:
    BashOperator(
        task_id="reconcile",
        bash_command=f"{LEDGERLAKE} reconcile",
    )

with DAG(
    dag_id="ledgerlake_maintenance_nightly",
    schedule="30 3 * * *",
    start_date=pendulum.datetime(2026, 1, 1, tz="Europe/Berlin"),
    catchup=False,
    max_active_runs=1,
    default_args=DEFAULT_ARGS,
    tags=["ledgerlake"],
) as maintenance_nightly:
    BashOperator(
        task_id="maintain",
        bash_command=f"{LEDGERLAKE} maintain --tables label.labels,chain.events,ops.job_runs --expire-older-than 7d",
    )

with DAG(
    dag_id="ledgerlake_publish",
    schedule=None,
    start_date=pendulum.datetime(2026, 1, 1, tz="UTC"),
    catchup=False,
    default_args=DEFAULT_ARGS,
    params={"dataset": DATASET},
    tags=["ledgerlake"],
) as publish:
    BashOperator(
        task_id="publish",
        bash_command=f"{LEDGERLAKE} publish --dataset {{{{ params.dataset }}}}",
        outlets=[PUBLISHED_VERSIONS],
    )

with DAG(
    dag_id="ledgerlake_embed_on_publish",
    schedule=[PUBLISHED_VERSIONS],
    start_date=pendulum.datetime(2026, 1, 1, tz="UTC"),
    catchup=False,
    max_active_runs=1,
    default_args=DEFAULT_ARGS,
    tags=["ledgerlake"],
) as embed_on_publish:
    embed = BashOperator(
        task_id="embed",
        bash_command=f"{LEDGERLAKE} embed --dataset {DATASET} --version {VERSION_FROM_EVENT}",
    )
    rag_build = BashOperator(
        task_id="rag_build",
        bash_command=f"{LEDGERLAKE} rag build --dataset {DATASET} --version {VERSION_FROM_EVENT}",
    )
    embed >> rag_build
