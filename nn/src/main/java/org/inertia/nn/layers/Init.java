package org.inertia.nn.layers;

import java.util.random.RandomGenerator;
import org.inertia.kernels.Checks;
import org.inertia.kernels.NdArray;

/**
 * Weight initializers with PyTorch's definitions ({@code torch.nn.init}), drawing from a caller-supplied,
 * seedable generator. For a weight [out, in, k…] the receptive field r = Πk, fan_in = in·r, fan_out = out·r.
 *
 * <ul>
 *   <li>Kaiming (He): std = gain/√fan, gain = √(2/(1 + a²)) (a = 0 for ReLU); uniform bound = √3·std.</li>
 *   <li>Xavier (Glorot): std = gain·√(2/(fan_in + fan_out)); uniform bound = √3·std.</li>
 *   <li>Orthogonal: the Q of a QR factorization of a Gaussian matrix (signs fixed by diag R so the result is
 *       Haar-distributed), times gain; rows (or columns, if fewer) orthonormal.</li>
 *   <li>PyTorch's default for Linear and Conv: weight kaiming_uniform(a = √5), i.e. U(±1/√fan_in), and bias
 *       U(±1/√fan_in).</li>
 * </ul>
 * Values are drawn in row-major order, so one seed gives one array whatever the dtype.
 */
public final class Init {
    private Init() {
    }

    /**
     * fan_in of a weight [out, in, k…] (for a vector, its length).
     *
     * @param w a weight [out, in, k…] or a vector
     * @return in·∏k, or the length of a vector
     */
    public static int fanIn(NdArray w) {
        Checks.present("fanIn", "w", w);
        return w.rank() < 2 ? w.dim(0) : w.dim(1) * receptive(w);
    }

    /**
     * fan_out of a weight [out, in, k…].
     *
     * @param w a weight [out, in, k…] or a vector
     * @return out·∏k, or the length of a vector
     */
    public static int fanOut(NdArray w) {
        Checks.present("fanOut", "w", w);
        return w.rank() < 2 ? w.dim(0) : w.dim(0) * receptive(w);
    }

    private static int receptive(NdArray w) {
        int r = 1;
        for (int i = 2; i < w.rank(); i++) {
            r *= w.dim(i);
        }
        return r;
    }

    /**
     * Kaiming normal with fan_in mode and leaky-ReLU slope {@code a} (0 for ReLU).
     *
     * @param w the weight to fill in place, floating point
     * @param a the negative slope of the following leaky ReLU; finite
     * @param rng source of the random numbers
     */
    public static void kaimingNormal(NdArray w, double a, RandomGenerator rng) {
        Checks.finite("kaimingNormal", "a", a);
        normal(w, Math.sqrt(2 / (1 + a * a)) / Math.sqrt(fanIn(w)), rng);
    }

    /**
     * Kaiming normal using fan_out (the PreResNet convention: std = √(2/(k·k·out))).
     *
     * @param w the weight to fill in place, floating point
     * @param rng source of the random numbers
     */
    public static void kaimingNormalFanOut(NdArray w, RandomGenerator rng) {
        normal(w, Math.sqrt(2.0 / fanOut(w)), rng);
    }

    /**
     * Kaiming uniform with fan_in mode and leaky-ReLU slope {@code a}.
     *
     * @param w the weight to fill in place, floating point
     * @param a the negative slope of the following leaky ReLU; finite
     * @param rng source of the random numbers
     */
    public static void kaimingUniform(NdArray w, double a, RandomGenerator rng) {
        Checks.finite("kaimingUniform", "a", a);
        uniform(w, Math.sqrt(3) * Math.sqrt(2 / (1 + a * a)) / Math.sqrt(fanIn(w)), rng);
    }

    /**
     * Xavier normal with {@code gain}.
     *
     * @param w the weight to fill in place, floating point
     * @param gain the scale factor; >= 0
     * @param rng source of the random numbers
     */
    public static void xavierNormal(NdArray w, double gain, RandomGenerator rng) {
        Checks.nonNegative("xavierNormal", "gain", gain);
        normal(w, gain * Math.sqrt(2.0 / (fanIn(w) + fanOut(w))), rng);
    }

    /**
     * Xavier uniform with {@code gain}.
     *
     * @param w the weight to fill in place, floating point
     * @param gain the scale factor; >= 0
     * @param rng source of the random numbers
     */
    public static void xavierUniform(NdArray w, double gain, RandomGenerator rng) {
        Checks.nonNegative("xavierUniform", "gain", gain);
        uniform(w, gain * Math.sqrt(6.0 / (fanIn(w) + fanOut(w))), rng);
    }

