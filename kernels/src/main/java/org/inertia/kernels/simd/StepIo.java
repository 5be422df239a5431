package org.inertia.kernels.simd;

import static org.inertia.kernels.simd.FloatSpecies.F;

import java.lang.foreign.MemorySegment;
import java.nio.ByteOrder;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;

/**
 * Loads and stores shared by the fused optimizer step kernels. Each kernel writes its arithmetic once,
 * in a {@code block} method that takes a mask: {@code null} in the vector body (a plain load/store,
 * the null test folds away once the block is inlined into the loop) and {@code indexInRange} for the
 * tail, so the last partial vector runs the very same instructions as the body.
 */
final class StepIo {
    static final ByteOrder NATIVE = ByteOrder.nativeOrder();

    private StepIo() {
    }

    /** The scalar in every lane (C2 hoists the broadcast out of the loop). */
    static FloatVector bc(float x) {
        return FloatVector.broadcast(F, x);
    }

    /** Identity, so {@code fma(bc(x), …)} reads the same whether x is a scalar or a vector. */
    static FloatVector bc(FloatVector x) {
        return x;
    }

    static FloatVector load(MemorySegment s, long byteOffset, VectorMask<Float> m) {
        return m == null ? FloatVector.fromMemorySegment(F, s, byteOffset, NATIVE)
                : FloatVector.fromMemorySegment(F, s, byteOffset, NATIVE, m);
    }

    static void store(FloatVector v, MemorySegment s, long byteOffset, VectorMask<Float> m) {
        if (m == null) {
            v.intoMemorySegment(s, byteOffset, NATIVE);
        } else {
            v.intoMemorySegment(s, byteOffset, NATIVE, m);
        }
    }
}
