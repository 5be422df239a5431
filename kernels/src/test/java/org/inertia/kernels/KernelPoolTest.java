package org.inertia.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicIntegerArray;
import org.inertia.kernels.cpu.KernelPool;
import org.junit.jupiter.api.Test;

class KernelPoolTest {
    private final KernelPool pool = KernelPool.get();

    @Test
    void everyTaskRunsExactlyOnce() {
        AtomicIntegerArray hits = new AtomicIntegerArray(1000);
        pool.parallelFor(1000, hits::incrementAndGet);
        for (int i = 0; i < 1000; i++) {
            assertEquals(1, hits.get(i), "task " + i);
        }
        pool.parallelFor(0, i -> {
            throw new AssertionError("no task expected");
        });
    }

    @Test
    void threadsAreReusedNotCreatedPerCall() {
        Set<Thread> seen = ConcurrentHashMap.newKeySet();
        for (int call = 0; call < 200; call++) {
            pool.parallelFor(64, i -> seen.add(Thread.currentThread()));
        }
        assertTrue(seen.size() <= pool.threads(), seen.size() + " distinct threads for a pool of " + pool.threads());
    }

    @Test
    void aFailingTaskIsRethrownToTheCaller() {
        var e = assertThrows(IllegalStateException.class, () -> pool.parallelFor(100, i -> {
            if (i == 37) {
                throw new IllegalStateException("task 37 failed");
            }
        }));
        assertTrue(e.getMessage().contains("37"));
        AtomicIntegerArray hits = new AtomicIntegerArray(10); // the pool still works afterwards
        pool.parallelFor(10, hits::incrementAndGet);
        assertEquals(1, hits.get(9));
    }

    @Test
    void nestedParallelCallsDoNotDeadlock() {
        AtomicIntegerArray hits = new AtomicIntegerArray(16 * 16);
        pool.parallelFor(16, i -> pool.parallelFor(16, j -> hits.incrementAndGet(i * 16 + j)));
        for (int k = 0; k < 256; k++) {
            assertEquals(1, hits.get(k));
        }
    }
}
