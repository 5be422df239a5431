package org.inertia.nn.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.ConcurrentModificationException;
import java.util.Iterator;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.inertia.kernels.Dtype;
import org.inertia.kernels.NdArray;
import org.junit.jupiter.api.Test;

class DataLoaderTest {
    /** n images of rows×cols whose pixel (i, r, c) is i*1000 + r*cols + c: every value names its source. */
    private static NdArray images(Dtype dtype, int n, int rows, int cols) {
        NdArray a = NdArray.zeros(dtype, n, rows, cols);
        for (int i = 0; i < n; i++) {
            for (int r = 0; r < rows; r++) {
                for (int c = 0; c < cols; c++) {
                    a.set(i * 1000 + r * cols + c, i, r, c);
                }
            }
        }
        return a;
    }

    private static int[] labels(int n) {
        int[] y = new int[n];
        for (int i = 0; i < n; i++) {
            y[i] = (i * 7) % 10;
        }
        return y;
    }

    /** Every batch of one epoch, copied out (batches are only valid until the next one). */
    private static List<double[]> epoch(Iterator<DataLoader.Batch> it) {
        List<double[]> out = new ArrayList<>();
        while (it.hasNext()) {
            DataLoader.Batch b = it.next();
            out.add(b.inputs().toDoubleArray());
            out.add(b.labels().toDoubleArray());
        }
        return out;
    }

    private static void assertSameBatches(List<double[]> a, List<double[]> b) {
        assertEquals(a.size(), b.size());
        for (int i = 0; i < a.size(); i++) {
            assertArrayEquals(a.get(i), b.get(i));
        }
    }

    @Property(tries = 40)
    void sameSeedSameBatches(@ForAll @IntRange(min = 0, max = 40) int n, @ForAll @IntRange(min = 1, max = 9) int batch,
                             @ForAll long seed, @ForAll long permSeed, @ForAll boolean dropLast) {
        try (NdArray x = images(Dtype.F32, n, 3, 4);
             DataLoader a = DataLoader.builder(x, labels(n)).batchSize(batch).shuffle(seed).dropLast(dropLast)
                     .layout(DataLoader.Layout.SEQUENCE).pixelPermutation(permSeed).build();
             DataLoader b = DataLoader.builder(x, labels(n)).batchSize(batch).shuffle(seed).dropLast(dropLast)
                     .layout(DataLoader.Layout.SEQUENCE).pixelPermutation(permSeed).build()) {
            for (int e = 0; e < 3; e++) {
                assertSameBatches(epoch(a.iterator()), epoch(b.iterator()));
            }
            // replaying an epoch gives its batches again
            assertSameBatches(epoch(a.epoch(1)), epoch(b.epoch(1)));
            assertArrayEquals(a.order(2), b.order(2));
            assertArrayEquals(a.pixelPermutation(), b.pixelPermutation());
        }
    }

    @Test
    void differentSeedsAndEpochsGiveDifferentOrders() {
        try (NdArray x = images(Dtype.F32, 100, 2, 2);
             DataLoader a = DataLoader.builder(x, labels(100)).shuffle(1).build();
             DataLoader b = DataLoader.builder(x, labels(100)).shuffle(2).build()) {
            // equal by chance with probability 1/100!
            assertFalse(java.util.Arrays.equals(a.order(0), b.order(0)));
            assertFalse(java.util.Arrays.equals(a.order(0), a.order(1)));
            assertTrue(Permutations.isPermutation(a.order(0)));
        }
    }

    @Property(tries = 100)
    void permutationsAreBijections(@ForAll @IntRange(min = 0, max = 2000) int n, @ForAll long seed) {
        int[] p = Permutations.random(n, seed);
        assertTrue(Permutations.isPermutation(p));
        assertArrayEquals(p, Permutations.random(n, seed));
    }

    @Test
    void permutationsArePinnedAcrossVersions() {
        // SplitMix64's published first output for seed 0; any change to the generator breaks saved experiments
        assertEquals(0xE220A8397B1DCDAFL, new org.inertia.kernels.SplitMix64(0).nextLong());
        // expected value computed by an independent Python transcription of the algorithm
        assertArrayEquals(new int[] {3, 8, 4, 2, 9, 5, 7, 1, 0, 6}, Permutations.random(10, 42));
    }

