package org.inertia.kernels;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A block of off-heap memory holding {@code length} elements of one {@link Dtype}, zeroed and 64-byte
 * aligned, in shared memory so kernel pool threads may read and write it. Closing releases the memory;
 * every later access through {@link #segment()} (so through any {@link NdArray} or kernel) throws
 * {@link IllegalStateException}. Closing twice is harmless.
 *
 * <p>Storages come from a caching allocator ({@link StoragePool}): close returns the block for reuse,
 * which makes allocate + close of a small storage cost about a hundred nanoseconds instead of the tens
 * of microseconds a shared arena's close takes, and spares large ones their page faults. A raw
 * {@link MemorySegment} kept past close therefore stays valid memory but may by then hold another
 * storage's data: do not keep segments past close. {@code -Dinertia.storage.pool=false} gives every
 * storage its own arena, and then a segment kept past close throws too. {@link #liveBytes()} counts memory in open storages; {@link #pooledBytes()} what the pool keeps
 * for reuse, and {@link #trimPool()} returns that to the system.
 *
 * <p>A storage may also wrap memory owned by someone else ({@link #wrap}); closing it then only stops
 * this object from handing the segment out.
 */
public final class Storage implements AutoCloseable {
    private static final AtomicLong LIVE_BYTES = new AtomicLong();
    private static final AtomicLong LIVE_COUNT = new AtomicLong();

    private final Arena arena; // own arena of a large (or unpooled) storage, else null
    private final StoragePool.Block block; // pooled storages only, else null
    private final MemorySegment segment;
    private final Dtype dtype;
    private final long length;
    private volatile boolean open = true;

    private Storage(Arena arena, StoragePool.Block block, MemorySegment segment, Dtype dtype, long length) {
        this.arena = arena;
        this.block = block;
        this.segment = segment;
        this.dtype = dtype;
        this.length = length;
    }

    /**
     * Allocates {@code length} zeroed elements of {@code dtype}, 64-byte aligned.
     *
     * @param dtype the element type
     * @param length the number of elements; >= 0
     * @return the new storage; the caller closes it
     */
    public static Storage allocate(Dtype dtype, long length) {
        return allocate(dtype, length, true);
    }

    /**
     * Allocates {@code length} elements of {@code dtype} whose initial contents are unspecified (a
     * reused block keeps what it held; never another process's data): for buffers that are written
     * entirely before they are read, which then skip the memset.
     *
     * @param dtype the element type
     * @param length the number of elements; >= 0
     * @return the new storage; the caller closes it
     */
    public static Storage allocateUninitialized(Dtype dtype, long length) {
        return allocate(dtype, length, false);
    }

    private static Storage allocate(Dtype dtype, long length, boolean zero) {
        if (length < 0) {
            throw new IllegalArgumentException("length must be >= 0, got " + length);
        }
        long bytes = Math.multiplyExact(length, (long) dtype.byteSize());
        Storage s;
        try {
            if (StoragePool.pooled(bytes)) {
                StoragePool.Block b = StoragePool.allocate(bytes, zero);
                s = new Storage(null, b, b.segment.asSlice(0, bytes), dtype, length);
            } else {
                Arena arena = Arena.ofShared();
                try {
                    s = new Storage(arena, null, arena.allocate(Math.max(bytes, 1), 64).asSlice(0, bytes), dtype, length);
                } catch (OutOfMemoryError e) {
                    arena.close();
                    throw e;
                }
            }
        } catch (OutOfMemoryError e) {
            throw new IllegalStateException("cannot allocate " + bytes + " bytes of off-heap memory for "
                    + length + " " + dtype + " elements", e);
        }
        LIVE_BYTES.addAndGet(bytes);
        LIVE_COUNT.incrementAndGet();
        return s;
    }

    /**
     * Wraps memory owned elsewhere (a framework's buffer); its lifetime stays with the owner.
     *
     * @param segment the memory wrapped; a whole number of elements long
     * @param dtype the element type of its contents
     * @return a storage that does not own the memory
     */
    public static Storage wrap(MemorySegment segment, Dtype dtype) {
        if (segment.byteSize() % dtype.byteSize() != 0) {
            throw new IllegalArgumentException("segment of " + segment.byteSize() + " bytes is not a whole number of "
                    + dtype + " elements");
        }
        return new Storage(null, null, segment, dtype, segment.byteSize() / dtype.byteSize());
    }

    /**
     * The memory; throws {@link IllegalStateException} once closed.
     *
     * @return the memory segment
     */
    public MemorySegment segment() {
        if (!open) {
            throw new IllegalStateException("storage of " + length + " " + dtype + " elements is closed: the array "
                    + "that owned it was closed, by close() or by the TensorScope that owned its tensor; to use an op "
                    + "result after its scope closes, move it out with TensorScope.keep(tensor) (or copy() it) first");
        }
        return segment;
    }

    /**
     * The element type.
     *
     * @return the element type
     */
    public Dtype dtype() {
        return dtype;
    }

    /**
     * Number of elements.
     *
     * @return the number of elements
     */
    public long length() {
        return length;
    }

    /**
     * Whether the storage is still open.
     *
     * @return true until {@link #close()}
     */
    public boolean isOpen() {
        return open;
    }

    /**
     * Whether this storage owns (and on close frees) its memory.
     *
     * @return true if {@link #close()} frees the memory
     */
    public boolean ownsMemory() {
        return arena != null || block != null;
    }

    @Override
    public synchronized void close() {
        if (!open) {
            return;
        }
        open = false;
        if (arena != null || block != null) {
            if (arena != null) {
                arena.close();
            } else {
                StoragePool.free(block);
            }
            LIVE_BYTES.addAndGet(-length * dtype.byteSize());
            LIVE_COUNT.decrementAndGet();
        }
    }

    /**
     * Bytes currently held by open, owning storages in this process (for leak checks).
     *
     * @return the bytes in use
     */
    public static long liveBytes() {
        return LIVE_BYTES.get();
    }

    /**
     * Number of open, owning storages in this process (for leak checks).
     *
     * @return the count of open owning storages
     */
    public static long liveCount() {
        return LIVE_COUNT.get();
    }

    /**
     * Bytes the caching allocator keeps in free blocks for reuse (not counted in {@link #liveBytes()}).
     *
     * @return the bytes held free
     */
    public static long pooledBytes() {
        return StoragePool.freeBytes();
    }

    /**
     * Bytes the caching allocator holds from the system: blocks in use and free (its footprint).
     *
     * @return the bytes reserved from the system
     */
    public static long poolReservedBytes() {
        return StoragePool.reservedBytes();
    }

    /**
     * Returns to the system the memory of every pool slab none of whose blocks is in use (as
     * {@code torch.cuda.empty_cache()} does for PyTorch's caching allocator); returns the bytes freed.
     *
     * @return the bytes freed
     */
    public static long trimPool() {
        return StoragePool.trim();
    }
}
