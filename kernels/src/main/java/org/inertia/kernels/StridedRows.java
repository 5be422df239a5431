package org.inertia.kernels;

import java.util.Arrays;

/**
 * Walks several same-shaped strided operands row by row, so that an n-dimensional elementwise
 * operation becomes a loop of 1-D kernels over {@code (offset, stride, length)}.
 *
 * <p>Adjacent dimensions are merged whenever every operand lays them out as one (stride of the outer
 * equals stride × size of the inner), so contiguous arrays — also broadcast ones whose stride-0
 * dimensions line up — become a single long row and SIMD kernels see the longest possible runs.
 */
public final class StridedRows {
    /** A 1-D kernel called once per row with each operand's starting storage offset. */
    @FunctionalInterface
    public interface RowKernel {
        /**
         * Processes one row.
         *
         * @param offsets each operand's storage offset of the row's first element, in operand order; reused between
         *     calls
         * @param length the number of elements in the row
         */
        void row(long[] offsets, int length);
    }

    private final int[] outerDims;
    private final long[][] outerStrides; // [operand][outer dim]
    private final int innerLength;
    private final long[] innerStrides;
    private final long[] base;

    private StridedRows(int[] outerDims, long[][] outerStrides, int innerLength, long[] innerStrides, long[] base) {
        this.outerDims = outerDims;
        this.outerStrides = outerStrides;
        this.innerLength = innerLength;
        this.innerStrides = innerStrides;
        this.base = base;
    }

    /**
     * Plans the walk over operands that all have the same shape (broadcast them first with
     * {@link NdArray#broadcastTo}).
     *
     * @param operands the operands, all of one shape
     * @return the plan
     */
    public static StridedRows plan(NdArray... operands) {
        Shape shape = operands[0].shape();
        for (NdArray a : operands) {
            if (!a.shape().equals(shape)) {
                throw new IllegalArgumentException("operands must share one shape: " + shape + " vs " + a.shape());
            }
        }
        int k = operands.length;
        if (allContiguous(operands)) { // the common case, planned without the general merge
            long[] base = new long[k];
            long[] inner = new long[k];
            for (int j = 0; j < k; j++) {
                base[j] = operands[j].offset();
                inner[j] = 1;
            }
            long n = shape.numel();
            if (n > Integer.MAX_VALUE) { // rows are int-sized: fall through to the general plan
                return general(operands, shape, k);
            }
            return new StridedRows(NO_DIMS, new long[k][0], (int) n, inner, base);
        }
        return general(operands, shape, k);
    }

    private static final int[] NO_DIMS = new int[0];

    private static boolean allContiguous(NdArray[] operands) {
        for (NdArray a : operands) {
            if (!a.isContiguous()) {
                return false;
            }
        }
        return true;
    }

    private static StridedRows general(NdArray[] operands, Shape shape, int k) {
        // drop size-1 dimensions, then merge mergeable neighbours
        int[] dims = new int[shape.rank()];
        long[][] st = new long[k][shape.rank()];
        int r = 0;
        for (int i = 0; i < shape.rank(); i++) {
            if (shape.dim(i) == 1) {
                continue;
            }
            dims[r] = shape.dim(i);
            for (int j = 0; j < k; j++) {
                st[j][r] = operands[j].stride(i);
            }
            r++;
        }
        int m = 0; // merged rank
        for (int i = 0; i < r; i++) {
            if (m > 0 && mergeable(st, m - 1, i, dims[i])) {
                dims[m - 1] *= dims[i];
                for (int j = 0; j < k; j++) {
                    st[j][m - 1] = st[j][i];
                }
            } else {
                dims[m] = dims[i];
                for (int j = 0; j < k; j++) {
                    st[j][m] = st[j][i];
                }
                m++;
            }
        }
        long[] base = new long[k];
        for (int j = 0; j < k; j++) {
            base[j] = operands[j].offset();
        }
        long[] inner = new long[k];
        int innerLength;
        int[] outer;
        long[][] outerSt = new long[k][];
        if (shape.numel() == 0) {
            return new StridedRows(new int[0], new long[k][0], 0, inner, base);
        }
        if (m == 0) {
            innerLength = 1;
            outer = new int[0];
            for (int j = 0; j < k; j++) {
                outerSt[j] = new long[0];
            }
        } else {
            innerLength = dims[m - 1];
            outer = Arrays.copyOf(dims, m - 1);
            for (int j = 0; j < k; j++) {
                inner[j] = st[j][m - 1];
                outerSt[j] = Arrays.copyOf(st[j], m - 1);
            }
        }
        return new StridedRows(outer, outerSt, innerLength, inner, base);
    }

    private static boolean mergeable(long[][] st, int outer, int inner, int innerDim) {
        for (long[] s : st) {
            if (s[outer] != s[inner] * innerDim) {
                return false;
            }
        }
        return true;
    }

    /**
     * Elements per row.
     *
     * @return the row length
     */
    public int innerLength() {
        return innerLength;
    }

    /**
     * Stride of operand {@code j} along a row, in elements (0 for a broadcast operand).
     *
     * @param j the operand's position in {@link #plan}'s arguments
     * @return the stride in elements
     */
    public long innerStride(int j) {
        return innerStrides[j];
    }

    /**
     * Number of rows.
     *
     * @return the row count; 0 if a row is empty
     */
    public long rows() {
        if (innerLength == 0) {
            return 0;
        }
        long n = 1;
        for (int d : outerDims) {
            n *= d;
        }
        return n;
    }

    /**
     * Calls {@code kernel} once per row, in row-major order; the offsets array is reused.
     *
     * @param kernel the kernel run on each row
     */
    public void forEach(RowKernel kernel) {
        if (innerLength == 0) {
            return;
        }
        int k = base.length;
        long[] off = base.clone();
        int r = outerDims.length;
        int[] idx = new int[r];
        while (true) {
            kernel.row(off, innerLength);
            int ax = r - 1;
            while (ax >= 0) {
                idx[ax]++;
                for (int j = 0; j < k; j++) {
                    off[j] += outerStrides[j][ax];
                }
                if (idx[ax] < outerDims[ax]) {
                    break;
                }
                for (int j = 0; j < k; j++) {
                    off[j] -= idx[ax] * outerStrides[j][ax];
                }
                idx[ax] = 0;
                ax--;
            }
            if (ax < 0) {
                return;
            }
        }
    }
}
