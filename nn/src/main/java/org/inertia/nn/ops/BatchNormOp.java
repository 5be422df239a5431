package org.inertia.nn.ops;

import org.inertia.kernels.Backend;
import org.inertia.kernels.BinaryOp;
import org.inertia.kernels.Checks;
import org.inertia.kernels.NdArray;
import org.inertia.kernels.UnaryOp;
import org.inertia.nn.autograd.Node;
import org.inertia.nn.autograd.Tensor;

/**
 * Batch normalization of x [N, C, H, W] per channel, with PyTorch's semantics:
 *
 * <pre>
 *   x̂ = (x − μ) / √(σ² + ε),   y = γ·x̂ + β
 * </pre>
 *
 * In training μ and σ² are the batch statistics over (N, H, W) — σ² biased (divided by M = N·H·W) for
 * the normalization — and the running statistics move by {@code momentum}:
 * {@code running_mean ← (1 − m)·running_mean + m·μ}, {@code running_var ← (1 − m)·running_var + m·σ²·M/(M − 1)}
 * (the unbiased variance). In evaluation μ and σ² are the running statistics.
 *
 * <p>Backward (s = 1/√(σ² + ε), sums over N, H, W of one channel): ∂L/∂β = Σ g, ∂L/∂γ = Σ g·x̂; in training
 * ∂L/∂x = γ·s·(g − Σg/M − x̂·Σ(g·x̂)/M) (the batch statistics depend on x), in evaluation ∂L/∂x = γ·s·g.
 */
public final class BatchNormOp {
    /** PyTorch's default momentum. */
    public static final double MOMENTUM = 0.1;
    /** PyTorch's default ε. */
    public static final double EPS = 1e-5;

    private BatchNormOp() {
    }

    /**
     * Training-mode batch norm; updates {@code runningMean} and {@code runningVar} ([C] arrays, may be null
     * to skip the update) in place, without recording them in the graph.
     *
     * @param x the input [N, C, H, W]
     * @param gamma the scale γ [C]
     * @param beta the shift β [C]
     * @param runningMean running mean [C], updated in place; null to skip
     * @param runningVar running (unbiased) variance [C], updated in place; null to skip
     * @param momentum weight m of the new batch statistics, in [0, 1] (PyTorch: {@link #MOMENTUM})
     * @param eps ε added to the variance; finite, > 0 (PyTorch: {@link #EPS})
     * @return a new tensor, owned by the current {@code TensorScope} (else by the caller), x's shape
     * @throws IllegalArgumentException if a shape, dtype, momentum or eps is invalid
     */
    public static Tensor train(Tensor x, Tensor gamma, Tensor beta, NdArray runningMean, NdArray runningVar,
            double momentum, double eps) {
        check("batch_norm", x, gamma, beta, eps);
        if (!(momentum >= 0 && momentum <= 1)) {
            throw new IllegalArgumentException("batch_norm: momentum must be in [0, 1], got " + momentum);
        }
        if (runningMean != null) {
            Checks.vector("batch_norm", "runningMean", runningMean, x.dtype(), x.shape().dim(1));
        }
        if (runningVar != null) {
            Checks.vector("batch_norm", "runningVar", runningVar, x.dtype(), x.shape().dim(1));
        }
        Backend be = x.backend();
        int c = x.shape().dim(1);
        long m = x.shape().numel() / Math.max(1, c);
        if (m < 2 && runningVar != null) {
            throw new IllegalArgumentException("batch norm in training needs more than one value per channel, got x "
                    + x.shape());
        }
        NdArray xd = x.data();
        NdArray mean = NdArray.zeros(x.dtype(), c);
        NdArray var = NdArray.zeros(x.dtype(), c);
        NdArray xhat = NdArray.zeros(x.dtype(), x.shape());
        try (mean; var) {
            ChannelSums.sum(be, xd, mean);
            be.elementwise().binaryScalar(BinaryOp.DIV, mean, m, mean);
            be.elementwise().binary(BinaryOp.SUB, xd, ChannelSums.perChannel(mean), xhat); // x − μ
            try (NdArray sq = NdArray.zeros(x.dtype(), x.shape())) {
                be.elementwise().mul(xhat, xhat, sq);
                ChannelSums.sum(be, sq, var);
            }
            be.elementwise().binaryScalar(BinaryOp.DIV, var, m, var); // biased σ²
            if (runningMean != null) {
                be.blas1().scal(1 - momentum, runningMean.reshape(-1));
                be.blas1().axpy(momentum, mean, runningMean.reshape(-1));
            }
            if (runningVar != null) {
                be.blas1().scal(1 - momentum, runningVar.reshape(-1));
                be.blas1().axpy(momentum * m / (m - 1), var, runningVar.reshape(-1));
            }
            NdArray invStd = inverseStd(be, var, eps);
            be.elementwise().mul(xhat, ChannelSums.perChannel(invStd), xhat);
            return finish(x, gamma, beta, xhat, invStd, true);
        }
    }

