package org.inertia.kernels;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * The caching allocator behind {@link Storage}: off-heap blocks in power-of-two size classes from 64 B
 * to {@link #MAX_BLOCK}, cut from slabs of at least {@link #SLAB_BYTES}, each slab one shared
 * {@link Arena}. A closed storage's block goes back on its class's free list and is handed, zeroed, to
 * the next allocation of that class, so allocate + close costs a lock and a memset instead of an
 * arena's creation and the thread handshake a shared arena's close needs (10–25 µs measured, which made
 * every autograd temporary cost more than its kernel).
 *
 * <p>Memory is returned to the system only by {@link #trim()}, which closes the slabs whose blocks are
 * all free; it runs on its own when the cached free bytes exceed {@code inertia.storage.poolLimit}
 * (bytes, default 1 GiB). Blocks larger than {@link #MAX_BLOCK} do not come from here: they keep their
 * own arena, whose close cost is small beside the work such an array sees.
 *
 * <p>The price: a {@link MemorySegment} taken from a storage and kept after the storage is closed stays
 * valid memory (no crash), but may by then belong to another storage. Every access through
 * {@link Storage}, {@link NdArray} or a kernel checks that the storage is open and throws otherwise.
 * {@code -Dinertia.storage.pool=false} gives every storage its own arena again, so that a stale segment
 * throws as well (for hunting such a bug).
 */
final class StoragePool {
    /** Largest pooled block; larger storages get their own arena. */
    static final long MAX_BLOCK = 8L << 20;
    /** A slab holds at least this many bytes (or one block, if the block is larger). */
    static final long SLAB_BYTES = 1L << 20;
    private static final int MIN_SHIFT = 6; // 64-byte blocks: the alignment the kernels want
    private static final int MAX_SHIFT = Long.numberOfTrailingZeros(MAX_BLOCK);

    static final boolean ENABLED = !"false".equals(System.getProperty("inertia.storage.pool"));
    private static final long LIMIT = Long.getLong("inertia.storage.poolLimit", 1L << 30);

    private static final SizeClass[] CLASSES = new SizeClass[MAX_SHIFT + 1];

    static {
        for (int s = MIN_SHIFT; s <= MAX_SHIFT; s++) {
            CLASSES[s] = new SizeClass(1L << s);
        }
    }

    private static final Object STATS = new Object();
    private static long freeBytes; // guarded by STATS
    private static long reservedBytes; // guarded by STATS

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
        return ENABLED && bytes <= MAX_BLOCK;
    }

    /** A zeroed block of at least {@code bytes} (<= {@link #MAX_BLOCK}), 64-byte aligned. */
    static Block allocate(long bytes) {
        SizeClass sc = CLASSES[shiftFor(bytes)];
        Block b;
        synchronized (sc) {
            b = sc.free.pollLast();
            if (b == null) {
                b = refill(sc);
            }
            b.slab.inUse++;
        }
        synchronized (STATS) {
            freeBytes -= sc.blockBytes;
        }
        b.segment.fill((byte) 0);
        return b;
    }

    /** Takes a block back (the storage that held it is closed). */
    static void free(Block b) {
        SizeClass sc = CLASSES[Long.numberOfTrailingZeros(b.segment.byteSize())];
        synchronized (sc) {
            b.slab.inUse--;
            sc.free.addLast(b);
        }
        boolean over;
        synchronized (STATS) {
            freeBytes += sc.blockBytes;
            over = freeBytes > LIMIT;
        }
        if (over) {
            trim();
        }
    }

    /** Closes every slab none of whose blocks is in use, returning their memory; returns the bytes freed. */
    static long trim() {
        long released = 0;
        for (int s = MIN_SHIFT; s <= MAX_SHIFT; s++) {
            SizeClass sc = CLASSES[s];
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
                synchronized (STATS) {
                    freeBytes -= dropped;
                }
            }
            for (Slab slab : idle) {
                slab.arena.close(); // outside the lock: a shared arena's close waits on a handshake
                released += slab.bytes;
            }
        }
        synchronized (STATS) {
            reservedBytes -= released;
        }
        return released;
    }

    /** Bytes in free blocks, kept for reuse. */
    static long freeBytes() {
        synchronized (STATS) {
            return freeBytes;
        }
    }

    /** Bytes of all slabs the pool holds (blocks in use and free). */
    static long reservedBytes() {
        synchronized (STATS) {
            return reservedBytes;
        }
    }

    private static Block refill(SizeClass sc) {
        long slabBytes = Math.max(SLAB_BYTES, sc.blockBytes);
        Arena arena = Arena.ofShared();
        MemorySegment slabSeg;
        try {
            slabSeg = arena.allocate(slabBytes, 64);
        } catch (OutOfMemoryError e) {
            arena.close();
            throw e;
        }
        Slab slab = new Slab(arena, slabBytes);
        int n = (int) (slabBytes / sc.blockBytes);
        for (int i = n - 1; i >= 1; i--) { // block 0 is handed out now; the rest wait, lowest address last out
            sc.free.addLast(new Block(slab, slabSeg.asSlice(i * sc.blockBytes, sc.blockBytes)));
        }
        synchronized (STATS) {
            reservedBytes += slabBytes;
            freeBytes += (long) n * sc.blockBytes; // the caller takes one block off again
        }
        return new Block(slab, slabSeg.asSlice(0, sc.blockBytes));
    }

    private static int shiftFor(long bytes) {
        int shift = 64 - Long.numberOfLeadingZeros(Math.max(bytes, 1) - 1); // ceil(log2(bytes))
        return Math.max(shift, MIN_SHIFT);
    }
}
