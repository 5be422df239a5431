package org.inertia.kernels;

import static org.inertia.kernels.ElementwiseArrays.assertClose;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import org.inertia.kernels.ElementwiseArrays.Layout;
import org.inertia.kernels.cpu.CpuBackend;
import org.inertia.kernels.cpu.LstmGatesScalar;
import org.inertia.kernels.simd.FloatMath;
import org.inertia.kernels.simd.FloatSpecies;
import org.junit.jupiter.api.Test;

/**
 * The fused float32 LSTM gate kernels against the double reference, on random batch sizes, hidden
 * widths around the vector length and primes, and random layouts of every operand.
 *
 * <p>Tolerances (u = 2⁻²⁴; one float ulp is at most 2u relative):
 * <ul>
 * <li>Forward. The activations carry the elementwise kernels' bounds: σ within 8 ulps (≤ 16u·|σ|),
 * tanh within 3 ulps (≤ 6u·|tanh|) — see {@code ElementwisePropertiesTest}. Then c = f·cPrev + i·g
 * has two products and one sum, each rounded (3u·(|f·cPrev| + |i·g|)), plus the propagated activation
 * errors |cPrev|·e_f + |g|·e_i + |i|·e_g. tanh(c) adds |tanh'| ≤ 1 times c's error and its own 6u·|tanh c|;
 * h = o·tanh(c) adds |tanh c|·e_o + |o|·e_tanhc + u·|h|. We allow twice this first-order bound, which
 * covers the neglected products of relative errors (all ≪ 1).
 * <li>Backward. Inputs are exact floats and only +, −, × run, at most 9 along any path (e.g.
 * dc·g·(i·(1−i)) after the 5 operations of dc). The classic bound for such expressions is
 * |fl(e) − e| ≤ γ₉·E with γ₉ = 9u/(1 − 9u) < 10u and E the expression evaluated with absolute values
 * (1 − x read as 1 + |x|). We allow 10u·E.
 * </ul>
 */
class LstmGatePropertiesTest {
    private static final double U = 0x1p-24;
    private static final int LANES = FloatSpecies.LANES;
    private final Backend be = CpuBackend.get();

    @Provide
    Arbitrary<Integer> hiddens() {
        return Arbitraries.oneOf(Arbitraries.of(1, 2, LANES - 1, LANES, LANES + 1, 2 * LANES - 1, 2 * LANES + 1, 7, 13,
                31, 97, 257), Arbitraries.integers().between(1, 80));
    }

    @Provide
    Arbitrary<Layout> layouts() {
        return Arbitraries.of(Layout.class);
    }

