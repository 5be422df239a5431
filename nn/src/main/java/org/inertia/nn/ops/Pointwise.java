package org.inertia.nn.ops;

import org.inertia.kernels.Backend;
import org.inertia.kernels.BinaryOp;
import org.inertia.kernels.Checks;
import org.inertia.kernels.NdArray;
import org.inertia.kernels.UnaryOp;
import org.inertia.nn.autograd.Node;
import org.inertia.nn.autograd.Tensor;

/**
 * Elementwise functions with their derivatives, written in terms of what backward has at hand:
 * tanh' = 1 − y², σ' = y(1 − y), exp' = y (y the saved output); relu' = [x > 0], log' = 1/x, neg' = −1.
 */
public final class Pointwise {
    private Pointwise() {
    }

    /**
     * Elementwise tanh x; ∂/∂x = 1 − y².
     *
     * @param x the input (floating point)
     * @return a new tensor, owned by the current {@code TensorScope} (else by the caller)
     */
    public static Tensor tanh(Tensor x) {
        return apply(UnaryOp.TANH, x);
    }

    /**
     * Elementwise σ(x) = 1 / (1 + e^−x); ∂/∂x = y·(1 − y).
     *
     * @param x the input (floating point)
     * @return a new tensor, owned by the current {@code TensorScope} (else by the caller)
     */
    public static Tensor sigmoid(Tensor x) {
        return apply(UnaryOp.SIGMOID, x);
    }

    /**
     * Elementwise max(x, 0); ∂/∂x = 1 where x > 0, else 0.
     *
     * @param x the input (floating point)
     * @return a new tensor, owned by the current {@code TensorScope} (else by the caller)
     */
    public static Tensor relu(Tensor x) {
        return apply(UnaryOp.RELU, x);
    }

    /**
     * Elementwise e^x; ∂/∂x = y.
     *
     * @param x the input (floating point)
     * @return a new tensor, owned by the current {@code TensorScope} (else by the caller)
     */
    public static Tensor exp(Tensor x) {
        return apply(UnaryOp.EXP, x);
    }

    /**
     * Elementwise natural logarithm; ∂/∂x = 1/x.
     *
     * @param x the input (floating point)
     * @return a new tensor, owned by the current {@code TensorScope} (else by the caller)
     */
    public static Tensor log(Tensor x) {
        return apply(UnaryOp.LOG, x);
    }

    /**
     * Elementwise −x.
     *
     * @param x the input (floating point)
     * @return a new tensor, owned by the current {@code TensorScope} (else by the caller)
     */
    public static Tensor neg(Tensor x) {
        return apply(UnaryOp.NEG, x);
    }

    private static Tensor apply(UnaryOp op, Tensor x) {
        String where = op.name().toLowerCase();
        Checks.floating(where, "x", Tensor.requireOpen(where, "x", x).dtype());
        NdArray out = NdArray.zeros(x.dtype(), x.shape());
        x.backend().elementwise().unary(op, x.data(), out);
        Unary node = new Unary(op, x, out);
        return Tensor.result(out, x.backend(), node);
    }

    private static final class Unary extends Node {
        private final UnaryOp op;
        private final NdArray y; // the output's data (owned by the output tensor)

        Unary(UnaryOp op, Tensor x, NdArray y) {
            super(x);
            this.op = op;
            this.y = y;
        }

        @Override
        public String name() {
            return op.name().toLowerCase();
        }

        @Override
        protected void backward(Backend be, NdArray g, GradientSink sink) {
            if (!sink.wants(0)) {
                return;
            }
            NdArray x = inputs()[0].data();
            NdArray gx = NdArray.empty(g.dtype(), g.shape().dims()); // every case below writes all of it
            switch (op) {
                case TANH -> { // g·(1 − y²)
                    be.elementwise().mul(y, y, gx);
                    be.elementwise().binaryScalar(BinaryOp.MUL, gx, -1, gx);
                    be.elementwise().binaryScalar(BinaryOp.ADD, gx, 1, gx);
                    be.elementwise().mul(gx, g, gx);
                }
                case SIGMOID -> { // g·y·(1 − y)
                    be.elementwise().binaryScalar(BinaryOp.MUL, y, -1, gx);
                    be.elementwise().binaryScalar(BinaryOp.ADD, gx, 1, gx);
                    be.elementwise().mul(gx, y, gx);
                    be.elementwise().mul(gx, g, gx);
                }
                case EXP -> be.elementwise().mul(g, y, gx);
                case LOG -> be.elementwise().div(g, x, gx);
                case NEG -> be.elementwise().unary(UnaryOp.NEG, g, gx);
                case RELU -> { // g·[x > 0], i.e. g where relu(x) ≠ 0: one fused pass over flat rows when it can
                    long n = y.numel();
                    if (y.isContiguous() && g.isContiguous() && n > 0 && n <= Integer.MAX_VALUE) {
                        int[] row = {1, (int) n};
                        be.layers().reluBackward(y.reshape(row), g.reshape(row), gx.reshape(row), null);
                    } else {
                        try (NdArray zero = NdArray.zeros(g.dtype())) {
                            be.elementwise().where(y, g, zero, gx);
                        }
                    }
                }
                default -> throw new IllegalStateException("no derivative for " + op);
            }
            sink.accept(0, gx);
        }
    }
}
