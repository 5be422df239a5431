package org.inertia.kernels;

import java.lang.foreign.MemoryLayout;
import java.lang.foreign.ValueLayout;

/** Element types of {@link NdArray}. Float32 is the working type; float64 serves references and
 * double-precision experiments (gradient checks); int32 holds indices (argmax, pooling). */
public enum Dtype {
    F32(ValueLayout.JAVA_FLOAT_UNALIGNED),
    F64(ValueLayout.JAVA_DOUBLE_UNALIGNED),
    I32(ValueLayout.JAVA_INT_UNALIGNED);

    private final ValueLayout layout;

    Dtype(ValueLayout layout) {
        this.layout = layout;
    }

    /** Bytes per element. */
    public int byteSize() {
        return (int) layout.byteSize();
    }

    /** The unaligned value layout used to read and write one element. */
    public MemoryLayout layout() {
        return layout;
    }

    /** Whether values are floating point. */
    public boolean isFloating() {
        return this != I32;
    }
}
