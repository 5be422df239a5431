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

    /**
     * A square-kernel convolution layer, weights [out, in, kernel, kernel] initialised as PyTorch's default.
     *
     * @param in input channels; >= 1
     * @param out output channels; >= 1
     * @param kernel the square kernel's side; >= 1
     * @param stride step of the window; >= 1
     * @param padding zeros added on each side; >= 0
     * @param dilation spacing between kernel taps; >= 1
     * @param bias whether the layer adds a bias
     * @param dtype the parameters' dtype, F32 or F64
     * @param rng source of the initial weights (PyTorch's default init)
     * @throws IllegalArgumentException if a size is out of range or {@code dtype} is not F32 or F64
     */
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

    /**
     * Stride 1, dilation 1.
     *
     * @param in input channels; >= 1
     * @param out output channels; >= 1
     * @param kernel the square kernel's side; >= 1
     * @param padding zeros added on each side; >= 0
     * @param bias whether the layer adds a bias
     * @param dtype the parameters' dtype, F32 or F64
     * @param rng source of the initial weights
     */
    public Conv2d(int in, int out, int kernel, int padding, boolean bias, Dtype dtype, RandomGenerator rng) {
        this(in, out, kernel, 1, padding, 1, bias, dtype, rng);
    }

    /**
     * The filters.
     *
     * @return the weight parameter [out, in, kernel, kernel], owned by the layer
     */
    public Tensor weight() {
        return weight;
    }

    /**
     * The bias, or null.
     *
     * @return the bias parameter [out] owned by the layer, or {@code null}
     */
    public Tensor bias() {
        return bias;
    }

    /**
     * The convolution window.
     *
     * @return kernel size, stride, padding and dilation
     */
    public Conv2dGeometry geometry() {
        return geometry;
    }

    @Override
    public Tensor forward(Tensor x) {
        return Conv2dOp.apply(x, weight, bias, geometry);
    }
}
