package org.inertia.kernels;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.UnaryOperator;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

/**
 * Logical element access on views: {@link NdArray#getAt}/{@link NdArray#setAt} (flat, row-major over the
 * view), {@link NdArray#get}, the bulk copies, against an independent model of each view — a function from
 * the view's multi-index to the base array's multi-index, composed op by op — so nothing here trusts the
 * strides the views compute.
 */
class NdArrayAccessTest {
    /** A view of a base array, and where each of its elements lives in the base (multi-index to multi-index). */
    private record View(NdArray array, UnaryOperator<int[]> toBase) {
    }

    private static double baseValue(int[] baseIndex, Shape baseShape) {
        double flat = 0;
        for (int i = 0; i < baseIndex.length; i++) {
            flat = flat * baseShape.dim(i) + baseIndex[i];
        }
        return flat + 0.5; // distinct, exact in float
    }

    private static int[] unravel(long flat, Shape shape) {
        int[] idx = new int[shape.rank()];
        for (int i = shape.rank() - 1; i >= 0; i--) {
            idx[i] = (int) (flat % shape.dim(i));
            flat /= shape.dim(i);
        }
        return idx;
    }

    /** Applies op {@code code} (chosen by the property) to {@code v}, or returns v when it does not apply. */
    private static View apply(View v, int code, int a, int b) {
        NdArray x = v.array();
        int r = x.rank();
        if (r == 0) {
            return v;
        }
        int axis = Math.floorMod(a, r);
        int d = x.dim(axis);
        switch (Math.floorMod(code, 4)) {
            case 0 -> { // slice with a step
                if (d < 2) {
                    return v;
                }
                int start = Math.floorMod(b, d - 1);
                int step = 1 + Math.floorMod(a + b, 2);
                int len = (d - start + step - 1) / step;
                return new View(x.slice(axis, start, d, step), i -> {
                    int[] j = i.clone();
                    j[axis] = start + i[axis] * step;
                    assertTrue(i[axis] < len);
                    return v.toBase().apply(j);
                });
            }
            case 1 -> { // transpose
                int other = Math.floorMod(b, r);
                return new View(x.transpose(axis, other), i -> {
                    int[] j = i.clone();
                    j[axis] = i[other];
                    j[other] = i[axis];
                    return v.toBase().apply(j);
                });
            }
            case 2 -> { // select (drops an axis)
                if (r == 1) {
                    return v;
                }
                int at = Math.floorMod(b, d);
                return new View(x.select(axis, at), i -> {
                    int[] j = new int[r];
                    for (int k = 0, m = 0; k < r; k++) {
                        j[k] = k == axis ? at : i[m++];
                    }
                    return v.toBase().apply(j);
                });
            }
            default -> { // a size-1 axis broadcast to 3, in front of axis
                int[] dims = new int[r + 1];
                for (int k = 0, m = 0; k <= r; k++) {
                    dims[k] = k == axis ? 3 : x.dim(m++);
                }
                return new View(x.unsqueeze(axis).broadcastTo(Shape.of(dims)), i -> {
                    int[] j = new int[r];
                    for (int k = 0, m = 0; k <= r; k++) {
                        if (k != axis) {
                            j[m++] = i[k];
                        }
                    }
                    return v.toBase().apply(j);
                });
            }
        }
    }

    private static NdArray base(Dtype dtype, int[] dims) {
        NdArray a = NdArray.zeros(dtype, dims);
        Shape s = a.shape();
        double[] v = new double[(int) a.numel()];
        for (int i = 0; i < v.length; i++) {
            v[i] = baseValue(unravel(i, s), s);
        }
        a.copyFrom(v);
        return a;
    }

    private static View chain(NdArray base, int[] ops) {
        View v = new View(base, int[]::clone);
        for (int k = 0; k + 2 < ops.length; k += 3) {
            v = apply(v, ops[k], ops[k + 1], ops[k + 2]);
        }
        return v;
    }

    @Property(tries = 300)
    void logicalReadsOfAnyViewMatchTheModel(@ForAll @Size(min = 1, max = 3) List<@IntRange(min = 1, max = 4) Integer> dims,
                                            @ForAll @Size(max = 9) List<@IntRange(min = 0, max = 11) Integer> ops,
                                            @ForAll boolean f64) {
        int[] d = dims.stream().mapToInt(Integer::intValue).toArray();
        try (NdArray base = base(f64 ? Dtype.F64 : Dtype.F32, d)) {
            View v = chain(base, ops.stream().mapToInt(Integer::intValue).toArray());
            NdArray x = v.array();
            double[] all = x.toDoubleArray();
            float[] allF = x.toFloatArray();
            assertEquals(x.numel(), all.length);
            for (int flat = 0; flat < all.length; flat++) {
                int[] idx = unravel(flat, x.shape());
                double expected = baseValue(v.toBase().apply(idx), base.shape());
                assertEquals(expected, x.getAt(flat), () -> "getAt on " + x.shape() + " strides " + Arrays.toString(x.strides()));
                assertEquals(expected, x.get(idx));
                assertEquals(expected, all[flat]);
                assertEquals((float) expected, allF[flat]);
                assertEquals(x.elementOffset(idx), x.offsetOf(flat));
            }
        }
    }

