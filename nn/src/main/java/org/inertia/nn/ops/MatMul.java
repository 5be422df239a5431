package org.inertia.nn.ops;

import org.inertia.kernels.Backend;
import org.inertia.kernels.Checks;
import org.inertia.kernels.NdArray;
import org.inertia.nn.autograd.Node;
import org.inertia.nn.autograd.Tensor;

/**
 * C = A·B for matrices; ∂L/∂A = G·Bᵀ and ∂L/∂B = Aᵀ·G, each one GEMM with a transpose flag, which adds
 * (β = 1) straight into a leaf's existing gradient ({@link Node.GradientSink#accumulator}).
 */
public final class MatMul {
    private MatMul() {
    }

    /**
     * The matrix product a·b.
     *
     * @param a the left matrix [M, K]
     * @param b the right matrix [K, N], same dtype and backend
     * @return a new tensor, owned by the current {@code TensorScope} (else by the caller), [M, N]
     * @throws IllegalArgumentException if the operands are not matrices or K differs
     */
    public static Tensor apply(Tensor a, Tensor b) {
        Checks.floating("matmul", "a", Tensor.requireOpen("matmul", "a", a).dtype());
        Checks.floating("matmul", "b", Tensor.requireOpen("matmul", "b", b).dtype());
        Checks.sameDtype("matmul", "a", a.dtype(), "b", b.dtype());
        Checks.sameBackend("matmul", "a", a.backend(), "b", b.backend());
        if (a.shape().rank() != 2 || b.shape().rank() != 2 || a.shape().dim(1) != b.shape().dim(0)) {
            throw new IllegalArgumentException("matmul needs matrices [m, k] and [k, n], got " + a.shape() + " and "
                    + b.shape());
        }
        NdArray out = NdArray.empty(a.dtype(), a.shape().dim(0), b.shape().dim(1)); // β = 0 writes it all
        a.backend().gemm().gemm(false, false, 1, a.data(), b.data(), 0, out);
        return Tensor.result(out, a.backend(), new Node(a, b) {
            @Override
            public String name() {
                return "matmul";
            }

            @Override
            protected void backward(Backend be, NdArray g, GradientSink sink) {
                NdArray ad = inputs()[0].data();
                NdArray bd = inputs()[1].data();
                if (sink.wants(0)) { // ∂A = G·Bᵀ, added straight into A's gradient where the engine allows
                    NdArray acc = sink.accumulator(0);
                    NdArray ga = acc != null ? acc : NdArray.empty(g.dtype(), ad.shape().dims());
                    be.gemm().gemm(false, true, 1, g, bd, acc != null ? 1 : 0, ga);
                    if (acc == null) {
                        sink.accept(0, ga);
                    }
                }
                if (sink.wants(1)) { // ∂B = Aᵀ·G
                    NdArray acc = sink.accumulator(1);
                    NdArray gb = acc != null ? acc : NdArray.empty(g.dtype(), bd.shape().dims());
                    be.gemm().gemm(true, false, 1, ad, g, acc != null ? 1 : 0, gb);
                    if (acc == null) {
                        sink.accept(1, gb);
                    }
                }
            }
        });
    }
}
