package org.inertia.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.inertia.kernels.TestArrays.EPS32;
import static org.inertia.kernels.TestArrays.EPS64;

import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import org.inertia.kernels.cpu.Blas1Scalar;
import org.inertia.kernels.cpu.CpuBackend;
import org.inertia.kernels.simd.FloatSpecies;
import org.junit.jupiter.api.Test;

/**
 * BLAS-1 float32 kernels against the double-precision reference on float64 copies of the same values.
 *
 * <p>Error bounds (u = 2^-24, the float32 unit roundoff): a float sum of n terms in any order, with or
 * without FMA, errs by at most γ_n·Σ|terms| with γ_n = n·u/(1 − n·u) ≤ (n+1)·u for the sizes used; axpy
 * and scal round each element once (|err| ≤ u·|exact|); nrm2 accumulates in double, so its error is
 * (n+2)·2^-53 relative; iamax and copy are exact.
 */
class Blas1PropertiesTest {
    private static final Backend B = CpuBackend.get();
    private static final int L = FloatSpecies.LANES;

    @Provide
    Arbitrary<Integer> sizes() {
        return Arbitraries.oneOf(
                Arbitraries.of(0, 1, 2, L - 1, L, L + 1, 2 * L - 1, 4 * L - 1, 4 * L, 4 * L + 1, 8 * L + 3),
                Arbitraries.of(3, 5, 7, 13, 31, 61, 127, 251, 509, 1021, 4093),
                Arbitraries.integers().between(0, 300),
                Arbitraries.integers().between(10_000, 70_000));
    }

    @Property(tries = 300)
    void dotMatchesReference(@ForAll("sizes") int n, @ForAll @IntRange(min = 1, max = 3) int sx,
                             @ForAll @IntRange(min = 1, max = 3) int sy, @ForAll @IntRange(min = 0, max = 5) int off,
                             @ForAll long seed) {
        Random r = new Random(seed);
        NdArray x = TestArrays.vector(r, n, sx, off, 1);
        NdArray y = TestArrays.vector(r, n, sy, 0, 3);
        NdArray xd = TestArrays.f64(x);
        NdArray yd = TestArrays.f64(y);
        double ref = Blas1Scalar.INSTANCE.dot(xd, yd);
        double absSum = 0;
        for (int i = 0; i < n; i++) {
            absSum += Math.abs(xd.get(i) * yd.get(i));
        }
        double got = B.blas1().dot(x, y);
        double bound = (n + 1) * EPS32 * absSum;
        assertTrue(Math.abs(got - ref) <= bound, "n=" + n + " got " + got + " ref " + ref + " bound " + bound);
        TestArrays.free(x, y, xd, yd);
    }

    @Property(tries = 300)
    void axpyMatchesReferenceAndTouchesOnlyTheView(@ForAll("sizes") int n, @ForAll @IntRange(min = 1, max = 3) int sx,
                                                   @ForAll @IntRange(min = 1, max = 3) int sy,
                                                   @ForAll @IntRange(min = 0, max = 5) int off, @ForAll float alpha,
                                                   @ForAll long seed) {
        if (!Float.isFinite(alpha) || Math.abs(alpha) > 1e30f) {
            alpha = 0.75f;
        }
        Random r = new Random(seed);
        NdArray x = TestArrays.vector(r, n, sx, 0, 1);
        NdArray y = TestArrays.vector(r, n, sy, off, 1);
        NdArray xd = TestArrays.f64(x);
        NdArray yd = TestArrays.f64(y);
        Blas1Scalar.INSTANCE.axpy(alpha, xd, yd);
        B.blas1().axpy(alpha, x, y);
        for (int i = 0; i < n; i++) {
            double ref = yd.get(i);
            assertTrue(Math.abs(y.get(i) - ref) <= EPS32 * Math.abs(ref), "element " + i);
        }
        assertEquals(0, TestArrays.corruptedGaps(y), "axpy wrote outside y's view");
        TestArrays.free(x, y, xd, yd);
    }

    @Property(tries = 200)
    void scalMatchesReference(@ForAll("sizes") int n, @ForAll @IntRange(min = 1, max = 4) int sx,
                              @ForAll @IntRange(min = 0, max = 5) int off, @ForAll long seed) {
        Random r = new Random(seed);
        float alpha = (float) (r.nextGaussian() * 4);
        NdArray x = TestArrays.vector(r, n, sx, off, 10);
        NdArray xd = TestArrays.f64(x);
        Blas1Scalar.INSTANCE.scal(alpha, xd);
        B.blas1().scal(alpha, x);
        for (int i = 0; i < n; i++) {
            assertTrue(Math.abs(x.get(i) - xd.get(i)) <= EPS32 * Math.abs(xd.get(i)), "element " + i);
        }
        assertEquals(0, TestArrays.corruptedGaps(x), "scal wrote outside x's view");
        TestArrays.free(x, xd);
    }

