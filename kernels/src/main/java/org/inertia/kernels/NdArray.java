package org.inertia.kernels;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Arrays;

/**
 * An n-dimensional strided view over a {@link Storage}: shape, strides (in elements, >= 0) and an
 * element offset. Views ({@link #slice}, {@link #transpose}, {@link #reshape}, {@link #broadcastTo}, …)
 * share storage and never copy. The array returned by an allocating factory owns its storage, and
 * {@link #close()} frees it; closing a view does nothing, and a view of closed storage throws
 * {@link IllegalStateException} on use.
 *
 * <p>Element {@code (i_0, …, i_{r-1})} lives at storage element {@code offset + Σ i_k·stride_k}.
 *
 * <p>Element access comes in two kinds. <b>Logical</b> accessors see the view: {@link #get(int...)} and
 * {@link #set(double, int...)} take one index per dimension, {@link #getAt(long)} and {@link #setAt(long, double)}
 * a flat index in row-major order over the view's shape, and {@link #toFloatArray()}, {@link #toDoubleArray()},
 * {@link #copyFrom(float[])} and {@link #copyFrom(double[])} move all elements at once in that order.
 * <b>Storage-offset</b> accessors, {@link #getAtOffset(long)} and {@link #setAtOffset(long, double)}, take an
 * absolute element offset into the storage (as {@link #forEachOffset} hands them out) and ignore the view;
 * they are for walking a view's offsets without recomputing them.
 */
public final class NdArray implements AutoCloseable {
    private static final ValueLayout.OfFloat F = ValueLayout.JAVA_FLOAT_UNALIGNED;
    private static final ValueLayout.OfDouble D = ValueLayout.JAVA_DOUBLE_UNALIGNED;
    private static final ValueLayout.OfInt I = ValueLayout.JAVA_INT_UNALIGNED;

    private final Storage storage;
    private final Shape shape;
    private final long[] strides;
    private final long offset;
    private final boolean owner;
    private final boolean contiguous;

    private NdArray(Storage storage, Shape shape, long[] strides, long offset, boolean owner) {
        this.storage = storage;
        this.shape = shape;
        this.strides = strides;
        this.offset = offset;
        this.owner = owner;
        this.contiguous = denseRowMajor(shape, strides);
    }

    // ---------------------------------------------------------------- factories

    /**
     * A new zero-filled contiguous array that owns its storage.
     *
     * @param dtype the element type
     * @param shape the shape
     * @return the new array; the caller closes it
     */
    public static NdArray zeros(Dtype dtype, Shape shape) {
        Storage s = Storage.allocate(dtype, shape.numel());
        return new NdArray(s, shape, shape.contiguousStrides(), 0, true);
    }

    /**
     * A new zero-filled contiguous array that owns its storage.
     *
     * @param dtype the element type
     * @param dims the dimension sizes, each >= 0
     * @return the new array; the caller closes it
     */
    public static NdArray zeros(Dtype dtype, int... dims) {
        return zeros(dtype, Shape.of(dims));
    }

    /**
     * A new contiguous array that owns its storage, with unspecified contents (PyTorch's
     * {@code torch.empty}): for outputs a kernel writes entirely, sparing the zero fill.
     *
     * @param dtype the element type
     * @param dims the dimension sizes, each >= 0
     * @return the new array; the caller closes it
     */
    public static NdArray empty(Dtype dtype, int... dims) {
        Shape shape = Shape.of(dims);
        Storage s = Storage.allocateUninitialized(dtype, shape.numel());
        return new NdArray(s, shape, shape.contiguousStrides(), 0, true);
    }

    /**
     * A new float32 array holding {@code data} in row-major order.
     *
     * @param data the values, row-major; its length must be the shape's element count
     * @param dims the dimension sizes, each >= 0
     * @return the new F32 array; the caller closes it
     */
    public static NdArray of(float[] data, int... dims) {
        NdArray a = zeros(Dtype.F32, checkLength(data.length, dims));
        MemorySegment.copy(data, 0, a.segment(), F, 0, data.length);
        return a;
    }

