/**
 * Inertia's reverse-mode autograd ({@link org.inertia.nn.Tensor}), its ops with backward, and (as they
 * land) layers, recurrent cells, data loading and checkpoints. Depends on {@code org.inertia.kernels} and,
 * for checkpoints that hold an optimizer's state, on {@code org.inertia.optim} (which never depends on nn).
 */
module org.inertia.nn {
    requires transitive org.inertia.kernels;
    requires transitive org.inertia.optim;

    exports org.inertia.nn;
    exports org.inertia.nn.ops;
    exports org.inertia.nn.layers;
    exports org.inertia.nn.models;
    exports org.inertia.nn.data;
    exports org.inertia.nn.io;
    exports org.inertia.nn.rnn;
}
