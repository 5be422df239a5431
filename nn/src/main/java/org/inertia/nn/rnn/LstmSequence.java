package org.inertia.nn.rnn;

import java.util.ArrayList;
import java.util.List;
import org.inertia.kernels.Backend;
import org.inertia.kernels.BinaryOp;
import org.inertia.kernels.Dtype;
import org.inertia.kernels.NdArray;
import org.inertia.kernels.PackedGemmOperand;
import org.inertia.nn.autograd.MultiOutputNode;
import org.inertia.nn.autograd.Tensor;

/**
 * A whole LSTM layer over a sequence as ONE graph node, the way cuDNN runs it. Per step, from the input
 * term z_t, W_hh [4H, H], b_hh [4H] and the initial state h_0, c_0 [B, H]:
 *
 * <pre>
 *   gates_t = z_t + b_hh + h_{t−1}·W_hhᵀ        (one GEMM per step)
 *   (i, f, g, o) = (σ, σ, tanh, σ)(gates_t); c_t = f⊙c_{t−1} + i⊙g; h_t = o⊙tanh(c_t)   (one fused kernel)
 * </pre>
 *
 * The input term comes one of two ways:
 * <ul>
 *   <li>{@link #apply}: given for all steps as z [T, B, 4H] (time-major), computed before the loop: the
 *       AdamLSTM and RMSPropLSTM terms, whose second moment is not linear in u;</li>
 *   <li>{@link #applyProjected}: computed inside the loop from x_t, step by step: z_t = u_t = x_t·W_ihᵀ
 *       + b_ih for the LSTM, or MomentumLSTM's and SRLSTM's z_t = v_t = a_t·v_{t−1} + s·u_t (in closed form, from a
 *       momentum-filtered input: see there). Neither u nor v is ever held for all steps: for the
 *       pixel-by-pixel LSTM-128 (T = 784, B = 64) each is a 103 MB array that the two-pass form writes and
 *       reads back from memory several times (the projection, its bias, the momentum scan and its reverse,
 *       z + b_hh), where here each step's term is made in cache. The input-side gradients are still one GEMM
 *       or sum each over all steps.</li>
 * </ul>
 *
 * <p>The rows of the batch are independent recurrences, so both loops run as one task per block of rows
 * ({@link Backend#parallel}): threads never meet inside the sequence, where a per-step split of each
 * small GEMM would cost a hand-off per step.
 *
 * <p>Outputs: y [B, T, H] (every h_t, batch first), h_T and c_T (and v_T for MomentumLSTM). Backward
 * (BPTT over all T steps) walks t = T … 1 with one fused gate kernel and one GEMM per step,
 * ∂h_{t−1} = ∂gates_t·W_hh, and then computes the weight gradients with single GEMMs over all steps:
 * ∂W_hh = Σ_t ∂gates_tᵀ·h_{t−1} as one [4H, T·B]×[T·B, H] product, ∂b_hh = Σ_{t,b} ∂gates_t,
 * ∂z = ∂gates; with the term computed in the loop, the input-side gradients follow from ∂gates as
 * {@link #applyProjected} describes. Saved for backward: the activated gates, every c_t and tanh(c_t),
 * every h_t (about 7·T·B·H values), and x (or ξ) time-major.
 */
final class LstmSequence {
    private LstmSequence() {
    }

    /** The layer's outputs and final state; {@code vT} is MomentumLSTM's final v, null otherwise. */
    record Result(Tensor y, Tensor hT, Tensor cT, Tensor vT) {
    }

    /**
     * The momentum recurrence of the input term, v_t = a_t·v_{t−1} + s·u_t for t in [0, T): a_t = μ for
     * MomentumLSTM, SRLSTM's restarting (k−1)/(k+2).
     *
     * @param a the T coefficients a_t, each in [0, 1); not copied
     * @param s s, the step size scaling u
     */
    record Momentum(double[] a, double s) {
    }

