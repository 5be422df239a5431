package org.inertia.optim;

import java.util.ArrayList;
import java.util.List;
import org.inertia.kernels.Dtype;
import org.inertia.kernels.NdArray;
import org.inertia.kernels.Shape;

/**
 * Many parameters in one contiguous buffer per role, so that one fused kernel call updates a whole
 * model: "many small parameters must not mean many small dispatches". {@link #params()} and
 * {@link #grads()} are the flat buffers; {@link #param(int)} and {@link #grad(int)} are per-parameter
 * views (slices reshaped to the parameter's shape) that layers read and write. An optimizer given a
 * {@code FlatParameters} allocates each state buffer flat as well, and {@link #view(NdArray, int)}
 * gives the per-parameter slice of any such buffer (e.g. Adam's second moment of parameter 3).
 *
 * <p>Parameter i occupies elements {@code [offset(i), offset(i) + numel(i))}; there is no padding.
 */
public final class FlatParameters implements AutoCloseable {
    private final Shape[] shapes;
    private final long[] offsets;
    private final NdArray params;
    private final NdArray grads;

    private FlatParameters(Dtype dtype, Shape[] shapes) {
        this.shapes = shapes.clone();
        this.offsets = new long[shapes.length + 1];
        for (int i = 0; i < shapes.length; i++) {
            offsets[i + 1] = offsets[i] + shapes[i].numel();
        }
        int total = Math.toIntExact(offsets[shapes.length]);
        this.params = NdArray.zeros(dtype, total);
        this.grads = NdArray.zeros(dtype, total);
    }

    /**
     * Zero-filled flat storage for parameters of the given shapes.
     *
     * @param dtype  the element type of every parameter and gradient, F32 or F64
     * @param shapes the parameters' shapes, in order (parameter i has {@code shapes[i]})
     * @return new storage, owned by the caller (close it)
     * @throws IllegalArgumentException if {@code dtype} is not floating point
     * @throws ArithmeticException if the total element count does not fit in an {@code int}
     */
    public static FlatParameters allocate(Dtype dtype, Shape... shapes) {
        if (!dtype.isFloating()) {
            throw new IllegalArgumentException("parameters must be F32 or F64, got " + dtype);
        }
        return new FlatParameters(dtype, shapes);
    }

    /**
     * Zero-filled flat storage for parameters of the given shapes.
     *
     * @param dtype  the element type of every parameter and gradient, F32 or F64
     * @param shapes the parameters' shapes, in order
     * @return new storage, owned by the caller (close it)
     * @throws IllegalArgumentException if {@code dtype} is not floating point
     * @throws ArithmeticException if the total element count does not fit in an {@code int}
     */
    public static FlatParameters allocate(Dtype dtype, List<Shape> shapes) {
        return allocate(dtype, shapes.toArray(Shape[]::new));
    }

    /**
     * The number of parameters.
     *
     * @return how many shapes the storage was allocated for
     */
    public int count() {
        return shapes.length;
    }

    /**
     * The total element count, the length of every flat buffer.
     *
     * @return the sum of the parameters' element counts
     */
    public long numel() {
        return offsets[shapes.length];
    }

    /**
     * First flat element of parameter i.
     *
     * @param i the parameter index, in [0, {@link #count()})
     * @return the offset of its first element in the flat buffers
     * @throws ArrayIndexOutOfBoundsException if i is out of range
     */
    public long offset(int i) {
        return offsets[i];
    }

    /**
     * The shape of parameter i.
     *
     * @param i the parameter index, in [0, {@link #count()})
     * @return its shape, as given to {@code allocate}
     * @throws ArrayIndexOutOfBoundsException if i is out of range
     */
    public Shape shape(int i) {
        return shapes[i];
    }

    /**
     * The flat parameter buffer (rank 1).
     *
     * @return the buffer of {@link #numel()} elements, owned by this object
     */
    public NdArray params() {
        return params;
    }

    /**
     * The flat gradient buffer (rank 1).
     *
     * @return the buffer of {@link #numel()} elements, owned by this object
     */
    public NdArray grads() {
        return grads;
    }

    /**
     * Parameter i as a view of its own shape.
     *
     * @param i the parameter index, in [0, {@link #count()})
     * @return a view into {@link #params()}: writes go to the flat buffer
     * @throws ArrayIndexOutOfBoundsException if i is out of range
     */
    public NdArray param(int i) {
        return view(params, i);
    }

    /**
     * Gradient of parameter i as a view of its own shape.
     *
     * @param i the parameter index, in [0, {@link #count()})
     * @return a view into {@link #grads()}: writes go to the flat buffer
     * @throws ArrayIndexOutOfBoundsException if i is out of range
     */
    public NdArray grad(int i) {
        return view(grads, i);
    }

    /**
     * Parameter i's slice of any flat buffer of this layout (a state buffer), shaped like the parameter.
     *
     * @param flat a rank-1 buffer of {@link #numel()} elements, e.g. an optimizer state buffer
     * @param i    the parameter index, in [0, {@link #count()})
     * @return a view into {@code flat} with parameter i's shape
     * @throws IllegalArgumentException if {@code flat} is not rank 1 with {@link #numel()} elements
     * @throws ArrayIndexOutOfBoundsException if i is out of range
     */
    public NdArray view(NdArray flat, int i) {
        if (flat.rank() != 1 || flat.numel() != numel()) {
            throw new IllegalArgumentException("buffer of shape " + flat.shape() + " is not a flat buffer of "
                    + numel() + " elements");
        }
        int from = Math.toIntExact(offsets[i]);
        int to = Math.toIntExact(offsets[i + 1]);
        return flat.slice(0, from, to).reshape(shapes[i].dims());
    }

    /**
     * All parameters as one (param, grad) pair: one kernel call per step.
     *
     * @return the flat buffers themselves, still owned by this object
     */
    public Params all() {
        return new Params(params, grads);
    }

    /**
     * Parameters {@code from … to−1} as one contiguous (param, grad) pair, e.g. a parameter group with
     * its own hyperparameters (biases without weight decay).
     *
     * @param from the first parameter index, ≥ 0
     * @param to   one past the last parameter index, in (from, {@link #count()}]
     * @return rank-1 views into the flat buffers over those parameters' elements
     * @throws IllegalArgumentException if the range is empty or out of bounds
     */
    public Params range(int from, int to) {
        if (from < 0 || to > shapes.length || from >= to) {
            throw new IllegalArgumentException("parameter range [" + from + ", " + to + ") is invalid for "
                    + shapes.length + " parameters");
        }
        int a = Math.toIntExact(offsets[from]);
        int b = Math.toIntExact(offsets[to]);
        return new Params(params.slice(0, a, b), grads.slice(0, a, b));
    }

    /**
     * Per-parameter (param, grad) views, one pair each (many dispatches: for comparison and tests).
     *
     * @return a new list of {@link #count()} pairs of views, in parameter order
     */
    public List<Params> each() {
        List<Params> out = new ArrayList<>();
        for (int i = 0; i < shapes.length; i++) {
            out.add(new Params(param(i), grad(i)));
        }
        return out;
    }

    /** Closes both flat buffers; every view handed out becomes invalid. */
    @Override
    public void close() {
        params.close();
        grads.close();
    }
}
