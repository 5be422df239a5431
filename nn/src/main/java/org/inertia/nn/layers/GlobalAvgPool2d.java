package org.inertia.nn.layers;

import org.inertia.nn.autograd.Tensor;
import org.inertia.nn.ops.Pool2dOp;

/** Mean over H and W: [N, C, H, W] → [N, C]. */
public final class GlobalAvgPool2d extends Layer {
    /** Creates the layer; it has no parameters. */
    public GlobalAvgPool2d() {
    }

    @Override
    public Tensor forward(Tensor x) {
        return Pool2dOp.globalAvgPool(x);
    }
}
