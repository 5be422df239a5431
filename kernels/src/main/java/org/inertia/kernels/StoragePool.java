package org.inertia.kernels;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.management.ManagementFactory;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The caching allocator behind {@link Storage}. Blocks come in size classes: powers of two from 64 B to
 * {@link #SMALL_MAX}, cut from slabs of {@link #SLAB_BYTES}; above that, four classes per power of two
 * (at most 25% slack), one block per slab. Each slab is one shared {@link Arena}. A closed storage's
 * block goes back on its class's free list and is handed to the next allocation of that class, so
 * allocate + close costs a lock (and, for {@link Storage#allocate}, a memset) instead of an arena's
 * creation, the operating system's page faults, and the thread handshake a shared arena's close
 * needs — 10–25 µs measured, which made every autograd temporary cost more than its kernel, and a
 * fresh 100 MB LSTM activation buffer cost its page faults on every training step.
 *
 * <p>Memory is returned to the system only by {@link #trim()}, which closes the slabs whose blocks are
 * all free; it runs on its own when the cached free bytes exceed {@code inertia.storage.poolLimit}
 * (bytes; default a quarter of physical memory, at least 1 GiB). Storages above {@link #MAX_POOLED}
 * keep their own arena.
 *
 * <p>The price: a {@link MemorySegment} taken from a storage and kept after the storage is closed stays
 * valid memory (no crash), but may by then belong to another storage. Every access through
 * {@link Storage}, {@link NdArray} or a kernel checks that the storage is open and throws otherwise.
 * {@code -Dinertia.storage.pool=false} gives every storage its own arena again, so that a stale segment
 * throws as well (for hunting such a bug).
 */
final class StoragePool {
    /** Largest block of the power-of-two classes cut from shared slabs. */
    static final long SMALL_MAX = 8L << 20;
    /** Largest pooled storage; larger ones get their own arena. */
    static final long MAX_POOLED = 16L << 30;
    /** A slab holds at least this many bytes (or one block, if the block is larger). */
    static final long SLAB_BYTES = 1L << 20;
    private static final int MIN_SHIFT = 6; // 64-byte blocks: the alignment the kernels want
    private static final int SMALL_SHIFT = Long.numberOfTrailingZeros(SMALL_MAX);

    private static volatile boolean enabled = !"false".equals(System.getProperty("inertia.storage.pool"));
    private static final long LIMIT = Long.getLong("inertia.storage.poolLimit", defaultLimit());

    private static final SizeClass[] SMALL = new SizeClass[SMALL_SHIFT + 1];
    private static final ConcurrentHashMap<Long, SizeClass> LARGE = new ConcurrentHashMap<>();

    static {
        for (int s = MIN_SHIFT; s <= SMALL_SHIFT; s++) {
            SMALL[s] = new SizeClass(1L << s);
        }
    }

    private static final AtomicLong FREE_BYTES = new AtomicLong();
    private static final AtomicLong RESERVED_BYTES = new AtomicLong();

    private StoragePool() {
    }

    /** One block of a slab. */
    static final class Block {
        final Slab slab;
        final MemorySegment segment;

        Block(Slab slab, MemorySegment segment) {
            this.slab = slab;
            this.segment = segment;
        }
    }

    /** A shared arena cut into blocks of one size class; {@code inUse} counts blocks handed out. */
    static final class Slab {
        final Arena arena;
        final long bytes;
        int inUse; // guarded by the size class
        boolean closed; // guarded by the size class

        Slab(Arena arena, long bytes) {
            this.arena = arena;
            this.bytes = bytes;
        }
    }

    private static final class SizeClass {
        final long blockBytes;
        final ArrayDeque<Block> free = new ArrayDeque<>();

        SizeClass(long blockBytes) {
            this.blockBytes = blockBytes;
        }
    }

    /** Whether a storage of {@code bytes} comes from the pool. */
    static boolean pooled(long bytes) {
        return enabled && bytes <= MAX_POOLED;
    }

    /** Turns pooling of new storages on or off (tests of the unpooled guarantees); returns the old setting. */
    static boolean setEnabled(boolean on) {
        boolean old = enabled;
        enabled = on;
        return old;
    }

    /** A block of at least {@code bytes} (<= {@link #MAX_POOLED}), 64-byte aligned, zeroed if asked. */
    static Block allocate(long bytes, boolean zero) {
        SizeClass sc = classFor(bytes);
        Block b;
        boolean fresh = false; // a new slab's memory comes zeroed from the arena
        synchronized (sc) {
            b = sc.free.pollLast();
            if (b == null) {
                b = refill(sc);
                fresh = true;
            }
            b.slab.inUse++;
        }
        FREE_BYTES.addAndGet(-sc.blockBytes);
        if (zero && !fresh) {
            b.segment.asSlice(0, Math.max(bytes, 1)).fill((byte) 0);
        }
        return b;
    }

    /** Takes a block back (the storage that held it is closed). */
    static void free(Block b) {
        SizeClass sc = classFor(b.segment.byteSize());
        synchronized (sc) {
            b.slab.inUse--;
            sc.free.addLast(b);
        }
        if (FREE_BYTES.addAndGet(sc.blockBytes) > LIMIT) {
            trim();
        }
    }

    /** Closes every slab none of whose blocks is in use, returning their memory; returns the bytes freed. */
    static long trim() {
        long released = 0;
        List<SizeClass> classes = new ArrayList<>(LARGE.values());
        for (int s = MIN_SHIFT; s <= SMALL_SHIFT; s++) {
            classes.add(SMALL[s]);
        }
        for (SizeClass sc : classes) {
            List<Slab> idle = new ArrayList<>();
            synchronized (sc) {
                if (sc.free.isEmpty()) {
                    continue;
                }
                ArrayDeque<Block> keep = new ArrayDeque<>(sc.free.size());
                for (Block b : sc.free) {
                    if (b.slab.inUse == 0) {
                        if (!b.slab.closed) {
                            b.slab.closed = true;
                            idle.add(b.slab);
                        }
                    } else {
                        keep.addLast(b);
                    }
                }
                long dropped = (long) (sc.free.size() - keep.size()) * sc.blockBytes;
                sc.free.clear();
                sc.free.addAll(keep);
                FREE_BYTES.addAndGet(-dropped);
            }
            for (Slab slab : idle) {
                slab.arena.close(); // outside the lock: a shared arena's close waits on a handshake
                released += slab.bytes;
            }
        }
        RESERVED_BYTES.addAndGet(-released);
        return released;
    }

    /** Bytes in free blocks, kept for reuse. */
    static long freeBytes() {
        return FREE_BYTES.get();
    }

    /** Bytes of all slabs the pool holds (blocks in use and free). */
    static long reservedBytes() {
        return RESERVED_BYTES.get();
    }

    /** The size class a request of {@code bytes} is served from. */
    private static SizeClass classFor(long bytes) {
        if (bytes <= SMALL_MAX) {
            int shift = 64 - Long.numberOfLeadingZeros(Math.max(bytes, 1) - 1); // ceil(log2(bytes))
            return SMALL[Math.max(shift, MIN_SHIFT)];
        }
        int e = 63 - Long.numberOfLeadingZeros(bytes - 1); // 2^e < bytes <= 2^(e+1)
        long step = 1L << (e - 2); // four classes per power of two
        long rounded = (bytes + step - 1) / step * step;
        return LARGE.computeIfAbsent(rounded, SizeClass::new);
    }

    private static Block refill(SizeClass sc) {
        long slabBytes = Math.max(SLAB_BYTES, sc.blockBytes);
        Arena arena = Arena.ofShared();
        MemorySegment slabSeg;
        try {
            slabSeg = HugePages.allocate(arena, slabBytes);
        } catch (OutOfMemoryError e) {
            arena.close();
            throw e;
        }
        Slab slab = new Slab(arena, slabBytes);
        int n = (int) (slabBytes / sc.blockBytes);
        for (int i = n - 1; i >= 1; i--) { // block 0 is handed out now; the rest wait, lowest address last out
            sc.free.addLast(new Block(slab, slabSeg.asSlice(i * sc.blockBytes, sc.blockBytes)));
        }
        RESERVED_BYTES.addAndGet(slabBytes);
        FREE_BYTES.addAndGet((long) n * sc.blockBytes); // the caller takes one block off again
        return new Block(slab, slabSeg.asSlice(0, sc.blockBytes));
    }

    private static long defaultLimit() {
        long physical = 0;
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            physical = os.getTotalMemorySize();
        }
        return Math.max(1L << 30, physical / 4);
    }
}
