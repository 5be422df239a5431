package org.inertia.kernels;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.inertia.kernels.simd.FloatSpecies;

/**
 * Test helper shared by the elementwise and reduction properties: random float data, random views of
 * a logical shape (contiguous, offset, stepped, transposed), and ulp-based comparison with a double
 * reference. Arrays made here are remembered and freed by {@link #close()}.
 */
final class ElementwiseArrays implements AutoCloseable {
    /** Unit roundoff of float32: a correctly rounded result is within u·|x| of x. */
    static final double U = 0x1p-24;
    static final int LANES = FloatSpecies.LANES;
    /** Interesting lengths of the contiguous dimension: vector edges, primes and a large one. */
    static final int[] LENGTHS = {0, 1, LANES - 1, LANES, LANES + 1, 2 * LANES + 3, 4 * LANES, 4 * LANES + 1, 7, 31, 97,
        1009, 10_007};

    enum Layout { CONTIGUOUS, OFFSET, STEPPED, TRANSPOSED }

    private final List<NdArray> owners = new ArrayList<>();
    final Random rnd;

    ElementwiseArrays(long seed) {
        rnd = new Random(seed);
    }

    /** A float drawn mostly from [-10, 10], sometimes a special or extreme value. */
    float value(boolean specials) {
        if (specials && rnd.nextInt(20) == 0) {
            float[] sp = {0f, -0f, Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, 1e-40f, -1e-40f, 100f,
                -100f, 1e30f, -1e30f, 1f, -1f};
            return sp[rnd.nextInt(sp.length)];
        }
        return (float) (rnd.nextDouble() * 20 - 10);
    }

    /** A new view of {@code shape} laid out as {@code layout}, filled with {@link #value}. */
    NdArray array(Dtype dtype, Shape shape, Layout layout, boolean specials) {
        NdArray v = view(dtype, shape, layout);
        v.forEachOffset(off -> v.setAtOffset(off, value(specials)));
        return v;
    }

    /** A new zero view of {@code shape} laid out as {@code layout}. */
    NdArray view(Dtype dtype, Shape shape, Layout layout) {
        int r = shape.rank();
        int[] d = shape.dims();
        if (layout == Layout.TRANSPOSED && r < 2) {
            layout = Layout.STEPPED;
        }
        if (layout == Layout.STEPPED && r < 1) {
            layout = Layout.OFFSET;
        }
        return switch (layout) {
            case CONTIGUOUS -> own(NdArray.zeros(dtype, shape));
            case OFFSET -> {
                int n = Math.toIntExact(shape.numel());
                NdArray base = own(NdArray.zeros(dtype, n + 3));
                yield base.slice(0, 3, 3 + n).reshape(d);
            }
            case STEPPED -> {
                int[] bd = d.clone();
                bd[r - 1] = 2 * d[r - 1] + 1;
                NdArray base = own(NdArray.zeros(dtype, bd));
                yield base.slice(r - 1, 1, bd[r - 1], 2);
            }
            case TRANSPOSED -> {
                int[] bd = d.clone();
                bd[r - 1] = d[r - 2];
                bd[r - 2] = d[r - 1];
                NdArray base = own(NdArray.zeros(dtype, bd));
                yield base.transpose(r - 1, r - 2);
            }
        };
    }

    NdArray own(NdArray a) {
        owners.add(a);
        return a;
    }

    /** A contiguous float64 array of {@code shape} for reference results. */
    NdArray f64(Shape shape) {
        return own(NdArray.zeros(Dtype.F64, shape));
    }

    /** Asserts the float results equal the double reference rounded to float (NaN matching NaN). */
    static void assertRoundedEqual(NdArray got, NdArray ref, String context) {
        assertWithinUlps(got, ref, 0, context);
    }

    /**
     * Asserts |got − ref| ≤ ulps·ulp((float) ref) elementwise (NaN only where ref is NaN; an infinity
     * counts as ±2^128, the first value that rounds to it). 0 ulps asks for the correctly rounded value.
     */
    static void assertWithinUlps(NdArray got, NdArray ref, double ulps, String context) {
        float[] g = got.toFloatArray();
        double[] r = ref.toDoubleArray();
        for (int i = 0; i < g.length; i++) {
            assertClose(g[i], r[i], ulps * Math.ulp((float) r[i]), context + " at flat index " + i);
        }
    }

    /** Asserts |got − ref| ≤ tol with NaN only where ref is NaN; infinities count as ±2^128. */
    static void assertClose(float got, double ref, double tol, String context) {
        float rounded = (float) ref;
        if (Double.isNaN(ref) || Float.isNaN(got)) {
            if (!(Double.isNaN(ref) && Float.isNaN(got))) {
                fail(context + ": got " + got + ", expected " + ref);
            }
            return;
        }
        if (Float.compare(got, rounded) == 0 || (got == rounded && tol > 0)) {
            return;
        }
        double diff = Math.abs(widen(got) - widen(ref));
        assertTrue(diff <= tol, () -> context + ": got " + got + ", expected " + ref + " (rounded " + rounded
                + "), |diff| = " + diff + " > tolerance " + tol);
    }

    private static double widen(double v) {
        return Double.isInfinite(v) ? Math.copySign(0x1p128, v) : v;
    }

    @Override
    public void close() {
        for (NdArray a : owners) {
            a.close();
        }
    }
}
