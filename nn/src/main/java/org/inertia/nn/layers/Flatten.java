package org.inertia.nn.layers;

import org.inertia.nn.autograd.Tensor;
import org.inertia.nn.ops.Shapes;

/** Flattens every dimension after the batch: [N, …] → [N, Π…]. */
public final class Flatten extends Layer {
    /** Creates the layer; it has no parameters. */
    public Flatten() {
    }

    @Override
    public Tensor forward(Tensor x) {
        return Shapes.flatten(x, 1);
    }
}
