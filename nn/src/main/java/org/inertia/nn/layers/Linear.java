package org.inertia.nn.layers;

import java.util.random.RandomGenerator;
import org.inertia.kernels.Checks;
import org.inertia.kernels.Dtype;
import org.inertia.kernels.NdArray;
import org.inertia.nn.DefaultGenerator;
import org.inertia.nn.autograd.Tensor;
import org.inertia.nn.ops.LinearOp;

/**
 * y = x·Wᵀ + b, W [out, in], with PyTorch's default initialization ({@link Init#defaultWeight}).
 * {@code new Linear(784, 128)} is what {@code torch.nn.Linear(784, 128)} is: float32, with a bias, its
 * weights drawn from a generator split off {@link DefaultGenerator} (reproducible from run to run).
 */
public final class Linear extends Layer {
    private final Tensor weight;
    private final Tensor bias;

    /**
     * A float32 layer with a bias, initialized from {@link DefaultGenerator#next()}.
     *
     * @param in input features; >= 1
     * @param out output features; >= 1
     */
    public Linear(int in, int out) {
        this(in, out, true, Dtype.F32, DefaultGenerator.next());
    }

    /**
     * A float32 layer with a bias, initialized from {@code rng}.
     *
     * @param in input features; >= 1
     * @param out output features; >= 1
     * @param rng source of the initial weights
     */
    public Linear(int in, int out, RandomGenerator rng) {
        this(in, out, true, Dtype.F32, rng);
    }

    /**
     * A layer of {@code dtype}, with or without a bias, initialized from {@code rng}.
     *
     * @param in input features; >= 1
     * @param out output features; >= 1
     * @param bias whether the layer adds a bias
     * @param dtype the parameters' dtype, F32 or F64
     * @param rng source of the initial weights (PyTorch's default init)
     * @throws IllegalArgumentException if {@code in} or {@code out} is below 1, or {@code dtype} is not F32 or F64
     * @throws NullPointerException if {@code dtype} or {@code rng} is null
     */
    public Linear(int in, int out, boolean bias, Dtype dtype, RandomGenerator rng) {
        Checks.atLeast("Linear", "in", in, 1);
        Checks.atLeast("Linear", "out", out, 1);
        Checks.parameterDtype("Linear", dtype);
        Checks.present("Linear", "rng", rng);
        NdArray w = NdArray.zeros(dtype, out, in);
        Init.defaultWeight(w, rng);
        this.weight = parameter("weight", Tensor.parameter(w));
        if (bias) {
            NdArray b = NdArray.zeros(dtype, out);
            Init.defaultBias(b, in, rng);
            this.bias = parameter("bias", Tensor.parameter(b));
        } else {
            this.bias = null;
        }
    }

    /**
     * The weight W; the layer computes x·Wᵀ + b.
     *
     * @return the weight parameter [out, in], owned by the layer
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

    @Override
    public Tensor forward(Tensor x) {
        return LinearOp.apply(x, weight, bias);
    }

    /** relu(forward(x)) as one fused op ({@link LinearOp#applyRelu}): what {@link Sequential} runs for Linear, ReLU. */
    Tensor forwardRelu(Tensor x) {
        return LinearOp.applyRelu(x, weight, bias);
    }
}
