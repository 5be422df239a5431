package org.inertia.nn.rnn;

import java.util.List;
import org.inertia.kernels.Backend;
import org.inertia.kernels.BinaryOp;
import org.inertia.kernels.Dtype;
import org.inertia.kernels.NdArray;
import org.inertia.kernels.UnaryOp;
import org.inertia.nn.autograd.Node;
import org.inertia.nn.autograd.Tensor;

/**
 * The primitive ops recurrent cells are built of, each one node with its backward: the affine map of
 * a step, the fused LSTM pointwise part, the momentum recurrences, and stacking steps into a sequence.
 */
public final class RecurrentOps {
    private RecurrentOps() {
    }

    /**
     * base + x·Wᵀ + b for x [B, K], W [N, K], b [N], base [B, N] (base and b may be null). One GEMM
     * forward, two backward: ∂x = G·W, ∂W = Gᵀ·x, ∂b = Σ_rows G, ∂base = G.
     *
     * @param base an addend [B, N] (e.g. the input term of a step), or null
     * @param x    the rows to transform [B, K]
     * @param w    the weight [N, K]
     * @param b    the bias [N], or null
     * @return a new tensor [B, N], owned like any op result
     * @throws IllegalArgumentException if the shapes do not fit together
     */
    public static Tensor affine(Tensor base, Tensor x, Tensor w, Tensor b) {
        // ranks first: a dimension is read only once its operand's rank is known to have it
        if (x.shape().rank() != 2 || w.shape().rank() != 2 || w.shape().dim(1) != x.shape().dim(1)
                || (b != null && (b.shape().rank() != 1 || b.shape().dim(0) != w.shape().dim(0)))
                || (base != null && (base.shape().rank() != 2 || base.shape().dim(0) != x.shape().dim(0)
                        || base.shape().dim(1) != w.shape().dim(0)))) {
            throw new IllegalArgumentException("affine needs x [B, K], W [N, K], b [N], base [B, N]; got x " + x.shape()
                    + ", W " + w.shape() + (b == null ? "" : ", b " + b.shape())
                    + (base == null ? "" : ", base " + base.shape()));
        }
        int rows = x.shape().dim(0);
        int n = w.shape().dim(0);
        Backend be = x.backend();
        NdArray out = NdArray.zeros(x.dtype(), rows, n);
        if (base != null) {
            be.blas1().copy(base.data(), out);
        }
        if (b != null) {
            be.elementwise().binary(BinaryOp.ADD, out, b.data(), out);
        }
        be.gemm().gemm(false, true, 1, x.data(), w.data(), base != null || b != null ? 1 : 0, out);
        int ix = base == null ? 0 : 1;
        Tensor[] in = base == null ? (b == null ? new Tensor[] {x, w} : new Tensor[] {x, w, b})
                : (b == null ? new Tensor[] {base, x, w} : new Tensor[] {base, x, w, b});
        return Tensor.result(out, be, new Node(in) {
            @Override
            public String name() {
                return "affine";
            }

            @Override
            protected void backward(Backend bk, NdArray g, GradientSink sink) {
                if (base != null && sink.wants(0)) {
                    NdArray gb = NdArray.zeros(g.dtype(), g.shape());
                    bk.blas1().copy(g, gb);
                    sink.accept(0, gb);
                }
                if (sink.wants(ix)) {
                    NdArray gx = NdArray.zeros(g.dtype(), x.shape());
                    bk.gemm().gemm(false, false, 1, g, w.data(), 0, gx);
                    sink.accept(ix, gx);
                }
                if (sink.wants(ix + 1)) {
                    NdArray gw = NdArray.zeros(g.dtype(), w.shape());
                    bk.gemm().gemm(true, false, 1, g, x.data(), 0, gw);
                    sink.accept(ix + 1, gw);
                }
                if (b != null && sink.wants(ix + 2)) {
                    NdArray gbias = NdArray.zeros(g.dtype(), b.shape());
                    bk.reductions().sum(g, 0, gbias);
                    sink.accept(ix + 2, gbias);
                }
            }
        });
    }

    /** Checks x [B, T, I], W [N, I] and b [N] (b may be null) for an input projection. */
    static void checkProjection(Tensor x, Tensor w, Tensor b) {
        if (x.shape().rank() != 3 || w.shape().rank() != 2 || w.shape().dim(1) != x.shape().dim(2)
                || (b != null && (b.shape().rank() != 1 || b.shape().dim(0) != w.shape().dim(0)))) {
            throw new IllegalArgumentException("projection needs x [B, T, I], W [N, I], b [N]; got x " + x.shape()
                    + ", W " + w.shape() + (b == null ? "" : ", b " + b.shape()));
        }
    }

