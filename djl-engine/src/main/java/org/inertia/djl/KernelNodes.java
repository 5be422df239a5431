package org.inertia.djl;

import org.inertia.kernels.Backend;
import org.inertia.kernels.BinaryOp;
import org.inertia.kernels.Dtype;
import org.inertia.kernels.NdArray;
import org.inertia.kernels.UnaryOp;
import org.inertia.nn.autograd.Node;
import org.inertia.nn.autograd.Tensor;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * Graph nodes whose backward runs straight on Inertia's kernels (package-private), for the recorded operations
 * of a training step's loss (DJL's softmax cross-entropy is {@code logSoftmax}, a pick = {@code gather},
 * {@code neg} and {@code mean}): the generic {@link Grad} rule node builds its gradient from engine arrays (a
 * manager, array objects, a copy per input), which costs more than the arithmetic on these small arrays. The
 * forward values are those the operations computed; only the recording differs.
 */
final class KernelNodes {
    private KernelNodes() {
    }

    /**
     * The backward of r = relu(y) where y = x·Wᵀ + b is the output of a recorded linear op ({@code inputs} are
     * that op's x, W and optional b), recorded straight on x, W and b as Inertia's fused
     * {@code LinearOp.applyRelu} is: gz = g·[r ≠ 0] and ∂b = Σ_rows gz in one pass
     * ({@link org.inertia.kernels.Layers#reluBackward}), then ∂x = gz·W and ∂W += gzᵀ·x (the GEMM adds into the
     * weight's gradient buffer when the graph offers it). The values are those of relu's backward followed by
     * linear's (a NaN y passes g instead of stopping it); y keeps its own node for any other use of it.
     */
    static Node linearRelu(Tensor[] inputs, InertiaNDArray out) {
        return new Node(inputs) {
            @Override
            public String name() {
                return "linear_relu";
            }

            @Override
            protected void backward(Backend be, NdArray g, GradientSink sink) {
                NdArray x = inputs()[0].data();
                NdArray w = inputs()[1].data();
                boolean wantsBias = inputs().length == 3 && sink.wants(2);
                if (!sink.wants(0) && !sink.wants(1) && !wantsBias) {
                    return;
                }
                NdArray gb = wantsBias ? NdArray.empty(g.dtype(), w.dim(0)) : null;
                NdArray gz = NdArray.empty(g.dtype(), g.shape().dims()); // reluBackward writes every element
                try {
                    be.layers().reluBackward(out.kernel(), g, gz, gb);
                    if (sink.wants(0)) {
                        NdArray gx = NdArray.empty(g.dtype(), x.shape().dims()); // β = 0 writes every element
                        be.gemm().gemm(false, false, 1, gz, w, 0, gx);
                        sink.accept(0, gx);
                    }
                    if (sink.wants(1)) {
                        NdArray acc = sink.accumulator(1);
                        if (acc != null) {
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
                    gz.close();
                    if (gb != null) {
                        gb.close();
                    }
                }
            }
        };
    }

    /** ∂L/∂x of y = −x: −g. */
    static Node neg(Tensor x) {
        return new Node(x) {
            @Override
            public String name() {
                return "neg";
            }

            @Override
            protected void backward(Backend be, NdArray g, GradientSink sink) {
                if (!sink.wants(0)) {
                    return;
                }
                NdArray gx = NdArray.empty(x.dtype(), x.shape().dims()); // the unary op writes every element
                be.elementwise().unary(UnaryOp.NEG, g, gx);
                sink.accept(0, gx);
            }
        };
    }

    /**
     * ∂L/∂x of y = log softmax(x) along {@code axis}: g − e^y·Σ_axis g, with y read from {@code out} (the
     * recorded output; reading it once it is closed throws).
     */
    static Node logSoftmax(Tensor x, InertiaNDArray out, int axis) {
        return new Node(x) {
            @Override
            public String name() {
                return "logSoftmax";
            }

            @Override
            protected void backward(Backend be, NdArray g, GradientSink sink) {
                if (!sink.wants(0)) {
                    return;
                }
                NdArray y = out.kernel();
                NdArray gx = NdArray.empty(x.dtype(), x.shape().dims()); // the exp writes every element
                try (NdArray gsum = NdArray.zeros(g.dtype(), g.shape().with(axis, 1))) {
                    be.reductions().sum(g, axis, gsum);
                    be.elementwise().unary(UnaryOp.EXP, y, gx);
                    be.elementwise().mul(gx, gsum, gx);
                    be.elementwise().binary(BinaryOp.SUB, g, gx, gx);
                } catch (RuntimeException e) {
                    gx.close();
                    throw e;
                }
                sink.accept(0, gx);
            }
        };
    }

    /** ∂L/∂x of y = mean of all elements of x [shape]: every element gets g / n. */
    static Node meanAll(Tensor x, long n) {
        return new Node(x) {
            @Override
            public String name() {
                return "mean";
            }

            @Override
            protected void backward(Backend be, NdArray g, GradientSink sink) {
                if (!sink.wants(0)) {
                    return;
                }
                NdArray gx = NdArray.empty(x.dtype(), x.shape().dims()); // fill writes every element
                be.elementwise().fill(gx, g.getAtOffset(g.offset()) / n);
                sink.accept(0, gx);
            }
        };
    }

    /**
     * ∂L/∂x of a gather: out[k] = x[offsets[k]] (element offsets into the dense x) sends g[k] back to
     * offsets[k], adding where offsets repeat: ∂L/∂x[j] = Σ_{k: offsets[k] = j} g[k].
     */
    static Node gather(Tensor x, long[] offsets) {
        return new Node(x) {
            @Override
            public String name() {
                return "gather";
            }

            @Override
            protected void backward(Backend be, NdArray g, GradientSink sink) {
                if (!sink.wants(0)) {
                    return;
                }
                NdArray gc = g.isContiguous() ? g : g.copy();
                try {
                    NdArray gx = NdArray.zeros(x.dtype(), x.shape());
                    scatterAdd(gc, gx, offsets);
                    sink.accept(0, gx);
                } finally {
                    if (gc != g) {
                        gc.close();
                    }
                }
            }
        };
    }

    /** dst[offsets[k]] += src[k] for dense src and dst of one float dtype (each sum rounded to it). */
    static void scatterAdd(NdArray src, NdArray dst, long[] offsets) {
        MemorySegment s = src.segment();
        MemorySegment d = dst.segment();
        long so = src.offset();
        long dof = dst.offset();
        if (dst.dtype() == Dtype.F32) {
            ValueLayout.OfFloat f = ValueLayout.JAVA_FLOAT_UNALIGNED;
            for (int k = 0; k < offsets.length; k++) {
                long j = dof + offsets[k];
                d.setAtIndex(f, j, d.getAtIndex(f, j) + s.getAtIndex(f, so + k));
            }
        } else {
            ValueLayout.OfDouble f = ValueLayout.JAVA_DOUBLE_UNALIGNED;
            for (int k = 0; k < offsets.length; k++) {
                long j = dof + offsets[k];
                d.setAtIndex(f, j, d.getAtIndex(f, j) + s.getAtIndex(f, so + k));
            }
        }
    }
}
