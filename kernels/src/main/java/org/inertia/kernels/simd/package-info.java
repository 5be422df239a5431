/**
 * The float32 implementations of the kernel families on the Vector API ({@code jdk.incubator.vector}):
 * {@code XxxSimd} implements {@code org.inertia.kernels.XxxSupport} and is loaded by name by
 * {@code cpu.XxxProvider} only when SIMD is on, so this is the only package that links incubator classes.
 * The loops they call ({@code Blas1Kernels}, {@code BinaryKernels}, {@code GemmF32}, …) work on raw
 * {@code (MemorySegment, element offset, stride, length)} arguments already validated by the facades.
 */
package org.inertia.kernels.simd;
