/**
 * Float32 kernels on the Vector API ({@code jdk.incubator.vector}): the only package that links
 * incubator classes. Kernels work on raw {@code (MemorySegment, element offset, stride, length)}
 * arguments already validated by the facades in {@code org.inertia.kernels.cpu}.
 */
package org.inertia.kernels.simd;
