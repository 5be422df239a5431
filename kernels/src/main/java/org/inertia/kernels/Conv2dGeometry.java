package org.inertia.kernels;

/**
 * The window of a 2-D convolution or pooling: kernel size, stride, zero padding and dilation, each per
 * axis (height, width). Output size follows PyTorch:
 * {@code out = floor((in + 2·pad − dilation·(kernel − 1) − 1) / stride) + 1}.
 *
 * @param kernelH kernel height in taps; >= 1
 * @param kernelW kernel width in taps; >= 1
 * @param strideH vertical step between windows; >= 1
 * @param strideW horizontal step between windows; >= 1
 * @param padH zero rows added above and below; >= 0
 * @param padW zero columns added left and right; >= 0
 * @param dilationH vertical spacing between taps; >= 1
 * @param dilationW horizontal spacing between taps; >= 1
 */
public record Conv2dGeometry(int kernelH, int kernelW, int strideH, int strideW,
                             int padH, int padW, int dilationH, int dilationW) {
    /** Validates the components. */
    public Conv2dGeometry {
        positive("kernelH", kernelH);
        positive("kernelW", kernelW);
        positive("strideH", strideH);
        positive("strideW", strideW);
        positive("dilationH", dilationH);
        positive("dilationW", dilationW);
        if (padH < 0) {
            throw new IllegalArgumentException("padH must be >= 0, got " + padH);
        }
        if (padW < 0) {
            throw new IllegalArgumentException("padW must be >= 0, got " + padW);
        }
    }

    /**
     * Square kernel with the same stride, padding and dilation on both axes.
     *
     * @param kernel kernel height and width; >= 1
     * @param stride step between windows on both axes; >= 1
     * @param pad zero padding on each side of both axes; >= 0
     * @param dilation spacing between taps on both axes; >= 1
     * @return the geometry
     */
    public static Conv2dGeometry square(int kernel, int stride, int pad, int dilation) {
        return new Conv2dGeometry(kernel, kernel, stride, stride, pad, pad, dilation, dilation);
    }

    private static void positive(String name, int v) {
        if (v < 1) {
            throw new IllegalArgumentException(name + " must be >= 1, got " + v);
        }
    }

    /**
     * Output height for input height {@code h}; throws if the window does not fit.
     *
     * @param h the input height; >= 0
     * @return the output height; >= 1
     */
    public int outH(int h) {
        return out("height", h, kernelH, strideH, padH, dilationH);
    }

    /**
     * Output width for input width {@code w}; throws if the window does not fit.
     *
     * @param w the input width; >= 0
     * @return the output width; >= 1
     */
    public int outW(int w) {
        return out("width", w, kernelW, strideW, padW, dilationW);
    }

    private int out(String axis, int in, int k, int s, int p, int d) {
        int span = d * (k - 1) + 1;
        if (in + 2 * p < span) {
            throw new IllegalArgumentException("input " + axis + " " + in + " with padding " + p
                    + " is smaller than the dilated kernel span " + span + " (" + this + ")");
        }
        return (in + 2 * p - span) / s + 1;
    }
}
