package org.inertia.nn.rnn;

import org.inertia.kernels.Backend;
import org.inertia.kernels.BinaryOp;
import org.inertia.kernels.Dtype;
import org.inertia.kernels.NdArray;
import org.inertia.kernels.PackedGemmOperand;
import org.inertia.nn.autograd.MultiOutputNode;
import org.inertia.nn.autograd.Tensor;

/**
 * A whole LSTM layer over a sequence as ONE graph node, the way cuDNN runs it: from the input term
 * z [T, B, 4H] (time-major: for the plain LSTM z_t = W_ih x_t + b_ih, for the MomentumRNN family the
 * momentum-transformed term), W_hh [4H, H], b_hh [4H] and the initial state h_0, c_0 [B, H]:
 *
 * <pre>
 *   gates_t = z_t + b_hh + h_{t−1}·W_hhᵀ        (one GEMM per step)
 *   (i, f, g, o) = (σ, σ, tanh, σ)(gates_t); c_t = f⊙c_{t−1} + i⊙g; h_t = o⊙tanh(c_t)   (one fused kernel)
 * </pre>
 *
 * The rows of the batch are independent recurrences, so both loops run as one task per block of rows
 * ({@link Backend#parallel}): threads never meet inside the sequence, where a per-step split of each
 * small GEMM would cost a hand-off per step.
 *
 * <p>Outputs: y [B, T, H] (every h_t, batch first), h_T and c_T. Backward (BPTT over all T steps) walks
 * t = T … 1 with one fused gate kernel and one GEMM per step, ∂h_{t−1} = ∂gates_t·W_hh, and then
 * computes the weight gradients with single GEMMs over all steps: ∂W_hh = Σ_t ∂gates_tᵀ·h_{t−1} as
 * one [4H, T·B]×[T·B, H] product, ∂b_hh = Σ_{t,b} ∂gates_t, ∂z = ∂gates. Saved for backward: the
 * activated gates, every c_t and tanh(c_t), every h_t (about 7·T·B·H values).
 */
final class LstmSequence {
    private LstmSequence() {
    }

    /** The layer's outputs and final state. */
    record Result(Tensor y, Tensor hT, Tensor cT) {
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

