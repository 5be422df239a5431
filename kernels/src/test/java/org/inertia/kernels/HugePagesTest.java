package org.inertia.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import org.junit.jupiter.api.Test;

/** Large blocks (mapped and advised where the JVM allows) behave like any arena's memory. */
class HugePagesTest {
    @Test
    void largeAndSmallBlocksAreZeroedWritableAlignedAndFreedWithTheirArena() {
        for (long bytes : new long[] {1, 4096, HugePages.MIN_BYTES - 4, HugePages.MIN_BYTES, HugePages.MIN_BYTES + 12,
                3 * HugePages.PAGE + 8}) {
            Arena arena = Arena.ofShared();
            MemorySegment seg = HugePages.allocate(arena, bytes);
            assertEquals(bytes, seg.byteSize());
            assertEquals(0, seg.address() % 64, "alignment of " + bytes + " bytes");
            for (long at = 0; at < bytes; at += 4093) {
                assertEquals(0, seg.get(ValueLayout.JAVA_BYTE, at), "byte " + at + " of " + bytes);
            }
            seg.set(ValueLayout.JAVA_BYTE, 0, (byte) 5);
            seg.set(ValueLayout.JAVA_BYTE, bytes - 1, (byte) 7);
            assertEquals(7, seg.get(ValueLayout.JAVA_BYTE, bytes - 1));
            assertEquals(bytes > 1 ? 5 : 7, seg.get(ValueLayout.JAVA_BYTE, 0));
            arena.close();
            assertThrows(IllegalStateException.class, () -> seg.get(ValueLayout.JAVA_BYTE, 0));
        }
    }

    @Test
    void pooledStoragesOfManyMegabytesAreUsable() {
        assertTrue(HugePages.enabled() || !System.getProperty("os.name", "").toLowerCase().contains("linux")
                || !HugePages.class.getModule().isNativeAccessEnabled()
                || !Boolean.parseBoolean(System.getProperty("inertia.hugePages", "true")),
                "Linux with native access should map large blocks");
        try (NdArray a = NdArray.zeros(Dtype.F32, 3_000_000)) {
            assertEquals(0f, a.getAt(2_999_999));
            a.setAt(2_999_999, 2.5f);
            assertEquals(2.5f, a.getAt(2_999_999));
        }
    }
}
