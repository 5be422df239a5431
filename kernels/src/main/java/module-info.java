/**
 * Storage, shapes and views over off-heap memory, the {@link org.inertia.kernels.Backend} interface, the
 * kernel families (a validating facade and a small implementation interface each, in
 * {@code org.inertia.kernels}), and the CPU backend ({@code org.inertia.kernels.cpu}: the scalar
 * implementations, the providers that choose once, the kernel pool).
 *
 * <p>{@code jdk.incubator.vector} is optional: only {@code org.inertia.kernels.simd} links it, and its
 * classes are loaded by name when the module is present (each family's provider, through
 * {@code SimdSupport}); without it the scalar implementations run after one warning. The SIMD package is
 * exported to optim alone, whose SIMD optimizer steps share its species and lane helpers
 * ({@code FloatSpecies}).
 */
module org.inertia.kernels {
    requires static jdk.incubator.vector;
    requires jdk.management; // physical memory size, for the storage pool's default limit

    exports org.inertia.kernels;
    exports org.inertia.kernels.cpu;
    exports org.inertia.kernels.simd to org.inertia.optim;

    uses org.inertia.kernels.Backend;
}
