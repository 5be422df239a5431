package org.inertia.kernels;

import static org.inertia.kernels.ElementwiseArrays.assertRoundedEqual;
import static org.inertia.kernels.ElementwiseArrays.assertWithinUlps;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.inertia.kernels.ElementwiseArrays.Layout;
import org.inertia.kernels.cpu.CpuBackend;
import org.inertia.kernels.cpu.ElementwiseScalar;

/**
 * Float32 elementwise kernels (SIMD rows, broadcast rows and scalar strided rows) against the double
 * reference.
 *
 * <p>Tolerances, in ulps of the reference rounded to float:
 * <ul>
 * <li>NEG, ABS, SQRT, ADD, SUB, MUL, DIV, MAX, MIN, clamp, where, fill: 0 — IEEE float operations are
 * correctly rounded, and computing them in double then rounding to float gives the same value because
 * double rounding is innocuous for +, −, ×, ÷, √ when 53 ≥ 2·24 + 2 (Figueroa, 1995).
 * <li>EXP, LOG, TANH: 2 — {@link org.inertia.kernels.simd.FloatMath} is within 1 ulp of the reference
 * rounded to float (measured on every fifth float bit pattern), so within 1.5 ulps of the exact value
 * that this test compares against; vector lanes and scalar tails compute the same formula.
 * <li>POW: 0 — every element is {@code (float) Math.pow(a, b)}, the reference rounded to float.
 * <li>SIGMOID, computed as r = 1/(1+e) or e·r with e = e^−|x|: e within 2 ulps (≤ 4u relative,
 * u = 2⁻²⁴), 1 + e adds ≤ u and inherits at most e's relative error, the division adds u, the product
 * with e another u and e's error: ≤ 7u·|σ| ≤ 7 ulps; 8 for slack.
 * <li>RELU: 0 (max with 0 is exact).
 * </ul>
 */
class ElementwisePropertiesTest {

    @Provide
    Arbitrary<Integer> lengths() {
        return Arbitraries.oneOf(Arbitraries.of(java.util.Arrays.stream(ElementwiseArrays.LENGTHS).boxed().toList()),
                Arbitraries.integers().between(0, 300));
    }

    @Provide
    Arbitrary<Integer> rowCounts() {
        return Arbitraries.integers().between(1, 3);
    }

    static double unaryUlps(UnaryOp op) {
        return switch (op) {
            case NEG, ABS, SQRT, RELU -> 0;
            case EXP, LOG, TANH -> 2;
            case SIGMOID -> 8;
        };
    }

    static double binaryUlps(BinaryOp op) {
        return 0;
    }

    @Property(tries = 300)
    void unaryMatchesReference(@ForAll UnaryOp op, @ForAll("rowCounts") int rows, @ForAll("lengths") int cols,
            @ForAll Layout inLayout, @ForAll Layout outLayout, @ForAll boolean inPlace, @ForAll long seed) {
        try (ElementwiseArrays t = new ElementwiseArrays(seed)) {
            Shape s = Shape.of(rows, cols);
            NdArray x = t.array(Dtype.F32, s, inLayout, true);
            NdArray ref = t.f64(s);
            ElementwiseScalar.INSTANCE.unary(op, x, ref);
            NdArray out = inPlace ? x : t.view(Dtype.F32, s, outLayout);
            CpuBackend.get().elementwise().unary(op, x, out);
            assertWithinUlps(out, ref, unaryUlps(op), op + " " + s + " " + inLayout + "→" + outLayout);
        }
    }

    /** Shapes that broadcast to [r, c]: full, a column, a row, a rank-1 row, a single element, a scalar. */
    static Shape broadcastOperand(int kind, int r, int c) {
        return switch (kind) {
            case 0 -> Shape.of(r, c);
            case 1 -> Shape.of(r, 1);
            case 2 -> Shape.of(1, c);
            case 3 -> Shape.of(c);
            case 4 -> Shape.of(1);
            default -> Shape.scalar();
        };
    }

