/**
 * Momentum as composable parts, in the spirit of optax: a {@link org.inertia.optim.momentum.Trace} (the momentum
 * transform), an {@link org.inertia.optim.momentum.UpdateRule} (where lr sits), a
 * {@link org.inertia.optim.momentum.MomentumSchedule} and a {@link org.inertia.optim.momentum.RestartPolicy}
 * (adaptive on the function value at the iterate or at the gradient-step point, or scheduled with SRSGD's F
 * schedules and the lectures' or the reference code's indexing), composed by
 * {@link org.inertia.optim.momentum.Momentum}. The momentum optimizers of {@code org.inertia.optim} are presets
 * over these parts that run fused kernels.
 */
package org.inertia.optim.momentum;
