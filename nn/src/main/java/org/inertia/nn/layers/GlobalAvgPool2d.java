package org.inertia.nn.layers;

import org.inertia.nn.autograd.Tensor;
import org.inertia.nn.ops.Pool2dOp;

/** Mean over H and W: [N, C, H, W] → [N, C]. */
public final class GlobalAvgPool2d extends Layer {
    @Override
    public Tensor forward(Tensor x) {
        return Pool2dOp.globalAvgPool(x);
    }
}