    @Property(tries = 400)
    void binaryMatchesReferenceWithBroadcasting(@ForAll BinaryOp op, @ForAll("rowCounts") int rows,
            @ForAll("lengths") int cols, @ForAll Layout la, @ForAll Layout lb, @ForAll Layout lo,
            @ForAll("operandKinds") int ka, @ForAll("operandKinds") int kb, @ForAll boolean inPlace,
            @ForAll long seed) {
        try (ElementwiseArrays t = new ElementwiseArrays(seed)) {
            NdArray a = t.array(Dtype.F32, inPlace ? Shape.of(rows, cols) : broadcastOperand(ka, rows, cols), la, true);
            NdArray b = t.array(Dtype.F32, broadcastOperand(kb, rows, cols), lb, true);
            Shape target = Shape.broadcast(a.shape(), b.shape());
            NdArray ref = t.f64(target);
            ElementwiseScalar.INSTANCE.binary(op, a, b, ref);
            NdArray out = inPlace ? a : t.view(Dtype.F32, target, lo);
            CpuBackend.get().elementwise().binary(op, a, b, out);
            assertWithinUlps(out, ref, binaryUlps(op), op + " " + a.shape() + " " + la + ", " + b.shape() + " " + lb
                    + " → " + target + " " + lo + (inPlace ? " in place" : ""));
        }
    }

    @Provide
    Arbitrary<Integer> operandKinds() {
        return Arbitraries.integers().between(0, 5);
    }

    @Property(tries = 200)
    void binaryScalarMatchesReference(@ForAll BinaryOp op, @ForAll("lengths") int n, @ForAll Layout la,
            @ForAll boolean inPlace, @ForAll long seed) {
        try (ElementwiseArrays t = new ElementwiseArrays(seed)) {
            Shape s = Shape.of(2, n);
            NdArray a = t.array(Dtype.F32, s, la, true);
            float scalar = t.value(true);
            NdArray ref = t.f64(s);
            ElementwiseScalar.INSTANCE.binaryScalar(op, a, scalar, ref);
            NdArray out = inPlace ? a : t.view(Dtype.F32, s, Layout.CONTIGUOUS);
            CpuBackend.get().elementwise().binaryScalar(op, a, scalar, out);
            assertWithinUlps(out, ref, binaryUlps(op), op + " scalar " + scalar + " " + s + " " + la);
        }
    }

    @Property(tries = 150)
    void clampMatchesReference(@ForAll("lengths") int n, @ForAll Layout lx, @ForAll Layout lo,
            @ForAll boolean inPlace, @ForAll long seed) {
        try (ElementwiseArrays t = new ElementwiseArrays(seed)) {
            Shape s = Shape.of(2, n);
            NdArray x = t.array(Dtype.F32, s, lx, true);
            double p = t.rnd.nextDouble() * 10 - 5;
            double q = t.rnd.nextDouble() * 10 - 5;
            NdArray ref = t.f64(s);
            ElementwiseScalar.INSTANCE.clamp(x, Math.min(p, q), Math.max(p, q), ref);
            NdArray out = inPlace ? x : t.view(Dtype.F32, s, lo);
            CpuBackend.get().elementwise().clamp(x, Math.min(p, q), Math.max(p, q), out);
            assertRoundedEqual(out, ref, "clamp " + s + " " + lx + "→" + lo);
        }
    }

    @Property(tries = 200)
    void whereMatchesReference(@ForAll("rowCounts") int rows, @ForAll("lengths") int cols,
            @ForAll("operandKinds") int kc, @ForAll("operandKinds") int ka, @ForAll("operandKinds") int kb,
            @ForAll Layout lc, @ForAll Layout la, @ForAll boolean intCondition, @ForAll long seed) {
        try (ElementwiseArrays t = new ElementwiseArrays(seed)) {
            Shape s = Shape.of(rows, cols);
            NdArray c = t.view(intCondition ? Dtype.I32 : Dtype.F32, broadcastOperand(kc, rows, cols), lc);
            c.forEachOffset(off -> c.setAtOffset(off, t.rnd.nextInt(3) == 0 ? 0 : t.value(true)));
            NdArray a = t.array(Dtype.F32, broadcastOperand(ka, rows, cols), la, true);
            NdArray b = t.array(Dtype.F32, broadcastOperand(kb, rows, cols), Layout.CONTIGUOUS, true);
            NdArray ref = t.f64(s);
            ElementwiseScalar.INSTANCE.where(c, a, b, ref);
            NdArray out = t.view(Dtype.F32, s, Layout.STEPPED);
            CpuBackend.get().elementwise().where(c, a, b, out);
            assertRoundedEqual(out, ref, "where " + c.shape() + " " + a.shape() + " " + b.shape());
        }
    }

