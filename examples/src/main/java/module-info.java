/**
 * Programs that use Inertia as a library would: on the module path they need no JVM flag, because
 * {@code org.inertia.kernels} requires {@code jdk.incubator.vector}.
 */
module org.inertia.examples {
    requires org.inertia.nn;

    exports org.inertia.examples;
}
