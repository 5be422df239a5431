package org.inertia.nn.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.management.ObjectName;
import org.inertia.kernels.Dtype;
import org.inertia.kernels.NdArray;
import org.inertia.kernels.Storage;
import org.inertia.kernels.cpu.KernelPool;
import org.inertia.nn.autograd.Tensor;
import org.inertia.nn.testing.ChildJvm;
import org.inertia.nn.testing.TrainingRun;
import org.inertia.nn.testing.TrainingRun.Method;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Native memory does not grow: 10⁶ allocate/close cycles and a 1,000-step training loop leave the
 * storage counters where they started and, in a child JVM under Native Memory Tracking, the process's
 * off-heap footprint flat; closing a model frees its memory, closing twice is harmless, using closed
 * objects throws. The child also shuts the kernel pool down and checks it stops cleanly.
 */
class NativeMemoryTest {
    static final int CYCLES = 1_000_000;
    static final int STEPS = 1_000;

    @TempDir
    Path dir;

    /** {@code CYCLES} storages of 1 … 4,096 floats (all small size classes), each closed at once. */
    static void allocateCloseCycles() {
        for (int i = 0; i < CYCLES; i++) {
            Storage s = Storage.allocate(Dtype.F32, 1 + (i * 2654435761L >>> 20) % 4096);
            s.close();
        }
    }

    @Test
    void aMillionAllocateCloseCyclesReturnEveryByte() {
        long bytes = Storage.liveBytes();
        long count = Storage.liveCount();
        long t0 = System.nanoTime();
        allocateCloseCycles();
        long ns = System.nanoTime() - t0;
        assertEquals(bytes, Storage.liveBytes());
        assertEquals(count, Storage.liveCount());
        long reserved = Storage.poolReservedBytes();
        allocateCloseCycles(); // a second million reuses the same blocks
        assertEquals(reserved, Storage.poolReservedBytes(), "the pool grew on the second million cycles");
        System.out.printf("NativeMemoryTest: %d allocate/close cycles, %.0f ns each%n", CYCLES, (double) ns / CYCLES);
    }

    @Test
    void aTrainingLoopKeepsItsFootprint() {
        long bytes = Storage.liveBytes();
        long count = Storage.liveCount();
        try (TrainingRun r = new TrainingRun(Method.ADAM_COSINE, 1)) {
            r.train(20); // optimizer state allocated, pool warm
            long steadyBytes = Storage.liveBytes();
            long steadyCount = Storage.liveCount();
            long reserved = Storage.poolReservedBytes();
            r.train(STEPS);
            assertEquals(steadyBytes, Storage.liveBytes(), "live bytes grew over " + STEPS + " steps");
            assertEquals(steadyCount, Storage.liveCount(), "live storages grew over " + STEPS + " steps");
            assertEquals(reserved, Storage.poolReservedBytes(), "the pool grew over " + STEPS + " steps");
        }
        assertEquals(bytes, Storage.liveBytes(), "closing the run did not free everything");
        assertEquals(count, Storage.liveCount());
    }

    @Test
    void closingFreesDoubleCloseIsHarmlessUseAfterCloseThrows() {
        long bytes = Storage.liveBytes();
        TrainingRun r = new TrainingRun(Method.SGD_NESTEROV_SCHEDULED, 1);
        r.train(3);
        assertTrue(Storage.liveBytes() > bytes);
        r.close();
        assertEquals(bytes, Storage.liveBytes(), "a closed model, optimizer and loader still hold memory");
        r.close(); // everything is idempotent
        r.net.close();
        r.optimizer.close();
        assertEquals(bytes, Storage.liveBytes());
        assertTrue(r.net.isClosed());
        var e = assertThrows(IllegalStateException.class, () -> r.net.in.weight().data());
        assertTrue(e.getMessage().contains("closed"), e.getMessage());
        try (NdArray x = NdArray.zeros(Dtype.F32, 2, 16); Tensor in = Tensor.constant(x.view())) {
            assertThrows(IllegalStateException.class, () -> r.net.forward(in));
        }
        assertThrows(IllegalStateException.class, () -> r.net.bn.runningMean().toFloatArray());
        e = assertThrows(IllegalStateException.class, () -> r.optimizer.step());
        assertTrue(e.getMessage().contains("sgd optimizer is closed"), e.getMessage());
        e = assertThrows(IllegalStateException.class, () -> r.loader.iterator());
        assertTrue(e.getMessage().contains("DataLoader is closed"), e.getMessage());
        NdArray a = NdArray.zeros(Dtype.F32, 4);
        a.close();
        a.close();
        assertThrows(IllegalStateException.class, a::toFloatArray);
        assertThrows(IllegalStateException.class, () -> a.set(1, 0));
    }