    /**
     * A new float64 array holding {@code data} in row-major order.
     *
     * @param data the values, row-major; its length must be the shape's element count
     * @param dims the dimension sizes, each >= 0
     * @return the new F64 array; the caller closes it
     */
    public static NdArray ofDoubles(double[] data, int... dims) {
        NdArray a = zeros(Dtype.F64, checkLength(data.length, dims));
        MemorySegment.copy(data, 0, a.segment(), D, 0, data.length);
        return a;
    }

    /**
     * A new int32 array holding {@code data} in row-major order.
     *
     * @param data the values, row-major; its length must be the shape's element count
     * @param dims the dimension sizes, each >= 0
     * @return the new I32 array; the caller closes it
     */
    public static NdArray ofInts(int[] data, int... dims) {
        NdArray a = zeros(Dtype.I32, checkLength(data.length, dims));
        MemorySegment.copy(data, 0, a.segment(), I, 0, data.length);
        return a;
    }

    /**
     * A new array of the given shape with every element {@code value}.
     *
     * @param dtype the element type
     * @param value the value of every element, converted to the dtype
     * @param dims the dimension sizes, each >= 0
     * @return the new array; the caller closes it
     */
    public static NdArray full(Dtype dtype, double value, int... dims) {
        NdArray a = zeros(dtype, dims);
        for (long i = 0; i < a.numel(); i++) {
            a.setAtOffset(i, value);
        }
        return a;
    }

    /**
     * A new rank-0 array holding {@code value}.
     *
     * @param dtype the element type
     * @param value the value, converted to the dtype
     * @return the new rank-0 array; the caller closes it
     */
    public static NdArray scalar(Dtype dtype, double value) {
        NdArray a = zeros(dtype, Shape.scalar());
        a.setAtOffset(0, value);
        return a;
    }

    /**
     * A non-owning view of {@code storage} with explicit shape, strides and offset (in elements).
     *
     * @param storage the storage viewed; stays owned by its owner
     * @param shape the shape
     * @param strides the stride of each dimension in elements, each >= 0; one per dimension
     * @param offset the storage offset of element (0, …, 0), in elements
     * @return the view
     * @throws IllegalArgumentException if a stride is negative or the view reaches past the storage
     */
    public static NdArray view(Storage storage, Shape shape, long[] strides, long offset) {
        if (strides.length != shape.rank()) {
            throw new IllegalArgumentException("strides " + Arrays.toString(strides) + " do not match the rank of shape "
                    + shape);
        }
        checkBounds(storage, shape, strides, offset);
        return new NdArray(storage, shape, strides.clone(), offset, false);
    }

    private static Shape checkLength(int length, int[] dims) {
        Shape s = Shape.of(dims);
        if (s.numel() != length) {
            throw new IllegalArgumentException("data of length " + length + " does not fill shape " + s
                    + " (" + s.numel() + " elements)");
        }
        return s;
    }

    private static void checkBounds(Storage storage, Shape shape, long[] strides, long offset) {
        if (offset < 0) {
            throw new IllegalArgumentException("offset must be >= 0, got " + offset);
        }
        long last = offset;
        for (int i = 0; i < strides.length; i++) {
            if (strides[i] < 0) {
                throw new IllegalArgumentException("stride " + i + " is negative in " + Arrays.toString(strides));
            }
            if (shape.dim(i) == 0) {
                return; // empty view: nothing is ever addressed
            }
            last += (shape.dim(i) - 1) * strides[i];
        }
        if (last >= storage.length()) {
            throw new IllegalArgumentException("view of shape " + shape + " strides " + Arrays.toString(strides)
                    + " offset " + offset + " reaches element " + last + " of a storage of " + storage.length());
        }
    }

    // ---------------------------------------------------------------- accessors

    /**
     * The shape.
     *
     * @return the shape
     */
    public Shape shape() {
        return shape;
    }

    /**
     * The element type.
     *
     * @return the element type
     */
    public Dtype dtype() {
        return storage.dtype();
    }