    /** Each batch element equals the image pixel the layout and permutation say it comes from. */
    @Property(tries = 60)
    void layoutsMatchTheImages(@ForAll @IntRange(min = 1, max = 30) int n, @ForAll @IntRange(min = 1, max = 8) int batch,
                               @ForAll @IntRange(min = 1, max = 5) int rows, @ForAll @IntRange(min = 1, max = 5) int cols,
                               @ForAll DataLoader.Layout layout, @ForAll boolean permute, @ForAll boolean f64,
                               @ForAll long seed) {
        int[] y = labels(n);
        try (NdArray x = images(f64 ? Dtype.F64 : Dtype.F32, n, rows, cols)) {
            DataLoader.Builder builder = DataLoader.builder(x, y).batchSize(batch).shuffle(seed).layout(layout);
            if (permute) {
                builder.pixelPermutation(seed + 1);
            }
            try (DataLoader loader = builder.build()) {
                int[] perm = loader.pixelPermutation();
                assertEquals(permute, perm != null);
                int[] order = loader.order(0);
                int seen = 0;
                Iterator<DataLoader.Batch> it = loader.iterator();
                while (it.hasNext()) {
                    DataLoader.Batch b = it.next();
                    int[] expectedShape = switch (layout) {
                        case IMAGES -> new int[] {b.size(), 1, rows, cols};
                        case FLAT -> new int[] {b.size(), rows * cols};
                        case SEQUENCE -> new int[] {b.size(), rows * cols, 1};
                    };
                    assertArrayEquals(expectedShape, b.inputs().shape().dims());
                    assertEquals(x.dtype(), b.inputs().dtype());
                    assertEquals(Dtype.I32, b.labels().dtype());
                    double[] v = b.inputs().toDoubleArray(); // row-major over the layout's shape
                    int[] lab = b.labelArray();
                    for (int k = 0; k < b.size(); k++) {
                        int sample = order[seen + k];
                        assertEquals(y[sample], lab[k]);
                        for (int t = 0; t < rows * cols; t++) {
                            int pixel = perm == null ? t : perm[t];
                            double expected = x.get(sample, pixel / cols, pixel % cols);
                            assertEquals(expected, v[k * rows * cols + t]);
                        }
                    }
                    seen += b.size();
                }
                assertEquals(n, seen);
            }
        }
    }

    @Test
    void lastPartialBatchKeptOrDropped() {
        try (NdArray x = images(Dtype.F32, 10, 2, 2)) {
            try (DataLoader keep = DataLoader.builder(x, labels(10)).batchSize(4).build()) {
                List<Integer> sizes = new ArrayList<>();
                keep.forEach(b -> sizes.add(b.size()));
                assertEquals(List.of(4, 4, 2), sizes);
                assertEquals(3, keep.batchesPerEpoch());
            }
            try (DataLoader drop = DataLoader.builder(x, labels(10)).batchSize(4).dropLast(true).build()) {
                List<Integer> sizes = new ArrayList<>();
                drop.forEach(b -> sizes.add(b.size()));
                assertEquals(List.of(4, 4), sizes);
            }
            try (DataLoader plain = DataLoader.builder(x, labels(10)).batchSize(3).layout(DataLoader.Layout.FLAT).build()) {
                assertArrayEquals(new int[] {0, 1, 2, 3, 4, 5, 6, 7, 8, 9}, plain.order(5)); // no shuffle: identity
                assertNull(plain.pixelPermutation());
            }
        }
    }

    @Test
    void buffersAreReusedAndIterationsInvalidateEachOther() {
        try (NdArray x = images(Dtype.F32, 8, 2, 2);
             DataLoader loader = DataLoader.builder(x, labels(8)).batchSize(4).build()) {
            Iterator<DataLoader.Batch> first = loader.iterator();
            DataLoader.Batch b0 = first.next();
            DataLoader.Batch b1 = first.next();
            // both batches view the one buffer: the first now shows the second's data
            assertEquals(b1.inputs().get(0, 0, 0, 0), b0.inputs().get(0, 0, 0, 0));
            Iterator<DataLoader.Batch> second = loader.iterator();
            assertThrows(ConcurrentModificationException.class, first::hasNext);
            assertTrue(second.hasNext());
            loader.close();
            assertThrows(IllegalStateException.class, second::next);
            assertThrows(IllegalStateException.class, loader::iterator);
            assertTrue(x.isOpen()); // the images stay the caller's
        }
    }

