package org.inertia.nn.ops;

import org.inertia.kernels.Backend;
import org.inertia.kernels.BinaryOp;
import org.inertia.kernels.Checks;
import org.inertia.kernels.NdArray;
import org.inertia.kernels.Shape;
import org.inertia.kernels.UnaryOp;
import org.inertia.nn.autograd.Node;
import org.inertia.nn.autograd.Tensor;

/**
 * a + b, a − b, a ⊙ b, a / b with NumPy broadcasting. Backward sums each input's gradient over the
 * dimensions it was broadcast along: ∂(a⊙b)/∂a = g⊙b, ∂(a/b)/∂b = −g⊙a/b².
 */
public final class Arithmetic {
    private Arithmetic() {
    }

    /**
     * Elementwise a + b, with NumPy broadcasting.
     *
     * @param a the left operand
     * @param b the right operand; broadcast against {@code a}, same dtype
     * @return a new tensor, owned by the current {@code TensorScope} (else by the caller), of the broadcast shape
     * @throws IllegalArgumentException if the shapes do not broadcast or the dtypes differ
     */
    public static Tensor add(Tensor a, Tensor b) {
        return apply(BinaryOp.ADD, a, b);
    }

    /**
     * Elementwise a − b, with NumPy broadcasting.
     *
     * @param a the left operand
     * @param b the right operand; broadcast against {@code a}, same dtype
     * @return a new tensor, owned by the current {@code TensorScope} (else by the caller), of the broadcast shape
     * @throws IllegalArgumentException if the shapes do not broadcast or the dtypes differ
     */
    public static Tensor sub(Tensor a, Tensor b) {
        return apply(BinaryOp.SUB, a, b);
    }

    /**
     * Elementwise a ⊙ b, with NumPy broadcasting.
     *
     * @param a the left operand
     * @param b the right operand; broadcast against {@code a}, same dtype
     * @return a new tensor, owned by the current {@code TensorScope} (else by the caller), of the broadcast shape
     * @throws IllegalArgumentException if the shapes do not broadcast or the dtypes differ
     */
    public static Tensor mul(Tensor a, Tensor b) {
        return apply(BinaryOp.MUL, a, b);
    }

    /**
     * Elementwise a / b, with NumPy broadcasting.
     *
     * @param a the left operand
     * @param b the right operand; broadcast against {@code a}, same dtype
     * @return a new tensor, owned by the current {@code TensorScope} (else by the caller), of the broadcast shape
     * @throws IllegalArgumentException if the shapes do not broadcast or the dtypes differ
     */
    public static Tensor div(Tensor a, Tensor b) {
        return apply(BinaryOp.DIV, a, b);
    }

    private static Tensor apply(BinaryOp op, Tensor a, Tensor b) {
        String where = op.name().toLowerCase();
        Checks.floating(where, "a", Tensor.requireOpen(where, "a", a).dtype());
        Checks.floating(where, "b", Tensor.requireOpen(where, "b", b).dtype());
        Checks.sameDtype(where, "a", a.dtype(), "b", b.dtype());
        Checks.sameBackend(where, "a", a.backend(), "b", b.backend());
        Shape shape = Shape.broadcast(a.shape(), b.shape());
        NdArray out = NdArray.zeros(a.dtype(), shape);
        a.backend().elementwise().binary(op, a.data(), b.data(), out);
        return Tensor.result(out, a.backend(), new Binary(op, a, b));
    }

    private static final class Binary extends Node {
        private final BinaryOp op;

        Binary(BinaryOp op, Tensor a, Tensor b) {
            super(a, b);
            this.op = op;
        }

        @Override
        public String name() {
            return op.name().toLowerCase();
        }

        @Override
        protected void backward(Backend be, NdArray g, GradientSink sink) {
            NdArray a = inputs()[0].data();
            NdArray b = inputs()[1].data();
            if (sink.wants(0)) {
                NdArray ga = NdArray.zeros(g.dtype(), g.shape());
                switch (op) {
                    case ADD, SUB -> be.blas1().copy(g, ga);
                    case MUL -> be.elementwise().mul(g, b, ga);
                    case DIV -> be.elementwise().div(g, b, ga);
                    default -> throw new IllegalStateException(op.name());
                }
                sink.accept(0, Broadcasting.reduceTo(be, ga, a.shape()));
            }
            if (sink.wants(1)) {
                NdArray gb = NdArray.zeros(g.dtype(), g.shape());
                switch (op) {
                    case ADD -> be.blas1().copy(g, gb);
                    case SUB -> be.elementwise().unary(UnaryOp.NEG, g, gb);
                    case MUL -> be.elementwise().mul(g, a, gb);
                    case DIV -> { // −g·a / b²
                        be.elementwise().mul(g, a, gb);
                        be.elementwise().binary(BinaryOp.DIV, gb, b, gb);
                        be.elementwise().binary(BinaryOp.DIV, gb, b, gb);
                        be.elementwise().unary(UnaryOp.NEG, gb, gb);
                    }
                    default -> throw new IllegalStateException(op.name());
                }
                sink.accept(1, Broadcasting.reduceTo(be, gb, b.shape()));
            }
        }
    }
}
