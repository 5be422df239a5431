package org.inertia.nn;

import java.util.Random;
import java.util.SplittableRandom;
import net.jqwik.api.Assume;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.inertia.kernels.Conv2dGeometry;
import org.inertia.kernels.NdArray;
import org.inertia.nn.ops.Axpby;
import org.inertia.nn.ops.BatchNormOp;
import org.inertia.nn.ops.Conv2dOp;
import org.inertia.nn.ops.DropoutOp;
import org.inertia.nn.ops.LinearOp;
import org.inertia.nn.ops.Losses;
import org.inertia.nn.ops.Pool2dOp;

/** Finite-difference checks (F64) of the layer ops' backward on random shapes and parameters. */
class LayerOpsGradientTest {

    @Property(tries = 20)
    void linear(@ForAll @IntRange(min = 1, max = 4) int n, @ForAll @IntRange(min = 1, max = 5) int in,
                @ForAll @IntRange(min = 1, max = 4) int out, @ForAll long seed) {
        Random r = new Random(seed);
        try (NdArray x = GradCheck.randn(r, n, in); NdArray w = GradCheck.randn(r, out, in);
             NdArray b = GradCheck.randn(r, out)) {
            GradCheck.check("linear", t -> LinearOp.apply(t[0], t[1], t[2]), seed, x, w, b);
            GradCheck.check("linear no bias", t -> LinearOp.apply(t[0], t[1], null), seed, x, w);
        }
    }

    @Property(tries = 30)
    void conv2d(@ForAll @IntRange(min = 1, max = 2) int n, @ForAll @IntRange(min = 1, max = 3) int cin,
                @ForAll @IntRange(min = 1, max = 3) int cout, @ForAll @IntRange(min = 1, max = 6) int h,
                @ForAll @IntRange(min = 1, max = 6) int w, @ForAll @IntRange(min = 1, max = 3) int kh,
                @ForAll @IntRange(min = 1, max = 3) int kw, @ForAll @IntRange(min = 1, max = 3) int stride,
                @ForAll @IntRange(min = 0, max = 2) int pad, @ForAll @IntRange(min = 1, max = 2) int dilation,
                @ForAll boolean bias, @ForAll long seed) {
        Assume.that(h + 2 * pad >= dilation * (kh - 1) + 1 && w + 2 * pad >= dilation * (kw - 1) + 1);
        Conv2dGeometry g = new Conv2dGeometry(kh, kw, stride, Math.max(1, stride - 1), pad, pad / 2 + pad % 2,
                dilation, dilation);
        Assume.that(w + 2 * g.padW() >= dilation * (kw - 1) + 1);
        Random r = new Random(seed);
        try (NdArray x = GradCheck.randn(r, n, cin, h, w); NdArray wt = GradCheck.randn(r, cout, cin, kh, kw);
             NdArray b = GradCheck.randn(r, cout)) {
            if (bias) {
                GradCheck.check("conv2d " + g, t -> Conv2dOp.apply(t[0], t[1], t[2], g), seed, x, wt, b);
            } else {
                GradCheck.check("conv2d " + g, t -> Conv2dOp.apply(t[0], t[1], null, g), seed, x, wt);
            }
        }
    }

    @Property(tries = 25)
    void batchNorm(@ForAll @IntRange(min = 1, max = 3) int n, @ForAll @IntRange(min = 1, max = 3) int c,
                   @ForAll @IntRange(min = 1, max = 3) int h, @ForAll @IntRange(min = 1, max = 3) int w,
                   @ForAll long seed) {
        Assume.that(n * h * w >= 2);
        Random r = new Random(seed);
        try (NdArray x = GradCheck.randn(r, n, c, h, w); NdArray gamma = GradCheck.randn(r, c);
             NdArray beta = GradCheck.randn(r, c); NdArray rm = GradCheck.randn(r, c);
             NdArray rv = GradCheck.randn(r, c)) {
            rv.forEachOffset(o -> rv.setAtOffset(o, 0.5 + Math.abs(rv.getAtOffset(o))));
            try (NdArray runM = NdArray.zeros(x.dtype(), c); NdArray runV = NdArray.zeros(x.dtype(), c)) {
                GradCheck.check("batch_norm train", t -> BatchNormOp.train(t[0], t[1], t[2], runM, runV,
                        BatchNormOp.MOMENTUM, BatchNormOp.EPS), seed, x, gamma, beta);
            }
            GradCheck.check("batch_norm eval", t -> BatchNormOp.eval(t[0], t[1], t[2], rm, rv, BatchNormOp.EPS),
                    seed, x, gamma, beta);
        }
    }

    @Property(tries = 25)
    void pooling(@ForAll @IntRange(min = 1, max = 2) int n, @ForAll @IntRange(min = 1, max = 2) int c,
                 @ForAll @IntRange(min = 2, max = 6) int h, @ForAll @IntRange(min = 2, max = 6) int w,
                 @ForAll @IntRange(min = 1, max = 3) int k, @ForAll @IntRange(min = 1, max = 2) int stride,
                 @ForAll @IntRange(min = 0, max = 1) int pad, @ForAll boolean includePad, @ForAll long seed) {
        Assume.that(h + 2 * pad >= k && w + 2 * pad >= k && pad * 2 <= k); // PyTorch: pad at most half the kernel
        Conv2dGeometry g = Conv2dGeometry.square(k, stride, pad, 1);
        Random r = new Random(seed);
        try (NdArray x = GradCheck.randn(r, n, c, h, w)) {
            GradCheck.check("max_pool2d " + g, t -> Pool2dOp.maxPool(t[0], g), seed, x);
            GradCheck.check("avg_pool2d " + g, t -> Pool2dOp.avgPool(t[0], g, includePad), seed, x);
            GradCheck.check("global_avg_pool", t -> Pool2dOp.globalAvgPool(t[0]), seed, x);
        }
    }

    @Property(tries = 25)
    void lossesAndDropout(@ForAll @IntRange(min = 1, max = 5) int n, @ForAll @IntRange(min = 1, max = 5) int k,
                          @ForAll @IntRange(min = 0, max = 8) int pTenths, @ForAll long seed) {
        Random r = new Random(seed);
        int[] labels = r.ints(n, 0, k).toArray();
        double p = pTenths / 10.0;
        try (NdArray z = GradCheck.randn(r, n, k); NdArray t2 = GradCheck.randn(r, n, k)) {
            GradCheck.check("cross_entropy", t -> Losses.crossEntropy(t[0], labels), seed, z);
            GradCheck.check("mse", t -> Losses.mse(t[0], t[1]), seed, z, t2);
            // a fresh generator with the same seed per evaluation: the same mask every time
            GradCheck.check("dropout p=" + p, t -> DropoutOp.apply(t[0], p, new SplittableRandom(seed)), seed, z);
            GradCheck.check("axpby", t -> Axpby.apply(0.7, t[0], -1.3, t[1]), seed, z, t2);
            GradCheck.check("scale", t -> Axpby.scale(0.3, t[0]), seed, z);
        }
    }
}
