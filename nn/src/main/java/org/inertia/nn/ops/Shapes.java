package org.inertia.nn.ops;

import java.util.Arrays;
import org.inertia.kernels.Backend;
import org.inertia.kernels.Checks;
import org.inertia.kernels.NdArray;
import org.inertia.kernels.Shape;
import org.inertia.nn.autograd.Node;
import org.inertia.nn.autograd.Tensor;

/**
 * Structural ops: reshape, transpose, slice, concatenation. Forward copies into a new contiguous array
 * (so every op result owns its memory and the scope can free it); backward routes the gradient back to
 * where each element came from.
 */
public final class Shapes {
    private Shapes() {
    }

    /**
     * The same elements in a new shape (one dimension may be −1); row-major order, like {@code torch.reshape}.
     *
     * @param x the input
     * @param dims the new dimensions, same element count; at most one may be −1 (inferred)
     * @return a new tensor, owned by the current {@code TensorScope} (else by the caller): a contiguous copy
     * @throws IllegalArgumentException if the element counts differ
     */
    public static Tensor reshape(Tensor x, int... dims) {
        Tensor.requireOpen("reshape", "x", x);
        Checks.present("reshape", "dims", dims);
        NdArray src = x.data().isContiguous() ? x.data() : x.data().copy();
        NdArray view = src.reshape(dims);
        NdArray out = NdArray.zeros(x.dtype(), view.shape());
        x.backend().blas1().copy(view, out);
        if (src != x.data()) {
            src.close();
        }
        Shape in = x.shape();
        return Tensor.result(out, x.backend(), new Node(x) {
            @Override
            public String name() {
                return "reshape";
            }

            @Override
            protected void backward(Backend be, NdArray g, GradientSink sink) {
                if (sink.wants(0)) {
                    NdArray gx = NdArray.zeros(g.dtype(), in);
                    NdArray gc = g.isContiguous() ? g : g.copy();
                    be.blas1().copy(gc.reshape(in.dims()), gx);
                    if (gc != g) {
                        gc.close();
                    }
                    sink.accept(0, gx);
                }
            }
        });
    }

    /**
     * Flattens all dimensions from {@code startAxis} on into one ({@code torch.flatten(x, startAxis)}).
     *
     * @param x the input
     * @param startAxis first axis to merge; negative counts from the end
     * @return a new tensor, owned by the current {@code TensorScope} (else by the caller), of rank startAxis + 1
     */
    public static Tensor flatten(Tensor x, int startAxis) {
        Tensor.requireOpen("flatten", "x", x);
        int s = x.shape().normalizeAxis(startAxis);
        int[] dims = new int[s + 1];
        for (int i = 0; i < s; i++) {
            dims[i] = x.shape().dim(i);
        }
        dims[s] = -1;
        if (x.shape().numel() == 0) {
            int rest = 1;
            for (int i = s; i < x.shape().rank(); i++) {
                rest *= x.shape().dim(i);
            }
            dims[s] = rest;
        }
        return reshape(x, dims);
    }

    /**
     * Axes {@code a} and {@code b} swapped (materialized contiguously).
     *
     * @param x the input
     * @param a the first axis
     * @param b the second axis
     * @return a new tensor, owned by the current {@code TensorScope} (else by the caller)
     */
    public static Tensor transpose(Tensor x, int a, int b) {
        Tensor.requireOpen("transpose", "x", x);
        NdArray out = NdArray.zeros(x.dtype(), x.data().transpose(a, b).shape());
        x.backend().blas1().copy(x.data().transpose(a, b), out);
        return Tensor.result(out, x.backend(), new Node(x) {
            @Override
            public String name() {
                return "transpose";
            }

            @Override
            protected void backward(Backend be, NdArray g, GradientSink sink) {
                if (sink.wants(0)) {
                    NdArray gx = NdArray.zeros(g.dtype(), x.shape());
                    be.blas1().copy(g.transpose(a, b), gx);
                    sink.accept(0, gx);
                }
            }
        });
    }