    // ---------------------------------------------------------------- the NMT child

    /**
     * Committed KiB from NMT: "Other" (where Unsafe and arena allocations, so every storage and the pool's
     * slabs, are counted) and the process total without the Java heap and the JIT compilers' transient
     * arenas ("Arena Chunk", "Compiler"), which grow and shrink with compilation, not with our data.
     */
    static long[] nmt() throws Exception {
        String text = (String) ManagementFactory.getPlatformMBeanServer().invoke(
                new ObjectName("com.sun.management:type=DiagnosticCommand"), "vmNativeMemory",
                new Object[] {new String[] {"summary"}}, new String[] {String[].class.getName()});
        long native_ = committed(text, "Total") - committed(text, "Java Heap") - committed(text, "Arena Chunk")
                - committed(text, "Compiler");
        return new long[] {committed(text, "Other"), native_};
    }

    private static long committed(String nmt, String category) {
        Matcher m = Pattern.compile("(?m)^\\W*" + category + "[: ]*\\(?reserved=(\\d+)KB, committed=(\\d+)KB").matcher(nmt);
        if (!m.find()) {
            throw new IllegalStateException("no " + category + " line in the NMT summary:\n" + nmt);
        }
        return Long.parseLong(m.group(2));
    }

    /** Prints NMT before and after the loops, then shuts the kernel pool down. */
    public static final class Child {
        public static void main(String[] args) throws Exception {
            try (TrainingRun r = new TrainingRun(Method.ADAM_COSINE, 1)) {
                r.train(50);
                allocateCloseCycles();
                System.gc();
                long[] before = nmt();
                long liveBefore = Storage.liveBytes();
                allocateCloseCycles();
                r.train(STEPS);
                System.gc();
                long[] after = nmt();
                System.out.println("other " + before[0] + " " + after[0] + " total " + before[1] + " " + after[1]
                        + " live " + liveBefore + " " + Storage.liveBytes());
                KernelPool pool = KernelPool.get();
                pool.shutdown();
                boolean stopped = pool.awaitTermination(Duration.ofSeconds(10));
                long workers = Thread.getAllStackTraces().keySet().stream()
                        .filter(t -> t.getName().startsWith("inertia-kernel-") && t.isAlive()).count();
                var before2 = r.stateBits();
                r.train(5); // still works, on this thread alone
                System.out.println("pool " + stopped + " " + workers + " " + (r.stateBits().size() == before2.size()));
            }
        }
    }

    @Test
    void nativeMemoryTrackingShowsNoGrowthAndThePoolStopsCleanly() throws Exception {
        ChildJvm.Child child = ChildJvm.start(Child.class, dir.resolve("nmt.log"),
                List.of("-XX:NativeMemoryTracking=summary"));
        child.awaitSuccess(180);
        String out = child.output();
        Matcher m = Pattern.compile("other (\\d+) (\\d+) total (\\d+) (\\d+) live (\\d+) (\\d+)").matcher(out);
        assertTrue(m.find(), out);
        long otherBefore = Long.parseLong(m.group(1));
        long otherAfter = Long.parseLong(m.group(2));
        long totalBefore = Long.parseLong(m.group(3));
        long totalAfter = Long.parseLong(m.group(4));
        assertEquals(m.group(5), m.group(6), "live storage bytes changed: " + out);
        // off-heap data ("Other") must not grow beyond noise; the rest of native memory may move by what
        // code, GC structures and class metadata need, not by anything proportional to the cycles or steps
        assertTrue(otherAfter - otherBefore < 1024, "NMT Other grew by " + (otherAfter - otherBefore) + " KiB: " + out);
        assertTrue(totalAfter - totalBefore < 16 * 1024, "NMT native total grew by " + (totalAfter - totalBefore)
                + " KiB: " + out);
        Matcher p = Pattern.compile("pool (true|false) (\\d+) (true|false)").matcher(out);
        assertTrue(p.find(), out);
        assertEquals("true", p.group(1), "kernel pool did not terminate: " + out);
        assertEquals("0", p.group(2), "kernel worker threads still alive: " + out);
        System.out.println("NativeMemoryTest (NMT child): Other " + otherBefore + " -> " + otherAfter + " KiB, native "
                + totalBefore + " -> " + totalAfter + " KiB over " + CYCLES + " cycles and " + STEPS + " steps");
    }
}