    @Property(tries = 150)
    void forwardMatchesReference(@ForAll @IntRange(min = 0, max = 5) int batch, @ForAll("hiddens") int hid,
            @ForAll("layouts") Layout lg, @ForAll("layouts") Layout lc, @ForAll("layouts") Layout lo,
            @ForAll boolean inPlace, @ForAll long seed) {
        try (ElementwiseArrays arrays = new ElementwiseArrays(seed)) {
            Shape gs = Shape.of(batch, 4 * hid);
            Shape ss = Shape.of(batch, hid);
            NdArray gates = arrays.array(Dtype.F32, gs, lg, false);
            scale(gates, 0.5); // pre-activations in [-5, 5]: every gate regime, some saturation
            NdArray cPrev = arrays.array(Dtype.F32, ss, lc, false);
            NdArray act = inPlace ? gates : arrays.view(Dtype.F32, gs, lo);
            NdArray c = arrays.view(Dtype.F32, ss, lo);
            NdArray tanhC = arrays.view(Dtype.F32, ss, lc);
            NdArray h = arrays.view(Dtype.F32, ss, lg);
            NdArray g64 = arrays.own(gates.toDtype(Dtype.F64));
            NdArray cp64 = arrays.own(cPrev.toDtype(Dtype.F64));
            NdArray ra = arrays.f64(gs);
            NdArray rc = arrays.f64(ss);
            NdArray rt = arrays.f64(ss);
            NdArray rh = arrays.f64(ss);
            LstmGatesScalar.INSTANCE.forward(g64, cp64, ra, rc, rt, rh);
            be.lstmGates().forward(gates, cPrev, act, c, tanhC, h);
            String ctx = "B=" + batch + " H=" + hid + " " + lg + "/" + lc + "/" + lo + (inPlace ? " in place" : "");
            for (int b = 0; b < batch; b++) {
                for (int j = 0; j < hid; j++) {
                    double i = ra.get(b, j);
                    double f = ra.get(b, hid + j);
                    double g = ra.get(b, 2 * hid + j);
                    double o = ra.get(b, 3 * hid + j);
                    double ei = 16 * U * i;
                    double ef = 16 * U * f;
                    double eg = 6 * U * Math.abs(g);
                    double eo = 16 * U * o;
                    double cp = Math.abs(cp64.get(b, j));
                    double ec = cp * ef + Math.abs(g) * ei + i * eg + 3 * U * (f * cp + Math.abs(i * g));
                    double t = Math.abs(rt.get(b, j));
                    double et = ec + 6 * U * t;
                    double eh = t * eo + o * et + U * Math.abs(rh.get(b, j));
                    String at = ctx + " at (" + b + ", " + j + ")";
                    assertClose((float) act.get(b, j), i, 2 * ei, at + " σ(i)");
                    assertClose((float) act.get(b, hid + j), f, 2 * ef, at + " σ(f)");
                    assertClose((float) act.get(b, 2 * hid + j), g, 2 * eg, at + " tanh(g)");
                    assertClose((float) act.get(b, 3 * hid + j), o, 2 * eo, at + " σ(o)");
                    assertClose((float) c.get(b, j), rc.get(b, j), 2 * ec, at + " c");
                    assertClose((float) tanhC.get(b, j), rt.get(b, j), 2 * et, at + " tanh(c)");
                    assertClose((float) h.get(b, j), rh.get(b, j), 2 * eh, at + " h");
                }
            }
        }
    }

    @Property(tries = 150)
    void backwardMatchesReference(@ForAll @IntRange(min = 0, max = 5) int batch, @ForAll("hiddens") int hid,
            @ForAll("layouts") Layout la, @ForAll("layouts") Layout ls, @ForAll("layouts") Layout lo, @ForAll long seed) {
        try (ElementwiseArrays arrays = new ElementwiseArrays(seed)) {
            Shape gs = Shape.of(batch, 4 * hid);
            Shape ss = Shape.of(batch, hid);
            NdArray act = arrays.array(Dtype.F32, gs, la, false);
            for (int b = 0; b < batch; b++) { // valid activations: σ in (0, 1), tanh in (−1, 1)
                for (int j = 0; j < 4 * hid; j++) {
                    double v = act.get(b, j) / 10;
                    act.set(j / hid == 2 ? v : 0.5 + v / 2, b, j);
                }
            }
            NdArray cPrev = arrays.array(Dtype.F32, ss, ls, false);
            NdArray tanhC = arrays.array(Dtype.F32, ss, lo, false);
            scale(tanhC, 0.1);
            NdArray dh = arrays.array(Dtype.F32, ss, ls, false);
            NdArray dcNext = arrays.array(Dtype.F32, ss, la, false);
            NdArray dGates = arrays.view(Dtype.F32, gs, lo);
            NdArray dcPrev = arrays.view(Dtype.F32, ss, lo);
            NdArray rg = arrays.f64(gs);
            NdArray rp = arrays.f64(ss);
            LstmGatesScalar.INSTANCE.backward(arrays.own(act.toDtype(Dtype.F64)), arrays.own(cPrev.toDtype(Dtype.F64)),
                    arrays.own(tanhC.toDtype(Dtype.F64)), arrays.own(dh.toDtype(Dtype.F64)),
                    arrays.own(dcNext.toDtype(Dtype.F64)), rg, rp);
            be.lstmGates().backward(act, cPrev, tanhC, dh, dcNext, dGates, dcPrev);
            String ctx = "B=" + batch + " H=" + hid + " " + la + "/" + ls + "/" + lo;
            for (int b = 0; b < batch; b++) {
                for (int j = 0; j < hid; j++) {
                    double i = Math.abs(act.get(b, j));
                    double f = Math.abs(act.get(b, hid + j));
                    double g = Math.abs(act.get(b, 2 * hid + j));
                    double o = Math.abs(act.get(b, 3 * hid + j));
                    double t = Math.abs(tanhC.get(b, j));
                    double gh = Math.abs(dh.get(b, j));
                    double dc = Math.abs(dcNext.get(b, j)) + gh * o * (1 + t * t);
                    double cp = Math.abs(cPrev.get(b, j));
                    double tol = 10 * U;
                    String at = ctx + " at (" + b + ", " + j + ")";
                    assertClose((float) dGates.get(b, j), rg.get(b, j), tol * dc * g * i * (1 + i), at + " di");
                    assertClose((float) dGates.get(b, hid + j), rg.get(b, hid + j), tol * dc * cp * f * (1 + f),
                            at + " df");
                    assertClose((float) dGates.get(b, 2 * hid + j), rg.get(b, 2 * hid + j), tol * dc * i * (1 + g * g),
                            at + " dg");
                    assertClose((float) dGates.get(b, 3 * hid + j), rg.get(b, 3 * hid + j), tol * gh * t * o * (1 + o),
                            at + " do");
                    assertClose((float) dcPrev.get(b, j), rp.get(b, j), tol * dc * f, at + " dcPrev");
                }
            }
        }
    }

