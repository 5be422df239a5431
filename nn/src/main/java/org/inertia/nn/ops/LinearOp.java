package org.inertia.nn.ops;

import org.inertia.kernels.Backend;
import org.inertia.kernels.NdArray;
import org.inertia.nn.Node;
import org.inertia.nn.Tensor;

/**
 * y = x·Wᵀ + b for x [N, in], W [out, in], b [out] (optional), as {@code torch.nn.functional.linear}.
 * Backward: ∂L/∂x = G·W, ∂L/∂W = Gᵀ·x (each one GEMM with a transpose flag), ∂L/∂b = Σ_rows G.
 */
public final class LinearOp {
    private LinearOp() {
    }

    /** x·Wᵀ + b; {@code bias} may be null. */
    public static Tensor apply(Tensor x, Tensor weight, Tensor bias) {
        Args.floating("linear", "x", x, "weight", weight);
        if (bias != null) {
            Args.floating("linear", "x", x, "bias", bias);
        }
        if (x.shape().rank() != 2 || weight.shape().rank() != 2 || x.shape().dim(1) != weight.shape().dim(1)) {
            throw new IllegalArgumentException("linear needs x [N, in] and weight [out, in], got x " + x.shape()
                    + " and weight " + weight.shape());
        }
        int out = weight.shape().dim(0);
        if (bias != null && (bias.shape().rank() != 1 || bias.shape().dim(0) != out)) {
            throw new IllegalArgumentException("linear bias must be [" + out + "], got " + bias.shape()
                    + " (weight " + weight.shape() + ")");
        }
        Backend be = x.backend();
        NdArray y = NdArray.empty(x.dtype(), x.shape().dim(0), out); // β = 0: the GEMM writes every element
        be.gemm(false, true, 1, x.data(), weight.data(), 0, y);
        if (bias != null) {
            be.binary(org.inertia.kernels.BinaryOp.ADD, y, bias.data(), y);
        }
        Node node = bias == null ? new Backward(x, weight) : new Backward(x, weight, bias);
        return Tensor.result(y, be, node);
    }

    private static final class Backward extends Node {
        Backward(Tensor... inputs) {
            super(inputs);
        }

        @Override
        public String name() {
            return "linear";
        }

        @Override
        protected void backward(Backend be, NdArray g, GradientSink sink) {
            NdArray x = inputs()[0].data();
            NdArray w = inputs()[1].data();
            if (sink.wants(0)) {
                NdArray gx = NdArray.empty(g.dtype(), x.shape().dims());
                be.gemm(false, false, 1, g, w, 0, gx);
                sink.accept(0, gx);
            }
            if (sink.wants(1)) {
                NdArray acc = sink.accumulator(1);
                if (acc != null) { // ∂W += Gᵀ·x in the GEMM itself (β = 1)
                    be.gemm(true, false, 1, g, x, 1, acc);
                } else {
                    NdArray gw = NdArray.empty(g.dtype(), w.shape().dims());
                    be.gemm(true, false, 1, g, x, 0, gw);
                    sink.accept(1, gw);
                }
            }
            if (inputs().length == 3 && sink.wants(2)) {
                NdArray gb = NdArray.empty(g.dtype(), w.dim(0));
                be.sum(g, 0, gb);
                NdArray acc = sink.accumulator(2);
                if (acc != null) {
                    be.add(acc, gb, acc);
                    gb.close();
                } else {
                    sink.accept(2, gb);
                }
            }
        }
    }
}
