package org.inertia.optim.kernel;

import java.util.Random;
import org.inertia.kernels.Dtype;
import org.inertia.kernels.NdArray;

/** Test helpers for the optimizer step kernels. */
final class StepArrays {
    /** Unit roundoff of float32, 2^-24. */
    static final double EPS32 = 0x1p-24;
    /** Unit roundoff of float64, 2^-53. */
    static final double EPS64 = 0x1p-53;

    private StepArrays() {
    }

    /**
     * A zero-filled contiguous view of n elements at a random offset (0 … 2·lanes+1 elements) into a larger
     * buffer, so kernels see unaligned starts and offsets other than 0 (free it with {@link #free}).
     */
    static NdArray offsetView(Dtype dtype, int n, Random r) {
        int before = r.nextInt(20);
        int after = r.nextInt(5);
        NdArray backing = NdArray.zeros(dtype, before + n + after);
        return backing.slice(0, before, before + n);
    }

    /** Frees the storage under a (possibly non-owning) view. */
    static void free(NdArray... arrays) {
        for (NdArray a : arrays) {
            if (a != null) {
                a.storage().close();
            }
        }
    }
}
