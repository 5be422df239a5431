package org.inertia.kernels.cpu;

import org.inertia.kernels.Checks;
import org.inertia.kernels.Dtype;
import org.inertia.kernels.NdArray;
import org.inertia.kernels.reference.LstmGateReference;
import org.inertia.kernels.simd.LstmGateKernels;
import org.inertia.kernels.simd.Plane;

/**
 * The fused LSTM gate kernels of the CPU backend: validates, then runs float32 on
 * {@link LstmGateKernels} and float64 (or SIMD-disabled float32) on {@link LstmGateReference}.
 * Gates are [B, 4H] in PyTorch's order (i, f, g, o); states are [B, H]. Every output must be disjoint
 * from every other operand, except that the forward's {@code act} may be the very same view as
 * {@code gates} (activation in place).
 */
public final class CpuLstm {
    private CpuLstm() {
    }

    /** See {@link org.inertia.kernels.Backend#lstmGatesForward}. */
    public static void forward(NdArray gates, NdArray cPrev, NdArray act, NdArray c, NdArray tanhC, NdArray h) {
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
        if (!simd(gates)) {
            LstmGateReference.forward(gates, cPrev, act, c, tanhC, h);
            return;
        }
        LstmGateKernels.forward(cPrev.dim(0), cPrev.dim(1), plane(gates), plane(cPrev), plane(act), plane(c),
                plane(tanhC), plane(h));
    }

    /** See {@link org.inertia.kernels.Backend#lstmGatesBackward}. */
    public static void backward(NdArray act, NdArray cPrev, NdArray tanhC, NdArray dh, NdArray dcNext, NdArray dGates,
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
        if (!simd(act)) {
            LstmGateReference.backward(act, cPrev, tanhC, dh, dcNext, dGates, dcPrev);
            return;
        }
        LstmGateKernels.backward(cPrev.dim(0), cPrev.dim(1), plane(act), plane(cPrev), plane(tanhC), plane(dh),
                plane(dcNext), plane(dGates), plane(dcPrev));
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

    private static boolean simd(NdArray a) {
        return a.dtype() == Dtype.F32 && SimdSupport.enabled();
    }

    private static Plane plane(NdArray a) {
        return new Plane(a.segment(), a.offset(), a.stride(0), a.stride(1));
    }
}