    /**
     * The number of dimensions.
     *
     * @return the rank; 0 for a scalar
     */
    public int rank() {
        return shape.rank();
    }

    /**
     * Size of dimension {@code axis} (negative counts from the end).
     *
     * @param axis the axis; negative counts from the end
     * @return the size of that dimension
     */
    public int dim(int axis) {
        return shape.dim(axis);
    }

    /**
     * The number of elements.
     *
     * @return the product of the dimensions; 1 for a scalar
     */
    public long numel() {
        return shape.numel();
    }

    /**
     * Stride of dimension {@code axis} in elements.
     *
     * @param axis the axis; negative counts from the end
     * @return the stride in elements; 0 along a broadcast dimension
     */
    public long stride(int axis) {
        return strides[shape.normalizeAxis(axis)];
    }

    /**
     * A copy of the strides, in elements.
     *
     * @return a new array, one stride per dimension
     */
    public long[] strides() {
        return strides.clone();
    }

    /**
     * Offset of element (0, …, 0) in the storage, in elements.
     *
     * @return the offset in elements
     */
    public long offset() {
        return offset;
    }

    /**
     * The storage this array views.
     *
     * @return the storage
     */
    public Storage storage() {
        return storage;
    }

    /**
     * The whole storage's memory; throws {@link IllegalStateException} if closed.
     *
     * @return the storage's memory segment
     */
    public MemorySegment segment() {
        return storage.segment();
    }

    /**
     * Whether this array owns its storage.
     *
     * @return true if closing this array frees its storage
     */
    public boolean ownsStorage() {
        return owner;
    }

    /**
     * Whether the storage is still open.
     *
     * @return true until the storage is closed
     */
    public boolean isOpen() {
        return storage.isOpen();
    }

    /**
     * Whether elements are laid out densely in row-major order (size-1 dimensions ignored).
     *
     * @return true if the layout is dense row-major
     */
    public boolean isContiguous() {
        return contiguous;
    }

    private static boolean denseRowMajor(Shape shape, long[] strides) {
        long expected = 1;
        for (int i = shape.rank() - 1; i >= 0; i--) {
            int d = shape.dim(i);
            if (d == 0) {
                return true;
            }
            if (d != 1 && strides[i] != expected) {
                return false;
            }
            expected *= d;
        }
        return true;
    }

    // ---------------------------------------------------------------- element access

    /**
     * Storage element offset of the given index.
     *
     * @param index one index per dimension, each in [0, dim)
     * @return the offset in elements into the storage
     */
    public long elementOffset(int... index) {
        if (index.length != shape.rank()) {
            throw new IllegalArgumentException("index " + Arrays.toString(index) + " has rank " + index.length
                    + " but the array has shape " + shape);
        }
        long off = offset;
        for (int i = 0; i < index.length; i++) {
            int d = shape.dim(i);
            if (index[i] < 0 || index[i] >= d) {
                throw new IndexOutOfBoundsException("index " + Arrays.toString(index) + " is out of bounds for shape " + shape);
            }
            off += index[i] * strides[i];
        }
        return off;
    }

    /**
     * Reads element {@code index} (one index per dimension) as a double.
     *
     * @param index one index per dimension, each in [0, dim)
     * @return the element's value
     */
    public double get(int... index) {
        return getAtOffset(elementOffset(index));
    }

    /**
     * Writes {@code value} (converted to the dtype) at {@code index} (one index per dimension).
     *
     * @param value the value written
     * @param index one index per dimension, each in [0, dim)
     */
    public void set(double value, int... index) {
        setAtOffset(elementOffset(index), value);
    }

    /**
     * Storage element offset of the element at logical flat index {@code flatIndex}: the position in
     * row-major order over this view's shape, whatever its strides and offset (element {@code flatIndex} of
     * {@link #toDoubleArray()}).
     *
     * @param flatIndex the row-major position in this view; in [0, numel())
     * @return the storage offset in elements
     * @throws IndexOutOfBoundsException unless 0 &lt;= flatIndex &lt; {@link #numel()}
     */
    public long offsetOf(long flatIndex) {
        long n = numel();
        if (flatIndex < 0 || flatIndex >= n) {
            throw new IndexOutOfBoundsException("flat index " + flatIndex + " is out of bounds for shape " + shape
                    + " (" + n + " elements)");
        }
        if (contiguous) {
            return offset + flatIndex;
        }
        long off = offset;
        long rest = flatIndex;
        for (int i = shape.rank() - 1; i >= 0; i--) {
            int d = shape.dim(i);
            off += (rest % d) * strides[i];
            rest /= d;
        }
        return off;
    }

