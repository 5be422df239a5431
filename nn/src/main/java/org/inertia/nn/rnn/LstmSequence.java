package org.inertia.nn.rnn;

import org.inertia.kernels.Backend;
import org.inertia.kernels.BinaryOp;
import org.inertia.kernels.Dtype;
import org.inertia.kernels.NdArray;
import org.inertia.nn.MultiOutputNode;
import org.inertia.nn.Tensor;

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
 * Outputs: y [B, T, H] (every h_t, batch first), h_T and c_T. Backward (BPTT over all T steps) walks
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
        be.binary(BinaryOp.ADD, z.data(), bHh.data(), acts);
        be.copy(h0.data(), hs.select(0, 0));
        be.copy(c0.data(), cs.select(0, 0));
        try (NdArray wT = NdArray.empty(dt, hid, n)) { // W_hhᵀ packed row-major once: plain copies for GEMM's B
            be.copy(wHh.data().transpose(0, 1), wT);
            for (int t = 0; t < steps; t++) {
                NdArray a = acts.select(0, t);
                be.gemm(false, false, 1, hs.select(0, t), wT, 1, a);
                be.lstmGatesForward(a, cs.select(0, t), a, cs.select(0, t + 1), tanhC.select(0, t), hs.select(0, t + 1));
            }
        }
        NdArray y = NdArray.empty(dt, batch, steps, hid);
        be.copy(hs.slice(0, 1, steps + 1).transpose(0, 1), y);
        NdArray hT = NdArray.empty(dt, batch, hid);
        be.copy(hs.select(0, steps), hT);
        NdArray cT = NdArray.empty(dt, batch, hid);
        be.copy(cs.select(0, steps), cT);
        Tensor[] out = Tensor.results(new NdArray[] {y, hT, cT}, be, new MultiOutputNode(z, wHh, bHh, h0, c0) {
            @Override
            public String name() {
                return "lstm-sequence";
            }

            @Override
            protected void backward(Backend bk, NdArray[] g, GradientSink sink) {
                NdArray dy = g[0];
                NdArray dh = NdArray.zeros(dt, batch, hid);
                NdArray dc = NdArray.zeros(dt, batch, hid);
                NdArray dcPrev = NdArray.empty(dt, batch, hid);
                NdArray dGates = NdArray.empty(dt, steps, batch, n);
                try {
                    if (g[1] != null) {
                        bk.copy(g[1], dh);
                    }
                    if (g[2] != null) {
                        bk.copy(g[2], dc);
                    }
                    boolean wantsH0 = sink.wants(3);
                    for (int t = steps - 1; t >= 0; t--) {
                        if (dy != null) {
                            bk.add(dh, dy.select(1, t), dh);
                        }
                        NdArray dg = dGates.select(0, t);
                        bk.lstmGatesBackward(acts.select(0, t), cs.select(0, t), tanhC.select(0, t), dh, dc, dg, dcPrev);
                        NdArray swap = dc;
                        dc = dcPrev;
                        dcPrev = swap;
                        if (t > 0 || wantsH0) {
                            bk.gemm(false, false, 1, dg, wHh.data(), 0, dh);
                        }
                    }
                    NdArray dgFlat = dGates.reshape(steps * batch, n);
                    if (sink.wants(1)) {
                        NdArray dw = NdArray.empty(dt, n, hid);
                        bk.gemm(true, false, 1, dgFlat, hs.slice(0, 0, steps).reshape(steps * batch, hid), 0, dw);
                        sink.accept(1, dw);
                    }
                    if (sink.wants(2)) {
                        NdArray db = NdArray.empty(dt, n);
                        bk.sum(dgFlat, 0, db);
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
                    for (NdArray a : new NdArray[] {dh, dc, dcPrev, dGates}) {
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
