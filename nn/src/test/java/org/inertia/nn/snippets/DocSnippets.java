package org.inertia.nn.snippets;

import java.io.IOException;
import java.nio.file.Path;
import org.inertia.kernels.NdArray;
import org.inertia.nn.autograd.AnomalyMode;
import org.inertia.nn.autograd.Tensor;
import org.inertia.nn.autograd.TensorScope;
import org.inertia.nn.data.DataLoader;
import org.inertia.nn.io.Checkpoint;
import org.inertia.nn.layers.Sequential;
import org.inertia.nn.ops.Losses;
import org.inertia.optim.Adam;

/**
 * The code examples of the Javadoc ({@code {@snippet}} tags name these regions). The tests compile this
 * file and {@code DocSnippetsTest} runs every method, so an example that stops compiling or working fails
 * the build.
 */
public final class DocSnippets {
    private DocSnippets() {
    }

    /** TensorScope's class description: one training step whose temporaries the scope frees. */
    public static double scopeStep(Sequential model, Adam optimizer, NdArray x, int[] labels) {
        // @start region="scope-step"
        try (var step = TensorScope.open()) {
            Tensor loss = Losses.crossEntropy(model.forward(Tensor.constant(x.view())), labels);
            optimizer.zeroGrad();
            loss.backward();
            optimizer.step();
            return loss.item();   // every tensor the step made is freed here
        }
        // @end
    }

    /** AnomalyMode's class description: a backward pass with the numerics guard on. */
    public static void anomalyGuard(Sequential model, NdArray x, int[] labels) {
        try (var step = TensorScope.open()) {
            // @start region="anomaly-guard"
            try (var guard = AnomalyMode.on()) {
                Losses.crossEntropy(model.forward(Tensor.constant(x.view())), labels).backward();
            }
            // @end
        }
    }

    /** Checkpoint's class description: save a run, and resume it in a fresh process. */
    public static void checkpoint(Sequential model, Adam opt, DataLoader loader, Path dir, boolean resume)
            throws IOException {
        // @start region="checkpoint"
        Checkpoint ckpt = Checkpoint.of(model).optimizer(opt).dataLoader(loader);
        if (resume) {
            ckpt.load(dir.resolve("last.ckpt"));   // after a restart, before the first step
        } else {
            ckpt.save(dir.resolve("last.ckpt"));   // every N steps
        }
        // @end
    }
}
