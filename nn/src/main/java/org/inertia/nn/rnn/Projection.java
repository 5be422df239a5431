package org.inertia.nn.rnn;

import org.inertia.kernels.Backend;
import org.inertia.kernels.BinaryOp;
import org.inertia.kernels.Dtype;
import org.inertia.kernels.NdArray;
import org.inertia.nn.autograd.Node;
import org.inertia.nn.autograd.Tensor;

/**
 * The input projection of a whole sequence, P = X·W_ihᵀ + b_ih for X [B, T, I] as ONE GEMM
 * ([B·T, I] × [I, N]), handed out one time step at a time ({@link #step}).
 *
 * <p>This is the step-by-step path ({@link RecurrentCell#sequenceByStep}: RNN, GRU, MomentumRNN, and
 * the reference for the fused LSTM family). A node must hand each input a gradient of that input's full
 * shape; slicing step t out of a [B, T, N] tensor would therefore cost a [B, T, N] gradient per step,
 * O(T²) over a sequence. Instead the projection's node outputs a one-element
 * <em>token</em>; each step is a view of P whose node writes its gradient into row block t of a shared
 * ∂P buffer and hands the token a zero. Reverse topological order runs the token's node after every
 * step that used it, when ∂P is complete, and there the backward is again one GEMM per operand:
 * ∂W_ih = ∂Pᵀ·X, ∂X = ∂P·W_ih, ∂b_ih = Σ_rows ∂P.
 */
public final class Projection {
    private final Tensor values; // P [B, T, N], owned by the scope like any op result
    private final Tensor token;
    private final int steps;
    private NdArray gradP; // ∂L/∂P, filled by the steps' backward, consumed by the token's

    private Projection(Tensor x, Tensor w, Tensor b) {
        RecurrentOps.checkProjection(x, w, b);
        Backend be = x.backend();
        Dtype dt = x.dtype();
        int rows = x.shape().dim(0);
        steps = x.shape().dim(1);
        int in = x.shape().dim(2);
        int n = w.shape().dim(0);
        NdArray xFlat = NdArray.zeros(dt, rows * steps, in); // contiguous copy: X as a matrix for both GEMMs
        be.blas1().copy(x.data(), xFlat.reshape(rows, steps, in));
        NdArray p = NdArray.zeros(dt, rows, steps, n);
        NdArray pFlat = p.reshape(rows * steps, n);
        if (b != null) {
            be.elementwise().binary(BinaryOp.ADD, pFlat, b.data(), pFlat);
        }
        be.gemm().gemm(false, true, 1, xFlat, w.data(), b != null ? 1 : 0, pFlat);
        values = RecurrentOps.owned(be, p);
        Tensor[] inputs = b == null ? new Tensor[] {x, w} : new Tensor[] {x, w, b};
        token = Tensor.result(NdArray.scalar(dt, 0), be, new Node(inputs) {
            @Override
            public String name() {
                return "input-projection";
            }

            @Override
            protected void backward(Backend bk, NdArray g, GradientSink sink) {
                if (gradP == null) {
                    return;
                }
                NdArray gFlat = gradP.reshape(rows * steps, n);
                if (sink.wants(0)) {
                    NdArray gx = NdArray.zeros(dt, rows, steps, in);
                    bk.gemm().gemm(false, false, 1, gFlat, w.data(), 0, gx.reshape(rows * steps, in));
                    sink.accept(0, gx);
                }
                if (sink.wants(1)) {
                    NdArray gw = NdArray.zeros(dt, w.shape());
                    bk.gemm().gemm(true, false, 1, gFlat, xFlat, 0, gw);
                    sink.accept(1, gw);
                }
                if (b != null && sink.wants(2)) {
                    NdArray gb = NdArray.zeros(dt, b.shape());
                    bk.reductions().sum(gFlat, 0, gb);
                    sink.accept(2, gb);
                }
                gradP.close();
                gradP = null;
            }

            @Override
            protected void release() {
                xFlat.close();
                if (gradP != null) {
                    gradP.close();
                    gradP = null;
                }
            }
        });
    }

    /**
     * Projects every step of x [B, T, I] with W [N, I] and b [N] (b may be null).
     *
     * @param x the batch-first input sequence [B, T, I]
     * @param w the input weight W_ih [N, I]
     * @param b the input bias b_ih [N], or null for none
     * @return the projection; P and its graph node are owned by the current scope
     * @throws IllegalArgumentException if the shapes do not fit together
     */
    public static Projection of(Tensor x, Tensor w, Tensor b) {
        return new Projection(x, w, b);
    }

    /**
     * Number of time steps.
     *
     * @return T
     */
    public int steps() {
        return steps;
    }

    /**
     * P[:, t, :] as a [B, N] tensor (a view of P) whose gradient flows back through the shared GEMMs.
     *
     * @param t the time step, in [0, {@link #steps()})
     * @return a new tensor viewing P's step t, owned like any op result
     */
    public Tensor step(int t) {
        NdArray view = values.data().select(1, t);
        return Tensor.result(view, values.backend(), new Node(token) {
            @Override
            public String name() {
                return "projection-step";
            }

            @Override
            protected void backward(Backend bk, NdArray g, GradientSink sink) {
                if (gradP == null) {
                    gradP = NdArray.zeros(g.dtype(), values.shape());
                }
                NdArray block = gradP.select(1, t);
                bk.elementwise().add(block, g, block);
                sink.accept(0, NdArray.zeros(g.dtype()));
            }
        });
    }
}
