package org.inertia.nn.layers;

import org.inertia.nn.autograd.Tensor;

/** tanh(x) elementwise. */
public final class Tanh extends Layer {
    @Override
    public Tensor forward(Tensor x) {
        return x.tanh();
    }
}
