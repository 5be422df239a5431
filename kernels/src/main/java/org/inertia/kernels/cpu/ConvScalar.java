package org.inertia.kernels.cpu;

import org.inertia.kernels.Conv2dGeometry;
import org.inertia.kernels.ConvSupport;
import org.inertia.kernels.NdArray;

/**
 * Convolution building blocks (PyTorch's {@code unfold}/{@code fold}, {@code max_pool2d} with indices,
 * {@code avg_pool2d}) and their backward passes, in double precision over views of any dtype and
 * strides: the oracle for the float32 kernels and the float64 path of the CPU backend. Arguments are
 * assumed validated.
 *
 * <p>Images are [N, C, H, W]. Window position {@code (ki, kj)} of output {@code (oh, ow)} reads input
 * pixel {@code h = oh·strideH − padH + ki·dilationH}, {@code w = ow·strideW − padW + kj·dilationW};
 * a pixel outside [0, H) × [0, W) is padding.
 */
public final class ConvScalar implements ConvSupport {
    /** The one instance (stateless). */
    public static final ConvScalar INSTANCE = new ConvScalar();

    private ConvScalar() {
    }

    /**
     * columns[n, (c·kH + ki)·kW + kj, oh·outW + ow] ← input[n, c, h, w], or 0 where (h, w) is padding.
     * columns is [N, C·kH·kW, outH·outW].
     */
    @Override
    public void im2col(NdArray input, Conv2dGeometry g, NdArray columns) {
        int n = input.dim(0), c = input.dim(1), h = input.dim(2), w = input.dim(3);
        int outH = g.outH(h), outW = g.outW(w);
        for (int in = 0; in < n; in++) {
            for (int ic = 0; ic < c; ic++) {
                for (int ki = 0; ki < g.kernelH(); ki++) {
                    for (int kj = 0; kj < g.kernelW(); kj++) {
                        int row = (ic * g.kernelH() + ki) * g.kernelW() + kj;
                        for (int oh = 0; oh < outH; oh++) {
                            for (int ow = 0; ow < outW; ow++) {
                                int y = oh * g.strideH() - g.padH() + ki * g.dilationH();
                                int x = ow * g.strideW() - g.padW() + kj * g.dilationW();
                                double v = inside(y, h) && inside(x, w) ? input.getAtOffset(at(input, in, ic, y, x)) : 0.0;
                                columns.setAtOffset(at(columns, in, row, oh * outW + ow), v);
                            }
                        }
                    }
                }
            }
        }
    }

    /**
     * image[n, c, h, w] ← Σ columns[n, (c·kH + ki)·kW + kj, oh·outW + ow] over every (ki, kj, oh, ow)
     * that reads pixel (h, w): the adjoint of {@link #im2col}. Sums are formed in double, then stored.
     */
    @Override
    public void col2im(NdArray columns, Conv2dGeometry g, NdArray image) {
        int n = image.dim(0), c = image.dim(1), h = image.dim(2), w = image.dim(3);
        int outH = g.outH(h), outW = g.outW(w);
        double[] acc = new double[h * w];
        for (int in = 0; in < n; in++) {
            for (int ic = 0; ic < c; ic++) {
                java.util.Arrays.fill(acc, 0.0);
                for (int ki = 0; ki < g.kernelH(); ki++) {
                    for (int kj = 0; kj < g.kernelW(); kj++) {
                        int row = (ic * g.kernelH() + ki) * g.kernelW() + kj;
                        for (int oh = 0; oh < outH; oh++) {
                            for (int ow = 0; ow < outW; ow++) {
                                int y = oh * g.strideH() - g.padH() + ki * g.dilationH();
                                int x = ow * g.strideW() - g.padW() + kj * g.dilationW();
                                if (inside(y, h) && inside(x, w)) {
                                    acc[y * w + x] += columns.getAtOffset(at(columns, in, row, oh * outW + ow));
                                }
                            }
                        }
                    }
                }
                storePlane(acc, image, in, ic);
            }
        }
    }

