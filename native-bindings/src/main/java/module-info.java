/**
 * Inertia's thin FFM bindings to the CUDA runtime, cuBLAS, NVRTC and the driver API (issue #5).
 * Depends on {@code org.inertia.kernels} only. Nothing here touches a CUDA library before it is called,
 * so the module loads on a machine without CUDA; {@link org.inertia.cuda.Cuda#probe()} says whether a
 * device can be used, and why not.
 */
module org.inertia.nativebindings {
    requires transitive org.inertia.kernels;

    exports org.inertia.cuda;
    opens org.inertia.cuda.kernels; // the CUDA C sources, read as resources
}
