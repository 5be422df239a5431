package org.inertia.kernels;

/**
 * The right-hand operand op(B) of a GEMM, packed once by {@link Gemm#packB} for many products with
 * the same B, e.g. a recurrent weight used at every time step of a sequence. Packing is the layout work
 * GEMM otherwise repeats on every call; the products give the same bits as unpacked calls, except a float32
 * C of one row or one column, which the unpacked call computes with GEMV (same error bound, other order).
 *
 * <p>A snapshot: writes to B after packing are not seen. Holds native memory: close it (try-with-resources);
 * a product with a closed operand throws {@link IllegalStateException}. Only the backend that packed it can
 * use it.
 */
public interface PackedGemmOperand extends AutoCloseable {
    /**
     * Rows of op(B): the inner dimension of the products.
     *
     * @return the row count of op(B)
     */
    int k();

    /**
     * Columns of op(B): the columns of C.
     *
     * @return the column count of op(B)
     */
    int n();

    /**
     * Element type of the packed values (that of B).
     *
     * @return the element type
     */
    Dtype dtype();

    /**
     * Whether {@link #close()} has run.
     *
     * @return true once closed
     */
    boolean isClosed();

    /** Frees the packed copy; closing twice is harmless. */
    @Override
    void close();
}
