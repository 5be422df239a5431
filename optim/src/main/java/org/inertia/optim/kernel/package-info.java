/**
 * The optimizers' fused step kernels, one family: the validating facade {@link org.inertia.optim.kernel.OptimizerSteps},
 * the interface {@link org.inertia.optim.kernel.OptimizerStepsSupport} with the scalar implementation
 * {@link org.inertia.optim.kernel.OptimizerStepsScalar} (double accumulation; float64, and the oracle) and the SIMD
 * one in {@code simd} (float32, loaded by name), chosen once by {@link org.inertia.optim.kernel.OptimizerStepsProvider};
 * the per-step scalars {@link org.inertia.optim.kernel.StepHyper}; and one state record per method
 * ({@link org.inertia.optim.kernel.AdamState} …) whose {@code layout} decides its buffers and their state-dict keys.
 */
package org.inertia.optim.kernel;
