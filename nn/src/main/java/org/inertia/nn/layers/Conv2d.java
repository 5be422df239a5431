package org.inertia.nn.layers;

import java.util.random.RandomGenerator;
import org.inertia.kernels.Checks;
import org.inertia.kernels.Conv2dGeometry;
import org.inertia.kernels.Dtype;
import org.inertia.kernels.NdArray;
import org.inertia.nn.autograd.Tensor;
import org.inertia.nn.ops.Conv2dOp;

/**
 * 2-D convolution with a square kernel, weight [Cout, Cin, k, k], PyTorch's default initialization
 * ({@link Init#defaultWeight}; re-initialize through {@link #weight()} for another scheme).
 */
public final class Conv2d extends Layer {
    private final Tensor weight;
    private final Tensor bias;
    private final Conv2dGeometry geometry;

    public Conv2d(int in, int out, int kernel, int stride, int padding, int dilation, boolean bias, Dtype dtype,
            RandomGenerator rng) {
        Checks.atLeast("Conv2d", "in", in, 1);
        Checks.atLeast("Conv2d", "out", out, 1);
        Checks.parameterDtype("Conv2d", dtype);
        Checks.present("Conv2d", "rng", rng);
        this.geometry = Conv2dGeometry.square(kernel, stride, padding, dilation);
        NdArray w = NdArray.zeros(dtype, out, in, kernel, kernel);
        Init.defaultWeight(w, rng);
        this.weight = parameter("weight", Tensor.parameter(w));
        if (bias) {
            NdArray b = NdArray.zeros(dtype, out);
            Init.defaultBias(b, Init.fanIn(w), rng);
            this.bias = parameter("bias", Tensor.parameter(b));
        } else {
            this.bias = null;
        }
    }

    /** Stride 1, dilation 1. */
    public Conv2d(int in, int out, int kernel, int padding, boolean bias, Dtype dtype, RandomGenerator rng) {
        this(in, out, kernel, 1, padding, 1, bias, dtype, rng);
    }

    public Tensor weight() {
        return weight;
    }

    /** The bias, or null. */
    public Tensor bias() {
        return bias;
    }

    public Conv2dGeometry geometry() {
        return geometry;
    }

    @Override
    public Tensor forward(Tensor x) {
        return Conv2dOp.apply(x, weight, bias, geometry);
    }
}
