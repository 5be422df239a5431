package org.inertia.nn.rnn;

import org.inertia.kernels.Backend;
import org.inertia.kernels.Dtype;
import org.inertia.kernels.NdArray;
import org.inertia.kernels.PackedGemmOperand;
import org.inertia.nn.autograd.Node;
import org.inertia.nn.autograd.Tensor;

/**
 * The recurrent loops of a fused LSTM layer ({@link LstmSequence}) and what the forward loop saves for
 * the backward one: per step the gates a_t (written with the input term by a {@link RowWork}, then
 * a_t += h_{t−1}·W_hhᵀ, then activated in place), every c_t, tanh(c_t) and h_t. The rows of the batch are
 * independent recurrences, so each loop runs as one task per block of rows ({@link Backend#parallel}).
 */
final class LstmRecurrence implements AutoCloseable {
    /** Rows per task at least this many: a GEMM on fewer rows wastes most of its register tile. */
    static final int MIN_ROWS = 8;

    /** Row chunks of the batch, one per task the backend runs at once. */
    static int chunks(Backend be, int batch) {
        return Math.max(1, Math.min(be.parallelism(), batch / MIN_ROWS));
    }

    /** First row of chunk {@code k} of {@code chunks} (row chunks of near-equal size, multiples of 8 where possible). */
    static int rowStart(int k, int chunks, int batch) {
        int units = (batch + MIN_ROWS - 1) / MIN_ROWS;
        return Math.min(batch, (int) ((long) units * k / chunks) * MIN_ROWS);
    }

    /** Rows [b0, b1) of time step t of a time-major [T, B, …] buffer. */
    static NdArray rows(NdArray timeMajor, int t, int b0, int b1) {
        return timeMajor.select(0, t).slice(0, b0, b1);
    }

    /** One task's work on its rows [b0, b1), step by step; made per task by a {@link RowWork}. */
    interface RowTask {
        /** Step t of this task's rows: {@code step} is the [rows, 4H] block of step t it reads or writes. */
        void step(int t, NdArray step);

        /** After the task's last step. */
        default void end() {
        }
    }

    /** Makes the {@link RowTask} of the rows [b0, b1). */
    interface RowWork {
        RowTask forRows(int b0, int b1);
    }

    final Dtype dt;
    final int steps;
    final int batch;
    final int n;
    final int hid;
    final NdArray acts; // z + b_hh, then gates, then activations
    final NdArray hs; // h_0 … h_T
    final NdArray cs; // c_0 … c_T
    final NdArray tanhC;

    LstmRecurrence(Dtype dt, int steps, int batch, int n, int hid) {
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
