package org.inertia.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.inertia.kernels.cpu.CpuBackend;
import org.inertia.kernels.cpu.GradClipScalar;
import org.junit.jupiter.api.Test;

/**
 * Gradient clipping (the backend's building blocks of {@code clip_grad_norm_} and {@code clip_grad_value_})
 * and the counter-based normal generator the samplers draw from. (The optimizer steps' tests moved to
 * optim with the kernels: {@code org.inertia.optim.kernel.OptimizerStepsTest}.)
 */
class GradClipTest {
    private static final Backend B = CpuBackend.get();

    @Test
    void clipGradNormMatchesPyTorch() {
        NdArray a = NdArray.of(new float[] {3, 0}, 2);
        NdArray b = NdArray.of(new float[] {4}, 1);
        double total = B.gradClip().clipGradNorm(1.0, a, b);
        assertEquals(5, total, 1e-12);
        double coef = 1.0 / (5 + 1e-6);
        assertEquals((float) (3 * coef), (float) a.get(0));
        assertEquals((float) (4 * coef), (float) b.get(0));
        // below the limit: unchanged
        B.gradClip().clipGradNorm(100, a, b);
        assertEquals((float) (3 * coef), (float) a.get(0));
        NdArray c = NdArray.of(new float[] {-5, 0.5f, 2, Float.NaN}, 4);
        B.gradClip().clampValue(c, 1);
        assertEquals(-1f, (float) c.get(0));
        assertEquals(0.5f, (float) c.get(1));
        assertEquals(1f, (float) c.get(2));
        assertTrue(Double.isNaN(c.get(3)));
    }

    @Property(tries = 60)
    void sumOfSquaresMatchesReference(@ForAll @IntRange(min = 0, max = 300_000) int n, @ForAll long seed) {
        // Squares of floats are exact in double; double sums of n non-negative terms err by ≤ n·2^-53 relative.
        Random r = new Random(seed);
        NdArray g = NdArray.zeros(Dtype.F32, n);
        for (int i = 0; i < n; i++) {
            g.set(r.nextGaussian(), i);
        }
        NdArray gd = g.toDtype(Dtype.F64);
        double ref = GradClipScalar.INSTANCE.sumOfSquares(gd);
        double got = B.gradClip().sumOfSquares(g);
        assertTrue(Math.abs(got - ref) <= 2 * (n + 1) * TestArrays.EPS64 * ref, got + " vs " + ref);
        TestArrays.free(g, gd);
    }

    @Test
    void counterNormalIsAPureFunctionWithUnitMoments() {
        assertEquals(CounterNormal.gaussian(7, 3, 12345), CounterNormal.gaussian(7, 3, 12345));
        double s = 0;
        double s2 = 0;
        int n = 200_000;
        long key = CounterNormal.streamKey(42, 1);
        for (int i = 0; i < n; i++) {
            double z = CounterNormal.gaussian(key, i);
            s += z;
            s2 += z * z;
        }
        // mean ~ N(0, 1/n): 5 standard errors; variance within 5·√(2/n)
        assertEquals(0, s / n, 5 / Math.sqrt(n));
        assertEquals(1, s2 / n, 5 * Math.sqrt(2.0 / n));
        assertTrue(CounterNormal.gaussian(42, 2, 0) != CounterNormal.gaussian(42, 1, 0));
    }
}
