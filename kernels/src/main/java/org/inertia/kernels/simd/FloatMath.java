package org.inertia.kernels.simd;

import static jdk.incubator.vector.VectorOperators.ASHR;
import static jdk.incubator.vector.VectorOperators.GT;
import static jdk.incubator.vector.VectorOperators.LSHL;
import static jdk.incubator.vector.VectorOperators.LSHR;
import static jdk.incubator.vector.VectorOperators.LT;
import static jdk.incubator.vector.VectorOperators.UGE;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorMask;

/**
 * Float32 exp, log, tanh and sigmoid built only from IEEE-exact operations (add, multiply, divide,
 * fused multiply-add, compares, bit manipulation), in a vector form and a scalar twin that performs
 * the very same operations in the same order.
 *
 * <p>Why: the Vector API's transcendental lanes ({@code lanewise(EXP)}, {@code LOG}, {@code TANH},
 * {@code POW}) are computed by {@code (float) Math.exp(x)} per lane in the interpreter and by SVML
 * routines once C2 compiles the loop, and the two disagree in the last bit for a few inputs in a
 * thousand; a training run then depends on when the JIT kicked in, and a run resumed in a fresh JVM
 * drifts from the uninterrupted one. Every operation used here is correctly rounded by the Java
 * specification in every execution mode, so the result is a function of the input alone: the same in
 * the interpreter, C1 and C2, in a vector lane or a scalar tail, at any vector width.
 *
 * <p>Accuracy, measured against {@link Math} in double rounded to float over every fifth float bit
 * pattern (all finite inputs, subnormals included): at most 1 ulp for exp, log and tanh, 2 for sigmoid.
 * <ul>
 * <li>exp: x = n·ln 2 + r with n = round(x·log2 e) (Cody–Waite split of ln 2, FMA), e^r by its degree-7
 * Taylor polynomial on |r| ≤ ln 2 / 2 (truncation 5·10⁻⁹), scaled by 2^⌊n/2⌋·2^⌈n/2⌉ so that subnormal
 * results are rounded once; x is first clamped to [−104, 89], beyond which the float result is 0 or ∞.
 * NaN stays NaN.
 * <li>log: fdlibm's {@code logf} (x = 2^k·(1+f), √½ ≤ 1+f &lt; √2, s = f/(2+f), its minimax polynomial in
 * s², ln 2 split in two); subnormals are scaled by 2^23 first; log 0 = −∞, log x&lt;0 = NaN, log ∞ = ∞.
 * <li>tanh: |x| &lt; 0.625: x + x³·P(x²) with Cephes' minimax coefficients; otherwise 1 − 2/(e^{2|x|} + 1);
 * the sign is copied from x (so tanh(−0) = −0).
 * <li>sigmoid: e = exp(−|x|), r = 1/(1+e), σ = r for x ≥ 0 and e·r for x &lt; 0 (nothing overflows).
 * </ul>
 *
 * <p>The vector forms take vectors of {@link FloatSpecies#F}, the kernels' species. Cost against the
 * Vector API's SVML lanes (AVX-512, one thread, 64 Ki elements): exp, tanh and sigmoid about 1.3–1.4×,
 * log about 3× (its division and blends; log is not on the training path, log-softmax uses exp).
 */
public final class FloatMath {
    private static final float LOG2E = 1.44269504088896341f;
    private static final float LN2_HI = 0.693145751953125f; // 12 significant bits: n·LN2_HI is exact
    private static final float LN2_LO = 1.428606765330187e-06f;
    private static final float MAGIC = 12582912f; // 1.5·2^23: adding it rounds to an integer
    private static final int MAGIC_BITS = Float.floatToRawIntBits(MAGIC);
    private static final float EXP_MIN = -104f;
    private static final float EXP_MAX = 89f;
    private static final float C7 = 1f / 5040f;
    private static final float C6 = 1f / 720f;
    private static final float C5 = 1f / 120f;
    private static final float C4 = 1f / 24f;
    private static final float C3 = 1f / 6f;

