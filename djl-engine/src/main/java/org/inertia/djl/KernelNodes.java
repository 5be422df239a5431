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
                    subtractScaled(be, g, gsum, axis, gx);
                } catch (RuntimeException e) {
                    gx.close();
                    throw e;
                }
                sink.accept(0, gx);
            }
        };
    }

    /**
     * e ← g − e·s, with s (g's shape with {@code axis} of size 1) broadcast along {@code axis}: the values of the
     * kernels' {@code mul(e, s, e)} then {@code binary(SUB, g, e, e)} (each product and difference rounded once to
     * the dtype; no fused multiply-add), in one scalar pass when all three are dense, which for a loss's small
     * [batch, classes] arrays costs less than two kernel calls (the broadcast one walks row by row); else those
     * two calls.
     */
    static void subtractScaled(Backend be, NdArray g, NdArray s, int axis, NdArray e) {
        boolean dense = g.isContiguous() && s.isContiguous() && e.isContiguous() && g.dtype() == e.dtype()
                && s.dtype() == e.dtype() && (e.dtype() == Dtype.F32 || e.dtype() == Dtype.F64);
        if (!dense) {
            be.elementwise().mul(e, s, e);
            be.elementwise().binary(BinaryOp.SUB, g, e, e);
            return;
        }
        int[] d = e.shape().dims();
        long inner = 1;
        for (int i = axis + 1; i < d.length; i++) {
            inner *= d[i];
        }
        long len = d[axis];
        long outer = len * inner == 0 ? 0 : e.numel() / (len * inner);
        MemorySegment gs = g.segment();
        MemorySegment ss = s.segment();
        MemorySegment es = e.segment();
        long go = g.offset();
        long so = s.offset();
        long eo = e.offset();
        if (e.dtype() == Dtype.F32) {
            ValueLayout.OfFloat f = ValueLayout.JAVA_FLOAT_UNALIGNED;
            long i = 0;
            for (long o = 0; o < outer; o++) { // element (o, a, j) is scaled by s's element (o, j)
                for (long a = 0; a < len; a++) {
                    for (long j = 0; j < inner; j++, i++) {
                        float p = es.getAtIndex(f, eo + i) * ss.getAtIndex(f, so + o * inner + j);
                        es.setAtIndex(f, eo + i, gs.getAtIndex(f, go + i) - p);
                    }
                }
            }
        } else {
            ValueLayout.OfDouble f = ValueLayout.JAVA_DOUBLE_UNALIGNED;
            long i = 0;
            for (long o = 0; o < outer; o++) {
                for (long a = 0; a < len; a++) {
                    for (long j = 0; j < inner; j++, i++) {
                        double p = es.getAtIndex(f, eo + i) * ss.getAtIndex(f, so + o * inner + j);
                        es.setAtIndex(f, eo + i, gs.getAtIndex(f, go + i) - p);
                    }
                }
            }
        }
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
