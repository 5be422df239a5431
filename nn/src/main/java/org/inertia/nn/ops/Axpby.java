package org.inertia.nn.ops;

import org.inertia.kernels.Backend;
import org.inertia.kernels.BinaryOp;
import org.inertia.kernels.Checks;
import org.inertia.kernels.NdArray;
import org.inertia.nn.autograd.Node;
import org.inertia.nn.autograd.Tensor;

/** y = α·a + β·b for equally shaped a, b and scalar constants α, β; ∂L/∂a = α·g, ∂L/∂b = β·g. */
public final class Axpby {
    private Axpby() {
    }

    /**
     * α·a + β·b.
     *
     * @param alpha the scalar α
     * @param a the first operand
     * @param beta the scalar β
     * @param b the second operand, same shape and dtype as {@code a}
     * @return a new tensor, owned by the current {@code TensorScope} (else by the caller)
     */
    public static Tensor apply(double alpha, Tensor a, double beta, Tensor b) {
        Checks.floating("axpby", "a", Tensor.requireOpen("axpby", "a", a).dtype());
        Checks.floating("axpby", "b", Tensor.requireOpen("axpby", "b", b).dtype());
        Checks.sameDtype("axpby", "a", a.dtype(), "b", b.dtype());
        Checks.sameBackend("axpby", "a", a.backend(), "b", b.backend());
        if (!a.shape().equals(b.shape())) {
            throw new IllegalArgumentException("axpby needs equal shapes, got " + a.shape() + " and " + b.shape());
        }
        Backend be = a.backend();
        NdArray y = NdArray.zeros(a.dtype(), a.shape());
        try (NdArray t = NdArray.zeros(a.dtype(), a.shape())) {
            be.elementwise().binaryScalar(BinaryOp.MUL, a.data(), alpha, y);
            be.elementwise().binaryScalar(BinaryOp.MUL, b.data(), beta, t);
            be.elementwise().add(y, t, y);
        }
        return Tensor.result(y, be, new Node(a, b) {
            @Override
            public String name() {
                return "axpby";
            }

            @Override
            protected void backward(Backend bk, NdArray g, GradientSink sink) {
                for (int i = 0; i < 2; i++) {
                    if (sink.wants(i)) {
                        NdArray gi = NdArray.zeros(g.dtype(), g.shape());
                        bk.elementwise().binaryScalar(BinaryOp.MUL, g, i == 0 ? alpha : beta, gi);
                        sink.accept(i, gi);
                    }
                }
            }
        });
    }

    /**
     * α·a.
     *
     * @param alpha the scalar α
     * @param a the operand
     * @return a new tensor, owned by the current {@code TensorScope} (else by the caller)
     */
    public static Tensor scale(double alpha, Tensor a) {
        Checks.floating("scale", "a", Tensor.requireOpen("scale", "a", a).dtype());
        Backend be = a.backend();
        NdArray y = NdArray.zeros(a.dtype(), a.shape());
        be.elementwise().binaryScalar(BinaryOp.MUL, a.data(), alpha, y);
        return Tensor.result(y, be, new Node(a) {
            @Override
            public String name() {
                return "scale";
            }

            @Override
            protected void backward(Backend bk, NdArray g, GradientSink sink) {
                if (sink.wants(0)) {
                    NdArray gi = NdArray.zeros(g.dtype(), g.shape());
                    bk.elementwise().binaryScalar(BinaryOp.MUL, g, alpha, gi);
                    sink.accept(0, gi);
                }
            }
        });
    }
}
