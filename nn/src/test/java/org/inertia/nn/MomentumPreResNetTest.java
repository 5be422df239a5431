package org.inertia.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import java.util.SplittableRandom;
import org.inertia.kernels.Dtype;
import org.inertia.kernels.NdArray;
import org.inertia.nn.autograd.Tensor;
import org.inertia.nn.autograd.TensorScope;
import org.inertia.nn.models.MomentumNet;
import org.inertia.nn.models.MomentumPreResNet;
import org.inertia.nn.models.PreResNet;
import org.junit.jupiter.api.Test;

/** PreResNet with momentum residual blocks: same parameters as PreResNet, correct gradients, MNIST-sized shapes. */
class MomentumPreResNetTest {
    @Test
    void gradientsOfBasicAndBottleneckVariants() {
        PreResNet.Config basic = new PreResNet.Config(14, PreResNet.Block.BASIC, 1, 3, 2, new int[] {2, 2, 3});
        try (MomentumPreResNet net = new MomentumPreResNet(basic, 0.9, MomentumNet.Mode.STORE_ACTIVATIONS, Dtype.F64,
                new SplittableRandom(1)); NdArray x = GradCheck.randn(new Random(1), 2, 1, 8, 8)) {
            ModuleGradCheck.check("momentum preresnet-14", net, net::forward, 1, x);
        }
        PreResNet.Config bottleneck = new PreResNet.Config(20, PreResNet.Block.BOTTLENECK, 1, 2, 2, new int[] {1, 1, 1});
        try (MomentumPreResNet net = new MomentumPreResNet(bottleneck, 0.5, MomentumNet.Mode.STORE_ACTIVATIONS, Dtype.F64,
                new SplittableRandom(2)); NdArray x = GradCheck.randn(new Random(2), 2, 1, 8, 8)) {
            ModuleGradCheck.check("momentum preresnet-20 bottleneck", net, net::forward, 2, x);
        }
    }

    @Test
    void sameParameterCountAsPreResNetAndTenLogitsFor28x28() {
        for (int depth : new int[] {8, 20, 29}) {
            PreResNet.Config c = PreResNet.Config.standard(depth, 1, 10);
            try (PreResNet plain = new PreResNet(c, Dtype.F32, new SplittableRandom(3));
                 MomentumPreResNet mom = new MomentumPreResNet(c, 0.9, MomentumNet.Mode.STORE_ACTIVATIONS, Dtype.F32,
                         new SplittableRandom(3));
                 NdArray x = NdArray.zeros(Dtype.F32, 2, 1, 28, 28); TensorScope s = TensorScope.open()) {
                long a = plain.parameters().stream().mapToLong(p -> p.shape().numel()).sum();
                long b = mom.parameters().stream().mapToLong(p -> p.shape().numel()).sum();
                assertEquals(a, b, "depth " + depth);
                assertEquals(org.inertia.kernels.Shape.of(2, 10), mom.forward(Tensor.constant(x.view())).shape());
                assertTrue(mom.namedParameters().keySet().stream().anyMatch(k -> k.contains(".momentum.")),
                        "depth " + depth + " has momentum blocks");
            }
        }
    }
}
