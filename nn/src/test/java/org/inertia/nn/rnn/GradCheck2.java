package org.inertia.nn.rnn;

import java.util.Random;
import org.inertia.kernels.Dtype;
import org.inertia.kernels.NdArray;

/** Random float64 arrays for the recurrent tests. */
final class GradCheck2 {
    private GradCheck2() {
    }

    static NdArray randn(Random r, int... dims) {
        NdArray a = NdArray.zeros(Dtype.F64, dims);
        a.forEachOffset(o -> a.setAtOffset(o, r.nextGaussian()));
        return a;
    }
}