    @Property(tries = 200)
    void asumAndNrm2MatchReference(@ForAll("sizes") int n, @ForAll @IntRange(min = 1, max = 3) int sx,
                                   @ForAll @IntRange(min = 0, max = 5) int off, @ForAll long seed) {
        Random r = new Random(seed);
        NdArray x = TestArrays.vector(r, n, sx, off, 5);
        NdArray xd = TestArrays.f64(x);
        double refAsum = Blas1Scalar.INSTANCE.asum(xd);
        double gotAsum = B.blas1().asum(x);
        assertTrue(Math.abs(gotAsum - refAsum) <= (n + 1) * EPS32 * refAsum, "asum " + gotAsum + " vs " + refAsum);
        double refNrm = Blas1Scalar.INSTANCE.nrm2(xd);
        double gotNrm = B.blas1().nrm2(x);
        assertTrue(Math.abs(gotNrm - refNrm) <= (n + 2) * EPS64 * refNrm * 2, "nrm2 " + gotNrm + " vs " + refNrm);
        TestArrays.free(x, xd);
    }

    @Property(tries = 200)
    void iamaxIsExact(@ForAll("sizes") int n, @ForAll @IntRange(min = 1, max = 3) int sx,
                      @ForAll @IntRange(min = 0, max = 5) int off, @ForAll long seed) {
        Random r = new Random(seed);
        NdArray x = TestArrays.vector(r, n, sx, off, 5);
        if (n > 3 && r.nextBoolean()) { // plant a tie: the first occurrence must win
            int a = r.nextInt(n);
            int b = r.nextInt(n);
            x.set(100, Math.min(a, b));
            x.set(-100, Math.max(a, b));
        }
        assertEquals(Blas1Scalar.INSTANCE.iamax(TestArrays.f64(x)), B.blas1().iamax(x));
        if (n > 0) {
            int p = r.nextInt(n);
            x.set(Double.NaN, p);
            assertEquals(Blas1Scalar.INSTANCE.iamax(x), B.blas1().iamax(x));
        }
        TestArrays.free(x);
    }

    @Property(tries = 100)
    void copyIsExactForStridedMatrices(@ForAll @IntRange(min = 0, max = 40) int rows,
                                       @ForAll @IntRange(min = 0, max = 40) int cols, @ForAll boolean transposeSrc,
                                       @ForAll long seed) {
        Random r = new Random(seed);
        try (NdArray base = NdArray.zeros(Dtype.F32, cols, rows); NdArray dst = NdArray.zeros(Dtype.F32, rows, cols)) {
            NdArray src = transposeSrc ? base.t() : NdArray.zeros(Dtype.F32, rows, cols);
            src.forEachOffset(o -> src.setAtOffset(o, r.nextGaussian()));
            B.blas1().copy(src, dst);
            org.junit.jupiter.api.Assertions.assertArrayEquals(src.toFloatArray(), dst.toFloatArray());
            src.close();
        }
    }

    /** Vectors of 2^18 elements and more are cut into chunks that run on the kernel pool. */
    @Property(tries = 6)
    void longVectorsTakeTheChunkedParallelPath(@ForAll @IntRange(min = 1 << 18, max = 700_000) int n,
                                               @ForAll long seed) {
        Random r = new Random(seed);
        NdArray x = TestArrays.vector(r, n, 1, 3, 1);
        NdArray y = TestArrays.vector(r, n, 1, 0, 1);
        NdArray xd = TestArrays.f64(x);
        NdArray yd = TestArrays.f64(y);
        double absSum = 0;
        for (int i = 0; i < n; i++) {
            absSum += Math.abs(xd.get(i) * yd.get(i));
        }
        double ref = Blas1Scalar.INSTANCE.dot(xd, yd);
        double got = B.blas1().dot(x, y);
        assertTrue(Math.abs(got - ref) <= (n + 1) * EPS32 * absSum, "dot " + got + " vs " + ref);
        assertEquals(got, B.blas1().dot(x, y), "chunked dot must be deterministic");
        Blas1Scalar.INSTANCE.axpy(0.5f, xd, yd);
        B.blas1().axpy(0.5f, x, y);
        for (int i = 0; i < n; i += 7) {
            assertTrue(Math.abs(y.get(i) - yd.get(i)) <= EPS32 * Math.abs(yd.get(i)), "axpy element " + i);
        }
        B.blas1().scal(-2f, y);
        assertEquals(-2f * (float) yd.get(n - 1), y.get(n - 1), EPS32 * 2 * Math.abs(yd.get(n - 1)) * 2);
        assertEquals(0, TestArrays.corruptedGaps(y), "chunked kernels wrote outside the view");
        TestArrays.free(x, y, xd, yd);
    }