    private static final float SQRT2 = 1.41421356f;
    private static final float EXP_BIAS = 8388608f + 127f; // 2^23 + 127, exact
    private static final float MIN_NORMAL = 0x1p-126f;
    private static final float LG1 = 0.66666662693f;
    private static final float LG2 = 0.40000972152f;
    private static final float LG3 = 0.28498786688f;
    private static final float LG4 = 0.24279078841f;
    private static final float LOG_LN2_HI = 6.9313812256e-01f;
    private static final float LOG_LN2_LO = 9.0580006145e-06f;

    private static final float TANH_SMALL = 0.625f;
    private static final float T1 = -5.70498872745E-3f;
    private static final float T2 = 2.06390887954E-2f;
    private static final float T3 = -5.37397155531E-2f;
    private static final float T4 = 1.33314422036E-1f;
    private static final float T5 = -3.33332819422E-1f;


    // Constants as vectors of the kernels' species: static finals are compile-time constants for C2, and
    // every Vector API call saved keeps the expanded graph under C2's inlining node budget.
    private static final FloatVector V_LOG2E = FloatVector.broadcast(FloatSpecies.F, LOG2E);
    private static final FloatVector V_MAGIC = FloatVector.broadcast(FloatSpecies.F, MAGIC);
    private static final FloatVector V_LN2_HI = FloatVector.broadcast(FloatSpecies.F, LN2_HI);
    private static final FloatVector V_LN2_LO = FloatVector.broadcast(FloatSpecies.F, LN2_LO);
    private static final FloatVector V_C7 = FloatVector.broadcast(FloatSpecies.F, C7);
    private static final FloatVector V_C6 = FloatVector.broadcast(FloatSpecies.F, C6);
    private static final FloatVector V_C5 = FloatVector.broadcast(FloatSpecies.F, C5);
    private static final FloatVector V_C4 = FloatVector.broadcast(FloatSpecies.F, C4);
    private static final FloatVector V_C3 = FloatVector.broadcast(FloatSpecies.F, C3);
    private static final FloatVector V_HALF = FloatVector.broadcast(FloatSpecies.F, 0.5f);
    private static final FloatVector V_ONE = FloatVector.broadcast(FloatSpecies.F, 1f);
    private static final FloatVector V_TWO = FloatVector.broadcast(FloatSpecies.F, 2f);
    private static final FloatVector V_EXP_BIAS = FloatVector.broadcast(FloatSpecies.F, EXP_BIAS);
    private static final FloatVector V_LOG_LN2_HI = FloatVector.broadcast(FloatSpecies.F, LOG_LN2_HI);
    private static final FloatVector V_LOG_LN2_LO = FloatVector.broadcast(FloatSpecies.F, LOG_LN2_LO);
    private static final FloatVector V_LG1 = FloatVector.broadcast(FloatSpecies.F, LG1);
    private static final FloatVector V_LG2 = FloatVector.broadcast(FloatSpecies.F, LG2);
    private static final FloatVector V_LG3 = FloatVector.broadcast(FloatSpecies.F, LG3);
    private static final FloatVector V_LG4 = FloatVector.broadcast(FloatSpecies.F, LG4);
    private static final FloatVector V_T1 = FloatVector.broadcast(FloatSpecies.F, T1);
    private static final FloatVector V_T2 = FloatVector.broadcast(FloatSpecies.F, T2);
    private static final FloatVector V_T3 = FloatVector.broadcast(FloatSpecies.F, T3);
    private static final FloatVector V_T4 = FloatVector.broadcast(FloatSpecies.F, T4);
    private static final FloatVector V_T5 = FloatVector.broadcast(FloatSpecies.F, T5);

    private FloatMath() {
    }

    // ---------------------------------------------------------------- scalar twins

    /**
     * e^x (see the class description); the scalar twin of {@link #exp(FloatVector)}.
     *
     * @param x the argument
     * @return e^x
     */
    public static float exp(float x) {
        float xc = Math.min(Math.max(x, EXP_MIN), EXP_MAX);
        float t = Math.fma(xc, LOG2E, MAGIC);
        float n = t - MAGIC;
        int ni = Float.floatToRawIntBits(t) - MAGIC_BITS;
        float r = Math.fma(-n, LN2_HI, xc);
        r = Math.fma(-n, LN2_LO, r);
        float p = Math.fma(C7, r, C6);
        p = Math.fma(p, r, C5);
        p = Math.fma(p, r, C4);
        p = Math.fma(p, r, C3);
        p = Math.fma(p, r, 0.5f);
        p = Math.fma(p, r, 1f);
        p = Math.fma(p, r, 1f);
        int na = ni >> 1;
        int nb = ni - na;
        return p * Float.intBitsToFloat((na + 127) << 23) * Float.intBitsToFloat((nb + 127) << 23);
    }

