/**
 * Inertia's optimizers: parameter groups, state export/import, schedules and restart logic over the
 * backend's fused step kernels (issue #3). Depends on {@code org.inertia.kernels} only, never on nn.
 */
module org.inertia.optim {
    requires transitive org.inertia.kernels;

    exports org.inertia.optim;
}