    @Test
    void nrm2DoesNotOverflowForHugeFloats() {
        try (NdArray x = NdArray.of(new float[] {3e38f, 2e38f}, 2)) {
            assertEquals(Math.sqrt(13) * 1e38, B.blas1().nrm2(x), 1e38 * 1e-6);
        }
    }

    /** The surefire runs with -Dinertia.simd.bits=256/128 must really exercise the narrower kernels. */
    @Test
    void speciesHonoursTheWidthProperty() {
        String bits = System.getProperty("inertia.simd.bits");
        if (bits != null) {
            assertEquals(Integer.parseInt(bits), FloatSpecies.LANES * Float.SIZE);
        } else {
            assertEquals(jdk.incubator.vector.FloatVector.SPECIES_PREFERRED.length(), FloatSpecies.LANES);
        }
    }

    /** Same inputs, same bits: before and after the JIT compiles the kernel (reduction order is fixed). */
    @Test
    void dotIsBitIdenticalBeforeAndAfterJit() {
        Random r = new Random(7);
        NdArray x = TestArrays.vector(r, 1000, 1, 0, 1);
        NdArray y = TestArrays.vector(r, 1000, 1, 0, 1);
        double first = B.blas1().dot(x, y);
        for (int i = 0; i < 50_000; i++) {
            assertEquals(Double.doubleToRawLongBits(first), Double.doubleToRawLongBits(B.blas1().dot(x, y)), "call " + i);
        }
        TestArrays.free(x, y);
    }

    @Test
    void emptyVectors() {
        try (NdArray x = NdArray.zeros(Dtype.F32, 0); NdArray y = NdArray.zeros(Dtype.F32, 0)) {
            assertEquals(0.0, B.blas1().dot(x, y));
            assertEquals(-1, B.blas1().iamax(x));
            assertEquals(0.0, B.blas1().nrm2(x));
        }
    }

    @Test
    void float64PathUsesReference() {
        try (NdArray x = NdArray.ofDoubles(new double[] {1e-20, 1, -1e-20}, 3);
             NdArray y = NdArray.ofDoubles(new double[] {1, 1e-20, 1}, 3)) {
            assertEquals(1e-20, B.blas1().dot(x, y), 1e-36);
        }
    }

    @Test
    void badInputIsRejectedWithNamedShapes() {
        try (NdArray x = NdArray.zeros(Dtype.F32, 3); NdArray y = NdArray.zeros(Dtype.F32, 4);
             NdArray m = NdArray.zeros(Dtype.F32, 2, 2); NdArray d = NdArray.zeros(Dtype.F64, 3)) {
            var e = assertThrows(IllegalArgumentException.class, () -> B.blas1().dot(x, y));
            assertTrue(e.getMessage().contains("[3]") && e.getMessage().contains("[4]"), e.getMessage());
            e = assertThrows(IllegalArgumentException.class, () -> B.blas1().axpy(1, m, m));
            assertTrue(e.getMessage().contains("[2, 2]"), e.getMessage());
            e = assertThrows(IllegalArgumentException.class, () -> B.blas1().dot(x, d));
            assertTrue(e.getMessage().contains("F64"), e.getMessage());
        }
    }

    @Test
    void closedBufferThrowsInsteadOfCorruptingMemory() {
        NdArray x = NdArray.zeros(Dtype.F32, 100);
        NdArray view = x.slice(0, 10, 20);
        x.close();
        x.close(); // double close is harmless
        assertThrows(IllegalStateException.class, () -> B.blas1().scal(2, x));
        assertThrows(IllegalStateException.class, () -> B.blas1().nrm2(view));
        assertThrows(IllegalStateException.class, () -> x.get(0));
    }

    @Test
    void overlappingAxpyOperandsAreRejected() {
        try (NdArray a = NdArray.zeros(Dtype.F32, 10)) {
            var e = assertThrows(IllegalArgumentException.class, () -> B.blas1().axpy(1, a.slice(0, 0, 5), a.slice(0, 2, 7)));
            assertTrue(e.getMessage().contains("overlap"), e.getMessage());
        }
    }
}
