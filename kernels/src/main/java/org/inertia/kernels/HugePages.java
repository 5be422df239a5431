package org.inertia.kernels;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;

/**
 * Large off-heap blocks backed by transparent huge pages where Linux offers them. With THP in its usual
 * {@code madvise} mode, memory gets 2 MiB pages only when asked with {@code madvise(MADV_HUGEPAGE)} before
 * it is first touched, as PyTorch's CPU allocator does for every allocation of 2 MiB or more (c10's
 * {@code alloc_cpu}). Over 4 KiB pages a streaming kernel takes a TLB miss every 4 KiB of each stream, and
 * an optimizer step over 1e7 parameters walks seven 40 MB streams.
 *
 * <p>A block of at least {@link #MIN_BYTES} is an anonymous {@code mmap} (zero-filled by the kernel on first
 * touch, so nothing is written here), advised, and unmapped when its arena closes. Smaller blocks, other
 * systems, a JVM without native access for this module (no {@code --enable-native-access}: no warning is
 * provoked) and {@code -Dinertia.hugePages=false} get the arena's ordinary zeroed memory; so does a failed
 * {@code mmap}. The advice is a hint: nothing changes but speed.
 */
final class HugePages {
    static final long PAGE = 2L << 20;
    static final long MIN_BYTES = 4L << 20;
    private static final int PROT_READ_WRITE = 0x1 | 0x2;
    private static final int MAP_PRIVATE_ANONYMOUS = 0x02 | 0x20;
    private static final int MADV_HUGEPAGE = 14;
    private static final MethodHandle MMAP;
    private static final MethodHandle MADVISE;
    private static final MethodHandle MUNMAP;

    static {
        MethodHandle mmap = null;
        MethodHandle madvise = null;
        MethodHandle munmap = null;
        String os = System.getProperty("os.name", "").toLowerCase(java.util.Locale.ROOT);
        if (Boolean.parseBoolean(System.getProperty("inertia.hugePages", "true")) && os.contains("linux")
                && HugePages.class.getModule().isNativeAccessEnabled()) {
            try {
                Linker linker = Linker.nativeLinker();
                SymbolLookup libc = linker.defaultLookup();
                mmap = linker.downcallHandle(libc.find("mmap").orElseThrow(), FunctionDescriptor.of(
                        ValueLayout.ADDRESS, ValueLayout.ADDRESS, ValueLayout.JAVA_LONG, ValueLayout.JAVA_INT,
                        ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_LONG));
                madvise = linker.downcallHandle(libc.find("madvise").orElseThrow(), FunctionDescriptor.of(
                        ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_LONG, ValueLayout.JAVA_INT));
                munmap = linker.downcallHandle(libc.find("munmap").orElseThrow(), FunctionDescriptor.of(
                        ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_LONG));
            } catch (RuntimeException | Error e) { // no such symbols: ordinary pages
                mmap = null;
            }
        }
        MMAP = mmap;
        MADVISE = madvise;
        MUNMAP = munmap;
    }

    private HugePages() {
    }

    /** Whether blocks of {@link #MIN_BYTES} or more are mapped and advised to use huge pages. */
    static boolean enabled() {
        return MMAP != null;
    }

    /**
     * {@code bytes} of zeroed memory, 64-byte aligned, that lives until {@code arena} closes: mapped and
     * advised to use huge pages when large enough and {@link #enabled()}, else the arena's own.
     */
    static MemorySegment allocate(Arena arena, long bytes) {
        if (MMAP == null || bytes < MIN_BYTES) {
            return arena.allocate(bytes, 64);
        }
        long mapped = (bytes + PAGE - 1) / PAGE * PAGE;
        MemorySegment at;
        try {
            at = (MemorySegment) MMAP.invokeExact(MemorySegment.NULL, mapped, PROT_READ_WRITE, MAP_PRIVATE_ANONYMOUS,
                    -1, 0L);
        } catch (Throwable e) {
            return arena.allocate(bytes, 64);
        }
        if (at.address() == -1L || at.address() == 0L) { // MAP_FAILED
            return arena.allocate(bytes, 64);
        }
        try {
            int ignored = (int) MADVISE.invokeExact(at, mapped, MADV_HUGEPAGE);
        } catch (Throwable e) {
            // a hint only: the memory is usable either way
        }
        return at.reinterpret(bytes, arena, seg -> unmap(seg, mapped));
    }

    private static void unmap(MemorySegment seg, long mapped) {
        try {
            int ignored = (int) MUNMAP.invokeExact(seg, mapped);
        } catch (Throwable e) {
            throw new IllegalStateException("munmap of " + mapped + " bytes failed", e);
        }
    }
}
