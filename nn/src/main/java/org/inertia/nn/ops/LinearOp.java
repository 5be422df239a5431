package org.inertia.nn.ops;

import org.inertia.kernels.Backend;
import org.inertia.kernels.BinaryOp;
import org.inertia.kernels.Checks;
import org.inertia.kernels.NdArray;
import org.inertia.nn.autograd.Node;
import org.inertia.nn.autograd.Tensor;

/**
 * y = x·Wᵀ + b for x [N, in], W [out, in], b [out] (optional), as {@code torch.nn.functional.linear}, and
 * the fused y = relu(x·Wᵀ + b) ({@link #applyRelu}).
 * Backward: ∂L/∂x = G·W, ∂L/∂W = Gᵀ·x (each one GEMM with a transpose flag), ∂L/∂b = Σ_rows G; with the
 * ReLU, G is first masked by relu′ = [y ≠ 0].
 *
 * <p>Costs kept out of the step: the output is allocated without a zero fill (the GEMM with β = 0 writes
 * every element); ∂W is added by the GEMM itself (β = 1) straight into the weight's gradient buffer when
 * the engine allows it ({@link Node.GradientSink#accumulator}) instead of a new array that is then added;
 * with the ReLU fused, the bias and ReLU are one pass forward and the mask and ∂b one pass backward
 * ({@link org.inertia.kernels.Layers#addBiasRelu}, {@link org.inertia.kernels.Layers#reluBackward}), and no pre-activation tensor is kept.
 */
public final class LinearOp {
    private LinearOp() {
    }

    /**
     * x·Wᵀ + b; {@code bias} may be null.
     *
     * @param x the input [N, in]
     * @param weight the weight W [out, in]
     * @param bias the bias [out], or null
     * @return a new tensor, owned by the current {@code TensorScope} (else by the caller), [N, out]
     */
    public static Tensor apply(Tensor x, Tensor weight, Tensor bias) {
        return linear("linear", x, weight, bias, false);
    }

    /**
     * relu(x·Wᵀ + b) as one op: the same values and gradients as {@code apply(x, weight, bias).relu()}, with
     * one pass over the output instead of two forward and backward, and one tensor fewer. {@code bias} may
     * be null. {@link org.inertia.nn.layers.Sequential} uses it for a Linear layer followed by a ReLU.
     *
     * @param x the input [N, in]
     * @param weight the weight W [out, in]
     * @param bias the bias [out], or null
     * @return a new tensor, owned by the current {@code TensorScope} (else by the caller), [N, out]
     */
    public static Tensor applyRelu(Tensor x, Tensor weight, Tensor bias) {
        return linear("linear_relu", x, weight, bias, true);
    }

    private static Tensor linear(String op, Tensor x, Tensor weight, Tensor bias, boolean relu) {
        Checks.floating(op, "x", Tensor.requireOpen(op, "x", x).dtype());
        Checks.floating(op, "weight", Tensor.requireOpen(op, "weight", weight).dtype());
        Checks.sameDtype(op, "x", x.dtype(), "weight", weight.dtype());
        Checks.sameBackend(op, "x", x.backend(), "weight", weight.backend());
        if (bias != null) {
            Checks.floating(op, "bias", Tensor.requireOpen(op, "bias", bias).dtype());
            Checks.sameDtype(op, "x", x.dtype(), "bias", bias.dtype());
            Checks.sameBackend(op, "x", x.backend(), "bias", bias.backend());
        }
        if (x.shape().rank() != 2 || weight.shape().rank() != 2 || x.shape().dim(1) != weight.shape().dim(1)) {
            throw new IllegalArgumentException(op + " needs x [N, in] and weight [out, in], got x " + x.shape()
                    + " and weight " + weight.shape());
        }
        int out = weight.shape().dim(0);
        if (bias != null && (bias.shape().rank() != 1 || bias.shape().dim(0) != out)) {
            throw new IllegalArgumentException(op + " bias must be [" + out + "], got " + bias.shape()
                    + " (weight " + weight.shape() + ")");
        }
        Backend be = x.backend();
        NdArray y = NdArray.empty(x.dtype(), x.shape().dim(0), out); // β = 0: the GEMM writes every element
        try {
            be.gemm().gemm(false, true, 1, x.data(), weight.data(), 0, y);
            if (relu) {
                be.layers().addBiasRelu(y, bias == null ? null : bias.data(), y);
            } else if (bias != null) {
                be.elementwise().binary(BinaryOp.ADD, y, bias.data(), y);
            }
        } catch (RuntimeException e) {
            y.close();
            throw e;
        }
        Tensor[] in = bias == null ? new Tensor[] {x, weight} : new Tensor[] {x, weight, bias};
        return Tensor.result(y, be, new Backward(op, relu ? y : null, in));
    }

    private static final class Backward extends Node {
        private final String name;
        private final NdArray y; // the output's data when the ReLU is fused (owned by the output tensor), else null

        Backward(String name, NdArray y, Tensor... inputs) {
            super(inputs);
            this.name = name;
            this.y = y;
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        protected void backward(Backend be, NdArray g, GradientSink sink) {
            NdArray x = inputs()[0].data();
            NdArray w = inputs()[1].data();
            boolean wantsBias = inputs().length == 3 && sink.wants(2);
            NdArray gb = wantsBias ? NdArray.empty(g.dtype(), w.dim(0)) : null;
            NdArray gz = g;
            try {
                if (y != null) { // G ← G·[y ≠ 0], and ∂b from the masked G in the same pass
                    gz = NdArray.empty(g.dtype(), g.shape().dims());
                    be.layers().reluBackward(y, g, gz, gb);
                } else if (wantsBias) {
                    be.reductions().sum(g, 0, gb);
                }
                if (sink.wants(0)) {
                    NdArray gx = NdArray.empty(g.dtype(), x.shape().dims());
                    be.gemm().gemm(false, false, 1, gz, w, 0, gx);
                    sink.accept(0, gx);
                }
                if (sink.wants(1)) {
                    NdArray acc = sink.accumulator(1);
                    if (acc != null) { // ∂W += Gᵀ·x in the GEMM itself (β = 1)
                        be.gemm().gemm(true, false, 1, gz, x, 1, acc);
                    } else {
                        NdArray gw = NdArray.empty(g.dtype(), w.shape().dims());
                        be.gemm().gemm(true, false, 1, gz, x, 0, gw);
                        sink.accept(1, gw);
                    }
                }
                if (wantsBias) {
                    NdArray acc = sink.accumulator(2);
                    if (acc != null) {
                        be.elementwise().add(acc, gb, acc);
                    } else {
                        sink.accept(2, gb);
                        gb = null;
                    }
                }
            } finally {
                if (gz != g) {
                    gz.close();
                }
                if (gb != null) {
                    gb.close();
                }
            }
        }
    }
}