    /**
     * The input projection of a whole batch-first sequence x [B, T, I] as ONE GEMM, returned time-major:
     * P [T, B, N] with P_t = x_t·Wᵀ + b for W [N, I], b [N] (b may be null). Backward is again one GEMM
     * per operand over all steps: ∂x = ∂P·W, ∂W = ∂Pᵀ·x, ∂b = Σ_{t,b} ∂P.
     *
     * @param x the batch-first input sequence [B, T, I]
     * @param w the weight [N, I]
     * @param b the bias [N], or null
     * @return a new time-major tensor [T, B, N], owned like any op result
     * @throws IllegalArgumentException if the shapes do not fit together
     */
    public static Tensor projectTimeMajor(Tensor x, Tensor w, Tensor b) {
        checkProjection(x, w, b);
        Backend be = x.backend();
        Dtype dt = x.dtype();
        int rows = x.shape().dim(0);
        int steps = x.shape().dim(1);
        int in = x.shape().dim(2);
        int n = w.shape().dim(0);
        NdArray xt = NdArray.empty(dt, steps, rows, in); // x time-major, as a [T·B, I] matrix for both GEMMs
        be.blas1().copy(x.data().transpose(0, 1), xt);
        NdArray xFlat = xt.reshape(steps * rows, in);
        NdArray p = NdArray.empty(dt, steps, rows, n);
        NdArray pFlat = p.reshape(steps * rows, n);
        be.gemm().gemm(false, true, 1, xFlat, w.data(), 0, pFlat); // β = 0: the uninitialised P is not read
        if (b != null) { // split over time steps: P is [T, B, 4H], 103 MB for the pixel-by-pixel LSTM-128
            int tasks = Math.min(steps, be.parallelism());
            be.parallel(tasks, task -> {
                int t0 = (int) ((long) steps * task / tasks);
                int t1 = (int) ((long) steps * (task + 1) / tasks);
                NdArray part = p.slice(0, t0, t1).reshape((t1 - t0) * rows, n);
                be.elementwise().binary(BinaryOp.ADD, part, b.data(), part);
            });
        }
        Tensor[] inputs = b == null ? new Tensor[] {x, w} : new Tensor[] {x, w, b};
        return Tensor.result(p, be, new Node(inputs) {
            @Override
            public String name() {
                return "input-projection";
            }

            @Override
            protected void backward(Backend bk, NdArray g, GradientSink sink) {
                NdArray gCopy = g.isContiguous() ? null : g.copy();
                NdArray gFlat = (gCopy == null ? g : gCopy).reshape(steps * rows, n);
                if (sink.wants(0)) {
                    try (NdArray gxt = NdArray.empty(dt, steps, rows, in)) {
                        bk.gemm().gemm(false, false, 1, gFlat, w.data(), 0, gxt.reshape(steps * rows, in));
                        NdArray gx = NdArray.empty(dt, rows, steps, in);
                        bk.blas1().copy(gxt.transpose(0, 1), gx);
                        sink.accept(0, gx);
                    }
                }
                if (sink.wants(1)) {
                    NdArray gw = NdArray.empty(dt, w.shape().dims());
                    bk.gemm().gemm(true, false, 1, gFlat, xFlat, 0, gw);
                    sink.accept(1, gw);
                }
                if (b != null && sink.wants(2)) {
                    NdArray gb = NdArray.empty(dt, b.shape().dims());
                    bk.reductions().sum(gFlat, 0, gb);
                    sink.accept(2, gb);
                }
                if (gCopy != null) {
                    gCopy.close();
                }
            }

            @Override
            protected void release() {
                xt.close();
            }
        });
    }

