package org.inertia.djl;

import ai.djl.ndarray.NDArray;
import ai.djl.training.GradientCollector;
import org.inertia.kernels.NdArray;

/**
 * DJL's {@link GradientCollector} over Inertia's autograd: while it is open, operations on arrays that require a
 * gradient (and on their results) are recorded on Inertia's graph; {@link #backward} runs Inertia's backward pass,
 * which accumulates (+=) into each leaf's gradient ({@code NDArray.getGradient()}). One collector may be open at a
 * time, as with DJL's PyTorch engine.
 */
public final class InertiaGradientCollector implements GradientCollector {
    private boolean closed;

    InertiaGradientCollector() {
        if (!Grad.begin()) {
            throw new IllegalStateException("A GradientCollector of the " + InertiaEngine.ENGINE_NAME
                    + " engine is already collecting; only one can be open at a time");
        }
        Grad.zeroLeaves(); // a new collection starts from zero gradients (DJL's contract, as MXNet's engine)
    }

    @Override
    public void backward(NDArray target) {
        InertiaNDArray t = InertiaNDArray.cast("backward", "target", target);
        if (t.tensor == null || !t.tensor.requiresGrad()) {
            throw new IllegalStateException("backward: the target " + t.getShape() + " was not computed, while this "
                    + "collector was open, from an array that requires a gradient (call setRequiresGradient(true) "
                    + "on the inputs first)");
        }
        Grad.settleLeaves(); // an update since this collector opened may have left a gradient to be zeroed
        try (NdArray seed = NdArray.zeros(t.tensor.dtype(), t.tensor.shape())) {
            InertiaNDArray.be().elementwise().fill(seed, 1);
            t.tensor.backward(seed, false);
        }
    }

    @Override
    public void zeroGradients() {
        Grad.zeroLeaves();
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            Grad.end();
        }
    }
}