    /**
     * out[n, c, oh, ow] ← max over the window's in-image pixels; indices ← h·W + w of that pixel.
     * Padding never wins. Pixels are scanned row by row; a later pixel replaces the running maximum
     * only when strictly greater or NaN, so the first maximum wins ties and a NaN is the maximum
     * (the last NaN's index, exactly as PyTorch's CPU and CUDA kernels). Every window must hold at
     * least one in-image pixel.
     */
    @Override
    public void maxPool2d(NdArray input, Conv2dGeometry g, NdArray out, NdArray indices) {
        int n = input.dim(0), c = input.dim(1), h = input.dim(2), w = input.dim(3);
        int outH = g.outH(h), outW = g.outW(w);
        for (int in = 0; in < n; in++) {
            for (int ic = 0; ic < c; ic++) {
                for (int oh = 0; oh < outH; oh++) {
                    for (int ow = 0; ow < outW; ow++) {
                        double best = Double.NEGATIVE_INFINITY;
                        int bestIndex = -1;
                        for (int ki = 0; ki < g.kernelH(); ki++) {
                            for (int kj = 0; kj < g.kernelW(); kj++) {
                                int y = oh * g.strideH() - g.padH() + ki * g.dilationH();
                                int x = ow * g.strideW() - g.padW() + kj * g.dilationW();
                                if (!inside(y, h) || !inside(x, w)) {
                                    continue;
                                }
                                double v = input.getAtOffset(at(input, in, ic, y, x));
                                if (bestIndex < 0 || v > best || Double.isNaN(v)) {
                                    best = v;
                                    bestIndex = y * w + x;
                                }
                            }
                        }
                        out.setAtOffset(at(out, in, ic, oh, ow), best);
                        indices.setAtOffset(at(indices, in, ic, oh, ow), bestIndex);
                    }
                }
            }
        }
    }

    /**
     * gradInput[n, c] ← 0, then gradInput[n, c, indices[n, c, o] as (h, w)] += gradOut[n, c, o] for every
     * output position o. Sums are formed in double, then stored.
     *
     * @throws IllegalArgumentException if an index lies outside [0, H·W)
     */
    @Override
    public void maxPool2dBackward(NdArray gradOut, NdArray indices, NdArray gradInput) {
        int n = gradInput.dim(0), c = gradInput.dim(1), h = gradInput.dim(2), w = gradInput.dim(3);
        int outH = gradOut.dim(2), outW = gradOut.dim(3);
        double[] acc = new double[h * w];
        for (int in = 0; in < n; in++) {
            for (int ic = 0; ic < c; ic++) {
                java.util.Arrays.fill(acc, 0.0);
                for (int oh = 0; oh < outH; oh++) {
                    for (int ow = 0; ow < outW; ow++) {
                        int index = (int) indices.getAtOffset(at(indices, in, ic, oh, ow));
                        if (index < 0 || index >= h * w) {
                            throw badIndex(index, in, ic, oh, ow, h, w);
                        }
                        acc[index] += gradOut.getAtOffset(at(gradOut, in, ic, oh, ow));
                    }
                }
                storePlane(acc, gradInput, in, ic);
            }
        }
    }

