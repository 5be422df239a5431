package org.inertia.kernels.cpu;

import org.inertia.kernels.LstmGatesSupport;
import org.inertia.kernels.NdArray;

/**
 * The LSTM cell's pointwise part in double precision over rank-2 views of any stride and dtype: the
 * oracle for {@code simd.LstmGateKernels} and the float64 path of the CPU backend. Gates are laid out
 * as PyTorch's [i | f | g | o] blocks of width H along the second axis. Arguments are assumed validated.
 */
public final class LstmGatesScalar implements LstmGatesSupport {
    /** The one instance (stateless). */
    public static final LstmGatesScalar INSTANCE = new LstmGatesScalar();

    private LstmGatesScalar() {
    }

    /**
     * act ← (σ(i), σ(f), tanh(g), σ(o)); c ← σ(f)⊙cPrev + σ(i)⊙tanh(g); tanhC ← tanh(c);
     * h ← σ(o)⊙tanhC. {@code act} may be the very same view as {@code gates}.
     */
    @Override
    public void forward(NdArray gates, NdArray cPrev, NdArray act, NdArray c, NdArray tanhC, NdArray h) {
        int rows = cPrev.dim(0);
        int hid = cPrev.dim(1);
        for (int b = 0; b < rows; b++) {
            for (int j = 0; j < hid; j++) {
                double i = sigmoid(gates.get(b, j));
                double f = sigmoid(gates.get(b, hid + j));
                double g = Math.tanh(gates.get(b, 2 * hid + j));
                double o = sigmoid(gates.get(b, 3 * hid + j));
                act.set(i, b, j);
                act.set(f, b, hid + j);
                act.set(g, b, 2 * hid + j);
                act.set(o, b, 3 * hid + j);
                double cv = f * cPrev.get(b, j) + i * g;
                double t = Math.tanh(cv);
                c.set(cv, b, j);
                tanhC.set(t, b, j);
                h.set(o * t, b, j);
            }
        }
    }

    /**
     * With dc = dcNext + dh⊙o⊙(1 − tanhC²): dGates ← (dc⊙g⊙i(1−i), dc⊙cPrev⊙f(1−f), dc⊙i⊙(1−g²),
     * dh⊙tanhC⊙o(1−o)) and dcPrev ← dc⊙f, where (i, f, g, o) are the saved activations {@code act}.
     */
    @Override
    public void backward(NdArray act, NdArray cPrev, NdArray tanhC, NdArray dh, NdArray dcNext, NdArray dGates,
            NdArray dcPrev) {
        int rows = cPrev.dim(0);
        int hid = cPrev.dim(1);
        for (int b = 0; b < rows; b++) {
            for (int j = 0; j < hid; j++) {
                double i = act.get(b, j);
                double f = act.get(b, hid + j);
                double g = act.get(b, 2 * hid + j);
                double o = act.get(b, 3 * hid + j);
                double t = tanhC.get(b, j);
                double gh = dh.get(b, j);
                double dc = dcNext.get(b, j) + gh * o * (1 - t * t);
                dGates.set(dc * g * i * (1 - i), b, j);
                dGates.set(dc * cPrev.get(b, j) * f * (1 - f), b, hid + j);
                dGates.set(dc * i * (1 - g * g), b, 2 * hid + j);
                dGates.set(gh * t * o * (1 - o), b, 3 * hid + j);
                dcPrev.set(dc * f, b, j);
            }
        }
    }

    private static double sigmoid(double x) {
        return x >= 0 ? 1 / (1 + Math.exp(-x)) : Math.exp(x) / (1 + Math.exp(x));
    }
}