    /**
     * ln x (see the class description); the scalar twin of {@link #log(FloatVector)}.
     *
     * @param x the argument
     * @return ln x
     */
    public static float log(float x) {
        boolean sub = x < MIN_NORMAL;
        float xs = sub ? x * 0x1p23f : x;
        int bits = Float.floatToRawIntBits(xs);
        // the biased exponent as a float, exactly: 2^23 + e has e in its low mantissa bits
        float dk = Float.intBitsToFloat(((bits >>> 23) & 0xff) | 0x4b000000) - EXP_BIAS;
        dk = sub ? dk - 23f : dk;
        float m = Float.intBitsToFloat((bits & 0x007fffff) | 0x3f800000);
        boolean big = m > SQRT2;
        m = big ? m * 0.5f : m;
        dk = big ? dk + 1f : dk;
        float f = m - 1f;
        float s = f / (2f + f);
        float z = s * s;
        float w = z * z;
        float t1 = w * Math.fma(w, LG4, LG2);
        float t2 = z * Math.fma(w, LG3, LG1);
        float rr = t2 + t1;
        float hfsq = 0.5f * f * f;
        float res = dk * LOG_LN2_HI - ((hfsq - (s * (hfsq + rr) + dk * LOG_LN2_LO)) - f);
        res = x == Float.POSITIVE_INFINITY ? x : res;
        res = x < 0f || x != x ? Float.NaN : res;
        return x == 0f ? Float.NEGATIVE_INFINITY : res;
    }

    /**
     * tanh x (see the class description); the scalar twin of {@link #tanh(FloatVector)}.
     *
     * @param x the argument
     * @return tanh x
     */
    public static float tanh(float x) {
        float a = Math.abs(x);
        float s = a * a;
        float p = Math.fma(T1, s, T2);
        p = Math.fma(p, s, T3);
        p = Math.fma(p, s, T4);
        p = Math.fma(p, s, T5);
        float small = Math.fma(p * s, a, a);
        float e = exp(2f * a);
        float large = 1f - 2f / (e + 1f);
        float r = a < TANH_SMALL ? small : large;
        return Float.intBitsToFloat((Float.floatToRawIntBits(r) & 0x7fffffff) | (Float.floatToRawIntBits(x) & 0x80000000));
    }

    /**
     * 1/(1 + e^−x) (see the class description); the scalar twin of {@link #sigmoid(FloatVector)}.
     *
     * @param x the argument
     * @return 1/(1 + e^−x)
     */
    public static float sigmoid(float x) {
        float e = exp(-Math.abs(x));
        float r = 1f / (e + 1f);
        return x < 0f ? e * r : r;
    }

    // ---------------------------------------------------------------- vectors

    /**
     * e^x lane by lane, bit-identical to {@link #exp(float)}.
     *
     * @param x the argument
     * @return e^x
     */
    public static FloatVector exp(FloatVector x) {
        FloatVector xc = x.max(EXP_MIN).min(EXP_MAX);
        FloatVector t = xc.fma(V_LOG2E, V_MAGIC);
        FloatVector n = t.sub(MAGIC);
        IntVector ni = t.reinterpretAsInts().sub(MAGIC_BITS);
        FloatVector nn = n.neg();
        FloatVector r = nn.fma(V_LN2_HI, xc);
        r = nn.fma(V_LN2_LO, r);
        FloatVector p = r.fma(V_C7, V_C6); // C7·r + C6, the same rounding as Math.fma(C7, r, C6)
        p = p.fma(r, V_C5);
        p = p.fma(r, V_C4);
        p = p.fma(r, V_C3);
        p = p.fma(r, V_HALF);
        p = p.fma(r, V_ONE);
        p = p.fma(r, V_ONE);
        IntVector na = ni.lanewise(ASHR, 1);
        IntVector nb = ni.sub(na);
        FloatVector sa = na.add(127).lanewise(LSHL, 23).reinterpretAsFloats();
        FloatVector sb = nb.add(127).lanewise(LSHL, 23).reinterpretAsFloats();
        return p.mul(sa).mul(sb);
    }

