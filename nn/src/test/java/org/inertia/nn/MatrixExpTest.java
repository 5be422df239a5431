package org.inertia.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Scale;
import org.inertia.kernels.Dtype;
import org.inertia.kernels.NdArray;
import org.inertia.nn.ops.MatrixExp;
import org.inertia.nn.ops.ModRelu;
import org.junit.jupiter.api.Test;

/**
 * The matrix exponential (scaling and squaring with Padé), its Fréchet derivative and the adjoint used by
 * backward, against closed forms, a Taylor series in exact-enough arithmetic, finite differences in float64, and
 * the algebraic identities; and modReLU's gradient.
 */
class MatrixExpTest {

    private static double[] random(Random r, int n, double norm) {
        double[] a = new double[n * n];
        for (int i = 0; i < a.length; i++) {
            a[i] = r.nextGaussian();
        }
        double scale = norm / norm1(a, n);
        for (int i = 0; i < a.length; i++) {
            a[i] *= scale;
        }
        return a;
    }

    private static double norm1(double[] a, int n) {
        double best = 0;
        for (int j = 0; j < n; j++) {
            double s = 0;
            for (int i = 0; i < n; i++) {
                s += Math.abs(a[i * n + j]);
            }
            best = Math.max(best, s);
        }
        return best;
    }

    /** e^A by the Taylor series of A/2^s squared s times, summed to convergence (a reference for moderate norms). */
    private static double[] taylor(double[] a, int n) {
        int s = Math.max(0, (int) Math.ceil(Math.log(Math.max(norm1(a, n), 1e-300) / 0.1) / Math.log(2)));
        double c = Math.scalb(1.0, -s);
        double[] x = new double[n * n];
        for (int i = 0; i < x.length; i++) {
            x[i] = a[i] * c;
        }
        double[] sum = new double[n * n];
        double[] term = new double[n * n];
        for (int i = 0; i < n; i++) {
            sum[i * n + i] = 1;
            term[i * n + i] = 1;
        }
        for (int k = 1; k < 40; k++) {
            term = MatrixExp.multiply(term, x, n);
            for (int i = 0; i < term.length; i++) {
                term[i] /= k;
                sum[i] += term[i];
            }
        }
        for (int i = 0; i < s; i++) {
            sum = MatrixExp.multiply(sum, sum, n);
        }
        return sum;
    }

    private static double maxDiff(double[] a, double[] b) {
        double m = 0;
        for (int i = 0; i < a.length; i++) {
            m = Math.max(m, Math.abs(a[i] - b[i]));
        }
        return m;
    }

    private static double maxAbs(double[] a) {
        double m = 0;
        for (double v : a) {
            m = Math.max(m, Math.abs(v));
        }
        return m;
    }

    @Test
    void closedForms() {
        // a rotation generator: e^{[[0, t], [-t, 0]]} = [[cos t, sin t], [-sin t, cos t]], for norms across all degrees
        for (double t : new double[] {0, 1e-3, 0.2, 0.9, 2.0, 5.0, 40.0}) {
            double[] e = MatrixExp.compute(new double[] {0, t, -t, 0}, null, 2).exp();
            double[] want = {Math.cos(t), Math.sin(t), -Math.sin(t), Math.cos(t)};
            assertTrue(maxDiff(e, want) < 1e-14 * Math.max(1, t), "rotation by " + t + ": " + java.util.Arrays.toString(e));
        }
        // diagonal: e^{diag(d)} = diag(e^d)
        double[] d = {-3, 0.5, 7};
        double[] a = new double[9];
        for (int i = 0; i < 3; i++) {
            a[i * 3 + i] = d[i];
        }
        double[] e = MatrixExp.compute(a, null, 3).exp();
        for (int i = 0; i < 3; i++) {
            assertEquals(Math.exp(d[i]), e[i * 3 + i], 1e-14 * Math.exp(d[i]));
        }
        // nilpotent: e^N = I + N + N²/2 for N strictly upper triangular 3×3
        double[] nil = {0, 2, 3, 0, 0, 5, 0, 0, 0};
        double[] want = {1, 2, 3 + 5, 0, 1, 5, 0, 0, 1};
        assertTrue(maxDiff(MatrixExp.compute(nil, null, 3).exp(), want) < 1e-14);
        // L(A, E) for commuting A, E: L = E e^A
        double[] ea = MatrixExp.compute(a, null, 3).exp();
        double[] ed = {1, 0, 0, 0, -2, 0, 0, 0, 0.5};
        double[] l = MatrixExp.compute(a, ed, 3).frechet();
        assertTrue(maxDiff(l, MatrixExp.multiply(ed, ea, 3)) < 1e-12 * maxAbs(l));
    }

