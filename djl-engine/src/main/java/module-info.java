/**
 * A Deep Java Library engine named {@code "Inertia"}: DJL's {@code NDManager}, {@code NDArray},
 * {@code NDArrayEx}, {@code GradientCollector} and {@code Model} over Inertia's off-heap arrays, kernels,
 * autograd and fused optimizer steps. Select it with {@code Engine.getEngine("Inertia")} or
 * {@code DJL_DEFAULT_ENGINE=Inertia}.
 */
module org.inertia.djl {
    requires transitive ai.djl.api;
    requires org.inertia.nn;

    exports org.inertia.djl;

    provides ai.djl.engine.EngineProvider with org.inertia.djl.InertiaEngineProvider;
}
