package org.inertia.nn.ops;

import org.inertia.kernels.Backend;
import org.inertia.kernels.Checks;
import org.inertia.kernels.Dtype;
import org.inertia.kernels.NdArray;
import org.inertia.nn.autograd.GradMode;
import org.inertia.nn.autograd.Node;
import org.inertia.nn.autograd.Tensor;

/**
 * The index of the largest element along an axis ({@code torch.argmax(x, dim)}): an I32 tensor with that
 * axis removed, holding the first maximum's index (the first NaN's, if any). Indices have no gradient, so
 * the result is never part of the graph; it belongs to the current {@code TensorScope} like any op result.
 */
public final class Argmax {
    private Argmax() {
    }

    /**
     * argmax of {@code x} (F32 or F64) along {@code axis} (negative counts from the end).
     *
     * @throws IllegalArgumentException if {@code axis} is out of range for x's rank, or that axis is empty
     *
     * @param x the input
     * @param axis the axis; negative counts from the end
     * @return a new I32 tensor without gradient, owned like any op result
     */
    public static Tensor apply(Tensor x, int axis) {
        Checks.floating("argmax", "x", Tensor.requireOpen("argmax", "x", x).dtype());
        if (x.shape().rank() == 0 || axis < -x.shape().rank() || axis >= x.shape().rank()) {
            throw new IllegalArgumentException("argmax: axis " + axis + " is out of range for x of shape " + x.shape());
        }
        int a = x.shape().normalizeAxis(axis);
        if (x.shape().dim(a) == 0) {
            throw new IllegalArgumentException("argmax: axis " + axis + " of x " + x.shape() + " is empty");
        }
        NdArray out = NdArray.zeros(Dtype.I32, x.shape().without(a));
        try {
            x.backend().reductions().argmax(x.data(), a, out);
        } catch (RuntimeException e) {
            out.close();
            throw e;
        }
        try (var noGraph = GradMode.off()) {
            return Tensor.result(out, x.backend(), new Node(x) {
                @Override
                public String name() {
                    return "argmax";
                }

                @Override
                protected void backward(Backend backend, NdArray gradOutput, GradientSink sink) {
                    throw new IllegalStateException("argmax has no gradient"); // never recorded: built in GradMode.off
                }
            });
        }
    }
}
