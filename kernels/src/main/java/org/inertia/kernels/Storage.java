package org.inertia.kernels;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.ref.Cleaner;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A block of off-heap memory holding {@code length} elements of one {@link Dtype}, readable and
 * writable from any thread (kernel pool threads included). Closing twice is harmless; after
 * {@link #close()}, {@link #segment()} — and so every {@code NdArray} view and backend call on it —
 * throws {@link IllegalStateException}.
 *
 * <p>Two allocation strategies, because closing a shared arena costs a thread handshake (10–25 µs
 * measured here) that would dominate the life of a small autograd temporary:
 * <ul>
 *   <li>Buffers of at least {@link #SMALL_LIMIT_BYTES} live in their own shared arena, freed the moment
 *       they are closed; a segment obtained from them earlier also throws after close.</li>
 *   <li>Smaller buffers live in a GC-managed arena ({@code Arena.ofAuto()}, ~0.3 µs): closing detaches
 *       them at once, and the memory returns when no reference remains. A raw segment kept past close
 *       therefore stays valid memory — it can never read or corrupt memory someone else now owns. When
 *       closed-but-unreclaimed small buffers exceed {@code inertia.storage.gcBudget} bytes (default
 *       256 MiB) an allocation asks for a GC, as the JDK does for direct buffers, so memory stays
 *       bounded in allocate/close loops. ({@code -XX:+DisableExplicitGC} defeats this.)</li>
 * </ul>
 * {@link #liveBytes()} counts bytes allocated and not yet closed, whichever the strategy.
 *
 * <p>A storage may also wrap memory owned by someone else ({@link #wrap}); closing it then only stops
 * this object from handing the segment out.
 */
public final class Storage implements AutoCloseable {
    /** Buffers smaller than this many bytes use the GC-managed strategy. */
    public static final long SMALL_LIMIT_BYTES = 1 << 20;

    private static final AtomicLong LIVE_BYTES = new AtomicLong();
    private static final AtomicLong LIVE_COUNT = new AtomicLong();
    private static final AtomicLong CLOSED_UNRECLAIMED = new AtomicLong();
    private static final AtomicLong LAST_GC_NANOS = new AtomicLong();
    private static final long GC_BUDGET = Long.getLong("inertia.storage.gcBudget", 256L << 20);
    private static final Cleaner CLEANER = Cleaner.create();

    private final Arena arena; // shared arena of a large buffer; null for small or wrapped memory
    private final Reclaim reclaim; // small buffers only
    private final MemorySegment segment;
    private final Dtype dtype;
    private final long length;
    private volatile boolean open = true;

    /** Tracks a small buffer from close to reclamation by the GC; must not refer to its Storage. */
    private static final class Reclaim implements Runnable {
        private final long bytes;
        private volatile boolean closed;

        Reclaim(long bytes) {
            this.bytes = bytes;
        }

        @Override
        public void run() {
            if (closed) {
                CLOSED_UNRECLAIMED.addAndGet(-bytes);
            }
        }
    }

    private Storage(Arena arena, Reclaim reclaim, MemorySegment segment, Dtype dtype, long length) {
        this.arena = arena;
        this.reclaim = reclaim;
        this.segment = segment;
        this.dtype = dtype;
        this.length = length;
    }

    /** Allocates {@code length} zeroed elements of {@code dtype}, 64-byte aligned. */
    public static Storage allocate(Dtype dtype, long length) {
        if (length < 0) {
            throw new IllegalArgumentException("length must be >= 0, got " + length);
        }
        long bytes = Math.multiplyExact(length, (long) dtype.byteSize());
        Storage s;
        if (bytes < SMALL_LIMIT_BYTES) {
            collectIfOverBudget();
            MemorySegment seg = Arena.ofAuto().allocate(Math.max(bytes, 1), 64).asSlice(0, bytes);
            Reclaim r = new Reclaim(bytes);
            s = new Storage(null, r, seg, dtype, length);
            CLEANER.register(s, r);
        } else {
            Arena arena = Arena.ofShared();
            MemorySegment seg;
            try {
                seg = arena.allocate(bytes, 64);
            } catch (OutOfMemoryError e) {
                arena.close();
                throw new IllegalStateException("cannot allocate " + bytes + " bytes of off-heap memory for "
                        + length + " " + dtype + " elements", e);
            }
            s = new Storage(arena, null, seg, dtype, length);
        }
        LIVE_BYTES.addAndGet(bytes);
        LIVE_COUNT.incrementAndGet();
        return s;
    }

    /** Asks for a GC (at most every 50 ms) when closed small buffers wait to be reclaimed beyond the budget. */
    private static void collectIfOverBudget() {
        if (CLOSED_UNRECLAIMED.get() <= GC_BUDGET) {
            return;
        }
        long now = System.nanoTime();
        long last = LAST_GC_NANOS.get();
        if (now - last > 50_000_000L && LAST_GC_NANOS.compareAndSet(last, now)) {
            System.gc();
        }
    }

    /** Wraps memory owned elsewhere (a framework's buffer); its lifetime stays with the owner. */
    public static Storage wrap(MemorySegment segment, Dtype dtype) {
        if (segment.byteSize() % dtype.byteSize() != 0) {
            throw new IllegalArgumentException("segment of " + segment.byteSize() + " bytes is not a whole number of "
                    + dtype + " elements");
        }
        return new Storage(null, null, segment, dtype, segment.byteSize() / dtype.byteSize());
    }

    /** The memory; throws {@link IllegalStateException} once closed. */
    public MemorySegment segment() {
        if (!open) {
            throw new IllegalStateException("storage of " + length + " " + dtype + " elements is closed");
        }
        return segment;
    }

    public Dtype dtype() {
        return dtype;
    }

    /** Number of elements. */
    public long length() {
        return length;
    }

    public boolean isOpen() {
        return open;
    }

    /** Whether this storage owns (and on close frees) its memory. */
    public boolean ownsMemory() {
        return arena != null || reclaim != null;
    }

    @Override
    public synchronized void close() {
        if (!open) {
            return;
        }
        open = false;
        if (!ownsMemory()) {
            return;
        }
        long bytes = length * dtype.byteSize();
        if (arena != null) {
            arena.close();
        } else {
            CLOSED_UNRECLAIMED.addAndGet(bytes);
            reclaim.closed = true;
        }
        LIVE_BYTES.addAndGet(-bytes);
        LIVE_COUNT.decrementAndGet();
    }

    /** Bytes of closed small buffers the GC has not reclaimed yet (bounded by the GC budget). */
    public static long closedUnreclaimedBytes() {
        return CLOSED_UNRECLAIMED.get();
    }

    /** Bytes currently held by open, owning storages in this process (for leak checks). */
    public static long liveBytes() {
        return LIVE_BYTES.get();
    }

    /** Number of open, owning storages in this process (for leak checks). */
    public static long liveCount() {
        return LIVE_COUNT.get();
    }
}