    /**
     * The LSTM over a given input term z [T, B, 4H] (time-major).
     *
     * @return y, h_T and c_T (no v_T)
     */
    static Result apply(Tensor z, Tensor wHh, Tensor bHh, Tensor h0, Tensor c0) {
        int steps = z.shape().dim(0);
        int batch = z.shape().dim(1);
        int n = z.shape().dim(2);
        int hid = wHh.shape().dim(1);
        if (z.shape().rank() != 3 || wHh.shape().rank() != 2 || wHh.shape().dim(0) != n || n != 4 * hid) {
            throw new IllegalArgumentException("LSTM sequence needs z [T, B, 4H], W_hh [4H, H]; got z " + z.shape()
                    + ", W_hh " + wHh.shape());
        }
        checkRecurrent(batch, hid, bHh, h0, c0);
        Backend be = z.backend();
        LstmRecurrence saved = new LstmRecurrence(z.dtype(), steps, batch, n, hid);
        // z + b_hh for each step's rows in its task, rather than over all of z up front on one thread
        saved.forward(be, h0, c0, wHh, (b0, b1) -> (t, a) -> be.elementwise().binary(BinaryOp.ADD,
                LstmRecurrence.rows(z.data(), t, b0, b1), bHh.data(), a));
        Tensor[] out = Tensor.results(saved.outputs(be, null), be, new MultiOutputNode(z, wHh, bHh, h0, c0) {
            @Override
            public String name() {
                return "lstm-sequence";
            }

            @Override
            protected void backward(Backend bk, NdArray[] g, GradientSink sink) {
                NdArray dGates = saved.backward(bk, g, sink.wants(3), wHh, null);
                try {
                    saved.recurrentGradients(bk, dGates, sink, 1, 2, 3, 4, false);
                    if (sink.wants(0)) {
                        sink.accept(0, dGates); // ∂z = ∂gates, handed over without a copy
                        dGates = null;
                    }
                } finally {
                    if (dGates != null) {
                        dGates.close();
                    }
                }
            }

            @Override
            protected void release() {
                saved.close();
            }
        });
        return new Result(out[0], out[1], out[2], null);
    }

