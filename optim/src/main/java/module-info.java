/**
 * Inertia's optimizers: parameter groups, state export/import, schedules and restart logic, and their
 * fused step kernels ({@code org.inertia.optim.kernel}: a validating facade over a scalar and a SIMD
 * implementation). Depends on {@code org.inertia.kernels} only, never on nn.
 *
 * <p>{@code jdk.incubator.vector} is optional: only {@code org.inertia.optim.kernel.simd} links it, and that
 * package is loaded by name when the module is present ({@code OptimizerStepsProvider}); without it the
 * scalar steps run after kernels' one warning.
 */
module org.inertia.optim {
    requires transitive org.inertia.kernels;
    requires static jdk.incubator.vector;

    exports org.inertia.optim;
    exports org.inertia.optim.kernel;
    exports org.inertia.optim.momentum;
}
