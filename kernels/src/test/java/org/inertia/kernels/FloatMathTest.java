package org.inertia.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.Random;
import java.util.function.DoubleUnaryOperator;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import org.inertia.kernels.cpu.CpuBackend;
import org.inertia.kernels.simd.FloatMath;
import org.inertia.kernels.simd.FloatSpecies;
import org.junit.jupiter.api.Test;

/**
 * {@link FloatMath}: the vector lanes equal the scalar twins bit for bit (so the kernels' results do not
 * depend on JIT state, lane position or vector width), the twins stay within 1 ulp of {@link Math} (2 for
 * sigmoid), and
 * the edge values are right. Also shows why FloatMath exists: the Vector API's own EXP lanes, cold and
 * warm, are compared, and whatever they do, the kernels built on FloatMath give the same bits on the
 * first call as after warm-up.
 */
class FloatMathTest {
    private enum Fn {
        EXP(Math::exp), LOG(Math::log), TANH(Math::tanh), SIGMOID(x -> 1 / (1 + Math.exp(-x)));

        final DoubleUnaryOperator reference;

        Fn(DoubleUnaryOperator reference) {
            this.reference = reference;
        }

        float scalar(float x) {
            return switch (this) {
                case EXP -> FloatMath.exp(x);
                case LOG -> FloatMath.log(x);
                case TANH -> FloatMath.tanh(x);
                case SIGMOID -> FloatMath.sigmoid(x);
            };
        }

        FloatVector vector(FloatVector x) {
            return switch (this) {
                case EXP -> FloatMath.exp(x);
                case LOG -> FloatMath.log(x);
                case TANH -> FloatMath.tanh(x);
                case SIGMOID -> FloatMath.sigmoid(x);
            };
        }

        UnaryOp op() {
            return UnaryOp.valueOf(name());
        }
    }

    private static final float[] SPECIALS = {0f, -0f, Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY,
        Float.MIN_VALUE, -Float.MIN_VALUE, Float.MIN_NORMAL, Float.MAX_VALUE, -Float.MAX_VALUE, 1f, -1f, 0.625f,
        -0.625f, 0.62499994f, 88.72283f, 88.7229f, 89f, 89.5f, -87.33655f, -103.97208f, -104f, -150f, 1e-30f, -1e-30f,
        0.6931472f, 1.4142135f, 1.4142137f, 0.70710677f, 9.01f, -9.01f, 44f, 1e10f, -1e10f};

    /** Specials, then random magnitudes spread over every exponent, both signs. */
    private static float[] inputs(int n, long seed) {
        Random r = new Random(seed);
        float[] x = new float[n];
        System.arraycopy(SPECIALS, 0, x, 0, SPECIALS.length);
        for (int i = SPECIALS.length; i < n; i++) {
            x[i] = switch (i % 3) {
                case 0 -> Float.intBitsToFloat(r.nextInt()); // any bit pattern, NaNs with payloads included
                case 1 -> (float) (r.nextGaussian() * 6);
                default -> (float) (r.nextGaussian() * 100);
            };
        }
        return x;
    }

    @Test
    void lanesEqualTheScalarTwinBitForBit() {
        int lanes = FloatSpecies.LANES;
        float[] x = inputs(lanes * 4096, 7);
        float[] out = new float[lanes];
        for (Fn f : Fn.values()) {
            for (int i = 0; i < x.length; i += lanes) {
                f.vector(FloatVector.fromArray(FloatSpecies.F, x, i)).intoArray(out, 0);
                for (int l = 0; l < lanes; l++) {
                    float want = f.scalar(x[i + l]);
                    assertEquals(Float.floatToRawIntBits(want),
                            canonical(out[l], want), f + "(" + x[i + l] + ") lane " + l);
                }
            }
        }
    }

    /** NaN payloads are not specified by either form; any NaN matches a NaN. */
    private static int canonical(float got, float want) {
        return Float.isNaN(got) && Float.isNaN(want) ? Float.floatToRawIntBits(want) : Float.floatToRawIntBits(got);
    }

    @Test
    void scalarTwinsAreWithinTheirUlpBoundsOfMath() {
        // ~1 million bit patterns spread over all floats (the class documents a sweep of every fifth one)
        for (Fn f : Fn.values()) {
            long worst = 0;
            float at = 0;
            for (long bits = 0; bits <= 0xffffffffL; bits += 4099) {
                float x = Float.intBitsToFloat((int) bits);
                long u = ulps(f.scalar(x), f.reference.applyAsDouble(x));
                if (u > worst) {
                    worst = u;
                    at = x;
                }
            }
            long bound = f == Fn.SIGMOID ? 2 : 1; // sigmoid composes exp, an add, a divide and maybe a multiply
            assertTrue(worst <= bound, f + " is " + worst + " ulps off at " + at);
        }
    }

    private static long ulps(float got, double reference) {
        float want = (float) reference;
        if (Float.isNaN(want) || Float.isNaN(got)) {
            return Float.isNaN(want) && Float.isNaN(got) ? 0 : Long.MAX_VALUE;
        }
        if (got == want) {
            return 0;
        }
        if (Float.isInfinite(got) || Float.isInfinite(want)) {
            return Long.MAX_VALUE;
        }
        long a = order(got);
        long b = order(want);
        return Math.abs(a - b);
    }

    /** Maps floats to integers monotonically, so ulp distance is a difference. */
    private static long order(float f) {
        int bits = Float.floatToRawIntBits(f);
        return bits < 0 ? -(long) (bits & 0x7fffffff) : bits;
    }

