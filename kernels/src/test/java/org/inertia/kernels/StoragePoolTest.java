package org.inertia.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Test;

/** The caching allocator behind {@link Storage}: reuse, zeroing, alignment, counters, trim, threads. */
class StoragePoolTest {

    @Property(tries = 200)
    void everyStorageComesZeroedAlignedAndOfTheRightSize(@ForAll @LongRange(min = 0, max = 3_000_000) long length) {
        try (Storage dirty = Storage.allocate(Dtype.F32, length)) {
            dirty.segment().fill((byte) 0x7f); // the next storage of this class may get this very block
        }
        try (Storage s = Storage.allocate(Dtype.F32, length)) {
            MemorySegment seg = s.segment();
            assertEquals(length * 4, seg.byteSize());
            assertEquals(0, seg.address() % 64, "64-byte alignment");
            for (long i = 0; i < length; i += Math.max(1, length / 97)) {
                assertEquals(0f, seg.getAtIndex(ValueLayout.JAVA_FLOAT, i), "element " + i + " of " + length);
            }
            if (length > 0) {
                assertEquals(0f, seg.getAtIndex(ValueLayout.JAVA_FLOAT, length - 1));
            }
        }
    }

    @Test
    void aClosedBlockIsReusedAndTheClosedStorageThrows() {
        Storage a = Storage.allocate(Dtype.F32, 100);
        long address = a.segment().address();
        a.close();
        assertThrows(IllegalStateException.class, a::segment);
        try (Storage b = Storage.allocate(Dtype.F32, 100)) {
            assertEquals(address, b.segment().address(), "the freed block is handed out again (LIFO)");
            assertTrue(a.ownsMemory() && b.ownsMemory());
        }
    }

    @Test
    void countersSeparateLiveFromPooledMemoryAndTrimReturnsIdleSlabs() {
        Storage.trimPool();
        long pooled0 = Storage.pooledBytes(); // free blocks of slabs that other live storages still use
        long live0 = Storage.liveBytes();
        List<Storage> many = new ArrayList<>();
        for (int i = 0; i < 64; i++) {
            many.add(Storage.allocate(Dtype.F32, 50_000)); // 200 kB: the 256 KiB class, 4 per slab
        }
        assertEquals(live0 + 64 * 200_000L, Storage.liveBytes());
        long reserved = Storage.poolReservedBytes();
        many.forEach(Storage::close);
        many.forEach(Storage::close); // double close is harmless and counts once
        assertEquals(live0, Storage.liveBytes());
        assertTrue(Storage.pooledBytes() >= 64 * 262_144L, "freed blocks are kept for reuse");
        long freed = Storage.trimPool();
        assertTrue(freed >= 64 * 262_144L - pooled0, "the idle slabs are returned, freed " + freed);
        assertTrue(Storage.poolReservedBytes() <= reserved - freed);
    }

    @Test
    void largeStoragesAreReusedInSizeClassesWithAtMostAQuarterSlack() {
        long[] lengths = {2_100_000, 3_000_000, 7_777_777, 25_000_001};
        for (long len : lengths) {
            Storage a = Storage.allocate(Dtype.F32, len);
            long address = a.segment().address();
            a.segment().fill((byte) 1);
            a.close();
            long reserved = Storage.poolReservedBytes();
            try (Storage b = Storage.allocateUninitialized(Dtype.F32, len - 1000); // same class
                 Storage z = Storage.allocate(Dtype.F32, len - 5)) {
                assertEquals(address, b.segment().address(), len + ": the block is reused");
                assertEquals(len - 1000, b.length());
                assertEquals(0f, z.segment().getAtIndex(ValueLayout.JAVA_FLOAT, len / 2), "zeroed when asked");
                assertTrue(Storage.poolReservedBytes() - reserved <= Math.ceil(len * 4 * 1.25) + (1 << 20),
                        "a new block of the class is at most 25% above the request");
            }
        }
    }

    @Test
    void withoutThePoolEveryStorageHasItsOwnArenaAndStaleSegmentsThrow() {
        boolean was = StoragePool.setEnabled(false);
        try {
            long reserved = Storage.poolReservedBytes();
            Storage s = Storage.allocate(Dtype.F32, 1000);
            MemorySegment seg = s.segment();
            assertEquals(reserved, Storage.poolReservedBytes());
            s.close();
            assertThrows(IllegalStateException.class, () -> seg.get(ValueLayout.JAVA_BYTE, 0));
        } finally {
            StoragePool.setEnabled(was);
        }
    }

    @Test
    void allocateAndCloseFromManyThreadsKeepsTheCountersExact() throws Exception {
        long live0 = Storage.liveBytes();
        long count0 = Storage.liveCount();
        ExecutorService ex = Executors.newFixedThreadPool(4);
        try {
            List<Future<?>> fs = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                int seed = t;
                fs.add(ex.submit(() -> {
                    for (int i = 0; i < 20_000; i++) {
                        int len = 1 + (i * 31 + seed * 7) % 5000;
                        try (Storage s = Storage.allocate(Dtype.F32, len)) {
                            MemorySegment m = s.segment();
                            float mark = seed * 100_000 + i;
                            m.setAtIndex(ValueLayout.JAVA_FLOAT, len - 1, mark);
                            m.setAtIndex(ValueLayout.JAVA_FLOAT, 0, mark);
                            // no other thread may hold this block while we do
                            assertEquals(mark, m.getAtIndex(ValueLayout.JAVA_FLOAT, len - 1));
                            assertEquals(mark, m.getAtIndex(ValueLayout.JAVA_FLOAT, 0));
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> f : fs) {
                f.get();
            }
        } finally {
            ex.shutdown();
        }
        assertEquals(live0, Storage.liveBytes());
        assertEquals(count0, Storage.liveCount());
    }
}
