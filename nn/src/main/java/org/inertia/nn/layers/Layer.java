package org.inertia.nn.layers;

import org.inertia.nn.Module;
import org.inertia.nn.autograd.Tensor;

/** A module with one input and one output, the unit {@link Sequential} chains. */
public abstract class Layer extends Module {
    /** Applies the layer (in training or evaluation mode, as set by {@link #train()} / {@link #eval()}). */
    public abstract Tensor forward(Tensor x);
}
