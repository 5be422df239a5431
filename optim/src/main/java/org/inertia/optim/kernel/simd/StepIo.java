package org.inertia.optim.kernel.simd;

import java.nio.ByteOrder;

/** Constants shared by the fused optimizer step kernels. */
final class StepIo {
    /** Byte order of every segment access (the storage is native-endian). */
    static final ByteOrder NATIVE = ByteOrder.nativeOrder();

    private StepIo() {
    }
}