    @Property(tries = 200)
    void logicalWritesOfAViewTouchExactlyItsElements(@ForAll @Size(min = 1, max = 3) List<@IntRange(min = 1, max = 4) Integer> dims,
                                                     @ForAll @Size(max = 9) List<@IntRange(min = 0, max = 11) Integer> ops,
                                                     @ForAll boolean bulk) {
        int[] d = dims.stream().mapToInt(Integer::intValue).toArray();
        // broadcast views are read-only by nature (several indices share an element): drop them for writes
        int[] o = ops.stream().mapToInt(Integer::intValue).toArray();
        for (int k = 0; k + 2 < o.length; k += 3) {
            if (Math.floorMod(o[k], 4) == 3) {
                o[k] = 0;
            }
        }
        try (NdArray base = base(Dtype.F32, d)) {
            View v = chain(base, o);
            NdArray x = v.array();
            int n = (int) x.numel();
            float[] fresh = new float[n];
            for (int i = 0; i < n; i++) {
                fresh[i] = -1 - i;
            }
            if (bulk) {
                x.copyFrom(fresh);
            } else {
                for (int i = 0; i < n; i++) {
                    x.setAt(i, fresh[i]);
                }
            }
            assertArrayEquals(fresh, x.toFloatArray());
            // every base element the view covers now holds the written value; every other keeps its own
            double[] expected = new double[(int) base.numel()];
            for (int i = 0; i < expected.length; i++) {
                expected[i] = baseValue(unravel(i, base.shape()), base.shape());
            }
            for (int i = 0; i < n; i++) {
                int[] b = v.toBase().apply(unravel(i, x.shape()));
                long flat = 0;
                for (int k = 0; k < b.length; k++) {
                    flat = flat * base.dim(k) + b[k];
                }
                expected[(int) flat] = fresh[i];
            }
            assertArrayEquals(expected, base.toDoubleArray());
        }
    }

    @Test
    void setAtOnATransposeWritesTheViewsElementNotTheStorages() {
        try (NdArray a = NdArray.of(new float[] {0, 1, 2, 3, 4, 5}, 2, 3)) {
            NdArray t = a.t(); // [3, 2]: t[0][1] = a[1][0] = 3
            assertEquals(3, t.getAt(1));
            t.setAt(1, 30);
            assertEquals(30, a.get(1, 0));
            assertEquals(1, a.get(0, 1), "the storage's element 1 is untouched");
            assertEquals(1, a.getAtOffset(1));
            assertEquals(30, a.getAtOffset(3));
        }
    }

    @Test
    void copyFromDoublesConvertsAndChecksTheLength() {
        try (NdArray a = NdArray.zeros(Dtype.I32, 2, 2); NdArray f = NdArray.zeros(Dtype.F64, 3)) {
            a.copyFrom(new double[] {1.9, -2.9, 3, 4});
            assertArrayEquals(new int[] {1, -2, 3, 4}, a.toIntArray());
            f.copyFrom(new double[] {0.1, 0.2, 0.3});
            assertArrayEquals(new double[] {0.1, 0.2, 0.3}, f.toDoubleArray());
            var e = assertThrows(IllegalArgumentException.class, () -> a.copyFrom(new float[3]));
            assertTrue(e.getMessage().contains("3 elements") && e.getMessage().contains("[2, 2]") && e.getMessage().contains("4"),
                    e.getMessage());
            var npe = assertThrows(NullPointerException.class, () -> a.copyFrom((double[]) null));
            assertTrue(npe.getMessage().contains("values"), npe.getMessage());
        }
    }

    @Test
    void emptyViewsAtAnOffsetCopyNothing() {
        try (Storage empty = Storage.allocate(Dtype.F64, 0)) {
            NdArray row = NdArray.view(empty, Shape.of(0), new long[] {1}, 5); // offset past the empty storage
            assertEquals(0, row.toDoubleArray().length);
            assertEquals(0, row.toFloatArray().length);
            row.copyFrom(new double[0]);
            row.copyFrom(new float[0]);
        }
    }

    @Test
    void flatIndicesOutsideTheViewAreRefusedNamingTheShape() {
        try (NdArray a = NdArray.zeros(Dtype.F32, 4, 4)) {
            NdArray s = a.slice(0, 1, 3);
            var e = assertThrows(IndexOutOfBoundsException.class, () -> s.getAt(8));
            assertTrue(e.getMessage().contains("8") && e.getMessage().contains("[2, 4]"), e.getMessage());
            assertThrows(IndexOutOfBoundsException.class, () -> s.setAt(-1, 0));
            List<Long> offsets = new ArrayList<>();
            s.forEachOffset(offsets::add);
            assertEquals(4L, offsets.getFirst(), "storage offsets still start at the view's offset");
        }
    }
}