    /**
     * The LSTM (momentum null), MomentumLSTM or SRLSTM over x [B, T, I] with the input term computed inside
     * the loop: u_t = x_t·W_ihᵀ + b_ih, and z_t = u_t, or z_t = v_t = a_t·v_{t−1} + s·u_t from v_0 (null: 0).
     *
     * <p>v is linear in u, so it is never run as a recurrence over [B, 4H] blocks: with the momentum-filtered
     * input ξ_t = a_t·ξ_{t−1} + x_t (ξ_{−1} = 0; [T, B, I], a scan over the input, I = 1 for pixel MNIST),
     * c_t = a_t·c_{t−1} + 1 (c_{−1} = 0) and P_t = a_t·P_{t−1} (P_{−1} = 1; μ^{t+1} for a constant μ),
     * <pre>
     *   v_t = s·ξ_t·W_ihᵀ + s·c_t·b_ih + P_t·v_0
     * </pre>
     * so each step is the LSTM's own input term with ξ_t for x_t, α = s and a per-step bias. Backward, with
     * ∂z_t the gates' gradient and ∂v_T folded into the last step (∂z'_{T−1} = ∂z_{T−1} + ∂v_T):
     * ∂W_ih = s·Σ_t ∂z'_tᵀ·ξ_t (one GEMM over all steps), ∂b_ih = s·Σ_t c_t·Σ_b ∂z'_t, ∂v_0 = Σ_t
     * P_t·∂z'_t (a scan r ← a_t·(r + ∂z_t) inside the BPTT loop, only when v_0 wants a gradient) and
     * ∂x_t = s·ρ_t with ρ_t = ∂z'_t·W_ih + a_{t+1}·ρ_{t+1} (a scan over [T, B, I]). No [T, B, 4H] array
     * beyond the gates' own is written.
     *
     * @return y, h_T, c_T and (MomentumLSTM) v_T
     */
    static Result applyProjected(Tensor x, Tensor wIh, Tensor bIh, Momentum momentum, Tensor v0, Tensor wHh,
            Tensor bHh, Tensor h0, Tensor c0) {
        RecurrentOps.checkProjection(x, wIh, bIh);
        int batch = x.shape().dim(0);
        int steps = x.shape().dim(1);
        int in = x.shape().dim(2);
        int n = wIh.shape().dim(0);
        int hid = wHh.shape().dim(1);
        if (wHh.shape().rank() != 2 || wHh.shape().dim(0) != n || n != 4 * hid
                || (v0 != null && (momentum == null || !v0.shape().equals(org.inertia.kernels.Shape.of(batch, n))))) {
            throw new IllegalArgumentException("LSTM sequence needs W_ih [4H, I], W_hh [4H, H] and v0 [B, 4H] (with "
                    + "momentum only); got W_ih " + wIh.shape() + ", W_hh " + wHh.shape()
                    + (v0 == null ? "" : ", v0 " + v0.shape() + (momentum == null ? " without momentum" : "")));
        }
        checkRecurrent(batch, hid, bHh, h0, c0);
        Backend be = x.backend();
        Dtype dt = x.dtype();
        if (momentum != null && momentum.a().length != steps) {
            throw new IllegalArgumentException("momentum needs " + steps + " coefficients, got " + momentum.a().length);
        }
        double[] a = momentum == null ? new double[steps] : momentum.a(); // 0 for the LSTM
        double s = momentum == null ? 1 : momentum.s();
        double[] c = new double[steps]; // c_t = a_t·c_{t−1} + 1: all ones for the LSTM
        double[] p = new double[steps]; // P_t = a_t·P_{t−1} (P_{−1} = 1), v_0's weight in v_t
        for (int t = 0; t < steps; t++) {
            c[t] = (t == 0 ? 0 : a[t] * c[t - 1]) + 1;
            p[t] = (t == 0 ? 1 : p[t - 1]) * a[t];
        }
        LstmRecurrence saved = new LstmRecurrence(dt, steps, batch, n, hid);
        NdArray xi = NdArray.empty(dt, steps, batch, in); // x time-major, then (momentum) ξ: A of each step and of ∂W_ih
        NdArray v0c = null;
        NdArray vT = momentum == null ? null : NdArray.empty(dt, batch, n);
        try {
            be.blas1().copy(x.data().transpose(0, 1), xi);
            if (momentum != null) {
                for (int t = 1; t < steps; t++) { // ξ_t = x_t + a_t·ξ_{t−1}
                    be.blas1().axpy(a[t], xi.select(0, t - 1).reshape(batch * in), xi.select(0, t).reshape(batch * in));
                }
                if (v0 != null) {
                    v0c = NdArray.empty(dt, batch, n);
                    be.blas1().copy(v0.data(), v0c);
                }
            }
            NdArray v0Rows = v0c;
            try (PackedGemmOperand wIhT = be.gemm().packB(true, wIh.data())) {
                // gates = (b_hh + s·c_t·b_ih) + s·ξ_t·W_ihᵀ (+ P_t·v_0), the bias made once per step in the task
                saved.forward(be, h0, c0, wHh, (b0, b1) -> {
                    NdArray bias = NdArray.empty(dt, n);
                    return new LstmRecurrence.RowTask() {
                        @Override
                        public void step(int t, NdArray gates) {
                            be.blas1().copy(bHh.data(), bias);
                            if (bIh != null) {
                                be.blas1().axpy(s * c[t], bIh.data(), bias);
                            }
                            be.blas1().copy(bias.broadcastTo(gates.shape()), gates);
                            be.gemm().gemm(false, s, LstmRecurrence.rows(xi, t, b0, b1), wIhT, 1, gates);
                            if (v0Rows != null && p[t] != 0) { // (a restart's a_t = 0 drops v_0, as step by step)
                                int len = (b1 - b0) * n;
                                be.blas1().axpy(p[t], v0Rows.slice(0, b0, b1).reshape(len), gates.reshape(len));
                            }
                        }

                        @Override
                        public void end() {
                            bias.close();
                        }
                    };
                });
                if (vT != null) { // v_T = s·c_{T−1}·b_ih + s·ξ_{T−1}·W_ihᵀ + P_{T−1}·v_0
                    if (bIh != null) {
                        be.elementwise().binaryScalar(BinaryOp.MUL, bIh.data().broadcastTo(vT.shape()), s * c[steps - 1],
                                vT);
                    }
                    be.gemm().gemm(false, s, xi.select(0, steps - 1), wIhT, bIh != null ? 1 : 0, vT);
                    if (v0c != null && p[steps - 1] != 0) {
                        be.blas1().axpy(p[steps - 1], v0c.reshape(batch * n), vT.reshape(batch * n));
                    }
                }
            }
        } catch (RuntimeException | Error e) {
            saved.close();
            xi.close();
            for (NdArray owned : new NdArray[] {v0c, vT}) {
                if (owned != null) {
                    owned.close();
                }
            }
            throw e;
        }
        if (v0c != null) {
            v0c.close();
        }
        List<Tensor> inputs = new ArrayList<>(List.of(x, wIh));
        int iBIh = add(inputs, bIh);
        int iWHh = add(inputs, wHh);
        int iBHh = add(inputs, bHh);
        int iH0 = add(inputs, h0);
        int iC0 = add(inputs, c0);
        int iV0 = add(inputs, v0);
        Tensor[] out = Tensor.results(saved.outputs(be, vT), be, new MultiOutputNode(inputs.toArray(Tensor[]::new)) {
            @Override
            public String name() {
                return momentum == null ? "lstm-sequence" : "momentum-lstm-sequence";
            }

            @Override
            protected void backward(Backend bk, NdArray[] g, GradientSink sink) {
                NdArray dvT = momentum == null ? null : g[3];
                NdArray dv0 = iV0 >= 0 && sink.wants(iV0) ? NdArray.empty(dt, batch, n) : null;
                NdArray dGates = null;
                try {
                    NdArray dv0All = dv0;
                    dGates = saved.backward(bk, g, sink.wants(iH0), wHh,
                            dv0 == null ? null : (b0, b1) -> momentumOfV0(bk, dt, a, dvT, dv0All, b0, b1));
                    NdArray dBias = saved.recurrentGradients(bk, dGates, sink, iWHh, iBHh, iH0, iC0,
                            momentum == null && iBIh >= 0 && sink.wants(iBIh));
                    if (dv0 != null) {
                        sink.accept(iV0, dv0);
                        dv0 = null;
                    }
                    if (iBIh >= 0 && sink.wants(iBIh)) { // the LSTM's ∂b_ih is ∂b_hh: one sum, its copy
                        sink.accept(iBIh, dBias != null ? dBias : inputBiasGradient(bk, dGates, dvT, c, s));
                    }
                    if (sink.wants(1)) {
                        sink.accept(1, inputWeightGradient(bk, dGates, dvT, xi, s));
                    }
                    if (sink.wants(0)) {
                        sink.accept(0, inputGradient(bk, dGates, dvT, wIh.data(), momentum == null ? null : a, s));
                    }
                } finally {
                    if (dGates != null) {
                        dGates.close();
                    }
                    if (dv0 != null) {
                        dv0.close();
                    }
                }
            }

            @Override
            protected void release() {
                saved.close();
                xi.close();
            }
        });
        return new Result(out[0], out[1], out[2], vT == null ? null : out[3]);
    }