    /**
     * The LSTM pointwise part as one node over the fused gate kernels: from gates [B, 4H] (i, f, g, o)
     * and cPrev [B, H], returns [2, B, H] holding h' (index 0) and c' (index 1). Saves the activated
     * gates and tanh(c') for backward.
     *
     * @param gates the gate pre-activations [B, 4H], in PyTorch's order i, f, g, o
     * @param cPrev the previous memory c [B, H]
     * @return a new tensor [2, B, H] holding h' and c', owned like any op result ({@link #pick} splits it)
     * @throws IllegalArgumentException if cPrev is not rank 2, or gates is not [B, 4H] for cPrev [B, H]
     */
    public static Tensor lstmPointwise(Tensor gates, Tensor cPrev) {
        if (cPrev.shape().rank() != 2) {
            throw new IllegalArgumentException("LSTM cPrev must be [B, H] (rank 2), got " + cPrev.shape()
                    + " (gates " + gates.shape() + ")");
        }
        int rows = cPrev.shape().dim(0);
        int hid = cPrev.shape().dim(1);
        if (gates.shape().rank() != 2 || gates.shape().dim(0) != rows || gates.shape().dim(1) != 4 * hid) {
            throw new IllegalArgumentException("LSTM gates must be [B, 4H] for cPrev [B, H]: gates " + gates.shape()
                    + ", cPrev " + cPrev.shape());
        }
        Backend be = gates.backend();
        Dtype dt = gates.dtype();
        NdArray out = NdArray.zeros(dt, 2, rows, hid);
        NdArray act = NdArray.zeros(dt, rows, 4 * hid);
        NdArray tanhC = NdArray.zeros(dt, rows, hid);
        be.lstmGates().forward(gates.data(), cPrev.data(), act, out.select(0, 1), tanhC, out.select(0, 0));
        return Tensor.result(out, be, new Node(gates, cPrev) {
            @Override
            public String name() {
                return "lstm-gates";
            }

            @Override
            protected void backward(Backend bk, NdArray g, GradientSink sink) {
                NdArray dGates = NdArray.zeros(dt, rows, 4 * hid);
                NdArray dcPrev = NdArray.zeros(dt, rows, hid);
                bk.lstmGates().backward(act, cPrev.data(), tanhC, g.select(0, 0), g.select(0, 1), dGates, dcPrev);
                if (sink.wants(0)) {
                    sink.accept(0, dGates);
                } else {
                    dGates.close();
                }
                if (sink.wants(1)) {
                    sink.accept(1, dcPrev);
                } else {
                    dcPrev.close();
                }
            }

            @Override
            protected void release() {
                act.close();
                tanhC.close();
            }
        });
    }

    /**
     * x[k] of a stacked [n, …] tensor (a copy); backward scatters into a zero gradient of x's shape.
     *
     * @param x the stacked tensor [n, …]
     * @param k the index along the first axis, in [0, n)
     * @return a new tensor of x's shape without the first axis, owned like any op result
     */
    public static Tensor pick(Tensor x, int k) {
        NdArray out = NdArray.zeros(x.dtype(), x.shape().without(0));
        x.backend().blas1().copy(x.data().select(0, k), out);
        return Tensor.result(out, x.backend(), new Node(x) {
            @Override
            public String name() {
                return "pick";
            }

            @Override
            protected void backward(Backend bk, NdArray g, GradientSink sink) {
                if (sink.wants(0)) {
                    NdArray gx = NdArray.zeros(g.dtype(), x.shape());
                    bk.blas1().copy(g, gx.select(0, k));
                    sink.accept(0, gx);
                }
            }
        });
    }

    /**
     * a·x + b·y with scalar a, b (x may be null, meaning zero): the momentum update v' = μv + s·u.
     *
     * @param a the factor of x (μ)
     * @param x the first operand (the previous momentum), or null for zero
     * @param b the factor of y (s)
     * @param y the second operand (the input term); sets the result's shape and dtype
     * @return a new tensor of y's shape, owned like any op result
     * @throws IllegalArgumentException if x is given and its shape differs from y's
     */
    public static Tensor linComb(double a, Tensor x, double b, Tensor y) {
        if (x != null && !x.shape().equals(y.shape())) {
            throw new IllegalArgumentException("linComb needs equal shapes, got " + x.shape() + " and " + y.shape());
        }
        Backend be = y.backend();
        NdArray out = NdArray.zeros(y.dtype(), y.shape());
        be.elementwise().binaryScalar(BinaryOp.MUL, y.data(), b, out);
        if (x != null && a != 0) {
            try (NdArray ax = NdArray.zeros(y.dtype(), y.shape())) {
                be.elementwise().binaryScalar(BinaryOp.MUL, x.data(), a, ax);
                be.elementwise().add(out, ax, out);
            }
        }
        Tensor[] in = x == null ? new Tensor[] {y} : new Tensor[] {y, x};
        return Tensor.result(out, be, new Node(in) {
            @Override
            public String name() {
                return "lincomb";
            }

            @Override
            protected void backward(Backend bk, NdArray g, GradientSink sink) {
                if (sink.wants(0)) {
                    NdArray gy = NdArray.zeros(g.dtype(), g.shape());
                    bk.elementwise().binaryScalar(BinaryOp.MUL, g, b, gy);
                    sink.accept(0, gy);
                }
                if (x != null && sink.wants(1)) {
                    NdArray gx = NdArray.zeros(g.dtype(), g.shape());
                    bk.elementwise().binaryScalar(BinaryOp.MUL, g, a, gx);
                    sink.accept(1, gx);
                }
            }
        });
    }

