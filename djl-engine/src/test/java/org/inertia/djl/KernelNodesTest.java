package org.inertia.djl;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.inertia.kernels.Backend;
import org.inertia.kernels.Backends;
import org.inertia.kernels.BinaryOp;
import org.inertia.kernels.Dtype;
import org.inertia.kernels.NdArray;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The scalar pass of {@link KernelNodes#subtractScaled} (logSoftmax's backward, g − e^y·Σg) against what it
 * replaces, the kernels' broadcast {@code mul} then {@code SUB}: the same bits for every element, special values
 * included, in float32 and float64, along every axis, dense and strided.
 */
class KernelNodesTest {
    private static final Backend BE = Backends.get();
    private static final double[] SPECIAL = {Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, 0.0,
        -0.0, Float.MIN_VALUE, -Double.MIN_VALUE, Float.MAX_VALUE, 1e300};

    private static NdArray fill(Dtype t, int[] dims, SplittableRandom r) {
        NdArray a = NdArray.zeros(t, dims);
        long n = a.numel();
        for (long i = 0; i < n; i++) {
            double v = r.nextInt(12) == 0 ? SPECIAL[r.nextInt(SPECIAL.length)] : r.nextDouble(-3, 3);
            a.setAtOffset(i, v);
        }
        return a;
    }

    private static void check(Dtype t, int[] dims, int axis, long seed, boolean strided) {
        SplittableRandom r = new SplittableRandom(seed);
        int[] sd = dims.clone();
        sd[axis] = 1;
        try (NdArray g0 = fill(t, dims, r); NdArray s = fill(t, sd, r); NdArray e0 = fill(t, dims, r);
             NdArray want = e0.copy(); NdArray got = e0.copy()) {
            NdArray g = g0;
            NdArray gt = null;
            if (strided && dims.length >= 2) { // the same values through a transposed copy, seen transposed back
                gt = g0.transpose(0, 1).copy();
                g = gt.transpose(0, 1);
            }
            BE.elementwise().mul(want, s, want);
            BE.elementwise().binary(BinaryOp.SUB, g, want, want);
            KernelNodes.subtractScaled(BE, g, s, axis, got);
            for (long i = 0; i < want.numel(); i++) {
                double w = want.getAtOffset(i);
                double v = got.getAtOffset(i);
                assertEquals(Double.doubleToRawLongBits(w), Double.doubleToRawLongBits(v),
                        "element " + i + ": " + w + " vs " + v + " (" + t + ", axis " + axis + ")");
            }
            if (gt != null) {
                gt.close();
            }
        }
    }

    @Property(tries = 200)
    void matchesTheKernelsBitForBit(@ForAll @IntRange(min = 1, max = 3) int rank,
            @ForAll @IntRange(min = 0, max = 2) int axisPick, @ForAll @IntRange(min = 0, max = 3) int sizeKind,
            @ForAll boolean f64, @ForAll boolean strided, @ForAll long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        int[] sizes = {0, 1, 7, 8, 9, 13, 17, 33};
        int[] dims = new int[rank];
        for (int i = 0; i < rank; i++) {
            dims[i] = sizeKind == 0 ? sizes[r.nextInt(sizes.length)] : 1 + r.nextInt(sizeKind == 3 ? 40 : 9);
        }
        check(f64 ? Dtype.F64 : Dtype.F32, dims, axisPick % rank, seed, strided);
    }
}
