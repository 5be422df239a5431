/**
 * Storage, shapes and views over off-heap memory, the {@link org.inertia.kernels.Backend} interface,
 * and the CPU backend: SIMD kernels beside their scalar references.
 *
 * <p>Only {@code org.inertia.kernels.simd} imports {@code jdk.incubator.vector}. It is exported to optim alone,
 * whose SIMD optimizer steps share its species and lane helpers ({@code FloatSpecies}).
 */
module org.inertia.kernels {
    requires jdk.incubator.vector;
    requires jdk.management; // physical memory size, for the storage pool's default limit

    exports org.inertia.kernels;
    exports org.inertia.kernels.cpu;
    exports org.inertia.kernels.reference;
    exports org.inertia.kernels.simd to org.inertia.optim;
}
