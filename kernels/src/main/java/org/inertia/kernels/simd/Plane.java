package org.inertia.kernels.simd;

import java.lang.foreign.MemorySegment;

/**
 * A rank-2 float32 operand in raw form: element (r, j) lives at element offset
 * {@code offset + r·rowStride + j·colStride} of {@code segment}.
 *
 * @param segment the memory, float32
 * @param offset element offset of element (0, 0)
 * @param rowStride element stride between rows
 * @param colStride element stride between columns
 */
public record Plane(MemorySegment segment, long offset, long rowStride, long colStride) {
    /** Element offset of (r, j). */
    long at(int r, long j) {
        return offset + r * rowStride + j * colStride;
    }
}
