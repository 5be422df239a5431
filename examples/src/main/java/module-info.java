/**
 * Programs that use Inertia as a library would. {@code org.inertia.kernels} requires
 * {@code jdk.incubator.vector} only {@code static} (its SIMD kernels are optional and loaded by name), so a
 * program that wants them says so: with the {@code requires} below, the examples run on the module path
 * without a JVM flag.
 */
module org.inertia.examples {
    requires org.inertia.nn;
    requires jdk.incubator.vector;

    exports org.inertia.examples;
}
