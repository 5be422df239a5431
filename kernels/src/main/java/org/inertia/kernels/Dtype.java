package org.inertia.kernels;

import java.lang.foreign.MemoryLayout;
import java.lang.foreign.ValueLayout;

/** Element types of {@link NdArray}. Float32 is the working type; float64 serves references and
 * double-precision experiments (gradient checks); int32 holds indices (argmax, pooling). */
public enum Dtype {
    /** 32-bit IEEE 754 floating point ({@code float}), 4 bytes. */
    F32(ValueLayout.JAVA_FLOAT_UNALIGNED),
    /** 64-bit IEEE 754 floating point ({@code double}), 8 bytes. */
    F64(ValueLayout.JAVA_DOUBLE_UNALIGNED),
    /** 32-bit two's-complement integer ({@code int}), 4 bytes. */
    I32(ValueLayout.JAVA_INT_UNALIGNED);

    private final ValueLayout layout;

    Dtype(ValueLayout layout) {
        this.layout = layout;
    }

    /**
     * Bytes per element.
     *
     * @return the element size in bytes
     */
    public int byteSize() {
        return (int) layout.byteSize();
    }

    /**
     * The unaligned value layout used to read and write one element.
     *
     * @return the element's value layout
     */
    public MemoryLayout layout() {
        return layout;
    }

    /**
     * Whether values are floating point.
     *
     * @return true for F32 and F64
     */
    public boolean isFloating() {
        return this != I32;
    }
}