    static Result apply(Tensor z, Tensor wHh, Tensor bHh, Tensor h0, Tensor c0) {
        int steps = z.shape().dim(0);
        int batch = z.shape().dim(1);
        int n = z.shape().dim(2);
        int hid = wHh.shape().dim(1);
        if (z.shape().rank() != 3 || wHh.shape().rank() != 2 || wHh.shape().dim(0) != n || n != 4 * hid
                || bHh.shape().rank() != 1 || bHh.shape().dim(0) != n || !h0.shape().equals(c0.shape())
                || h0.shape().rank() != 2 || h0.shape().dim(0) != batch || h0.shape().dim(1) != hid) {
            throw new IllegalArgumentException("LSTM sequence needs z [T, B, 4H], W_hh [4H, H], b_hh [4H], h0 and c0 "
                    + "[B, H]; got z " + z.shape() + ", W_hh " + wHh.shape() + ", b_hh " + bHh.shape() + ", h0 "
                    + h0.shape() + ", c0 " + c0.shape());
        }
        Backend be = z.backend();
        Dtype dt = z.dtype();
        NdArray acts = NdArray.empty(dt, steps, batch, n); // z + b_hh, then gates, then activations
        NdArray hs = NdArray.empty(dt, steps + 1, batch, hid); // h_0 … h_T
        NdArray cs = NdArray.empty(dt, steps + 1, batch, hid); // c_0 … c_T
        NdArray tanhC = NdArray.empty(dt, steps, batch, hid);
        be.blas1().copy(h0.data(), hs.select(0, 0));
        be.blas1().copy(c0.data(), cs.select(0, 0));
        int chunks = chunks(be, batch);
        // W_hhᵀ packed into GEMM's panels once for all steps (per step it was a third of the product's time).
        try (PackedGemmOperand wT = be.gemm().packB(true, wHh.data())) {
            be.parallel(chunks, task -> {
                int b0 = rowStart(task, chunks, batch);
                int b1 = rowStart(task + 1, chunks, batch);
                for (int t = 0; t < steps; t++) {
                    NdArray a = rows(acts, t, b0, b1);
                    // z + b_hh for this step's rows here, in the task, rather than over all of z up front on
                    // one thread (z is [T, B, 4H]: 103 MB for the pixel-by-pixel LSTM-128)
                    be.elementwise().binary(BinaryOp.ADD, rows(z.data(), t, b0, b1), bHh.data(), a);
                    be.gemm().gemm(false, 1, rows(hs, t, b0, b1), wT, 1, a);
                    be.lstmGates().forward(a, rows(cs, t, b0, b1), a, rows(cs, t + 1, b0, b1), rows(tanhC, t, b0, b1),
                            rows(hs, t + 1, b0, b1));
                }
            });
        }
        NdArray y = NdArray.empty(dt, batch, steps, hid);
        be.blas1().copy(hs.slice(0, 1, steps + 1).transpose(0, 1), y);
        NdArray hT = NdArray.empty(dt, batch, hid);
        be.blas1().copy(hs.select(0, steps), hT);
        NdArray cT = NdArray.empty(dt, batch, hid);
        be.blas1().copy(cs.select(0, steps), cT);
        Tensor[] out = Tensor.results(new NdArray[] {y, hT, cT}, be, new MultiOutputNode(z, wHh, bHh, h0, c0) {
            @Override
            public String name() {
                return "lstm-sequence";
            }

            @Override
            protected void backward(Backend bk, NdArray[] g, GradientSink sink) {
                NdArray dy = g[0];
                NdArray dh = NdArray.zeros(dt, batch, hid);
                NdArray dcA = NdArray.zeros(dt, batch, hid); // ∂c_t and ∂c_{t−1}, ping-pong
                NdArray dcB = NdArray.empty(dt, batch, hid);
                NdArray dGates = NdArray.empty(dt, steps, batch, n);
                NdArray dc = steps % 2 == 0 ? dcA : dcB; // where ∂c_0 ends up
                NdArray dcFree = dc == dcA ? dcB : dcA;
                try {
                    if (g[1] != null) {
                        bk.blas1().copy(g[1], dh);
                    }
                    if (g[2] != null) {
                        bk.blas1().copy(g[2], dcA);
                    }
                    boolean wantsH0 = sink.wants(3);
                    int chunks = chunks(bk, batch);
                    NdArray dhAll = dh;
                    NdArray gates = dGates;
                    try (PackedGemmOperand w = bk.gemm().packB(false, wHh.data())) { // W_hh packed once for all steps
                        bk.parallel(chunks, task -> { // the rows of the batch are independent recurrences
                            int b0 = rowStart(task, chunks, batch);
                            int b1 = rowStart(task + 1, chunks, batch);
                            NdArray dhRows = dhAll.slice(0, b0, b1);
                            NdArray next = dcA.slice(0, b0, b1);
                            NdArray prev = dcB.slice(0, b0, b1);
                            for (int t = steps - 1; t >= 0; t--) {
                                if (dy != null) {
                                    bk.elementwise().add(dhRows, dy.select(1, t).slice(0, b0, b1), dhRows);
                                }
                                NdArray dg = rows(gates, t, b0, b1);
                                bk.lstmGates().backward(rows(acts, t, b0, b1), rows(cs, t, b0, b1), rows(tanhC, t, b0, b1), dhRows,
                                        next, dg, prev);
                                NdArray swap = next;
                                next = prev;
                                prev = swap;
                                if (t > 0 || wantsH0) {
                                    bk.gemm().gemm(false, 1, dg, w, 0, dhRows);
                                }
                            }
                        });
                    }
                    NdArray dgFlat = dGates.reshape(steps * batch, n);
                    if (sink.wants(1)) {
                        NdArray dw = NdArray.empty(dt, n, hid);
                        bk.gemm().gemm(true, false, 1, dgFlat, hs.slice(0, 0, steps).reshape(steps * batch, hid), 0, dw);
                        sink.accept(1, dw);
                    }
                    if (sink.wants(2)) {
                        NdArray db = NdArray.empty(dt, n);
                        bk.reductions().sum(dgFlat, 0, db);
                        sink.accept(2, db);
                    }
                    if (wantsH0) {
                        sink.accept(3, dh);
                        dh = null;
                    }
                    if (sink.wants(4)) {
                        sink.accept(4, dc);
                        dc = null;
                    }
                    if (sink.wants(0)) {
                        sink.accept(0, dGates); // ∂z = ∂gates, handed over without a copy
                        dGates = null;
                    }
                } finally {
                    for (NdArray a : new NdArray[] {dh, dc, dcFree, dGates}) {
                        if (a != null) {
                            a.close();
                        }
                    }
                }
            }

            @Override
            protected void release() {
                acts.close();
                hs.close();
                cs.close();
                tanhC.close();
            }
        });
        return new Result(out[0], out[1], out[2]);
    }
}