    @Test
    void edgeValues() {
        assertEquals(1f, FloatMath.exp(0f));
        assertEquals(1f, FloatMath.exp(-0f));
        assertEquals(Float.POSITIVE_INFINITY, FloatMath.exp(89f));
        assertEquals(Float.POSITIVE_INFINITY, FloatMath.exp(Float.POSITIVE_INFINITY));
        assertEquals(0f, FloatMath.exp(Float.NEGATIVE_INFINITY));
        assertEquals(0f, FloatMath.exp(-104f));
        assertEquals(Float.MIN_VALUE, FloatMath.exp(-103.5f)); // subnormal results are rounded once
        assertTrue(Float.isNaN(FloatMath.exp(Float.NaN)));
        assertEquals(Float.NEGATIVE_INFINITY, FloatMath.log(0f));
        assertEquals(Float.NEGATIVE_INFINITY, FloatMath.log(-0f));
        assertTrue(Float.isNaN(FloatMath.log(-1f)));
        assertTrue(Float.isNaN(FloatMath.log(Float.NEGATIVE_INFINITY)));
        assertTrue(Float.isNaN(FloatMath.log(Float.NaN)));
        assertEquals(Float.POSITIVE_INFINITY, FloatMath.log(Float.POSITIVE_INFINITY));
        assertEquals(0f, FloatMath.log(1f));
        assertEquals((float) Math.log(Float.MIN_VALUE), FloatMath.log(Float.MIN_VALUE));
        assertEquals(Float.floatToRawIntBits(-0f), Float.floatToRawIntBits(FloatMath.tanh(-0f)));
        assertEquals(1f, FloatMath.tanh(Float.POSITIVE_INFINITY));
        assertEquals(-1f, FloatMath.tanh(Float.NEGATIVE_INFINITY));
        assertEquals(1e-30f, FloatMath.tanh(1e-30f));
        assertTrue(Float.isNaN(FloatMath.tanh(Float.NaN)));
        assertEquals(0.5f, FloatMath.sigmoid(0f));
        assertEquals(1f, FloatMath.sigmoid(Float.POSITIVE_INFINITY));
        assertEquals(0f, FloatMath.sigmoid(Float.NEGATIVE_INFINITY));
        assertTrue(FloatMath.sigmoid(-100f) > 0); // e·r keeps tiny results
        assertTrue(Float.isNaN(FloatMath.sigmoid(Float.NaN)));
    }

    /**
     * The backend's kernels (vector body, scalar tail, strided rows) give each element exactly its scalar
     * twin's bits, on the very first call in this JVM and after thousands of calls (C2 by then), and in
     * every row position; the Vector API's own EXP lanes are run alongside to report whether they drift.
     */
    @Test
    void kernelsGiveTheSameBitsColdAndWarm() {
        int n = 8 * FloatSpecies.LANES + 5; // vector body and a tail
        float[] x = inputs(n, 11);
        for (Fn f : Fn.values()) {
            try (NdArray in = NdArray.of(f == Fn.LOG ? abs(x) : x, n); NdArray out = NdArray.zeros(Dtype.F32, n);
                 NdArray strided = NdArray.zeros(Dtype.F32, 2 * n)) {
                NdArray stridedOut = strided.slice(0, 0, 2 * n, 2);
                for (int call = 0; call < 3000; call++) {
                    CpuBackend.get().elementwise().unary(f.op(), in, out);
                    if (call == 0 || call == 2999) {
                        CpuBackend.get().elementwise().unary(f.op(), in, stridedOut);
                        float[] got = out.toFloatArray();
                        float[] gotStrided = stridedOut.toFloatArray();
                        float[] xs = in.toFloatArray();
                        for (int i = 0; i < n; i++) {
                            float want = f.scalar(xs[i]);
                            assertEquals(Float.floatToRawIntBits(want), canonical(got[i], want),
                                    f + " call " + call + " element " + i);
                            assertEquals(Float.floatToRawIntBits(want), canonical(gotStrided[i], want),
                                    f + " strided, call " + call + " element " + i);
                        }
                    }
                }
            }
        }
        System.out.println("Vector API lanewise(EXP), cold vs warm: " + vectorApiExpDrift() + " of "
                + 4096 + " lanes differ (FloatMath kernels: 0 by the assertions above)");
    }

    private static float[] abs(float[] x) {
        float[] y = new float[x.length];
        for (int i = 0; i < x.length; i++) {
            y[i] = Math.abs(x[i]);
        }
        return y;
    }

    /** Lanes whose {@code lanewise(EXP)} bits change between this method's first and last call. */
    private static int vectorApiExpDrift() {
        int n = 4096;
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment in = arena.allocate(4L * n);
            MemorySegment first = arena.allocate(4L * n);
            MemorySegment last = arena.allocate(4L * n);
            Random r = new Random(3);
            for (int i = 0; i < n; i++) {
                in.setAtIndex(ValueLayout.JAVA_FLOAT, i, (float) (r.nextGaussian() * 4));
            }
            expLoop(in, first, n);
            for (int k = 0; k < 5000; k++) {
                expLoop(in, last, n);
            }
            int differ = 0;
            for (int i = 0; i < n; i++) {
                if (first.getAtIndex(ValueLayout.JAVA_INT, i) != last.getAtIndex(ValueLayout.JAVA_INT, i)) {
                    differ++;
                }
            }
            return differ;
        }
    }

    private static void expLoop(MemorySegment in, MemorySegment out, int n) {
        int bound = FloatSpecies.F.loopBound(n);
        for (int i = 0; i < bound; i += FloatSpecies.LANES) {
            FloatVector.fromMemorySegment(FloatSpecies.F, in, 4L * i, ByteOrder.nativeOrder())
                    .lanewise(VectorOperators.EXP).intoMemorySegment(out, 4L * i, ByteOrder.nativeOrder());
        }
    }
}
