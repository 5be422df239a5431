package org.inertia.optim.kernel;

/**
 * The per-parameter state buffers of one optimizer method, as a record with one component per buffer
 * (a buffer the hyperparameters do not use is null). Which buffers exist, and their state-dict keys, is
 * decided by the record's {@code layout} method: one place per method. The buffers are contiguous
 * arrays of the parameter's shape and dtype, pairwise disjoint ({@link OptimizerSteps} checks). The fused
 * methods' records are in this package; the composable momentum path has its own
 * ({@code org.inertia.optim.momentum.MomentumState}).
 */
public interface StepState {
}