    /**
     * Reads the element at logical flat index {@code flatIndex} (row-major over this view's shape, as
     * {@link #toDoubleArray()} lists them), as a double. On a slice or a transpose this is the view's
     * element, not the storage's: {@code a.t().getAt(1)} is {@code a.get(1, 0)}.
     *
     * @param flatIndex the row-major position in this view; in [0, numel())
     * @return the element's value
     * @throws IndexOutOfBoundsException unless 0 &lt;= flatIndex &lt; {@link #numel()}
     */
    public double getAt(long flatIndex) {
        return getAtOffset(offsetOf(flatIndex));
    }

    /**
     * Writes {@code value} (converted to the dtype) at logical flat index {@code flatIndex} (row-major
     * over this view's shape).
     *
     * @param flatIndex the row-major position in this view; in [0, numel())
     * @param value the value written
     * @throws IndexOutOfBoundsException unless 0 &lt;= flatIndex &lt; {@link #numel()}
     */
    public void setAt(long flatIndex, double value) {
        setAtOffset(offsetOf(flatIndex), value);
    }

    /**
     * Reads the storage element at absolute storage offset {@code storageOffset} (in elements, as
     * {@link #forEachOffset} and {@link #elementOffset} give them), ignoring this view's shape, strides
     * and offset; for walking a view with {@link #forEachOffset}. Use {@link #getAt} for the view's
     * n-th element.
     *
     * @param storageOffset the absolute element offset into the storage
     * @return the element's value
     */
    public double getAtOffset(long storageOffset) {
        MemorySegment s = storage.segment();
        return switch (storage.dtype()) {
            case F32 -> s.getAtIndex(F, storageOffset);
            case F64 -> s.getAtIndex(D, storageOffset);
            case I32 -> s.getAtIndex(I, storageOffset);
        };
    }

    /**
     * Writes the storage element at absolute storage offset {@code storageOffset} (in elements), ignoring
     * this view's shape, strides and offset. Use {@link #setAt} for the view's n-th element.
     *
     * @param storageOffset the absolute element offset into the storage
     * @param value the value written
     */
    public void setAtOffset(long storageOffset, double value) {
        MemorySegment s = storage.segment();
        switch (storage.dtype()) {
            case F32 -> s.setAtIndex(F, storageOffset, (float) value);
            case F64 -> s.setAtIndex(D, storageOffset, value);
            case I32 -> s.setAtIndex(I, storageOffset, (int) value);
        }
    }

    /**
     * Copies the elements out in row-major order, converted to float.
     *
     * @return a new array of {@link #numel()} values
     */
    public float[] toFloatArray() {
        float[] out = new float[Math.toIntExact(numel())];
        if (contiguous && dtype() == Dtype.F32 && out.length > 0) {
            MemorySegment.copy(segment(), F, offset * Float.BYTES, out, 0, out.length);
            return out;
        }
        int[] k = {0};
        forEachOffset(off -> out[k[0]++] = (float) getAtOffset(off));
        return out;
    }

    /**
     * Copies the elements out in row-major order, converted to double.
     *
     * @return a new array of {@link #numel()} values
     */
    public double[] toDoubleArray() {
        double[] out = new double[Math.toIntExact(numel())];
        if (contiguous && dtype() == Dtype.F64 && out.length > 0) {
            MemorySegment.copy(segment(), D, offset * Double.BYTES, out, 0, out.length);
            return out;
        }
        int[] k = {0};
        forEachOffset(off -> out[k[0]++] = getAtOffset(off));
        return out;
    }

