package org.inertia.kernels;

import java.util.function.IntConsumer;

/**
 * A backend: the kernel families that compute on the {@link NdArray}s it can address, and its coarse
 * parallelism. The upper layers (autograd, layers, optimizers) take the families from here
 * ({@code backend.elementwise().binary(...)}, {@code backend.gemm().gemm(...)}) and never name an
 * implementation; {@link Backends#get()} is the one place that picks the backend.
 *
 * <p>Each family is a validating facade (e.g. {@link Elementwise}) built once over one implementation of
 * the family's small interface per dtype (e.g. {@link ElementwiseSupport}): validation is shared by every
 * backend, the arithmetic is the backend's. The CPU backend ({@code cpu.CpuBackend}) builds its facades
 * from the choices its providers made once (SIMD float32 or the scalar loops); a device-memory backend
 * builds the same facades over its own implementations. docs/architecture.md says how to add one.
 *
 * <p>Common contract: operands of one call share a dtype (F32 or F64; indices are I32); output arrays are
 * written, never resized; shape mismatches throw {@link IllegalArgumentException} naming the shapes; a
 * closed operand throws {@link IllegalStateException}. Unless a method says otherwise an output may be the
 * very same view as an input (in place), but must not otherwise overlap it.
 */
public interface Backend {

    /**
     * A short name, e.g. {@code "cpu"}: what {@code -Dinertia.backend} selects.
     *
     * @return the backend's short name
     */
    String name();

    /**
     * BLAS level 1: axpy, scal, dot, nrm2, asum, iamax, copy.
     *
     * @return the BLAS level 1 facade
     */
    Blas1 blas1();

    /**
     * Unary and binary ops with broadcasting, clamp, where, fill.
     *
     * @return the elementwise facade
     */
    Elementwise elementwise();

    /**
     * Sum, mean, max, argmax, variance, sum of all, softmax, log-softmax.
     *
     * @return the reductions facade
     */
    Reductions reductions();

    /**
     * GEMM, packed-B GEMM, GEMV, batched GEMM.
     *
     * @return the matrix product facade
     */
    Gemm gemm();

    /**
     * im2col, col2im, max and average pooling and their adjoints.
     *
     * @return the convolution and pooling facade
     */
    Conv conv();

    /**
     * Fused bias + ReLU, ReLU backward with the bias gradient, softmax cross-entropy backward.
     *
     * @return the fused layer kernels facade
     */
    Layers layers();

    /**
     * Fused LSTM pointwise gates, forward and backward.
     *
     * @return the fused LSTM gates facade
     */
    LstmGates lstmGates();

    /**
     * Gradient clipping: Σg², scaling, clamping, clip_grad_norm_.
     *
     * @return the gradient clipping facade
     */
    GradClip gradClip();

    /**
     * How many independent pieces of work {@link #parallel} can usefully run at once (1: sequential).
     *
     * @return the useful number of concurrent tasks; >= 1
     */
    default int parallelism() {
        return 1;
    }

    /**
     * Runs {@code body.accept(i)} for i in [0, tasks), possibly concurrently, and returns when all are
     * done. The pieces must be independent (disjoint outputs); kernels they call run single-threaded
     * inside. For work too fine-grained for a kernel's own threading, e.g. the rows of a recurrence whose
     * every step is a small GEMM: split once, not once per step.
     *
     * @param tasks the number of pieces of work; {@code body} sees each index in [0, tasks) once
     * @param body the work for one index; must write only its own outputs
     */
    default void parallel(int tasks, IntConsumer body) {
        for (int i = 0; i < tasks; i++) {
            body.accept(i);
        }
    }
}
