package org.inertia.kernels;

import java.util.Random;

/** Test helpers: random float32 views with awkward layouts, and their float64 copies for references. */
public final class TestArrays {
    /** 2^-24: unit roundoff of float32. */
    public static final double EPS32 = 0x1p-24;
    /** 2^-53: unit roundoff of float64. */
    public static final double EPS64 = 0x1p-53;

    private TestArrays() {
    }

    /**
     * A rank-1 float32 view of length n with element stride {@code stride} starting at {@code offset}
     * inside a larger storage, filled with values uniform in [-scale, scale); the gaps hold a sentinel so
     * that writes outside the view can be detected.
     */
    public static NdArray vector(Random rnd, int n, int stride, int offset, double scale) {
        long len = offset + (long) Math.max(n - 1, 0) * stride + 1 + 3;
        Storage s = Storage.allocate(Dtype.F32, len);
        NdArray whole = NdArray.view(s, Shape.of((int) len), new long[] {1}, 0);
        for (int i = 0; i < len; i++) {
            whole.setAtOffset(i, SENTINEL);
        }
        NdArray v = NdArray.view(s, Shape.of(n), new long[] {stride}, offset);
        for (int i = 0; i < n; i++) {
            v.set((rnd.nextDouble() * 2 - 1) * scale, i);
        }
        return v;
    }

    /** The value stored in the gaps of {@link #vector}. */
    public static final float SENTINEL = 12345.678f;

    /** Counts storage elements outside {@code view} that no longer hold {@link #SENTINEL}. */
    public static int corruptedGaps(NdArray view) {
        java.util.Set<Long> inside = new java.util.HashSet<>();
        view.forEachOffset(inside::add);
        int bad = 0;
        for (long i = 0; i < view.storage().length(); i++) {
            if (!inside.contains(i) && view.getAtOffset(i) != SENTINEL) {
                bad++;
            }
        }
        return bad;
    }

    /** A contiguous float64 copy (the reference's exact view of the same values). */
    public static NdArray f64(NdArray a) {
        return a.toDtype(Dtype.F64);
    }

    /** Frees the storage under a (possibly non-owning) view. */
    public static void free(NdArray... arrays) {
        for (NdArray a : arrays) {
            a.storage().close();
        }
    }
}
