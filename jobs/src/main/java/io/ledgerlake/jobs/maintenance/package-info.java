/**
 * The platform's own batch steps as jobs of the Job contract, so that the CLI, the scheduler and orchestrators run
 * them like every other job (one ops.job_runs row, OpenLineage events, pinned inputs): labeling new records
 * ({@link io.ledgerlake.jobs.maintenance.LabelRunJob}), consensus over annotations
 * ({@link io.ledgerlake.jobs.maintenance.LabelConsensusJob}), rebuilding lineage.closure
 * ({@link io.ledgerlake.jobs.maintenance.LineageRefreshJob}) and one catch-up of the chain indexer
 * ({@link io.ledgerlake.jobs.maintenance.ChainIndexJob}). Each adapts the module that does the work; the work itself
 * stays where it was.
 */
package io.ledgerlake.jobs.maintenance;
