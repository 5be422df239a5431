/**
 * Inertia's reverse-mode autograd engine ({@code org.inertia.nn.autograd}: {@link org.inertia.nn.autograd.Tensor},
 * the graph nodes, grad mode, scopes and the anomaly and leak detectors), its ops with backward
 * ({@code org.inertia.nn.ops}), the {@link org.inertia.nn.Module} base with layers, recurrent cells and models,
 * data loading and checkpoints. Depends on {@code org.inertia.kernels} and,
 * for checkpoints that hold an optimizer's state, on {@code org.inertia.optim} (which never depends on nn).
 */
module org.inertia.nn {
    requires transitive org.inertia.kernels;
    requires transitive org.inertia.optim;

    exports org.inertia.nn;
    exports org.inertia.nn.autograd;
    exports org.inertia.nn.ops;
    exports org.inertia.nn.layers;
    exports org.inertia.nn.models;
    exports org.inertia.nn.data;
    exports org.inertia.nn.io;
    exports org.inertia.nn.rnn;
}