    /**
     * PyTorch's default Linear/Conv weight init: U(−1/√fan_in, 1/√fan_in).
     *
     * @param w the weight to fill in place, floating point
     * @param rng source of the random numbers
     */
    public static void defaultWeight(NdArray w, RandomGenerator rng) {
        kaimingUniform(w, Math.sqrt(5), rng);
    }

    /**
     * PyTorch's default Linear/Conv bias init for a layer whose weight has {@code fanIn}: U(±1/√fan_in).
     *
     * @param b the bias to fill in place
     * @param fanIn the weight's fan_in; >= 0 (0 fills zeros)
     * @param rng source of the random numbers
     * @throws IllegalArgumentException if {@code fanIn} is negative
     */
    public static void defaultBias(NdArray b, int fanIn, RandomGenerator rng) {
        if (fanIn < 0) {
            throw new IllegalArgumentException("defaultBias: fanIn must be >= 0, got " + fanIn);
        }
        uniform(b, fanIn > 0 ? 1 / Math.sqrt(fanIn) : 0, rng);
    }

    /**
     * w ← N(0, std²) elementwise.
     *
     * @param w the weight to fill in place, floating point
     * @param std the standard deviation; >= 0
     * @param rng source of the random numbers
     */
    public static void normal(NdArray w, double std, RandomGenerator rng) {
        Checks.floating("normal", "w", w);
        Checks.nonNegative("normal", "std", std);
        Checks.present("normal", "rng", rng);
        w.forEachOffset(o -> w.setAtOffset(o, std * rng.nextGaussian()));
    }

    /**
     * w ← U(−bound, bound) elementwise.
     *
     * @param w the weight to fill in place, floating point
     * @param bound half the interval's width; >= 0
     * @param rng source of the random numbers
     */
    public static void uniform(NdArray w, double bound, RandomGenerator rng) {
        Checks.floating("uniform", "w", w);
        Checks.nonNegative("uniform", "bound", bound);
        Checks.present("uniform", "rng", rng);
        w.forEachOffset(o -> w.setAtOffset(o, bound * (2 * rng.nextDouble() - 1)));
    }

    /**
     * w ← value everywhere.
     *
     * @param w the array to fill in place, floating point
     * @param value the value
     */
    public static void constant(NdArray w, double value) {
        Checks.floating("constant", "w", w);
        w.forEachOffset(o -> w.setAtOffset(o, value));
    }

    /**
     * Orthogonal init of w viewed as a [rows = dim 0, cols = rest] matrix: orthonormal rows if rows ≤ cols,
     * else orthonormal columns, times {@code gain}. QR by modified Gram–Schmidt in double precision on a
     * [max, min] Gaussian matrix; each column of Q is multiplied by sign(R_jj), as PyTorch does.
     *
     * @param w the weight to fill in place, floating point, rank >= 2
     * @param gain the scale factor; finite
     * @param rng source of the random numbers
     */
    public static void orthogonal(NdArray w, double gain, RandomGenerator rng) {
        Checks.floating("orthogonal", "w", w);
        Checks.finite("orthogonal", "gain", gain);
        Checks.present("orthogonal", "rng", rng);
        int rows = w.dim(0);
        int cols = (int) (w.numel() / Math.max(1, rows));
        int tall = Math.max(rows, cols), narrow = Math.min(rows, cols);
        double[][] q = new double[narrow][tall]; // column j of the tall matrix as q[j]
        for (int i = 0; i < tall; i++) {
            for (int j = 0; j < narrow; j++) {
                q[j][i] = rng.nextGaussian();
            }
        }
        for (int j = 0; j < narrow; j++) {
            for (int p = 0; p < j; p++) { // modified Gram–Schmidt: project out each earlier q_p in turn
                double d = 0;
                for (int i = 0; i < tall; i++) {
                    d += q[p][i] * q[j][i];
                }
                for (int i = 0; i < tall; i++) {
                    q[j][i] -= d * q[p][i];
                }
            }
            double norm = 0;
            for (int i = 0; i < tall; i++) {
                norm += q[j][i] * q[j][i];
            }
            norm = Math.sqrt(norm); // R_jj > 0 by construction, so the sign fix is the identity here
            for (int i = 0; i < tall; i++) {
                q[j][i] /= norm;
            }
        }
        long[] k = {0};
        w.forEachOffset(o -> { // row-major over [rows, cols]
            long idx = k[0]++;
            int r = (int) (idx / cols), c = (int) (idx % cols);
            double v = rows >= cols ? q[c][r] : q[r][c]; // tall: columns orthonormal; wide: the transpose
            w.setAtOffset(o, gain * v);
        });
    }
}
