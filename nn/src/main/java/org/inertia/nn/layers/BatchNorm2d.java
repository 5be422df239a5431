package org.inertia.nn.layers;

import org.inertia.kernels.Checks;
import org.inertia.kernels.Dtype;
import org.inertia.kernels.NdArray;
import org.inertia.nn.autograd.Tensor;
import org.inertia.nn.ops.BatchNormOp;

/**
 * Batch normalization over [N, C, H, W] ({@link BatchNormOp}): γ = 1, β = 0 initially; running mean 0 and
 * running variance 1 are buffers (not parameters; registered as {@code running_mean} and {@code running_var},
 * PyTorch's names), updated in training mode and used in evaluation mode, freed on {@link #close()}.
 */
public final class BatchNorm2d extends Layer {
    private final Tensor gamma;
    private final Tensor beta;
    private final NdArray runningMean;
    private final NdArray runningVar;
    private final double momentum;
    private final double eps;

    /**
     * Batch norm over C channels: γ = 1, β = 0, running mean 0 and running variance 1 to start.
     *
     * @param channels number of channels C; >= 1
     * @param momentum weight of each batch's statistics in the running ones, in [0, 1]
     * @param eps ε added to the variance; finite, > 0
     * @param dtype the parameters' and buffers' dtype, F32 or F64
     * @throws IllegalArgumentException if an argument is out of range
     */
    public BatchNorm2d(int channels, double momentum, double eps, Dtype dtype) {
        Checks.atLeast("BatchNorm2d", "channels", channels, 1);
        Checks.parameterDtype("BatchNorm2d", dtype);
        if (!(momentum >= 0 && momentum <= 1)) {
            throw new IllegalArgumentException("BatchNorm2d: momentum must be in [0, 1], got " + momentum);
        }
        if (!(eps > 0) || Double.isInfinite(eps)) {
            throw new IllegalArgumentException("BatchNorm2d: eps must be finite and > 0, got " + eps);
        }
        this.gamma = parameter("weight", Tensor.parameter(NdArray.full(dtype, 1, channels)));
        this.beta = parameter("bias", Tensor.parameter(NdArray.zeros(dtype, channels)));
        this.runningMean = buffer("running_mean", NdArray.zeros(dtype, channels));
        this.runningVar = buffer("running_var", NdArray.full(dtype, 1, channels));
        this.momentum = momentum;
        this.eps = eps;
    }

    /**
     * PyTorch's defaults: momentum 0.1, ε 1e-5.
     *
     * @param channels number of channels C; >= 1
     * @param dtype the parameters' and buffers' dtype, F32 or F64
     */
    public BatchNorm2d(int channels, Dtype dtype) {
        this(channels, BatchNormOp.MOMENTUM, BatchNormOp.EPS, dtype);
    }

    /**
     * The scale γ.
     *
     * @return the parameter [C] (named {@code weight}), owned by the layer
     */
    public Tensor gamma() {
        return gamma;
    }

    /**
     * The shift β.
     *
     * @return the parameter [C] (named {@code bias}), owned by the layer
     */
    public Tensor beta() {
        return beta;
    }

    /**
     * The running mean buffer [C] (live view; owned by this layer).
     *
     * @return the buffer, named {@code running_mean}
     */
    public NdArray runningMean() {
        return runningMean;
    }

    /**
     * The running (unbiased) variance buffer [C] (live view; owned by this layer).
     *
     * @return the buffer, named {@code running_var}
     */
    public NdArray runningVar() {
        return runningVar;
    }

    @Override
    public Tensor forward(Tensor x) {
        return isTraining() ? BatchNormOp.train(x, gamma, beta, runningMean, runningVar, momentum, eps)
                : BatchNormOp.eval(x, gamma, beta, runningMean, runningVar, eps);
    }
}