    /**
     * out[n, c, oh, ow] ← (Σ of the window's in-image pixels) / d, where d = kH·kW with
     * {@code countIncludePad} (padding counts as zeros) and otherwise the number of in-image pixels
     * (which must be ≥ 1).
     */
    @Override
    public void avgPool2d(NdArray input, Conv2dGeometry g, boolean countIncludePad, NdArray out) {
        int n = input.dim(0), c = input.dim(1), h = input.dim(2), w = input.dim(3);
        int outH = g.outH(h), outW = g.outW(w);
        for (int in = 0; in < n; in++) {
            for (int ic = 0; ic < c; ic++) {
                for (int oh = 0; oh < outH; oh++) {
                    for (int ow = 0; ow < outW; ow++) {
                        double sum = 0;
                        int count = 0;
                        for (int ki = 0; ki < g.kernelH(); ki++) {
                            for (int kj = 0; kj < g.kernelW(); kj++) {
                                int y = oh * g.strideH() - g.padH() + ki * g.dilationH();
                                int x = ow * g.strideW() - g.padW() + kj * g.dilationW();
                                if (inside(y, h) && inside(x, w)) {
                                    sum += input.getAtOffset(at(input, in, ic, y, x));
                                    count++;
                                }
                            }
                        }
                        int divisor = countIncludePad ? g.kernelH() * g.kernelW() : count;
                        out.setAtOffset(at(out, in, ic, oh, ow), sum / divisor);
                    }
                }
            }
        }
    }

    /**
     * gradInput ← the adjoint of {@link #avgPool2d}: gradInput[n, c, h, w] = Σ gradOut[n, c, o] / d_o
     * over every output o whose window reads in-image pixel (h, w).
     */
    @Override
    public void avgPool2dBackward(NdArray gradOut, Conv2dGeometry g, boolean countIncludePad,
                                         NdArray gradInput) {
        int n = gradInput.dim(0), c = gradInput.dim(1), h = gradInput.dim(2), w = gradInput.dim(3);
        int outH = g.outH(h), outW = g.outW(w);
        double[] acc = new double[h * w];
        for (int in = 0; in < n; in++) {
            for (int ic = 0; ic < c; ic++) {
                java.util.Arrays.fill(acc, 0.0);
                for (int oh = 0; oh < outH; oh++) {
                    for (int ow = 0; ow < outW; ow++) {
                        int count = 0;
                        for (int ki = 0; ki < g.kernelH(); ki++) {
                            for (int kj = 0; kj < g.kernelW(); kj++) {
                                int y = oh * g.strideH() - g.padH() + ki * g.dilationH();
                                int x = ow * g.strideW() - g.padW() + kj * g.dilationW();
                                if (inside(y, h) && inside(x, w)) {
                                    count++;
                                }
                            }
                        }
                        int divisor = countIncludePad ? g.kernelH() * g.kernelW() : count;
                        double share = gradOut.getAtOffset(at(gradOut, in, ic, oh, ow)) / divisor;
                        for (int ki = 0; ki < g.kernelH(); ki++) {
                            for (int kj = 0; kj < g.kernelW(); kj++) {
                                int y = oh * g.strideH() - g.padH() + ki * g.dilationH();
                                int x = ow * g.strideW() - g.padW() + kj * g.dilationW();
                                if (inside(y, h) && inside(x, w)) {
                                    acc[y * w + x] += share;
                                }
                            }
                        }
                    }
                }
                storePlane(acc, gradInput, in, ic);
            }
        }
    }

    static IllegalArgumentException badIndex(int index, int n, int c, int oh, int ow, int h, int w) {
        return new IllegalArgumentException("indices[" + n + ", " + c + ", " + oh + ", " + ow + "] = " + index
                + " is outside the " + h + "x" + w + " input plane [0, " + (long) h * w + ")");
    }

    private static boolean inside(int i, int size) {
        return i >= 0 && i < size;
    }

    private static void storePlane(double[] acc, NdArray image, int n, int c) {
        int h = image.dim(2), w = image.dim(3);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                image.setAtOffset(at(image, n, c, y, x), acc[y * w + x]);
            }
        }
    }

    private static long at(NdArray a, int i0, int i1, int i2) {
        return a.offset() + i0 * a.stride(0) + i1 * a.stride(1) + i2 * a.stride(2);
    }

    private static long at(NdArray a, int i0, int i1, int i2, int i3) {
        return a.offset() + i0 * a.stride(0) + i1 * a.stride(1) + i2 * a.stride(2) + i3 * a.stride(3);
    }
}
