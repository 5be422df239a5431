package org.inertia.nn.layers;

import org.inertia.nn.autograd.Tensor;

/** tanh(x) elementwise. */
public final class Tanh extends Layer {
    /** Creates the layer; it has no parameters. */
    public Tanh() {
    }

    @Override
    public Tensor forward(Tensor x) {
        return x.tanh();
    }
}