    /**
     * Copies the elements out in row-major order, converted to int.
     *
     * @return a new array of {@link #numel()} values
     */
    public int[] toIntArray() {
        int[] out = new int[Math.toIntExact(numel())];
        int[] k = {0};
        forEachOffset(off -> out[k[0]++] = (int) getAtOffset(off));
        return out;
    }

    /**
     * Overwrites every element of this view with {@code values}, taken in row-major order over the view's
     * shape (the inverse of {@link #toFloatArray()}) and converted to the dtype; writes through to the
     * storage, so a slice fills just its own elements.
     *
     * @param values the values, row-major; exactly {@link #numel()} of them
     * @throws IllegalArgumentException if {@code values.length} is not {@link #numel()}
     */
    public void copyFrom(float[] values) {
        checkBulkLength(values == null ? -1 : values.length);
        if (contiguous && dtype() == Dtype.F32 && values.length > 0) {
            MemorySegment.copy(values, 0, segment(), F, offset * Float.BYTES, values.length);
            return;
        }
        int[] k = {0};
        forEachOffset(off -> setAtOffset(off, values[k[0]++]));
    }

    /**
     * Overwrites every element of this view with {@code values}, in row-major order over the view's shape
     * (the inverse of {@link #toDoubleArray()}), converted to the dtype.
     *
     * @param values the values, row-major; exactly {@link #numel()} of them
     * @throws IllegalArgumentException if {@code values.length} is not {@link #numel()}
     */
    public void copyFrom(double[] values) {
        checkBulkLength(values == null ? -1 : values.length);
        if (contiguous && dtype() == Dtype.F64 && values.length > 0) {
            MemorySegment.copy(values, 0, segment(), D, offset * Double.BYTES, values.length);
            return;
        }
        int[] k = {0};
        forEachOffset(off -> setAtOffset(off, values[k[0]++]));
    }

    private void checkBulkLength(int length) {
        if (length < 0) {
            throw new NullPointerException("copyFrom: values is null");
        }
        if (length != numel()) {
            throw new IllegalArgumentException("copyFrom: values has " + length + " elements but the array of shape "
                    + shape + " has " + numel());
        }
    }

    /**
     * Calls {@code action} with the storage offset of every element, in row-major order.
     *
     * @param action called with each element's storage offset in elements
     */
    public void forEachOffset(java.util.function.LongConsumer action) {
        storage.segment(); // fail fast if closed
        if (numel() == 0) {
            return;
        }
        int r = shape.rank();
        int[] idx = new int[r];
        long off = offset;
        while (true) {
            action.accept(off);
            int ax = r - 1;
            while (ax >= 0) {
                idx[ax]++;
                off += strides[ax];
                if (idx[ax] < shape.dim(ax)) {
                    break;
                }
                off -= (long) idx[ax] * strides[ax];
                idx[ax] = 0;
                ax--;
            }
            if (ax < 0) {
                return;
            }
        }
    }

    /**
     * Copies every element of {@code src} (same shape, any dtype) into this view, converting.
     *
     * @param src the array copied from, of this view's shape
     */
    public void copyFrom(NdArray src) {
        if (!src.shape.equals(shape)) {
            throw new IllegalArgumentException("cannot copy shape " + src.shape + " into shape " + shape);
        }
        double[] values = src.toDoubleArray();
        int[] k = {0};
        forEachOffset(off -> setAtOffset(off, values[k[0]++]));
    }

    /**
     * A new contiguous array (owning its storage) with the same dtype and values.
     *
     * @return the new array; the caller closes it
     */
    public NdArray copy() {
        NdArray c = zeros(dtype(), shape);
        c.copyFrom(this);
        return c;
    }

    /**
     * A new contiguous array with the same values converted to {@code target}.
     *
     * @param target the dtype of the result
     * @return the new array; the caller closes it
     */
    public NdArray toDtype(Dtype target) {
        NdArray c = zeros(target, shape);
        c.copyFrom(this);
        return c;
    }

    // ---------------------------------------------------------------- views