    /**
     * Evaluation-mode batch norm with the given running statistics ([C] arrays, not taken over).
     *
     * @param x the input [N, C, H, W]
     * @param gamma the scale γ [C]
     * @param beta the shift β [C]
     * @param runningMean running mean μ [C]; read only
     * @param runningVar running variance σ² [C]; read only
     * @param eps ε added to the variance; finite, > 0
     * @return a new tensor, owned by the current {@code TensorScope} (else by the caller), x's shape
     * @throws IllegalArgumentException if a shape, dtype or eps is invalid
     */
    public static Tensor eval(Tensor x, Tensor gamma, Tensor beta, NdArray runningMean, NdArray runningVar, double eps) {
        check("batch_norm", x, gamma, beta, eps);
        Checks.vector("batch_norm", "runningMean", runningMean, x.dtype(), x.shape().dim(1));
        Checks.vector("batch_norm", "runningVar", runningVar, x.dtype(), x.shape().dim(1));
        Backend be = x.backend();
        NdArray xhat = NdArray.zeros(x.dtype(), x.shape());
        NdArray invStd = inverseStd(be, runningVar, eps);
        be.elementwise().binary(BinaryOp.SUB, x.data(), ChannelSums.perChannel(runningMean), xhat);
        be.elementwise().mul(xhat, ChannelSums.perChannel(invStd), xhat);
        return finish(x, gamma, beta, xhat, invStd, false);
    }

    private static void check(String op, Tensor x, Tensor gamma, Tensor beta, double eps) {
        Checks.floating(op, "x", Tensor.requireOpen(op, "x", x).dtype());
        Checks.floating(op, "gamma", Tensor.requireOpen(op, "gamma", gamma).dtype());
        Checks.sameDtype(op, "x", x.dtype(), "gamma", gamma.dtype());
        Checks.sameBackend(op, "x", x.backend(), "gamma", gamma.backend());
        Checks.floating(op, "beta", Tensor.requireOpen(op, "beta", beta).dtype());
        Checks.sameDtype(op, "x", x.dtype(), "beta", beta.dtype());
        Checks.sameBackend(op, "x", x.backend(), "beta", beta.backend());
        if (!(eps > 0) || Double.isInfinite(eps)) {
            throw new IllegalArgumentException(op + ": eps must be finite and > 0, got " + eps);
        }
        if (x.shape().rank() != 4) {
            throw new IllegalArgumentException("batch norm needs x [N, C, H, W], got " + x.shape());
        }
        int c = x.shape().dim(1);
        if (gamma.shape().rank() != 1 || gamma.shape().dim(0) != c || beta.shape().rank() != 1
                || beta.shape().dim(0) != c) {
            throw new IllegalArgumentException("batch norm gamma and beta must be [" + c + "] for x " + x.shape()
                    + ", got " + gamma.shape() + " and " + beta.shape());
        }
    }