    /** e^A against the Taylor reference, for norms that select each Padé degree and for scaled cases. */
    @Property(tries = 60)
    void matchesTheTaylorSeries(@ForAll @IntRange(min = 1, max = 12) int n,
                                @ForAll @DoubleRange(min = 1e-4, max = 30) @Scale(6) double norm, @ForAll long seed) {
        double[] a = random(new Random(seed), n, norm);
        double[] e = MatrixExp.compute(a, null, n).exp();
        double[] ref = taylor(a, n);
        assertTrue(maxDiff(e, ref) <= 1e-11 * Math.max(1, maxAbs(ref)), "n " + n + " norm " + norm);
    }

    /** e^A·e^{−A} = I, and e^A is orthogonal for skew-symmetric A. */
    @Property(tries = 60)
    void inverseAndOrthogonality(@ForAll @IntRange(min = 1, max = 16) int n,
                                 @ForAll @DoubleRange(min = 0, max = 20) double norm, @ForAll long seed) {
        double[] x = random(new Random(seed), n, Math.max(norm, 1e-300));
        double[] skew = new double[n * n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                skew[i * n + j] = x[i * n + j] - x[j * n + i];
            }
        }
        double[] q = MatrixExp.compute(skew, null, n).exp();
        double[] qtq = MatrixExp.multiply(MatrixExp.transposed(q, n), q, n);
        for (int i = 0; i < n; i++) {
            qtq[i * n + i] -= 1;
        }
        assertTrue(maxAbs(qtq) < 1e-13 * Math.max(1, norm), "QᵀQ − I = " + maxAbs(qtq));
        double[] neg = new double[n * n];
        for (int i = 0; i < neg.length; i++) {
            neg[i] = -x[i];
        }
        double[] prod = MatrixExp.multiply(MatrixExp.compute(x, null, n).exp(), MatrixExp.compute(neg, null, n).exp(), n);
        for (int i = 0; i < n; i++) {
            prod[i * n + i] -= 1;
        }
        assertTrue(maxAbs(prod) < 1e-12 * Math.exp(2 * norm1(x, n)), "e^A e^-A − I = " + maxAbs(prod));
    }

    /** ⟨L(A, E), G⟩ = ⟨E, L(Aᵀ, G)⟩: the adjoint backward uses. */
    @Property(tries = 60)
    void theAdjointIdentityHolds(@ForAll @IntRange(min = 1, max = 10) int n,
                                 @ForAll @DoubleRange(min = 1e-3, max = 15) @Scale(6) double norm, @ForAll long seed) {
        Random r = new Random(seed);
        double[] a = random(r, n, norm);
        double[] e = random(r, n, 1);
        double[] g = random(r, n, 1);
        double[] l = MatrixExp.compute(a, e, n).frechet();
        double[] adj = MatrixExp.compute(MatrixExp.transposed(a, n), g, n).frechet();
        double lhs = 0;
        double rhs = 0;
        double scale = 0;
        for (int i = 0; i < n * n; i++) {
            lhs += l[i] * g[i];
            rhs += e[i] * adj[i];
            scale += Math.abs(l[i] * g[i]) + Math.abs(e[i] * adj[i]);
        }
        assertTrue(Math.abs(lhs - rhs) <= 1e-12 * scale, lhs + " vs " + rhs);
    }

    /** L(A, E) against the central difference (e^{A+hE} − e^{A−hE})/2h. */
    @Property(tries = 40)
    void theFrechetDerivativeIsTheDirectionalDerivative(@ForAll @IntRange(min = 1, max = 8) int n,
                                                       @ForAll @DoubleRange(min = 1e-3, max = 12) @Scale(6) double norm,
                                                       @ForAll long seed) {
        Random r = new Random(seed);
        double[] a = random(r, n, norm);
        double[] e = random(r, n, 1);
        double[] l = MatrixExp.compute(a, e, n).frechet();
        double h = 1e-6;
        double[] up = new double[n * n];
        double[] down = new double[n * n];
        for (int i = 0; i < up.length; i++) {
            up[i] = a[i] + h * e[i];
            down[i] = a[i] - h * e[i];
        }
        double[] eu = MatrixExp.compute(up, null, n).exp();
        double[] ed = MatrixExp.compute(down, null, n).exp();
        double[] fd = new double[n * n];
        for (int i = 0; i < fd.length; i++) {
            fd[i] = (eu[i] - ed[i]) / (2 * h);
        }
        double scale = maxAbs(eu);
        assertTrue(maxDiff(l, fd) <= 1e-6 * Math.max(1, scale), "n " + n + " norm " + norm + ": " + maxDiff(l, fd));
    }

    @Test
    void theAutogradOpPassesTheFiniteDifferenceCheck() {
        Random r = new Random(4);
        // norms that select Padé degrees 3, 7, 9 and 13 with squaring
        for (double norm : new double[] {0.01, 0.8, 2.0, 9.0}) {
            NdArray a = NdArray.ofDoubles(random(r, 4, norm), 4, 4);
            GradCheck.check("expm, norm " + norm, t -> MatrixExp.apply(t[0]), 7, a);
            a.close();
        }
    }

    @Test
    void modReluPassesTheFiniteDifferenceCheckAwayFromItsKinks() {
        Random r = new Random(9);
        double[] z = new double[4 * 6];
        for (int i = 0; i < z.length; i++) {
            double v;
            do {
                v = 2 * r.nextGaussian();
            } while (Math.abs(v) < 0.1);
            z[i] = v;
        }
        double[] b = new double[6];
        for (int c = 0; c < 6; c++) {
            b[c] = c % 2 == 0 ? 0.3 : -0.05;
        }
        for (int i = 0; i < z.length; i++) { // keep |z| + b away from 0
            if (Math.abs(Math.abs(z[i]) + b[i % 6]) < 0.05) {
                z[i] += Math.signum(z[i]) * 0.2;
            }
        }
        NdArray zs = NdArray.ofDoubles(z, 4, 6);
        NdArray bs = NdArray.ofDoubles(b, 6);
        GradCheck.check("modrelu", t -> ModRelu.apply(t[0], t[1]), 3, zs, bs);
        zs.close();
        bs.close();
    }

    @Test
    void badArgumentsAreRejectedNamingThem() {
        try (NdArray rect = NdArray.zeros(Dtype.F64, 2, 3); NdArray ints = NdArray.zeros(Dtype.I32, 2, 2);
             NdArray sq = NdArray.zeros(Dtype.F64, 2, 2); NdArray big = NdArray.zeros(Dtype.F64, 3, 3)) {
            var e = assertThrows(IllegalArgumentException.class, () -> MatrixExp.expm(rect));
            assertTrue(e.getMessage().contains("square") && e.getMessage().contains("[2, 3]"), e.getMessage());
            e = assertThrows(IllegalArgumentException.class, () -> MatrixExp.expm(ints));
            assertTrue(e.getMessage().contains("a"), e.getMessage());
            e = assertThrows(IllegalArgumentException.class, () -> MatrixExp.frechet(sq, big));
            assertTrue(e.getMessage().contains("e must be") && e.getMessage().contains("[3, 3]"), e.getMessage());
            sq.set(Double.NaN, 0, 1);
            e = assertThrows(IllegalArgumentException.class, () -> MatrixExp.expm(sq));
            assertTrue(e.getMessage().contains("NaN"), e.getMessage());
        }
    }

    @Test
    void float32ArgumentsAreComputedInDoubleAndRoundedOnce() {
        try (NdArray a = NdArray.zeros(Dtype.F32, 2, 2)) {
            a.set(0.5, 0, 1);
            a.set(-0.5, 1, 0);
            try (NdArray e = MatrixExp.expm(a)) {
                assertEquals(Dtype.F32, e.dtype());
                assertEquals((float) Math.cos(0.5), (float) e.get(0, 0));
                assertEquals((float) Math.sin(0.5), (float) e.get(0, 1));
            }
        }
    }
}
