/**
 * Scalar reference kernels: plain loops over {@link org.inertia.kernels.NdArray} views of any dtype,
 * accumulating in double. They define what each kernel computes; the SIMD kernels are tested against
 * them, and the CPU backend runs them for float64 operands.
 */
package org.inertia.kernels.reference;
