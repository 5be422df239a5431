package org.inertia.kernels;

import java.util.Arrays;

/**
 * An immutable list of non-negative dimension sizes, outermost first (row-major convention).
 * A rank-0 shape is a scalar with one element.
 */
public final class Shape {
    private static final Shape SCALAR = new Shape(new int[0]);

    private final int[] dims;
    private final long numel;

    private Shape(int[] dims) {
        this.dims = dims;
        long n = 1;
        for (int d : dims) {
            n = Math.multiplyExact(n, (long) d);
        }
        this.numel = n;
    }

    /**
     * A shape from dimension sizes; each must be >= 0.
     *
     * @param dims the dimension sizes, each >= 0
     * @return the shape
     */
    public static Shape of(int... dims) {
        if (dims.length == 0) {
            return SCALAR;
        }
        for (int i = 0; i < dims.length; i++) {
            if (dims[i] < 0) {
                throw new IllegalArgumentException(
                        "shape " + Arrays.toString(dims) + ": dimension " + i + " is negative (" + dims[i] + ")");
            }
        }
        return new Shape(dims.clone());
    }

    /**
     * The rank-0 shape.
     *
     * @return the shape of no dimensions
     */
    public static Shape scalar() {
        return SCALAR;
    }

    /**
     * The number of dimensions.
     *
     * @return the rank; 0 for a scalar
     */
    public int rank() {
        return dims.length;
    }

    /**
     * Size of dimension {@code axis}; negative axes count from the end.
     *
     * @param axis the axis; negative counts from the end
     * @return the size of that dimension
     */
    public int dim(int axis) {
        return dims[normalizeAxis(axis)];
    }

    /**
     * A copy of the dimension sizes.
     *
     * @return a new array of the sizes
     */
    public int[] dims() {
        return dims.clone();
    }

    /**
     * Number of elements (1 for a scalar).
     *
     * @return the product of the dimensions
     */
    public long numel() {
        return numel;
    }

    /**
     * Maps a possibly negative axis into [0, rank), or throws naming the axis and shape.
     *
     * @param axis the axis; negative counts from the end
     * @return the axis in [0, rank)
     */
    public int normalizeAxis(int axis) {
        int a = axis < 0 ? axis + dims.length : axis;
        if (a < 0 || a >= dims.length) {
            throw new IllegalArgumentException("axis " + axis + " is out of range for shape " + this);
        }
        return a;
    }

    /**
     * Row-major (C-order) strides in elements.
     *
     * @return a new array, one stride per dimension
     */
    public long[] contiguousStrides() {
        long[] strides = new long[dims.length];
        long s = 1;
        for (int i = dims.length - 1; i >= 0; i--) {
            strides[i] = s;
            s *= Math.max(dims[i], 1);
        }
        return strides;
    }

    /**
     * This shape with dimension {@code axis} removed.
     *
     * @param axis the axis; negative counts from the end
     * @return the shape one rank lower
     */
    public Shape without(int axis) {
        int a = normalizeAxis(axis);
        int[] d = new int[dims.length - 1];
        for (int i = 0, j = 0; i < dims.length; i++) {
            if (i != a) {
                d[j++] = dims[i];
            }
        }
        return of(d);
    }

    /**
     * This shape with dimension {@code axis} set to {@code size}.
     *
     * @param axis the axis; negative counts from the end
     * @param size the new size; >= 0
     * @return the new shape
     */
    public Shape with(int axis, int size) {
        int[] d = dims.clone();
        d[normalizeAxis(axis)] = size;
        return of(d);
    }

    /**
     * The NumPy/PyTorch broadcast of two shapes: align trailing dimensions; each pair must be equal or
     * one of them 1.
     *
     * @param a the first shape
     * @param b the second shape
     * @return the broadcast shape
     * @throws IllegalArgumentException naming both shapes when they do not broadcast
     */
    public static Shape broadcast(Shape a, Shape b) {
        int rank = Math.max(a.rank(), b.rank());
        int[] out = new int[rank];
        for (int i = 0; i < rank; i++) {
            int da = i < rank - a.rank() ? 1 : a.dims[i - (rank - a.rank())];
            int db = i < rank - b.rank() ? 1 : b.dims[i - (rank - b.rank())];
            if (da != db && da != 1 && db != 1) {
                throw new IllegalArgumentException("shapes " + a + " and " + b + " do not broadcast (dimension "
                        + i + " of the broadcast: " + da + " vs " + db + ")");
            }
            out[i] = da == 1 ? db : da;
        }
        return of(out);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Shape s && Arrays.equals(dims, s.dims);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(dims);
    }

    @Override
    public String toString() {
        return Arrays.toString(dims);
    }
}
