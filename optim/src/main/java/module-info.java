/** Inertia's optimizer algorithms, schedules and restart logic over backend step kernels (issue #3). Depends on {@code org.inertia.kernels} only. */
module org.inertia.optim {
    requires transitive org.inertia.kernels;
}