    @Property(tries = 60)
    void fillWritesEveryElement(@ForAll("lengths") int n, @ForAll Layout lo, @ForAll Dtype dtype, @ForAll long seed) {
        try (ElementwiseArrays t = new ElementwiseArrays(seed)) {
            NdArray out = t.view(dtype, Shape.of(2, n), lo);
            double v = dtype == Dtype.I32 ? t.rnd.nextInt(100) - 50 : t.value(true);
            CpuBackend.get().elementwise().fill(out, v);
            double expect = dtype == Dtype.F32 ? (float) v : v;
            for (double g : out.toDoubleArray()) {
                assertEquals(expect, g, 0.0);
            }
        }
    }

    // ---------------------------------------------------------------- edge values on the vector path

    private static final int N = 4 * ElementwiseArrays.LANES + 3; // vector body and scalar tail

    @Example
    void reluKeepsNaNAndZeroesNegativeZero() {
        float[] d = new float[N];
        for (int i = 0; i < N; i++) {
            d[i] = i % 3 == 0 ? Float.NaN : (i % 3 == 1 ? -0f : -i);
        }
        try (NdArray x = NdArray.of(d, N); NdArray out = NdArray.zeros(Dtype.F32, N)) {
            CpuBackend.get().elementwise().unary(UnaryOp.RELU, x, out);
            float[] g = out.toFloatArray();
            for (int i = 0; i < N; i++) {
                if (i % 3 == 0) {
                    assertTrue(Float.isNaN(g[i]), "relu(NaN) at " + i);
                } else {
                    assertEquals(0, Float.compare(0f, g[i]), "relu(" + d[i] + ") at " + i + " gave " + g[i]);
                }
            }
        }
    }

    @Example
    void maxAndMinPropagateNaNFromEitherSide() {
        float[] a = new float[N];
        float[] b = new float[N];
        for (int i = 0; i < N; i++) {
            a[i] = i % 2 == 0 ? Float.NaN : 1f;
            b[i] = i % 2 == 0 ? 2f : Float.NaN;
        }
        for (BinaryOp op : new BinaryOp[] {BinaryOp.MAX, BinaryOp.MIN}) {
            try (NdArray x = NdArray.of(a, N); NdArray y = NdArray.of(b, N); NdArray out = NdArray.zeros(Dtype.F32, N);
                    NdArray s = NdArray.scalar(Dtype.F32, Float.NaN)) {
                CpuBackend.get().elementwise().binary(op, x, y, out);
                for (float g : out.toFloatArray()) {
                    assertTrue(Float.isNaN(g), op + " lost a NaN");
                }
                CpuBackend.get().elementwise().binary(op, y, s, out); // NaN broadcast on the right
                for (float g : out.toFloatArray()) {
                    assertTrue(Float.isNaN(g), op + " with a broadcast NaN lost it");
                }
            }
        }
    }

    @Example
    void clampKeepsNaNAndWhereTreatsNaNAsTrue() {
        float[] d = new float[N];
        for (int i = 0; i < N; i++) {
            d[i] = i % 2 == 0 ? Float.NaN : 100f;
        }
        try (NdArray x = NdArray.of(d, N); NdArray out = NdArray.zeros(Dtype.F32, N);
                NdArray one = NdArray.scalar(Dtype.F32, 1); NdArray zero = NdArray.scalar(Dtype.F32, 0)) {
            CpuBackend.get().elementwise().clamp(x, -1, 1, out);
            float[] g = out.toFloatArray();
            for (int i = 0; i < N; i++) {
                assertTrue(i % 2 == 0 ? Float.isNaN(g[i]) : g[i] == 1f, "clamp at " + i + " gave " + g[i]);
            }
            CpuBackend.get().elementwise().where(x, one, zero, out);
            for (float v : out.toFloatArray()) {
                assertEquals(1f, v);
            }
        }
    }

    // ---------------------------------------------------------------- bad input

