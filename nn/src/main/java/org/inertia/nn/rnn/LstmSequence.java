package org.inertia.nn.rnn;

import java.util.ArrayList;
import java.util.List;
import org.inertia.kernels.Backend;
import org.inertia.kernels.BinaryOp;
import org.inertia.kernels.Dtype;
import org.inertia.kernels.NdArray;
import org.inertia.kernels.PackedGemmOperand;
import org.inertia.nn.autograd.MultiOutputNode;
import org.inertia.nn.autograd.Node;
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

    /** Rows per task at least this many: a GEMM on fewer rows wastes most of its register tile. */
    private static final int MIN_ROWS = 8;

    /** Row chunks of the batch, one per task the backend runs at once. */
    private static int chunks(Backend be, int batch) {
        return Math.max(1, Math.min(be.parallelism(), batch / MIN_ROWS));
    }

    /** First row of chunk {@code k} of {@code chunks} (row chunks of near-equal size, multiples of 8 where possible). */
    private static int rowStart(int k, int chunks, int batch) {
        int units = (batch + MIN_ROWS - 1) / MIN_ROWS;
        return Math.min(batch, (int) ((long) units * k / chunks) * MIN_ROWS);
    }

    /** Rows [b0, b1) of time step t of a time-major [T, B, …] buffer. */
    private static NdArray rows(NdArray timeMajor, int t, int b0, int b1) {
        return timeMajor.select(0, t).slice(0, b0, b1);
    }

    /** One task's work on its rows [b0, b1), step by step; made per task by a {@link RowWork}. */
    private interface RowTask {
        /** Step t of this task's rows: {@code step} is the [rows, 4H] block of step t it reads or writes. */
        void step(int t, NdArray step);

        /** After the task's last step. */
        default void end() {
        }
    }

    /** Makes the {@link RowTask} of the rows [b0, b1). */
    private interface RowWork {
        RowTask forRows(int b0, int b1);
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
        Saved saved = new Saved(z.dtype(), steps, batch, n, hid);
        // z + b_hh for each step's rows in its task, rather than over all of z up front on one thread
        saved.forward(be, h0, c0, wHh, (b0, b1) -> (t, a) -> be.elementwise().binary(BinaryOp.ADD,
                rows(z.data(), t, b0, b1), bHh.data(), a));
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
        Saved saved = new Saved(dt, steps, batch, n, hid);
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
                    return new RowTask() {
                        @Override
                        public void step(int t, NdArray gates) {
                            be.blas1().copy(bHh.data(), bias);
                            if (bIh != null) {
                                be.blas1().axpy(s * c[t], bIh.data(), bias);
                            }
                            be.blas1().copy(bias.broadcastTo(gates.shape()), gates);
                            be.gemm().gemm(false, s, rows(xi, t, b0, b1), wIhT, 1, gates);
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
                    NdArray dgFlat = dGates.reshape(steps * batch, n);
                    if (iBIh >= 0 && sink.wants(iBIh)) {
                        if (dBias == null) { // s·Σ_t c_t·Σ_b ∂z_t (+ s·c_{T−1}·Σ_b ∂v_T)
                            dBias = NdArray.empty(dt, n);
                            try (NdArray perStep = NdArray.empty(dt, steps, n); NdArray weights = NdArray.empty(dt, steps)) {
                                bk.reductions().sum(dGates, 1, perStep);
                                for (int t = 0; t < steps; t++) {
                                    weights.setAt(t, c[t]);
                                }
                                bk.gemm().gemv(true, s, perStep, weights, 0, dBias);
                            }
                            if (dvT != null) {
                                try (NdArray colSum = NdArray.empty(dt, n)) {
                                    bk.reductions().sum(dvT, 0, colSum);
                                    bk.blas1().axpy(s * c[steps - 1], colSum, dBias);
                                }
                            }
                        }
                        sink.accept(iBIh, dBias); // the LSTM's ∂b_ih is ∂b_hh: one sum, its copy
                    }
                    if (sink.wants(1)) { // s·Σ_t ∂z_tᵀ·ξ_t (+ s·∂v_Tᵀ·ξ_{T−1})
                        NdArray dw = NdArray.empty(dt, n, in);
                        bk.gemm().gemm(true, false, s, dgFlat, xi.reshape(steps * batch, in), 0, dw);
                        if (dvT != null) {
                            bk.gemm().gemm(true, false, s, dvT, xi.select(0, steps - 1), 1, dw);
                        }
                        sink.accept(1, dw);
                    }
                    if (sink.wants(0)) { // ρ_t = ∂z'_t·W_ih + a_{t+1}·ρ_{t+1}; ∂x_t = s·ρ_t
                        try (NdArray rho = NdArray.empty(dt, steps, batch, in)) {
                            bk.gemm().gemm(false, false, 1, dgFlat, wIh.data(), 0, rho.reshape(steps * batch, in));
                            if (dvT != null) {
                                bk.gemm().gemm(false, false, 1, dvT, wIh.data(), 1, rho.select(0, steps - 1));
                            }
                            if (momentum != null) {
                                for (int t = steps - 2; t >= 0; t--) {
                                    bk.blas1().axpy(a[t + 1], rho.select(0, t + 1).reshape(batch * in),
                                            rho.select(0, t).reshape(batch * in));
                                }
                            }
                            NdArray gx = NdArray.empty(dt, batch, steps, in);
                            bk.elementwise().binaryScalar(BinaryOp.MUL, rho.transpose(0, 1), s, gx);
                            sink.accept(0, gx);
                        }
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
    private static RowTask momentumOfV0(Backend bk, Dtype dt, double[] a, NdArray dvT, NdArray dv0, int b0, int b1) {
        int n = dv0.dim(1);
        NdArray r = NdArray.zeros(dt, b1 - b0, n);
        if (dvT != null) {
            bk.blas1().copy(dvT.slice(0, b0, b1), r);
        }
        return new RowTask() {
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

    /** What the forward pass saves for backward, and the recurrent loops over it. */
    private static final class Saved implements AutoCloseable {
        final Dtype dt;
        final int steps;
        final int batch;
        final int n;
        final int hid;
        final NdArray acts; // z + b_hh, then gates, then activations
        final NdArray hs; // h_0 … h_T
        final NdArray cs; // c_0 … c_T
        final NdArray tanhC;

        Saved(Dtype dt, int steps, int batch, int n, int hid) {
            this.dt = dt;
            this.steps = steps;
            this.batch = batch;
            this.n = n;
            this.hid = hid;
            acts = NdArray.empty(dt, steps, batch, n);
            hs = NdArray.empty(dt, steps + 1, batch, hid);
            cs = NdArray.empty(dt, steps + 1, batch, hid);
            tanhC = NdArray.empty(dt, steps, batch, hid);
        }

        /** The recurrent loop: per step, {@code input} writes z_t + b_hh into a, then a += h·W_hhᵀ, then the gates. */
        void forward(Backend be, Tensor h0, Tensor c0, Tensor wHh, RowWork input) {
            be.blas1().copy(h0.data(), hs.select(0, 0));
            be.blas1().copy(c0.data(), cs.select(0, 0));
            int chunks = chunks(be, batch);
            // W_hhᵀ packed into GEMM's panels once for all steps (per step it was a third of the product's time).
            try (PackedGemmOperand wT = be.gemm().packB(true, wHh.data())) {
                be.parallel(chunks, task -> {
                    int b0 = rowStart(task, chunks, batch);
                    int b1 = rowStart(task + 1, chunks, batch);
                    RowTask in = input.forRows(b0, b1);
                    for (int t = 0; t < steps; t++) {
                        NdArray a = rows(acts, t, b0, b1);
                        in.step(t, a);
                        be.gemm().gemm(false, 1, rows(hs, t, b0, b1), wT, 1, a);
                        be.lstmGates().forward(a, rows(cs, t, b0, b1), a, rows(cs, t + 1, b0, b1),
                                rows(tanhC, t, b0, b1), rows(hs, t + 1, b0, b1));
                    }
                    in.end();
                });
            }
        }

        /** y [B, T, H], h_T, c_T (and v_T when given) as new arrays. */
        NdArray[] outputs(Backend be, NdArray vT) {
            NdArray y = NdArray.empty(dt, batch, steps, hid);
            be.blas1().copy(hs.slice(0, 1, steps + 1).transpose(0, 1), y);
            NdArray hT = NdArray.empty(dt, batch, hid);
            be.blas1().copy(hs.select(0, steps), hT);
            NdArray cT = NdArray.empty(dt, batch, hid);
            be.blas1().copy(cs.select(0, steps), cT);
            return vT == null ? new NdArray[] {y, hT, cT} : new NdArray[] {y, hT, cT, vT};
        }

        /**
         * BPTT: ∂gates [T, B, 4H] for the output gradients g (y, h_T, c_T), with ∂h and ∂c carried in
         * {@code dhc} = {∂h, ∂c} (∂h_0 and ∂c_0 when it returns). {@code after}, when not null, sees each
         * step's ∂gates rows right after they are computed.
         */
        NdArray backward(Backend bk, NdArray[] g, boolean wantsH0, Tensor wHh, RowWork after) {
            NdArray dy = g[0];
            NdArray dh = NdArray.zeros(dt, batch, hid);
            NdArray dcA = NdArray.zeros(dt, batch, hid); // ∂c_t and ∂c_{t−1}, ping-pong
            NdArray dcB = NdArray.empty(dt, batch, hid);
            NdArray dGates = NdArray.empty(dt, steps, batch, n);
            dc = steps % 2 == 0 ? dcA : dcB; // where ∂c_0 ends up
            NdArray dcFree = dc == dcA ? dcB : dcA;
            this.dh = dh;
            boolean done = false;
            try {
                if (g[1] != null) {
                    bk.blas1().copy(g[1], dh);
                }
                if (g[2] != null) {
                    bk.blas1().copy(g[2], dcA);
                }
                int chunks = chunks(bk, batch);
                try (PackedGemmOperand w = bk.gemm().packB(false, wHh.data())) { // W_hh packed once for all steps
                    bk.parallel(chunks, task -> { // the rows of the batch are independent recurrences
                        int b0 = rowStart(task, chunks, batch);
                        int b1 = rowStart(task + 1, chunks, batch);
                        NdArray dhRows = dh.slice(0, b0, b1);
                        NdArray next = dcA.slice(0, b0, b1);
                        NdArray prev = dcB.slice(0, b0, b1);
                        RowTask then = after == null ? null : after.forRows(b0, b1);
                        for (int t = steps - 1; t >= 0; t--) {
                            if (dy != null) {
                                bk.elementwise().add(dhRows, dy.select(1, t).slice(0, b0, b1), dhRows);
                            }
                            NdArray dg = rows(dGates, t, b0, b1);
                            bk.lstmGates().backward(rows(acts, t, b0, b1), rows(cs, t, b0, b1), rows(tanhC, t, b0, b1),
                                    dhRows, next, dg, prev);
                            NdArray swap = next;
                            next = prev;
                            prev = swap;
                            if (then != null) {
                                then.step(t, dg);
                            }
                            if (t > 0 || wantsH0) {
                                bk.gemm().gemm(false, 1, dg, w, 0, dhRows);
                            }
                        }
                        if (then != null) {
                            then.end();
                        }
                    });
                }
                done = true;
            } finally {
                dcFree.close();
                if (!done) {
                    dGates.close();
                    closeCarried();
                }
            }
            return dGates;
        }

        /** ∂h_0 and ∂c_0 after {@link #backward}; null once handed over or closed. */
        private NdArray dh;
        private NdArray dc;

        private void closeCarried() {
            if (dh != null) {
                dh.close();
                dh = null;
            }
            if (dc != null) {
                dc.close();
                dc = null;
            }
        }

        /**
         * ∂W_hh = ∂Gᵀ·H (one GEMM over all steps), ∂b_hh = Σ ∂G, ∂h_0 and ∂c_0 to the inputs at those
         * indices where wanted. With {@code keepBias}, ∂b_hh is computed even if b_hh wants none, and
         * returned (a copy of it when b_hh takes one); otherwise null is returned.
         */
        NdArray recurrentGradients(Backend bk, NdArray dGates, Node.GradientSink sink, int iW, int iB, int iH0,
                int iC0, boolean keepBias) {
            try {
                NdArray dgFlat = dGates.reshape(steps * batch, n);
                if (sink.wants(iW)) {
                    NdArray dw = NdArray.empty(dt, n, hid);
                    bk.gemm().gemm(true, false, 1, dgFlat, hs.slice(0, 0, steps).reshape(steps * batch, hid), 0, dw);
                    sink.accept(iW, dw);
                }
                NdArray kept = null;
                if (sink.wants(iB) || keepBias) {
                    NdArray db = NdArray.empty(dt, n);
                    bk.reductions().sum(dgFlat, 0, db);
                    if (keepBias) {
                        kept = sink.wants(iB) ? db.copy() : db;
                    }
                    if (sink.wants(iB)) {
                        sink.accept(iB, db);
                    }
                }
                if (sink.wants(iH0)) {
                    sink.accept(iH0, dh);
                    dh = null;
                }
                if (sink.wants(iC0)) {
                    sink.accept(iC0, dc);
                    dc = null;
                }
                return kept;
            } finally {
                closeCarried();
            }
        }

        @Override
        public void close() {
            acts.close();
            hs.close();
            cs.close();
            tanhC.close();
        }
    }
}