    /** ∂b_ih = s·Σ_t c_t·Σ_b ∂z_t (+ s·c_{T−1}·Σ_b ∂v_T) for ∂z = ∂gates [T, B, 4H]. */
    private static NdArray inputBiasGradient(Backend bk, NdArray dGates, NdArray dvT, double[] c, double s) {
        int steps = dGates.dim(0);
        NdArray dBias = NdArray.empty(dGates.dtype(), dGates.dim(2));
        try (NdArray perStep = NdArray.empty(dGates.dtype(), steps, dGates.dim(2));
             NdArray weights = NdArray.empty(dGates.dtype(), steps)) {
            bk.reductions().sum(dGates, 1, perStep);
            for (int t = 0; t < steps; t++) {
                weights.setAt(t, c[t]);
            }
            bk.gemm().gemv(true, s, perStep, weights, 0, dBias);
            if (dvT != null) {
                try (NdArray colSum = NdArray.empty(dGates.dtype(), dGates.dim(2))) {
                    bk.reductions().sum(dvT, 0, colSum);
                    bk.blas1().axpy(s * c[steps - 1], colSum, dBias);
                }
            }
        } catch (RuntimeException | Error e) {
            dBias.close();
            throw e;
        }
        return dBias;
    }

    /** ∂W_ih = s·Σ_t ∂z_tᵀ·ξ_t (+ s·∂v_Tᵀ·ξ_{T−1}), one GEMM over all steps; ξ time-major [T, B, I]. */
    private static NdArray inputWeightGradient(Backend bk, NdArray dGates, NdArray dvT, NdArray xi, double s) {
        int steps = dGates.dim(0);
        int rows = steps * dGates.dim(1);
        NdArray dw = NdArray.empty(dGates.dtype(), dGates.dim(2), xi.dim(2));
        bk.gemm().gemm(true, false, s, dGates.reshape(rows, dGates.dim(2)), xi.reshape(rows, xi.dim(2)), 0, dw);
        if (dvT != null) {
            bk.gemm().gemm(true, false, s, dvT, xi.select(0, steps - 1), 1, dw);
        }
        return dw;
    }