    /**
     * Elements {@code start, start+step, …} (&lt; {@code end}) along {@code axis}; a view.
     *
     * @param axis the axis sliced; negative counts from the end
     * @param start the first index taken; in [0, dim]
     * @param end the index the slice stops before; in [start, dim]
     * @param step the distance between taken indices; >= 1
     * @return a view of the same storage
     */
    public NdArray slice(int axis, int start, int end, int step) {
        int a = shape.normalizeAxis(axis);
        int d = shape.dim(a);
        if (start < 0 || end > d || start > end || step < 1) {
            throw new IllegalArgumentException("slice [" + start + ":" + end + ":" + step + "] is invalid for axis "
                    + axis + " of shape " + shape);
        }
        int len = (end - start + step - 1) / step;
        long[] st = strides.clone();
        st[a] = strides[a] * step;
        return new NdArray(storage, shape.with(a, len), st, offset + start * strides[a], false);
    }

    /**
     * Elements {@code start … end-1} along {@code axis}; a view.
     *
     * @param axis the axis sliced; negative counts from the end
     * @param start the first index taken; in [0, dim]
     * @param end the index the slice stops before; in [start, dim]
     * @return a view of the same storage
     */
    public NdArray slice(int axis, int start, int end) {
        return slice(axis, start, end, 1);
    }

    /**
     * The sub-array at {@code index} along {@code axis}, with that axis removed; a view.
     *
     * @param axis the axis removed; negative counts from the end
     * @param index the position along that axis; in [0, dim)
     * @return a view of the same storage, one rank lower
     */
    public NdArray select(int axis, int index) {
        int a = shape.normalizeAxis(axis);
        if (index < 0 || index >= shape.dim(a)) {
            throw new IndexOutOfBoundsException("index " + index + " is out of bounds for axis " + axis
                    + " of shape " + shape);
        }
        long[] st = new long[strides.length - 1];
        for (int i = 0, j = 0; i < strides.length; i++) {
            if (i != a) {
                st[j++] = strides[i];
            }
        }
        return new NdArray(storage, shape.without(a), st, offset + index * strides[a], false);
    }

    /**
     * Axes reordered: result axis i is this array's axis {@code order[i]}; a view.
     *
     * @param order a permutation of [0, rank)
     * @return a view of the same storage
     */
    public NdArray permute(int... order) {
        if (order.length != shape.rank()) {
            throw new IllegalArgumentException("permutation " + Arrays.toString(order) + " does not match shape " + shape);
        }
        boolean[] seen = new boolean[order.length];
        int[] dims = new int[order.length];
        long[] st = new long[order.length];
        for (int i = 0; i < order.length; i++) {
            int a = shape.normalizeAxis(order[i]);
            if (seen[a]) {
                throw new IllegalArgumentException("permutation " + Arrays.toString(order) + " repeats axis " + a);
            }
            seen[a] = true;
            dims[i] = shape.dim(a);
            st[i] = strides[a];
        }
        return new NdArray(storage, Shape.of(dims), st, offset, false);
    }

    /**
     * Axes {@code a} and {@code b} swapped; a view.
     *
     * @param a the first axis; negative counts from the end
     * @param b the second axis; negative counts from the end
     * @return a view of the same storage
     */
    public NdArray transpose(int a, int b) {
        int[] order = new int[shape.rank()];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        int x = shape.normalizeAxis(a);
        int y = shape.normalizeAxis(b);
        order[x] = y;
        order[y] = x;
        return permute(order);
    }

    /**
     * The transpose of a matrix; a view.
     *
     * @return a view of the same storage
     */
    public NdArray t() {
        if (shape.rank() != 2) {
            throw new IllegalArgumentException("t() needs a matrix, got shape " + shape);
        }
        return transpose(0, 1);
    }

