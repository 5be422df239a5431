package org.inertia.nn.ops;

import java.util.random.RandomGenerator;
import org.inertia.kernels.Backend;
import org.inertia.kernels.Checks;
import org.inertia.kernels.Dtype;
import org.inertia.kernels.NdArray;
import org.inertia.nn.autograd.Node;
import org.inertia.nn.autograd.Tensor;

/**
 * Inverted dropout: y = x ⊙ m with m_i = 1/(1 − p) with probability 1 − p and 0 otherwise, so that
 * E[y] = x and evaluation needs no rescaling; ∂L/∂x = g ⊙ m. The mask is drawn from the caller's
 * generator, element by element in row-major order, so a seeded generator reproduces it exactly.
 */
public final class DropoutOp {
    private DropoutOp() {
    }

    /**
     * Dropout in training mode (p in [0, 1)); p = 0 returns {@code x} itself.
     *
     * @param x the input
     * @param p probability of zeroing each element, in [0, 1); survivors are scaled by 1/(1 − p)
     * @param rng source of the random mask
     * @return {@code x} itself when p = 0, else a new tensor owned like any op result
     * @throws IllegalArgumentException if p is outside [0, 1)
     */
    public static Tensor apply(Tensor x, double p, RandomGenerator rng) {
        Checks.floating("dropout", "x", Tensor.requireOpen("dropout", "x", x).dtype());
        Checks.present("dropout", "rng", rng);
        if (!(p >= 0 && p < 1)) {
            throw new IllegalArgumentException("dropout: probability p must be in [0, 1), got " + p);
        }
        if (p == 0) {
            return x;
        }
        Backend be = x.backend();
        NdArray mask = mask(x.dtype(), x.shape().dims(), p, rng);
        NdArray y = NdArray.zeros(x.dtype(), x.shape());
        be.elementwise().mul(x.data(), mask, y);
        return Tensor.result(y, be, new Node(x) {
            private NdArray saved = mask;

            @Override
            public String name() {
                return "dropout";
            }

            @Override
            protected void backward(Backend b, NdArray g, GradientSink sink) {
                if (sink.wants(0)) {
                    NdArray gx = NdArray.zeros(g.dtype(), g.shape());
                    b.elementwise().mul(g, saved, gx);
                    sink.accept(0, gx);
                }
            }

            @Override
            protected void release() {
                if (saved != null) {
                    saved.close();
                    saved = null;
                }
            }
        });
    }

    private static NdArray mask(Dtype dtype, int[] dims, double p, RandomGenerator rng) {
        int n = Math.toIntExact(org.inertia.kernels.Shape.of(dims).numel());
        double keep = 1 / (1 - p);
        if (dtype == Dtype.F32) {
            float[] m = new float[n];
            for (int i = 0; i < n; i++) {
                m[i] = rng.nextDouble() < p ? 0f : (float) keep;
            }
            return NdArray.of(m, dims);
        }
        double[] m = new double[n];
        for (int i = 0; i < n; i++) {
            m[i] = rng.nextDouble() < p ? 0 : keep;
        }
        return NdArray.ofDoubles(m, dims);
    }
}
