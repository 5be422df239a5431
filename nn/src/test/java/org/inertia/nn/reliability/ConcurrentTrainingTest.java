package org.inertia.nn.reliability;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.inertia.kernels.Storage;
import org.inertia.nn.testing.TrainingRun;
import org.inertia.nn.testing.TrainingRun.Method;
import org.junit.jupiter.api.Test;

/**
 * Independent models trained at the same time from several Java threads (sharing the kernel pool, the
 * storage allocator and the backend) end bit for bit where the same runs end one after the other.
 */
class ConcurrentTrainingTest {
    private static final int THREADS = 6;
    private static final int STEPS = 40;

    private record Outcome(Map<String, int[]> bits, double[] losses) {
    }

    private static Outcome run(int i) {
        Method method = Method.values()[i % Method.values().length];
        try (TrainingRun r = new TrainingRun(method, 100 + i, 8 + 3 * i)) { // different widths: different kernels' shapes
            double[] losses = r.train(STEPS);
            return new Outcome(r.stateBits(), losses);
        }
    }

    @Test
    void concurrentRunsEqualSequentialRuns() throws Exception {
        long liveBefore = Storage.liveBytes();
        List<Outcome> sequential = new ArrayList<>();
        for (int i = 0; i < THREADS; i++) {
            sequential.add(run(i));
        }
        ExecutorService exec = Executors.newFixedThreadPool(THREADS);
        try {
            CyclicBarrier start = new CyclicBarrier(THREADS);
            List<Future<Outcome>> futures = new ArrayList<>();
            for (int i = 0; i < THREADS; i++) {
                int id = i;
                futures.add(exec.submit(() -> {
                    start.await(); // all at once
                    return run(id);
                }));
            }
            for (int i = 0; i < THREADS; i++) {
                Outcome got = futures.get(i).get(120, TimeUnit.SECONDS);
                Outcome want = sequential.get(i);
                assertArrayEquals(want.losses(), got.losses(), "run " + i + " losses");
                assertEquals(want.bits().keySet(), got.bits().keySet());
                int run = i;
                want.bits().forEach((k, v) -> assertArrayEquals(v, got.bits().get(k), "run " + run + " " + k));
            }
        } finally {
            exec.shutdown();
            exec.awaitTermination(30, TimeUnit.SECONDS);
        }
        assertEquals(liveBefore, Storage.liveBytes(), "off-heap bytes leaked by the runs");
    }
}
