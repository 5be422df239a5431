/** Inertia's reverse-mode autograd, layers, recurrent cells, data loading and checkpoints (issue #4). Depends on {@code org.inertia.kernels} only. */
module org.inertia.nn {
    requires transitive org.inertia.kernels;
}
