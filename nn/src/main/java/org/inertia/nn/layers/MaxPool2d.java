package org.inertia.nn.layers;

import org.inertia.kernels.Checks;
import org.inertia.kernels.Conv2dGeometry;
import org.inertia.nn.autograd.Tensor;
import org.inertia.nn.ops.Pool2dOp;

/** Max pooling with a square window. */
public final class MaxPool2d extends Layer {
    private final Conv2dGeometry geometry;

    /**
     * Max pooling with the given window.
     *
     * @param kernel the square window's side; >= 1
     * @param stride step of the window; >= 1
     * @param padding zeros added on each side; at most kernel / 2
     * @throws IllegalArgumentException if an argument is out of range
     */
    public MaxPool2d(int kernel, int stride, int padding) {
        this.geometry = Conv2dGeometry.square(kernel, stride, padding, 1);
        Checks.atMostHalf("MaxPool2d", "padding", padding, "kernel", kernel);
    }

    /**
     * Stride = kernel, no padding (PyTorch's default).
     *
     * @param kernel the square window's side and the stride; >= 1
     */
    public MaxPool2d(int kernel) {
        this(kernel, kernel, 0);
    }

    @Override
    public Tensor forward(Tensor x) {
        return Pool2dOp.maxPool(x, geometry);
    }
}