    @Property(tries = 20)
    void float64RunsTheReferenceExactly(@ForAll @IntRange(min = 1, max = 3) int batch,
            @ForAll @IntRange(min = 1, max = 40) int hid, @ForAll long seed) {
        try (ElementwiseArrays arrays = new ElementwiseArrays(seed)) {
            Shape gs = Shape.of(batch, 4 * hid);
            Shape ss = Shape.of(batch, hid);
            NdArray gates = arrays.array(Dtype.F64, gs, Layout.CONTIGUOUS, false);
            NdArray cPrev = arrays.array(Dtype.F64, ss, Layout.CONTIGUOUS, false);
            NdArray[] got = {arrays.f64(gs), arrays.f64(ss), arrays.f64(ss), arrays.f64(ss)};
            NdArray[] ref = {arrays.f64(gs), arrays.f64(ss), arrays.f64(ss), arrays.f64(ss)};
            be.lstmGates().forward(gates, cPrev, got[0], got[1], got[2], got[3]);
            LstmGatesScalar.INSTANCE.forward(gates, cPrev, ref[0], ref[1], ref[2], ref[3]);
            for (int k = 0; k < 4; k++) {
                assertTrue(java.util.Arrays.equals(got[k].toDoubleArray(), ref[k].toDoubleArray()), "output " + k);
            }
        }
    }

