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

    @Test
    void shutdownStopsTheWorkersAndLaterCallsRunOnTheCaller() throws Exception {
        KernelPool own = KernelPool.create(3);
        AtomicIntegerArray hits = new AtomicIntegerArray(500);
        own.parallelFor(500, hits::incrementAndGet);
        own.shutdown();
        own.shutdown(); // idempotent
        assertTrue(own.awaitTermination(java.time.Duration.ofSeconds(10)), "workers still running after shutdown");
        assertTrue(own.isTerminated());
        Set<Thread> ran = ConcurrentHashMap.newKeySet();
        own.parallelFor(500, i -> {
            hits.incrementAndGet(i);
            ran.add(Thread.currentThread());
        });
        assertEquals(Set.of(Thread.currentThread()), ran);
        for (int i = 0; i < 500; i++) {
            assertEquals(2, hits.get(i), "task " + i);
        }
    }

    /** Four threads call one pool while it is shut down under them: every task runs once, nothing throws. */
    @Test
    void callsRacingWithShutdownCompleteEveryTask() throws Exception {
        KernelPool own = KernelPool.create(4);
        int callers = 4;
        int calls = 200;
        AtomicIntegerArray hits = new AtomicIntegerArray(callers * calls * 16);
        java.util.concurrent.CountDownLatch start = new java.util.concurrent.CountDownLatch(1);
        java.util.List<java.util.concurrent.Future<?>> done = new java.util.ArrayList<>();
        java.util.concurrent.ExecutorService exec = java.util.concurrent.Executors.newFixedThreadPool(callers);
        try {
            for (int c = 0; c < callers; c++) {
                int caller = c;
                done.add(exec.submit(() -> {
                    start.await();
                    for (int k = 0; k < calls; k++) {
                        int base = (caller * calls + k) * 16;
                        own.parallelFor(16, i -> hits.incrementAndGet(base + i));
                    }
                    return null;
                }));
            }
            start.countDown();
            Thread.sleep(2);
            own.shutdown();
            for (var f : done) {
                f.get(30, java.util.concurrent.TimeUnit.SECONDS);
            }
        } finally {
            exec.shutdownNow();
        }
        for (int i = 0; i < hits.length(); i++) {
            assertEquals(1, hits.get(i), "task " + i);
        }
        assertTrue(own.awaitTermination(java.time.Duration.ofSeconds(10)));
    }

    /**
     * setThreads(n), as torch.set_num_threads: later calls use n threads (the caller included), no more.
     * The count switches between 3 and 2 many times, so that the third thread is often still spinning (awake)
     * when a 2-thread call is posted: a worker that ignored the count would then take some of its tasks.
     */
    @Test
    void setThreadsLimitsTheThreadsThatTakeTasks() throws Exception {
        KernelPool own = KernelPool.create(3);
        try {
            assertEquals(3, own.threads());
            assertEquals(3, own.maxThreads());
            Set<Thread> ranAtTwo = ConcurrentHashMap.newKeySet();
            Set<Thread> ranAtOne = ConcurrentHashMap.newKeySet();
            AtomicIntegerArray hits = new AtomicIntegerArray(32);
            int calls = 0;
            for (int round = 0; round < 40; round++) {
                for (int count : new int[] {3, 2, 1}) {
                    own.setThreads(count);
                    assertEquals(count, own.threads());
                    assertEquals(3, own.maxThreads());
                    Set<Thread> ran = count == 2 ? ranAtTwo : count == 1 ? ranAtOne : ConcurrentHashMap.newKeySet();
                    for (int call = 0; call < 2; call++, calls++) {
                        own.parallelFor(32, i -> {
                            ran.add(Thread.currentThread());
                            hits.incrementAndGet(i);
                            long until = System.nanoTime() + 10_000; // long enough for a spinning worker to join
                            while (System.nanoTime() < until) {
                                Thread.onSpinWait();
                            }
                        });
                    }
                }
            }
            for (int i = 0; i < 32; i++) {
                assertEquals(calls, hits.get(i), "task " + i);
            }
            assertTrue(ranAtTwo.size() <= 2, ranAtTwo + " ran tasks at setThreads(2)");
            assertTrue(ranAtTwo.contains(Thread.currentThread()), "the caller works too");
            assertEquals(Set.of(Thread.currentThread()), ranAtOne);
        } finally {
            own.shutdown();
            assertTrue(own.awaitTermination(java.time.Duration.ofSeconds(10)));
        }
    }

    @Test
    void setThreadsOutsideThePoolsSizeIsRefused() {
        KernelPool own = KernelPool.create(2);
        try {
            var low = assertThrows(IllegalArgumentException.class, () -> own.setThreads(0));
            assertTrue(low.getMessage().contains("count must be in [1, 2]") && low.getMessage().contains("got 0"),
                    low.getMessage());
            var high = assertThrows(IllegalArgumentException.class, () -> own.setThreads(3));
            assertTrue(high.getMessage().contains("got 3"), high.getMessage());
            assertEquals(2, own.threads(), "a refused count changes nothing");
        } finally {
            own.shutdown();
        }
    }

    @Test
    void aPoolNeedsAThread() {
        var e = assertThrows(IllegalArgumentException.class, () -> KernelPool.create(0));
        assertTrue(e.getMessage().contains("threads must be >= 1, got 0"), e.getMessage());
    }
}