    /**
     * Elements {@code start … end−1} along {@code axis}.
     *
     * @param x the input
     * @param axis the axis to slice; negative counts from the end
     * @param start first index, inclusive
     * @param end last index, exclusive; {@code start <= end <= } the axis size
     * @return a copy of the same rank, that axis of size end − start: a new tensor, owned by the current
     *     {@code TensorScope} (else by the caller)
     */
    public static Tensor slice(Tensor x, int axis, int start, int end) {
        Tensor.requireOpen("slice", "x", x);
        int ax = x.shape().normalizeAxis(axis);
        NdArray view = x.data().slice(ax, start, end);
        NdArray out = NdArray.zeros(x.dtype(), view.shape());
        x.backend().blas1().copy(view, out);
        return Tensor.result(out, x.backend(), new Node(x) {
            @Override
            public String name() {
                return "slice";
            }

            @Override
            protected void backward(Backend be, NdArray g, GradientSink sink) {
                if (sink.wants(0)) {
                    NdArray gx = NdArray.zeros(g.dtype(), x.shape()); // zeros outside the slice
                    be.blas1().copy(g, gx.slice(ax, start, end));
                    sink.accept(0, gx);
                }
            }
        });
    }

    /**
     * The sub-tensor at {@code index} along {@code axis}, that axis removed.
     *
     * @param x the input
     * @param axis the axis; negative counts from the end
     * @param index position along the axis, in [0, size)
     * @return a new tensor, owned by the current {@code TensorScope} (else by the caller), of rank one less
     */
    public static Tensor select(Tensor x, int axis, int index) {
        Tensor.requireOpen("select", "x", x);
        int ax = x.shape().normalizeAxis(axis);
        return reshape(slice(x, ax, index, index + 1), x.shape().without(ax).dims());
    }

    /**
     * Tensors joined along {@code axis}; all other dimensions must agree ({@code torch.cat}).
     *
     * @param axis the axis to join along; negative counts from the end
     * @param parts at least one tensor; same rank, dtype and backend, equal dimensions off {@code axis}
     * @return a new tensor, owned by the current {@code TensorScope} (else by the caller)
     * @throws IllegalArgumentException if {@code parts} is empty or the shapes disagree
     */
    public static Tensor concat(int axis, Tensor... parts) {
        Checks.present("concat", "parts", parts);
        if (parts.length == 0) {
            throw new IllegalArgumentException("concat needs at least one tensor");
        }
        for (int i = 0; i < parts.length; i++) {
            Tensor.requireOpen("concat", "parts[" + i + "]", parts[i]);
            Checks.sameDtype("concat", "parts[0]", parts[0].dtype(), "parts[" + i + "]", parts[i].dtype());
            Checks.sameBackend("concat", "parts[0]", parts[0].backend(), "parts[" + i + "]", parts[i].backend());
        }
        Shape first = parts[0].shape();
        int ax = first.normalizeAxis(axis);
        int total = 0;
        for (Tensor p : parts) {
            if (p.shape().rank() != first.rank() || !p.shape().with(ax, 1).equals(first.with(ax, 1))) {
                throw new IllegalArgumentException("concat along axis " + axis + ": shapes " + Arrays.toString(
                        Arrays.stream(parts).map(Tensor::shape).toArray()) + " differ outside that axis");
            }
            total += p.shape().dim(ax);
        }
        NdArray out = NdArray.zeros(parts[0].dtype(), first.with(ax, total));
        int[] starts = new int[parts.length];
        int at = 0;
        for (int i = 0; i < parts.length; i++) {
            starts[i] = at;
            int len = parts[i].shape().dim(ax);
            parts[0].backend().blas1().copy(parts[i].data(), out.slice(ax, at, at + len));
            at += len;
        }
        return Tensor.result(out, parts[0].backend(), new Node(parts) {
            @Override
            public String name() {
                return "concat";
            }

            @Override
            protected void backward(Backend be, NdArray g, GradientSink sink) {
                for (int i = 0; i < parts.length; i++) {
                    if (sink.wants(i)) {
                        int len = parts[i].shape().dim(ax);
                        NdArray gi = NdArray.zeros(g.dtype(), parts[i].shape());
                        be.blas1().copy(g.slice(ax, starts[i], starts[i] + len), gi);
                        sink.accept(i, gi);
                    }
                }
            }
        });
    }
}