    @Test
    void shapeMismatchNamesBothShapes() {
        try (NdArray gates = NdArray.zeros(Dtype.F32, 2, 12); NdArray cPrev = NdArray.zeros(Dtype.F32, 2, 4);
             NdArray s = NdArray.zeros(Dtype.F32, 2, 3); NdArray s2 = NdArray.zeros(Dtype.F32, 2, 3);
             NdArray s3 = NdArray.zeros(Dtype.F32, 2, 3); NdArray act = NdArray.zeros(Dtype.F32, 2, 12)) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> be.lstmGates().forward(gates, cPrev, act, s, s2, s3));
            assertTrue(e.getMessage().contains("[2, 12]") && e.getMessage().contains("[2, 4]"), e.getMessage());
            try (NdArray cp = NdArray.zeros(Dtype.F32, 2, 3); NdArray wrongAct = NdArray.zeros(Dtype.F32, 2, 11)) {
                e = assertThrows(IllegalArgumentException.class, () -> be.lstmGates().forward(gates, cp, wrongAct, s, s2,
                        s3));
                assertTrue(e.getMessage().contains("[2, 12]") && e.getMessage().contains("[2, 11]"), e.getMessage());
                e = assertThrows(IllegalArgumentException.class, () -> be.lstmGates().backward(act, cp, s, s2, cPrev,
                        gates, s3));
                assertTrue(e.getMessage().contains("[2, 3]") && e.getMessage().contains("[2, 4]"), e.getMessage());
                e = assertThrows(IllegalArgumentException.class, () -> be.lstmGates().forward(gates, cp, act, s, s, s3));
                assertTrue(e.getMessage().contains("share memory"), e.getMessage());
            }
        }
    }

    @Test
    void closedOrMixedOperandsAreRejected() {
        NdArray gates = NdArray.zeros(Dtype.F32, 1, 4);
        try (NdArray cPrev = NdArray.zeros(Dtype.F32, 1, 1); NdArray a = NdArray.zeros(Dtype.F32, 1, 4);
             NdArray c = NdArray.zeros(Dtype.F32, 1, 1); NdArray t = NdArray.zeros(Dtype.F32, 1, 1);
             NdArray h = NdArray.zeros(Dtype.F64, 1, 1)) {
            assertThrows(IllegalArgumentException.class, () -> be.lstmGates().forward(gates, cPrev, a, c, t, h));
            gates.close();
            assertThrows(IllegalStateException.class, () -> be.lstmGates().forward(gates, cPrev, a, c, t, c));
        }
    }

    private static void scale(NdArray a, double s) {
        a.forEachOffset(off -> a.setAtOffset(off, a.getAtOffset(off) * s));
    }

    /**
     * The forward's bits do not depend on JIT state or on where an element sits: on the first call in
     * this JVM, after thousands of calls (C2-compiled by then), and through strided views, every output
     * equals the scalar composition of FloatMath's twins in the kernel's order. This is what lets an LSTM
     * training run resumed in a fresh JVM continue bit for bit.
     */
    @Test
    void forwardBitsAreTheSameColdAndWarmInLanesAndTails() {
        int batch = 3;
        int hid = 2 * LANES + 3; // vector body and a tail in every row
        java.util.Random r = new java.util.Random(5);
        float[] g = new float[batch * 4 * hid];
        float[] cp = new float[batch * hid];
        for (int k = 0; k < g.length; k++) {
            g[k] = (float) (r.nextGaussian() * 3);
        }
        for (int k = 0; k < cp.length; k++) {
            cp[k] = (float) r.nextGaussian();
        }
        try (NdArray gates = NdArray.of(g, batch, 4 * hid); NdArray cPrev = NdArray.of(cp, batch, hid);
             NdArray act = NdArray.zeros(Dtype.F32, batch, 4 * hid); NdArray c = NdArray.zeros(Dtype.F32, batch, hid);
             NdArray tc = NdArray.zeros(Dtype.F32, batch, hid); NdArray h = NdArray.zeros(Dtype.F32, batch, hid);
             NdArray wide = NdArray.zeros(Dtype.F32, batch, 2 * hid)) {
            NdArray hStrided = wide.slice(1, 0, 2 * hid, 2);
            for (int call = 0; call < 3000; call++) {
                be.lstmGates().forward(gates, cPrev, act, c, tc, h);
                if (call == 0 || call == 2999) {
                    be.lstmGates().forward(gates, cPrev, act, c, tc, hStrided);
                    for (int b = 0; b < batch; b++) {
                        for (int j = 0; j < hid; j++) {
                            float i = FloatMath.sigmoid(g[b * 4 * hid + j]);
                            float f = FloatMath.sigmoid(g[b * 4 * hid + hid + j]);
                            float gg = FloatMath.tanh(g[b * 4 * hid + 2 * hid + j]);
                            float o = FloatMath.sigmoid(g[b * 4 * hid + 3 * hid + j]);
                            float cv = f * cp[b * hid + j] + i * gg;
                            float want = o * FloatMath.tanh(cv);
                            String at = "call " + call + " [" + b + ", " + j + "]";
                            assertEquals(Float.floatToRawIntBits(cv), Float.floatToRawIntBits((float) c.get(b, j)), "c " + at);
                            assertEquals(Float.floatToRawIntBits(want), Float.floatToRawIntBits((float) h.get(b, j)), "h " + at);
                            assertEquals(Float.floatToRawIntBits(want), Float.floatToRawIntBits((float) hStrided.get(b, j)),
                                    "strided h " + at);
                        }
                    }
                }
            }
        }
    }
}
