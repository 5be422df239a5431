package org.inertia.nn.layers;

import org.inertia.nn.autograd.Tensor;

/** max(x, 0) elementwise. */
public final class ReLU extends Layer {
    /** Creates the layer; it has no parameters. */
    public ReLU() {
    }

    @Override
    public Tensor forward(Tensor x) {
        return x.relu();
    }
}