    @Example
    void shapeMismatchNamesAllShapes() {
        try (NdArray a = NdArray.zeros(Dtype.F32, 2, 3); NdArray b = NdArray.zeros(Dtype.F32, 3);
                NdArray out = NdArray.zeros(Dtype.F32, 3, 3); NdArray c = NdArray.zeros(Dtype.F32, 4)) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> CpuBackend.get().elementwise().binary(BinaryOp.ADD, a, b, out));
            assertTrue(e.getMessage().contains("[2, 3]") && e.getMessage().contains("[3]")
                    && e.getMessage().contains("[3, 3]"), e.getMessage());
            e = assertThrows(IllegalArgumentException.class, () -> CpuBackend.get().elementwise().binary(BinaryOp.ADD, a, c, a));
            assertTrue(e.getMessage().contains("[2, 3]") && e.getMessage().contains("[4]"), e.getMessage());
            e = assertThrows(IllegalArgumentException.class, () -> CpuBackend.get().elementwise().unary(UnaryOp.EXP, a, out));
            assertTrue(e.getMessage().contains("[2, 3]") && e.getMessage().contains("[3, 3]"), e.getMessage());
            e = assertThrows(IllegalArgumentException.class, () -> CpuBackend.get().elementwise().where(c, a, a, a));
            assertTrue(e.getMessage().contains("[4]") && e.getMessage().contains("[2, 3]"), e.getMessage());
        }
    }

    @Example
    void closedOperandIsIllegalState() {
        NdArray a = NdArray.zeros(Dtype.F32, 5);
        try (NdArray out = NdArray.zeros(Dtype.F32, 5)) {
            a.close();
            assertThrows(IllegalStateException.class, () -> CpuBackend.get().elementwise().unary(UnaryOp.NEG, a, out));
            assertThrows(IllegalStateException.class, () -> CpuBackend.get().elementwise().binary(BinaryOp.ADD, out, a, out));
            assertThrows(IllegalStateException.class, () -> CpuBackend.get().elementwise().fill(a, 1));
        }
    }

    @Example
    void dtypeMismatchAndIntegerArithmeticAreRejected() {
        try (NdArray f = NdArray.zeros(Dtype.F32, 4); NdArray d = NdArray.zeros(Dtype.F64, 4);
                NdArray i = NdArray.zeros(Dtype.I32, 4)) {
            assertThrows(IllegalArgumentException.class, () -> CpuBackend.get().elementwise().binary(BinaryOp.ADD, f, d, f));
            assertThrows(IllegalArgumentException.class, () -> CpuBackend.get().elementwise().unary(UnaryOp.EXP, f, d));
            assertThrows(IllegalArgumentException.class, () -> CpuBackend.get().elementwise().unary(UnaryOp.NEG, i, i));
            assertThrows(IllegalArgumentException.class, () -> CpuBackend.get().elementwise().binaryScalar(BinaryOp.MUL, i, 2, i));
            var e = assertThrows(NullPointerException.class, () -> CpuBackend.get().elementwise().unary(null, f, f));
            assertEquals("op", e.getMessage());
            e = assertThrows(NullPointerException.class, () -> CpuBackend.get().elementwise().binary(null, f, f, f));
            assertEquals("op", e.getMessage());
            CpuBackend.get().elementwise().where(i, f, f, f); // an integer condition is fine
            CpuBackend.get().elementwise().fill(i, 7);
            assertEquals(7, i.toIntArray()[3]);
        }
    }

    @Example
    void clampNeedsOrderedBoundsAndNamesThem() {
        try (NdArray x = NdArray.zeros(Dtype.F32, 4)) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> CpuBackend.get().elementwise().clamp(x, 2.5, -1.5, x));
            assertTrue(e.getMessage().contains("2.5") && e.getMessage().contains("-1.5"), e.getMessage());
            assertThrows(IllegalArgumentException.class, () -> CpuBackend.get().elementwise().clamp(x, Double.NaN, 1, x));
        }
    }

    @Example
    void partialOverlapIsRejectedButIdenticalViewIsAllowed() {
        try (NdArray base = NdArray.zeros(Dtype.F32, 40)) {
            NdArray x = base.slice(0, 0, 39);
            NdArray shifted = base.slice(0, 1, 40);
            assertThrows(IllegalArgumentException.class, () -> CpuBackend.get().elementwise().unary(UnaryOp.NEG, x, shifted));
            assertThrows(IllegalArgumentException.class,
                    () -> CpuBackend.get().elementwise().binary(BinaryOp.ADD, x, base.slice(0, 0, 1), x.view()));
            CpuBackend.get().elementwise().fill(base, 3);
            CpuBackend.get().elementwise().binary(BinaryOp.MUL, x, x, x.view());
            assertEquals(9f, base.toFloatArray()[38]);
            assertEquals(3f, base.toFloatArray()[39]);
        }
    }

    @Example
    void broadcastOutputIsRejected() {
        try (NdArray a = NdArray.zeros(Dtype.F32, 3); NdArray row = NdArray.zeros(Dtype.F32, 1, 3)) {
            NdArray out = row.broadcastTo(Shape.of(2, 3));
            NdArray in = NdArray.zeros(Dtype.F32, 2, 3);
            try (in) {
                assertThrows(IllegalArgumentException.class, () -> CpuBackend.get().elementwise().binary(BinaryOp.ADD, in, a, out));
            }
        }
    }
}