    /** A new [C] array 1/√(σ² + ε). */
    private static NdArray inverseStd(Backend be, NdArray var, double eps) {
        NdArray s = NdArray.zeros(var.dtype(), var.shape());
        be.elementwise().binaryScalar(BinaryOp.ADD, var, eps, s);
        be.elementwise().unary(UnaryOp.SQRT, s, s);
        try (NdArray one = NdArray.scalar(var.dtype(), 1)) {
            be.elementwise().binary(BinaryOp.DIV, one, s, s);
        }
        return s;
    }

    /** y = γ·x̂ + β, recording a node that owns x̂ and s. */
    private static Tensor finish(Tensor x, Tensor gamma, Tensor beta, NdArray xhat, NdArray invStd, boolean training) {
        Backend be = x.backend();
        NdArray y = NdArray.zeros(x.dtype(), x.shape());
        be.elementwise().mul(xhat, ChannelSums.perChannel(gamma.data()), y);
        be.elementwise().add(y, ChannelSums.perChannel(beta.data()), y);
        return Tensor.result(y, be, new Backward(x, gamma, beta, xhat, invStd, training));
    }

    private static final class Backward extends Node {
        private final boolean training;
        private NdArray xhat;
        private NdArray invStd;

        Backward(Tensor x, Tensor gamma, Tensor beta, NdArray xhat, NdArray invStd, boolean training) {
            super(x, gamma, beta);
            this.xhat = xhat;
            this.invStd = invStd;
            this.training = training;
        }

        @Override
        public String name() {
            return training ? "batch_norm" : "batch_norm_eval";
        }

        @Override
        protected void backward(Backend be, NdArray g, GradientSink sink) {
            int c = xhat.dim(1);
            long m = xhat.numel() / Math.max(1, c);
            NdArray sumG = NdArray.zeros(g.dtype(), c);
            NdArray sumGx = NdArray.zeros(g.dtype(), c);
            try (NdArray gx = NdArray.zeros(g.dtype(), g.shape())) {
                ChannelSums.sum(be, g, sumG);
                be.elementwise().mul(g, xhat, gx);
                ChannelSums.sum(be, gx, sumGx);
                if (sink.wants(0)) {
                    NdArray dx = NdArray.zeros(g.dtype(), g.shape());
                    if (training) { // g − Σg/M − x̂·Σ(g·x̂)/M
                        try (NdArray meanG = NdArray.zeros(g.dtype(), c); NdArray meanGx = NdArray.zeros(g.dtype(), c)) {
                            be.elementwise().binaryScalar(BinaryOp.DIV, sumG, m, meanG);
                            be.elementwise().binaryScalar(BinaryOp.DIV, sumGx, m, meanGx);
                            be.elementwise().mul(xhat, ChannelSums.perChannel(meanGx), dx);
                            be.elementwise().binary(BinaryOp.SUB, g, dx, dx);
                            be.elementwise().binary(BinaryOp.SUB, dx, ChannelSums.perChannel(meanG), dx);
                        }
                    } else {
                        be.blas1().copy(g, dx);
                    }
                    try (NdArray scale = NdArray.zeros(g.dtype(), c)) { // γ·s
                        be.elementwise().mul(inputs()[1].data(), invStd, scale);
                        be.elementwise().mul(dx, ChannelSums.perChannel(scale), dx);
                    }
                    sink.accept(0, dx);
                }
            }
            if (sink.wants(1)) {
                sink.accept(1, sumGx);
            } else {
                sumGx.close();
            }
            if (sink.wants(2)) {
                sink.accept(2, sumG);
            } else {
                sumG.close();
            }
        }

        @Override
        protected void release() {
            if (xhat != null) {
                xhat.close();
                invStd.close();
                xhat = null;
                invStd = null;
            }
        }
    }
}
