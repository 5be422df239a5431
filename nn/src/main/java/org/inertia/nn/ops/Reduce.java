package org.inertia.nn.ops;

import org.inertia.kernels.Backend;
import org.inertia.kernels.Checks;
import org.inertia.kernels.NdArray;
import org.inertia.nn.autograd.Node;
import org.inertia.nn.autograd.Tensor;

/** Sums and means; backward broadcasts the incoming gradient back over the reduced elements. */
public final class Reduce {
    private Reduce() {
    }

    /**
     * Σ along {@code axis}, which is removed from the shape.
     *
     * @param x the input (floating point)
     * @param axis the axis; negative counts from the end
     * @return a new tensor, owned by the current {@code TensorScope} (else by the caller)
     */
    public static Tensor sum(Tensor x, int axis) {
        Checks.floating("sum", "x", Tensor.requireOpen("sum", "x", x).dtype());
        int a = x.shape().normalizeAxis(axis);
        NdArray out = NdArray.zeros(x.dtype(), x.shape().without(a));
        x.backend().reductions().sum(x.data(), a, out);
        return Tensor.result(out, x.backend(), new Node(x) {
            @Override
            public String name() {
                return "sum";
            }

            @Override
            protected void backward(Backend be, NdArray g, GradientSink sink) {
                if (sink.wants(0)) {
                    NdArray gx = NdArray.zeros(g.dtype(), x.shape());
                    be.blas1().copy(g.unsqueeze(a).broadcastTo(x.shape()), gx);
                    sink.accept(0, gx);
                }
            }
        });
    }

    /**
     * Σ of all elements, rank 0.
     *
     * @param x the input (floating point)
     * @return a new tensor, owned by the current {@code TensorScope} (else by the caller)
     */
    public static Tensor sumAll(Tensor x) {
        return total(x, false);
    }

    /**
     * Mean of all elements, rank 0.
     *
     * @param x the input (floating point)
     * @return a new tensor, owned by the current {@code TensorScope} (else by the caller)
     */
    public static Tensor meanAll(Tensor x) {
        return total(x, true);
    }

    private static Tensor total(Tensor x, boolean mean) {
        String where = mean ? "mean" : "sum";
        Checks.floating(where, "x", Tensor.requireOpen(where, "x", x).dtype());
        long n = x.shape().numel();
        double s = x.backend().reductions().sumAll(x.data());
        NdArray out = NdArray.scalar(x.dtype(), mean ? s / n : s);
        return Tensor.result(out, x.backend(), new Node(x) {
            @Override
            public String name() {
                return mean ? "mean" : "sum";
            }

            @Override
            protected void backward(Backend be, NdArray g, GradientSink sink) {
                if (sink.wants(0)) {
                    NdArray gx = NdArray.zeros(g.dtype(), x.shape());
                    be.elementwise().fill(gx, mean ? g.getAtOffset(g.offset()) / n : g.getAtOffset(g.offset()));
                    sink.accept(0, gx);
                }
            }
        });
    }
}
