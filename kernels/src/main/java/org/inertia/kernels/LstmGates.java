package org.inertia.kernels;

import java.util.Objects;

/**
 * The fused LSTM gate kernels' validating facade: checks operands once and runs the implementation a
 * backend chose for the dtype ({@link Backend#lstmGates()}). Gates are [B, 4H] in PyTorch's order (i, f, g, o); states are [B, H]. Every output must be disjoint
 * from every other operand, except that the forward's {@code act} may be the very same view as
 * {@code gates} (activation in place).
 */
public final class LstmGates {
    private final LstmGatesSupport float32;
    private final LstmGatesSupport float64;

    /**
     * A facade over one implementation per floating dtype (a backend builds it once).
     *
     * @param float32 the implementation for float32 operands
     * @param float64 the implementation for float64 operands, also the scalar reference
     */
    public LstmGates(LstmGatesSupport float32, LstmGatesSupport float64) {
        this.float32 = Objects.requireNonNull(float32, "float32");
        this.float64 = Objects.requireNonNull(float64, "float64");
    }

    private LstmGatesSupport impl(NdArray a) {
        return a.dtype() == Dtype.F32 ? float32 : float64;
    }

    /**
     * Fused LSTM pointwise forward: act ← (σ(i), σ(f), tanh(g), σ(o)); c ← σ(f)⊙cPrev + σ(i)⊙tanh(g);
     * tanhC ← tanh(c); h ← σ(o)⊙tanhC. act and tanhC are what {@link #backward} needs.
     *
     * @param gates the gate pre-activations [B, 4H] in (i, f, g, o) order, floating
     * @param cPrev the previous cell state [B, H], of gates' dtype
     * @param act the activations written [B, 4H]; may be the very same view as gates
     * @param c the new cell state written [B, H]
     * @param tanhC tanh of the new cell state, written [B, H]
     * @param h the new hidden state written [B, H]
     */
    public void forward(NdArray gates, NdArray cPrev, NdArray act, NdArray c, NdArray tanhC, NdArray h) {
        Checks.sameFloating("gates", gates, "cPrev", cPrev);
        for (var e : new Object[][] {{"act", act}, {"c", c}, {"tanhC", tanhC}, {"h", h}}) {
            Checks.sameFloating("gates", gates, (String) e[0], (NdArray) e[1]);
        }
        checkGeometry(gates, cPrev);
        Checks.sameShape("gates", gates, "act", act);
        Checks.sameShape("cPrev", cPrev, "c", c);
        Checks.sameShape("cPrev", cPrev, "tanhC", tanhC);
        Checks.sameShape("cPrev", cPrev, "h", h);
        Checks.writable("act", act);
        Checks.writable("c", c);
        Checks.writable("tanhC", tanhC);
        Checks.writable("h", h);
        Checks.noPartialOverlap("gates", gates, "act", act);
        String[] outNames = {"c", "tanhC", "h"};
        NdArray[] outs = {c, tanhC, h};
        for (int k = 0; k < outs.length; k++) {
            Checks.disjoint("gates", gates, outNames[k], outs[k]);
            Checks.disjoint("cPrev", cPrev, outNames[k], outs[k]);
            Checks.disjoint("act", act, outNames[k], outs[k]);
            for (int m = k + 1; m < outs.length; m++) {
                Checks.disjoint(outNames[k], outs[k], outNames[m], outs[m]);
            }
        }
        Checks.disjoint("cPrev", cPrev, "act", act);
        impl(gates).forward(gates, cPrev, act, c, tanhC, h);
    }

    /**
     * Fused LSTM pointwise backward from the saved act = (i, f, g, o), cPrev and tanhC: with
     * dc = dcNext + dh⊙o⊙(1 − tanhC²), dGates ← (dc⊙g⊙i(1−i), dc⊙cPrev⊙f(1−f), dc⊙i⊙(1−g²),
     * dh⊙tanhC⊙o(1−o)) (gradients w.r.t. the pre-activations) and dcPrev ← dc⊙f.
     *
     * @param act the saved activations [B, 4H] from {@link #forward}
     * @param cPrev the saved previous cell state [B, H], of act's dtype
     * @param tanhC the saved tanh of the cell state [B, H]
     * @param dh the gradient of the hidden output [B, H]
     * @param dcNext the gradient of the cell state from the next step [B, H]
     * @param dGates the gradient of the gate pre-activations, written [B, 4H]
     * @param dcPrev the gradient of the previous cell state, written [B, H]
     */
    public void backward(NdArray act, NdArray cPrev, NdArray tanhC, NdArray dh, NdArray dcNext, NdArray dGates,
            NdArray dcPrev) {
        String[] names = {"cPrev", "tanhC", "dh", "dcNext", "dGates", "dcPrev"};
        NdArray[] all = {cPrev, tanhC, dh, dcNext, dGates, dcPrev};
        for (int k = 0; k < all.length; k++) {
            Checks.sameFloating("act", act, names[k], all[k]);
        }
        checkGeometry(act, cPrev);
        Checks.sameShape("cPrev", cPrev, "tanhC", tanhC);
        Checks.sameShape("cPrev", cPrev, "dh", dh);
        Checks.sameShape("cPrev", cPrev, "dcNext", dcNext);
        Checks.sameShape("act", act, "dGates", dGates);
        Checks.sameShape("cPrev", cPrev, "dcPrev", dcPrev);
        Checks.writable("dGates", dGates);
        Checks.writable("dcPrev", dcPrev);
        for (int k = 0; k < 4; k++) {
            Checks.disjoint(names[k], all[k], "dGates", dGates);
            Checks.disjoint(names[k], all[k], "dcPrev", dcPrev);
        }
        Checks.disjoint("act", act, "dGates", dGates);
        Checks.disjoint("act", act, "dcPrev", dcPrev);
        Checks.disjoint("dGates", dGates, "dcPrev", dcPrev);
        impl(act).backward(act, cPrev, tanhC, dh, dcNext, dGates, dcPrev);
    }

    /** gates-like [B, 4H] against state-like [B, H]. */
    private static void checkGeometry(NdArray gates, NdArray state) {
        Checks.rank("gates", gates, 2);
        Checks.rank("cPrev", state, 2);
        if (gates.dim(0) != state.dim(0) || gates.dim(1) != 4L * state.dim(1)) {
            throw new IllegalArgumentException("gates must be [B, 4H] for states [B, H]: gates " + gates.shape()
                    + ", cPrev " + state.shape());
        }
    }
}