    /**
     * The same elements in a new shape (one dimension may be -1, inferred). A view; requires a
     * contiguous array — call {@link #copy()} first otherwise.
     *
     * @param dims the new dimension sizes, with the same product; at most one -1
     * @return a view of the same storage
     */
    public NdArray reshape(int... dims) {
        int[] d = dims.clone();
        int infer = -1;
        long known = 1;
        for (int i = 0; i < d.length; i++) {
            if (d[i] == -1) {
                if (infer >= 0) {
                    throw new IllegalArgumentException("reshape " + Arrays.toString(dims) + " has more than one -1");
                }
                infer = i;
            } else {
                known *= d[i];
            }
        }
        if (infer >= 0) {
            if (known == 0 || numel() % known != 0) {
                throw new IllegalArgumentException("cannot reshape " + shape + " to " + Arrays.toString(dims));
            }
            d[infer] = (int) (numel() / known);
        }
        Shape target = Shape.of(d);
        if (target.numel() != numel()) {
            throw new IllegalArgumentException("cannot reshape " + shape + " (" + numel() + " elements) to " + target);
        }
        if (!isContiguous()) {
            throw new IllegalArgumentException("cannot reshape non-contiguous array of shape " + shape + " strides "
                    + Arrays.toString(strides) + " without a copy; call copy() first");
        }
        return new NdArray(storage, target, target.contiguousStrides(), offset, false);
    }

    /**
     * A rank-1 view of a contiguous array.
     *
     * @return a view of the same storage
     */
    public NdArray flatten() {
        return reshape(-1);
    }

    /**
     * A size-1 axis inserted at {@code axis} (0 … rank); a view.
     *
     * @param axis the position of the new axis, in [0, rank]
     * @return a view of the same storage, one rank higher
     */
    public NdArray unsqueeze(int axis) {
        int r = shape.rank();
        int a = axis < 0 ? axis + r + 1 : axis;
        if (a < 0 || a > r) {
            throw new IllegalArgumentException("axis " + axis + " is out of range for unsqueeze of shape " + shape);
        }
        int[] dims = new int[r + 1];
        long[] st = new long[r + 1];
        for (int i = 0, j = 0; i <= r; i++) {
            if (i == a) {
                dims[i] = 1;
                st[i] = 0;
            } else {
                dims[i] = shape.dim(j);
                st[i] = strides[j++];
            }
        }
        return new NdArray(storage, Shape.of(dims), st, offset, false);
    }

    /**
     * A view that repeats this array to {@code target} by NumPy broadcasting rules, with stride 0 along
     * broadcast dimensions.
     *
     * @param target the shape broadcast to; this shape must broadcast to it
     * @return a view of the same storage
     */
    public NdArray broadcastTo(Shape target) {
        int r = target.rank();
        if (shape.rank() > r) {
            throw new IllegalArgumentException("cannot broadcast shape " + shape + " to " + target);
        }
        long[] st = new long[r];
        int lead = r - shape.rank();
        for (int i = 0; i < r; i++) {
            if (i < lead) {
                st[i] = 0;
                continue;
            }
            int d = shape.dim(i - lead);
            if (d == target.dim(i)) {
                st[i] = strides[i - lead];
            } else if (d == 1) {
                st[i] = 0;
            } else {
                throw new IllegalArgumentException("cannot broadcast shape " + shape + " to " + target);
            }
        }
        return new NdArray(storage, target, st, offset, false);
    }

    /**
     * A non-owning view of the same elements.
     *
     * @return a view of the same storage that does not own it
     */
    public NdArray view() {
        return new NdArray(storage, shape, strides, offset, false);
    }

    /** Frees the storage if this array owns it; otherwise does nothing. Idempotent. */
    @Override
    public void close() {
        if (owner) {
            storage.close();
        }
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("NdArray(").append(dtype()).append(' ').append(shape);
        if (!storage.isOpen()) {
            return sb.append(", closed)").toString();
        }
        sb.append(", [");
        int n = (int) Math.min(numel(), 8);
        double[] preview = new double[n];
        int[] k = {0};
        forEachOffset(off -> {
            if (k[0] < n) {
                preview[k[0]++] = getAtOffset(off);
            }
        });
        for (int i = 0; i < n; i++) {
            sb.append(i == 0 ? "" : ", ").append(preview[i]);
        }
        return sb.append(numel() > n ? ", …])" : "])").toString();
    }
}
