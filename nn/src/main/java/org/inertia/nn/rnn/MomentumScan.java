package org.inertia.nn.rnn;

import org.inertia.kernels.Backend;
import org.inertia.kernels.BinaryOp;
import org.inertia.kernels.Dtype;
import org.inertia.kernels.NdArray;
import org.inertia.nn.autograd.MultiOutputNode;
import org.inertia.nn.autograd.Tensor;

/**
 * The momentum recurrence of the MomentumRNN family over a whole time-major sequence as one node:
 * v_t = a_t·v_{t−1} + b·u_t for u [T, B, N] from v_0 [B, N] (null: zero), with a per-step coefficient
 * a_t (μ for MomentumLSTM and AdamLSTM's first moment, β for its second moment, the restarting
 * (k−1)/(k+2) for SRLSTM) and b (s, or 1 − β). It does not involve h, so the cells compute it for all
 * steps before the recurrent loop. Outputs: V [T, B, N] and v_T. Backward is the reverse scan:
 * r ← r + ∂V_t, ∂u_t = b·r, r ← a_t·r from r = ∂v_T, ending with ∂v_0 = r. Rows of the batch are
 * independent, so both scans run one task per block of rows ({@link Backend#parallel}).
 */
final class MomentumScan {
    private MomentumScan() {
    }

    /** V and the final v_T. */
    record Result(Tensor values, Tensor last) {
    }

    static Result apply(Tensor u, Tensor v0, double[] a, double b) {
        int steps = u.shape().dim(0);
        if (u.shape().rank() != 3 || a.length != steps
                || (v0 != null && !v0.shape().equals(u.shape().without(0)))) {
            throw new IllegalArgumentException("momentum scan needs u [T, B, N], v0 [B, N] and T coefficients; got u "
                    + u.shape() + (v0 == null ? "" : ", v0 " + v0.shape()) + ", " + a.length + " coefficients");
        }
        Backend be = u.backend();
        Dtype dt = u.dtype();
        NdArray v = NdArray.empty(dt, u.shape().dims());
        int rowsTotal = u.shape().dim(1);
        int chunks = Math.max(1, Math.min(be.parallelism(), rowsTotal / 8));
        try (NdArray carried = NdArray.empty(dt, u.shape().without(0).dims())) {
            be.parallel(chunks, task -> { // rows are independent recurrences: one task per block of rows
                int r0 = rowsTotal * task / chunks;
                int r1 = rowsTotal * (task + 1) / chunks;
                NdArray tmp = carried.slice(0, r0, r1);
                for (int t = 0; t < steps; t++) {
                    NdArray vt = v.select(0, t).slice(0, r0, r1);
                    be.elementwise().binaryScalar(BinaryOp.MUL, u.data().select(0, t).slice(0, r0, r1), b, vt);
                    NdArray prev = t == 0 ? (v0 == null ? null : v0.data()) : v.select(0, t - 1);
                    if (prev != null && a[t] != 0) {
                        be.elementwise().binaryScalar(BinaryOp.MUL, prev.slice(0, r0, r1), a[t], tmp);
                        be.elementwise().add(vt, tmp, vt);
                    }
                }
            });
        }
        NdArray last = NdArray.empty(dt, u.shape().without(0).dims());
        be.blas1().copy(v.select(0, steps - 1), last);
        Tensor[] in = v0 == null ? new Tensor[] {u} : new Tensor[] {u, v0};
        Tensor[] out = Tensor.results(new NdArray[] {v, last}, be, new MultiOutputNode(in) {
            @Override
            public String name() {
                return "momentum-scan";
            }

            @Override
            protected void backward(Backend bk, NdArray[] g, GradientSink sink) {
                NdArray r = NdArray.zeros(dt, u.shape().without(0));
                NdArray du = sink.wants(0) ? NdArray.empty(dt, u.shape().dims()) : null;
                try {
                    if (g[1] != null) {
                        bk.blas1().copy(g[1], r);
                    }
                    NdArray rAll = r;
                    NdArray duAll = du;
                    int chunksBack = Math.max(1, Math.min(bk.parallelism(), rowsTotal / 8));
                    bk.parallel(chunksBack, task -> {
                        int r0 = rowsTotal * task / chunksBack;
                        int r1 = rowsTotal * (task + 1) / chunksBack;
                        NdArray rr = rAll.slice(0, r0, r1);
                        for (int t = steps - 1; t >= 0; t--) {
                            if (g[0] != null) {
                                bk.elementwise().add(rr, g[0].select(0, t).slice(0, r0, r1), rr);
                            }
                            if (duAll != null) {
                                bk.elementwise().binaryScalar(BinaryOp.MUL, rr, b, duAll.select(0, t).slice(0, r0, r1));
                            }
                            bk.elementwise().binaryScalar(BinaryOp.MUL, rr, a[t], rr);
                        }
                    });
                    if (du != null) {
                        sink.accept(0, du);
                        du = null;
                    }
                    if (v0 != null && sink.wants(1)) {
                        sink.accept(1, r);
                        r = null;
                    }
                } finally {
                    if (r != null) {
                        r.close();
                    }
                    if (du != null) {
                        du.close();
                    }
                }
            }
        });
        return new Result(out[0], out[1]);
    }
}