    /**
     * ∂x [B, T, I] = s·ρ_t with ρ_t = ∂z'_t·W_ih + a_{t+1}·ρ_{t+1} (no scan for the LSTM: {@code a} null),
     * ∂z' being ∂gates with ∂v_T added to the last step.
     */
    private static NdArray inputGradient(Backend bk, NdArray dGates, NdArray dvT, NdArray wIh, double[] a, double s) {
        int steps = dGates.dim(0);
        int batch = dGates.dim(1);
        int in = wIh.dim(1);
        try (NdArray rho = NdArray.empty(dGates.dtype(), steps, batch, in)) {
            bk.gemm().gemm(false, false, 1, dGates.reshape(steps * batch, dGates.dim(2)), wIh, 0,
                    rho.reshape(steps * batch, in));
            if (dvT != null) {
                bk.gemm().gemm(false, false, 1, dvT, wIh, 1, rho.select(0, steps - 1));
            }
            if (a != null) {
                for (int t = steps - 2; t >= 0; t--) {
                    bk.blas1().axpy(a[t + 1], rho.select(0, t + 1).reshape(batch * in), rho.select(0, t).reshape(batch * in));
                }
            }
            NdArray gx = NdArray.empty(dGates.dtype(), batch, steps, in);
            bk.elementwise().binaryScalar(BinaryOp.MUL, rho.transpose(0, 1), s, gx);
            return gx;
        }
    }

    /** Appends {@code t} unless null; its input index, or −1. */
    private static int add(List<Tensor> inputs, Tensor t) {
        if (t == null) {
            return -1;
        }
        inputs.add(t);
        return inputs.size() - 1;
    }

    private static void checkRecurrent(int batch, int hid, Tensor bHh, Tensor h0, Tensor c0) {
        if (bHh.shape().rank() != 1 || bHh.shape().dim(0) != 4 * hid || !h0.shape().equals(c0.shape())
                || h0.shape().rank() != 2 || h0.shape().dim(0) != batch || h0.shape().dim(1) != hid) {
            throw new IllegalArgumentException("LSTM sequence needs b_hh [4H], h0 and c0 [B, H] for B = " + batch
                    + ", H = " + hid + "; got b_hh " + bHh.shape() + ", h0 " + h0.shape() + ", c0 " + c0.shape());
        }
    }

    /**
     * ∂v_0 = Σ_t P_t·∂z_t + P_{T−1}·∂v_T for one task's rows, run after each step's gate gradients:
     * r ← a_t·(r + ∂z_t) from r = ∂v_T's rows (or 0).
     */
    private static LstmRecurrence.RowTask momentumOfV0(Backend bk, Dtype dt, double[] a, NdArray dvT, NdArray dv0, int b0, int b1) {
        int n = dv0.dim(1);
        NdArray r = NdArray.zeros(dt, b1 - b0, n);
        if (dvT != null) {
            bk.blas1().copy(dvT.slice(0, b0, b1), r);
        }
        return new LstmRecurrence.RowTask() {
            @Override
            public void step(int t, NdArray dz) {
                bk.elementwise().add(r, dz, r);
                bk.elementwise().binaryScalar(BinaryOp.MUL, r, a[t], r);
            }

            @Override
            public void end() {
                bk.blas1().copy(r, dv0.slice(0, b0, b1));
                r.close();
            }
        };
    }
}