    /**
     * ln x lane by lane, bit-identical to {@link #log(float)}.
     *
     * @param x the argument
     * @return ln x
     */
    public static FloatVector log(FloatVector x) {
        FloatVector r = logOfNormal(x);
        // Zero, subnormal, negative, infinite and NaN lanes are rare: one test here, and a cold path that
        // recomputes the vector with the scalar twin, keep the hot path small enough for C2 to inline
        // whole (a vector passed to a call that is not inlined is boxed on the heap, tripling the cost).
        VectorMask<Integer> special = x.reinterpretAsInts().sub(0x00800000).compare(UGE, 0x7f000000);
        return special.anyTrue() ? logLanes(x) : r;
    }

    /** ln x for positive normal x (the bit patterns 0x00800000 … 0x7f7fffff). */
    private static FloatVector logOfNormal(FloatVector x) {
        IntVector bits = x.reinterpretAsInts();
        // the biased exponent as a float, exactly: 2^23 + e has e in its low mantissa bits
        FloatVector dk = bits.lanewise(LSHR, 23).or(0x4b000000).reinterpretAsFloats().sub(V_EXP_BIAS);
        FloatVector m = bits.and(0x007fffff).or(0x3f800000).reinterpretAsFloats();
        VectorMask<Float> big = m.compare(GT, SQRT2);
        m = m.blend(m.mul(V_HALF), big);
        dk = dk.blend(dk.add(V_ONE), big);
        FloatVector f = m.sub(V_ONE);
        FloatVector s = f.div(f.add(V_TWO));
        FloatVector z = s.mul(s);
        FloatVector w = z.mul(z);
        FloatVector t1 = w.mul(w.fma(V_LG4, V_LG2));
        FloatVector t2 = z.mul(w.fma(V_LG3, V_LG1));
        FloatVector rr = t2.add(t1);
        FloatVector hfsq = f.mul(V_HALF).mul(f);
        return dk.mul(V_LOG_LN2_HI).sub(hfsq.sub(s.mul(hfsq.add(rr)).add(dk.mul(V_LOG_LN2_LO))).sub(f));
    }

    /** The scalar twin lane by lane: the cold path of {@link #log(FloatVector)}. */
    private static FloatVector logLanes(FloatVector x) {
        float[] lanes = x.toArray();
        for (int i = 0; i < lanes.length; i++) {
            lanes[i] = log(lanes[i]);
        }
        return FloatVector.fromArray(x.species(), lanes, 0);
    }

    /**
     * tanh x lane by lane, bit-identical to {@link #tanh(float)}.
     *
     * @param x the argument
     * @return tanh x
     */
    public static FloatVector tanh(FloatVector x) {
        FloatVector a = x.abs();
        FloatVector s = a.mul(a);
        FloatVector p = s.fma(V_T1, V_T2);
        p = p.fma(s, V_T3);
        p = p.fma(s, V_T4);
        p = p.fma(s, V_T5);
        FloatVector small = p.mul(s).fma(a, a);
        FloatVector e = exp(a.mul(2f));
        FloatVector large = V_ONE.sub(V_TWO.div(e.add(1f)));
        FloatVector r = large.blend(small, a.compare(LT, TANH_SMALL));
        IntVector magnitude = r.reinterpretAsInts().and(0x7fffffff);
        IntVector sign = x.reinterpretAsInts().and(0x80000000);
        return magnitude.or(sign).reinterpretAsFloats();
    }

    /**
     * 1/(1 + e^−x) lane by lane, bit-identical to {@link #sigmoid(float)}.
     *
     * @param x the argument
     * @return 1/(1 + e^−x)
     */
    public static FloatVector sigmoid(FloatVector x) {
        FloatVector e = exp(x.abs().neg());
        FloatVector r = V_ONE.div(e.add(1f));
        return r.blend(e.mul(r), x.compare(LT, 0f));
    }
}
