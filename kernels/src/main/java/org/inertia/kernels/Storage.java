package org.inertia.kernels;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A block of off-heap memory holding {@code length} elements of one {@link Dtype}, owned by a shared
 * arena so kernel pool threads may read and write it. Closing frees the memory; every later access
 * through {@link #segment()} throws {@link IllegalStateException}, and so does any access through a
 * segment obtained earlier (the arena invalidates it). Closing twice is harmless.
 *
 * <p>A storage may also wrap memory owned by someone else ({@link #wrap}); closing it then only stops
 * this object from handing the segment out.
 */
public final class Storage implements AutoCloseable {
    private static final AtomicLong LIVE_BYTES = new AtomicLong();
    private static final AtomicLong LIVE_COUNT = new AtomicLong();

    private final Arena arena; // null when wrapping foreign memory
    private final MemorySegment segment;
    private final Dtype dtype;
    private final long length;
    private volatile boolean open = true;

    private Storage(Arena arena, MemorySegment segment, Dtype dtype, long length) {
        this.arena = arena;
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
        Arena arena = Arena.ofShared();
        MemorySegment seg;
        try {
            seg = arena.allocate(Math.max(bytes, 1), 64);
        } catch (OutOfMemoryError e) {
            arena.close();
            throw new IllegalStateException("cannot allocate " + bytes + " bytes of off-heap memory for "
                    + length + " " + dtype + " elements", e);
        }
        LIVE_BYTES.addAndGet(bytes);
        LIVE_COUNT.incrementAndGet();
        return new Storage(arena, seg.asSlice(0, bytes), dtype, length);
    }

    /** Wraps memory owned elsewhere (a framework's buffer); its lifetime stays with the owner. */
    public static Storage wrap(MemorySegment segment, Dtype dtype) {
        if (segment.byteSize() % dtype.byteSize() != 0) {
            throw new IllegalArgumentException("segment of " + segment.byteSize() + " bytes is not a whole number of "
                    + dtype + " elements");
        }
        return new Storage(null, segment, dtype, segment.byteSize() / dtype.byteSize());
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
        return arena != null;
    }

    @Override
    public synchronized void close() {
        if (!open) {
            return;
        }
        open = false;
        if (arena != null) {
            arena.close();
            LIVE_BYTES.addAndGet(-length * dtype.byteSize());
            LIVE_COUNT.decrementAndGet();
        }
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
