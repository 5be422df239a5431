package org.inertia.nn.ops;

import org.inertia.kernels.Backend;
import org.inertia.kernels.BinaryOp;
import org.inertia.kernels.Checks;
import org.inertia.kernels.NdArray;
import org.inertia.kernels.UnaryOp;
import org.inertia.nn.autograd.Node;
import org.inertia.nn.autograd.Tensor;

/** y = x − log Σ e^x along an axis; ∂L/∂x = g − softmax(x)·Σ g = g − e^y·Σ g. */
public final class LogSoftmax {
    private LogSoftmax() {
    }

    /**
     * log softmax of {@code x} along {@code axis}: y = x − log Σ e^x.
     *
     * @param x the input (floating point)
     * @param axis the axis to normalise along; negative counts from the end
     * @return a new tensor, owned by the current {@code TensorScope} (else by the caller), x's shape
     */
    public static Tensor apply(Tensor x, int axis) {
        Checks.floating("log_softmax", "x", Tensor.requireOpen("log_softmax", "x", x).dtype());
        int a = x.shape().normalizeAxis(axis);
        NdArray y = NdArray.zeros(x.dtype(), x.shape());
        x.backend().reductions().logSoftmax(x.data(), a, y);
        return Tensor.result(y, x.backend(), new Node(x) {
            @Override
            public String name() {
                return "log_softmax";
            }

            @Override
            protected void backward(Backend be, NdArray g, GradientSink sink) {
                if (!sink.wants(0)) {
                    return;
                }
                NdArray gx = NdArray.zeros(g.dtype(), g.shape());
                try (NdArray gsum = NdArray.zeros(g.dtype(), g.shape().with(a, 1))) {
                    be.reductions().sum(g, a, gsum);
                    be.elementwise().unary(UnaryOp.EXP, y, gx);
                    be.elementwise().mul(gx, gsum, gx);
                    be.elementwise().binary(BinaryOp.SUB, g, gx, gx);
                }
                sink.accept(0, gx);
            }
        });
    }
}
