/** Inertia's thin FFM bindings to the CUDA runtime, cuBLAS and NVRTC, and the CUDA backend (issue #5). Depends on {@code org.inertia.kernels} only. */
module org.inertia.nativebindings {
    requires transitive org.inertia.kernels;
}