    @Test
    void badArguments() {
        try (NdArray x = images(Dtype.F32, 4, 2, 2); NdArray flat = NdArray.zeros(Dtype.F32, 4, 4)) {
            var e = assertThrows(IllegalArgumentException.class, () -> DataLoader.builder(x, new int[3]).build());
            assertTrue(e.getMessage().contains("[4, 2, 2]") && e.getMessage().contains("3 labels"), e.getMessage());
            assertThrows(IllegalArgumentException.class, () -> DataLoader.builder(x, new int[4]).batchSize(0).build());
            assertThrows(IllegalArgumentException.class, () -> DataLoader.builder(flat, new int[4]).build());
            assertThrows(IllegalArgumentException.class,
                    () -> DataLoader.builder(x.transpose(1, 2), new int[4]).build());
        }
    }

    @Test
    void emptyDataset() {
        try (NdArray x = NdArray.zeros(Dtype.F32, 0, 28, 28);
             DataLoader loader = DataLoader.builder(x, new int[0]).shuffle(3).build()) {
            assertFalse(loader.iterator().hasNext());
            assertEquals(0, loader.batchesPerEpoch());
        }
    }

    /** A loader restored from state() in another loader continues the stream exactly, mid-epoch or between epochs. */
    @Property(tries = 60)
    void stateResumesTheStreamOfBatches(@ForAll @IntRange(min = 1, max = 25) int n, @ForAll @IntRange(min = 1, max = 6) int batch,
                                        @ForAll @IntRange(min = 0, max = 40) int consumed, @ForAll boolean dropLast,
                                        @ForAll long seed) {
        int[] y = labels(n);
        try (NdArray x = images(Dtype.F32, n, 2, 2);
             DataLoader a = DataLoader.builder(x, y).batchSize(batch).shuffle(seed).dropLast(dropLast).build();
             DataLoader b = DataLoader.builder(x, y).batchSize(batch).shuffle(seed).dropLast(dropLast).build()) {
            if (a.batchesPerEpoch() == 0) {
                return;
            }
            List<double[]> stream = new ArrayList<>(); // the uninterrupted stream: consumed batches, then 2 epochs more
            Iterator<DataLoader.Batch> it = a.iterator();
            DataLoader.State saved = null;
            for (int k = 0; k < consumed + 2 * a.batchesPerEpoch(); k++) {
                if (k == consumed) {
                    saved = a.state();
                }
                if (!it.hasNext()) {
                    it = a.iterator();
                }
                DataLoader.Batch bt = it.next();
                if (k >= consumed) {
                    stream.add(bt.labels().toDoubleArray());
                }
            }
            assertEquals(consumed / a.batchesPerEpoch(), saved.epoch());
            assertEquals(consumed % a.batchesPerEpoch(), saved.batch());
            b.loadState(saved);
            assertEquals(saved, b.state());
            List<double[]> resumed = new ArrayList<>();
            Iterator<DataLoader.Batch> jt = b.iterator();
            while (resumed.size() < stream.size()) {
                if (!jt.hasNext()) {
                    jt = b.iterator();
                }
                resumed.add(jt.next().labels().toDoubleArray());
            }
            assertSameBatches(stream, resumed);
        }
    }

    @Test
    void aStateForAnotherOrderIsRefused() {
        int[] y = labels(10);
        try (NdArray x = images(Dtype.F32, 10, 2, 2);
             DataLoader l = DataLoader.builder(x, y).batchSize(3).shuffle(5).build()) {
            DataLoader.State ok = l.state();
            assertEquals(new DataLoader.State(0, 0, 10, 3, true, 5, false), ok);
            var e = assertThrows(IllegalArgumentException.class,
                    () -> l.loadState(new DataLoader.State(0, 0, 10, 3, true, 6, false)));
            assertTrue(e.getMessage().contains("seed 6, the loader shuffle true with seed 5"), e.getMessage());
            e = assertThrows(IllegalArgumentException.class, () -> l.loadState(new DataLoader.State(0, 4, 10, 3, true, 5, false)));
            assertTrue(e.getMessage().contains("batch 4 is outside [0, 4)"), e.getMessage());
            e = assertThrows(IllegalArgumentException.class, () -> l.loadState(new DataLoader.State(0, 0, 11, 3, true, 5, false)));
            assertTrue(e.getMessage().contains("state is for 11 samples, the loader has 10"), e.getMessage());
            assertEquals(ok, l.state());
        }
    }
}
