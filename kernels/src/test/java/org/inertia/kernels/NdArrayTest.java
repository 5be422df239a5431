package org.inertia.kernels;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

class NdArrayTest {
    private static float[] iota(int n) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = i;
        }
        return v;
    }

    @Test
    void viewsShareStorageWithoutCopying() {
        try (NdArray a = NdArray.of(iota(24), 2, 3, 4)) {
            NdArray t = a.transpose(0, 2); // [4, 3, 2]
            assertEquals(Shape.of(4, 3, 2), t.shape());
            assertEquals(a.get(1, 2, 3), t.get(3, 2, 1));
            NdArray s = a.slice(2, 1, 4, 2); // columns 1 and 3
            assertArrayEquals(new float[] {1, 3, 5, 7, 9, 11, 13, 15, 17, 19, 21, 23}, s.toFloatArray());
            NdArray sel = a.select(0, 1);
            assertEquals(Shape.of(3, 4), sel.shape());
            assertEquals(12f, sel.get(0, 0));
            sel.set(-1, 0, 0);
            assertEquals(-1f, a.get(1, 0, 0), "a view writes through to its storage");
            assertFalse(t.isContiguous());
            assertTrue(a.reshape(6, -1).isContiguous());
            assertEquals(Shape.of(6, 4), a.reshape(6, -1).shape());
        }
    }

    @Test
    void broadcastUsesZeroStrides() {
        try (NdArray row = NdArray.of(new float[] {1, 2, 3}, 1, 3)) {
            NdArray b = row.broadcastTo(Shape.of(4, 2, 3));
            assertArrayEquals(new long[] {0, 0, 1}, b.strides());
            assertEquals(3f, b.get(3, 1, 2));
            var e = assertThrows(IllegalArgumentException.class, () -> row.broadcastTo(Shape.of(2, 4)));
            assertTrue(e.getMessage().contains("[1, 3]") && e.getMessage().contains("[2, 4]"), e.getMessage());
        }
    }

    @Test
    void reshapeOfNonContiguousViewIsRefusedClearly() {
        try (NdArray a = NdArray.zeros(Dtype.F32, 3, 4)) {
            var e = assertThrows(IllegalArgumentException.class, () -> a.t().reshape(12));
            assertTrue(e.getMessage().contains("non-contiguous"), e.getMessage());
            assertThrows(IllegalArgumentException.class, () -> a.reshape(5, -1));
            assertEquals(Shape.of(12), a.t().copy().reshape(12).shape());
        }
    }

    @Test
    void badShapesAndIndicesNameTheProblem() {
        var e = assertThrows(IllegalArgumentException.class, () -> Shape.of(2, -3));
        assertTrue(e.getMessage().contains("-3"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> NdArray.of(new float[5], 2, 3));
        assertTrue(e.getMessage().contains("[2, 3]"), e.getMessage());
        try (NdArray a = NdArray.zeros(Dtype.F32, 2, 3)) {
            assertThrows(IndexOutOfBoundsException.class, () -> a.get(2, 0));
            assertThrows(IllegalArgumentException.class, () -> a.get(1));
            assertThrows(IllegalArgumentException.class, () -> a.slice(1, 2, 5));
            e = assertThrows(IllegalArgumentException.class, () -> Shape.broadcast(Shape.of(2, 3), Shape.of(4, 3)));
            assertTrue(e.getMessage().contains("[2, 3]") && e.getMessage().contains("[4, 3]"), e.getMessage());
        }
        try (Storage s = Storage.allocate(Dtype.F32, 10)) {
            e = assertThrows(IllegalArgumentException.class, () -> NdArray.view(s, Shape.of(3, 4), new long[] {4, 1}, 0));
            assertTrue(e.getMessage().contains("storage of 10"), e.getMessage());
        }
    }

    @Test
    void closeFreesOwnedStorageOnceAndViewsThrowAfterwards() {
        long before = Storage.liveBytes();
        NdArray a = NdArray.zeros(Dtype.F64, 1000);
        assertEquals(before + 8000, Storage.liveBytes());
        NdArray v = a.slice(0, 0, 10);
        v.close(); // a view does not own memory
        assertTrue(a.isOpen());
        a.close();
        a.close();
        assertEquals(before, Storage.liveBytes());
        assertThrows(IllegalStateException.class, () -> v.get(0));
        assertThrows(IllegalStateException.class, v::toFloatArray);
        assertTrue(v.toString().contains("closed"));
    }

    @Test
    void closedArrayThrowsThroughEveryAccessor() {
        NdArray a = NdArray.zeros(Dtype.F32, 4);
        NdArray t = a.reshape(2, 2).transpose(0, 1);
        a.close();
        assertThrows(IllegalStateException.class, a::segment);
        assertThrows(IllegalStateException.class, () -> t.get(1, 0));
        assertThrows(IllegalStateException.class, () -> t.set(0, 1, 1));
        assertThrows(IllegalStateException.class, t::copy);
        assertThrows(IllegalStateException.class, () -> org.inertia.kernels.cpu.CpuBackend.get().elementwise().fill(t, 1));
    }

    @Test
    void closedSegmentObtainedEarlierThrowsWithoutThePool() { // pooled blocks stay valid memory: see Storage
        boolean was = StoragePool.setEnabled(false);
        try {
            NdArray a = NdArray.zeros(Dtype.F32, 4);
            var seg = a.segment();
            a.close();
            assertThrows(IllegalStateException.class, () -> seg.get(java.lang.foreign.ValueLayout.JAVA_FLOAT, 0));
        } finally {
            StoragePool.setEnabled(was);
        }
    }

    /** StridedRows must visit exactly the elements of each operand, pairing them in row-major order. */
    @Property(tries = 200)
    void stridedRowsVisitsEveryElementInOrder(@ForAll @IntRange(min = 0, max = 5) int d0,
                                              @ForAll @IntRange(min = 0, max = 5) int d1,
                                              @ForAll @IntRange(min = 1, max = 6) int d2,
                                              @ForAll boolean transpose, @ForAll boolean broadcastRow) {
        try (NdArray a = NdArray.of(iota(d0 * d1 * d2), d0, d1, d2);
             NdArray bBase = NdArray.of(iota(d2 * d1 * d0), d2, d1, d0);
             NdArray row = NdArray.of(iota(d2), d2)) {
            NdArray b = transpose ? bBase.permute(2, 1, 0) : bBase.reshape(d0, d1, d2);
            NdArray c = broadcastRow ? row.broadcastTo(a.shape()) : a;
            List<Double> pairs = new ArrayList<>();
            StridedRows rows = StridedRows.plan(a, b, c);
            rows.forEach((off, n) -> {
                for (int i = 0; i < n; i++) {
                    pairs.add(a.getAtOffset(off[0] + i * rows.innerStride(0)));
                    pairs.add(b.getAtOffset(off[1] + i * rows.innerStride(1)));
                    pairs.add(c.getAtOffset(off[2] + i * rows.innerStride(2)));
                }
            });
            double[] ea = a.toDoubleArray();
            double[] eb = b.toDoubleArray();
            double[] ec = c.toDoubleArray();
            assertEquals(3 * ea.length, pairs.size());
            for (int i = 0; i < ea.length; i++) {
                assertEquals(ea[i], pairs.get(3 * i));
                assertEquals(eb[i], pairs.get(3 * i + 1));
                assertEquals(ec[i], pairs.get(3 * i + 2));
            }
        }
    }

    @Test
    void broadcastViewsAreRejectedAsOutputsEverywhere() {
        var b = org.inertia.kernels.cpu.CpuBackend.get();
        try (NdArray row = NdArray.zeros(Dtype.F32, 1, 4); NdArray x = NdArray.zeros(Dtype.F32, 3, 4);
             NdArray v = NdArray.zeros(Dtype.F32, 1); NdArray img = NdArray.zeros(Dtype.F32, 1, 1, 4, 4)) {
            NdArray wide = row.broadcastTo(Shape.of(3, 4));
            for (Runnable call : new Runnable[] {
                () -> b.elementwise().add(x, x, wide),
                () -> b.blas1().copy(x, wide),
                () -> b.blas1().axpy(1, x.select(0, 0), v.broadcastTo(Shape.of(4))),
                () -> b.reductions().sum(x.unsqueeze(0).broadcastTo(Shape.of(2, 3, 4)), 0, wide),
                () -> b.conv().maxPool2d(img, Conv2dGeometry.square(2, 2, 0, 1),
                        NdArray.zeros(Dtype.F32, 1, 1, 1, 2).broadcastTo(Shape.of(1, 1, 2, 2)),
                        NdArray.zeros(Dtype.I32, 1, 1, 2, 2))}) {
                var e = assertThrows(IllegalArgumentException.class, call::run);
                assertTrue(e.getMessage().contains("stride 0"), e.getMessage());
            }
        }
    }

    @Test
    void contiguousOperandsBecomeOneRow() {
        try (NdArray a = NdArray.zeros(Dtype.F32, 4, 5, 6); NdArray b = NdArray.zeros(Dtype.F32, 4, 5, 6)) {
            StridedRows rows = StridedRows.plan(a, b);
            assertEquals(1, rows.rows());
            assertEquals(120, rows.innerLength());
        }
    }
}