    /**
     * v / √(m + eps), AdamLSTM's normalized input; ∂v = g/d and ∂m = −½·g·v/d³ with d = √(m + eps).
     *
     * @param v   the momentum
     * @param m   the second moment, of v's shape, ≥ 0
     * @param eps added to m under the root, finite and ≥ 0
     * @return a new tensor of v's shape, owned like any op result
     * @throws IllegalArgumentException if eps is out of range or the shapes differ
     */
    public static Tensor rmsScale(Tensor v, Tensor m, double eps) {
        if (!(eps >= 0 && eps < Double.POSITIVE_INFINITY)) {
            throw new IllegalArgumentException("eps must be finite and >= 0, got " + eps);
        }
        if (!v.shape().equals(m.shape())) {
            throw new IllegalArgumentException("rmsScale needs equal shapes, got " + v.shape() + " and " + m.shape());
        }
        Backend be = v.backend();
        NdArray den = NdArray.zeros(v.dtype(), v.shape());
        be.elementwise().binaryScalar(BinaryOp.ADD, m.data(), eps, den);
        be.elementwise().unary(UnaryOp.SQRT, den, den);
        NdArray out = NdArray.zeros(v.dtype(), v.shape());
        be.elementwise().div(v.data(), den, out);
        return Tensor.result(out, be, new Node(v, m) {
            @Override
            public String name() {
                return "rms-scale";
            }

            @Override
            protected void backward(Backend bk, NdArray g, GradientSink sink) {
                if (sink.wants(0)) {
                    NdArray gv = NdArray.zeros(g.dtype(), g.shape());
                    bk.elementwise().div(g, den, gv);
                    sink.accept(0, gv);
                }
                if (sink.wants(1)) { // −½·g·out/d²
                    NdArray gm = NdArray.zeros(g.dtype(), g.shape());
                    bk.elementwise().mul(g, out, gm);
                    bk.elementwise().div(gm, den, gm);
                    bk.elementwise().div(gm, den, gm);
                    bk.elementwise().binaryScalar(BinaryOp.MUL, gm, -0.5, gm);
                    sink.accept(1, gm);
                }
            }

            @Override
            protected void release() {
                den.close();
            }
        });
    }

    /**
     * Steps h_t [B, H] stacked along a new time axis into [B, T, H] (batch first).
     *
     * @param steps the per-step tensors h_0 … h_{T−1}, each [B, H] of one dtype
     * @return a new tensor [B, T, H], owned like any op result
     * @throws IllegalArgumentException if {@code steps} is empty, or a step is not rank 2 or differs from the
     *                                  first in shape or dtype
     */
    public static Tensor stackSteps(List<Tensor> steps) {
        if (steps.isEmpty()) {
            throw new IllegalArgumentException("stackSteps needs at least one step, got none");
        }
        Tensor first = steps.get(0);
        for (int t = 0; t < steps.size(); t++) {
            Tensor step = steps.get(t);
            if (step.shape().rank() != 2 || !step.shape().equals(first.shape()) || step.dtype() != first.dtype()) {
                throw new IllegalArgumentException("stackSteps needs steps of one shape [B, H] and one dtype:"
                        + " step 0 is " + first.dtype() + " " + first.shape() + ", step " + t + " is "
                        + step.dtype() + " " + step.shape());
            }
        }
        int rows = first.shape().dim(0);
        int hid = first.shape().dim(1);
        NdArray out = NdArray.zeros(first.dtype(), rows, steps.size(), hid);
        for (int t = 0; t < steps.size(); t++) {
            first.backend().blas1().copy(steps.get(t).data(), out.select(1, t));
        }
        return Tensor.result(out, first.backend(), new Node(steps.toArray(Tensor[]::new)) {
            @Override
            public String name() {
                return "stack-steps";
            }

            @Override
            protected void backward(Backend bk, NdArray g, GradientSink sink) {
                for (int t = 0; t < steps.size(); t++) {
                    if (sink.wants(t)) {
                        NdArray gt = NdArray.zeros(g.dtype(), rows, hid);
                        bk.blas1().copy(g.select(1, t), gt);
                        sink.accept(t, gt);
                    }
                }
            }
        });
    }

    /**
     * A zero tensor owned by the current scope (no gradient): initial states.
     *
     * @param be    the backend the tensor's ops run on
     * @param dtype the element type
     * @param dims  the shape
     * @return a new zero tensor that requires no gradient, owned by the current scope
     */
    public static Tensor zeros(Backend be, Dtype dtype, int... dims) {
        return owned(be, NdArray.zeros(dtype, dims));
    }

    /** {@code data} as a tensor without gradient, owned (and closed) by the current scope. */
    static Tensor owned(Backend be, NdArray data) {
        return Tensor.result(data, be, new Node() {
            @Override
            public String name() {
                return "zeros";
            }

            @Override
            protected void backward(Backend bk, NdArray g, GradientSink sink) {
            }
        });
    }
}
