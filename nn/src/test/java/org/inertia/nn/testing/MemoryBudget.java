package org.inertia.nn.testing;

import java.lang.management.ManagementFactory;
import org.inertia.kernels.Storage;

/**
 * Measures what a piece of code allocates on this thread's heap ({@code ThreadMXBean}'s allocated-bytes
 * counter, which counts every object and array, garbage included) and whether it leaves off-heap storages
 * open, so a reader's memory can be bounded by the size of its input rather than by what the input claims.
 */
public final class MemoryBudget {
    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    private final long heapStart;
    private final long liveStart;

    private MemoryBudget() {
        this.heapStart = THREADS.getCurrentThreadAllocatedBytes();
        this.liveStart = Storage.liveBytes();
    }

    /** Starts measuring on this thread. */
    public static MemoryBudget start() {
        if (!THREADS.isThreadAllocatedMemorySupported() || !THREADS.isThreadAllocatedMemoryEnabled()) {
            throw new IllegalStateException("this JVM does not count allocated bytes per thread");
        }
        return new MemoryBudget();
    }

    /** Heap bytes this thread allocated since {@link #start()}. */
    public long heapAllocated() {
        return THREADS.getCurrentThreadAllocatedBytes() - heapStart;
    }

    /** Off-heap bytes held by storages opened since {@link #start()} and still open. */
    public long offHeapHeld() {
        return Storage.liveBytes() - liveStart;
    }
}
