package org.inertia.nn.layers;

import org.inertia.nn.Module;
import org.inertia.nn.autograd.Tensor;

/** A module with one input and one output, the unit {@link Sequential} chains. */
public abstract class Layer extends Module {
    /** Creates a layer with nothing registered. */
    public Layer() {
    }

    /**
     * Applies the layer (in training or evaluation mode, as set by {@link #train()} / {@link #eval()}).
     *
     * @param x the input; not closed or taken over
     * @return the output: a new tensor owned like any op result (or {@code x} itself for an identity)
     */
    public abstract Tensor forward(Tensor x);
}
